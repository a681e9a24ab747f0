using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Engine.Account;
using KimiEA.Engine.Events;
using KimiEA.Engine.Validation;
using KimiEA.Journal;
using KimiEA.Risk.Account;

namespace KimiEA.Engine.Agents;

/// <summary>
/// Restart safety: the agent keeps an in-memory <see cref="AgentLedger"/> — the same fold the journal uses — over
/// every event it records, restores it from the journal on create, and reconciles it with the broker's positions
/// through the journal's <see cref="Reconciler"/> (broker wins). The position and pending-entry books are then
/// rebuilt from the reconciled ledger, so the logic that decides what happened while the EA was away exists once.
/// </summary>
public sealed partial class Agent
{
    private AgentLedger _ledger = null!;

    /// <summary>The breaker trading day whose state this agent last journaled (or restored).</summary>
    private long _breakerDayJournaled = long.MinValue;

    /// <summary>kimi_sync_positions: a complete snapshot of this symbol's and magic's open positions at the broker.</summary>
    public int SyncPositions(ReadOnlySpan<KimiPosition> positions, long timeMsc)
    {
        using (_gate.Hold())
        {
            var rc = CheckTime("kimi_sync_positions", "time_msc", timeMsc, mayBeOld: false, zeroIsUnknown: true);
            if (rc != 0)
            {
                return rc;
            }

            // The whole snapshot is checked before anything is reconciled: a snapshot with one position that cannot
            // exist is refused as a whole (journaled with the reason), since reconciling the rest as "complete" would
            // close that position in the books while it may be open at the broker.
            for (var i = 0; i < positions.Length; i++)
            {
                ref readonly var p = ref positions[i];
                var problem = AbiInput.Position(p, _rawSpec);
                if (!problem.IsNone)
                {
                    var text = problem.Describe($"kimi_sync_positions: position {p.Ticket} (#{i})");
                    RecordRefusedBrokerPosition(p.Ticket, text + " The snapshot was refused; nothing was reconciled.");
                    return FailLocked(AbiCodes.EInvalidArgument, text);
                }

                rc = CheckTime("kimi_sync_positions", "position.time_msc", p.TimeMsc, mayBeOld: true, zeroIsUnknown: true);
                if (rc != 0)
                {
                    return rc;
                }
            }

            Touch(timeMsc);
            var broker = new List<BrokerPosition>(positions.Length);
            foreach (ref readonly var p in positions)
            {
                if (p.Magic != 0 && p.Magic != _config.Magic)
                {
                    continue;
                }

                broker.Add(new BrokerPosition(p.Ticket, _symbol, _config.Magic, p.Type == 0 ? Direction.Buy : Direction.Sell, p.Volume,
                    p.PriceOpen, p.TimeMsc, p.Sl, p.Tp, p.InstructionId));
            }

            var result = Reconciler.Reconcile(_ledger, broker, [], _nowMsc, PipSize, ConfigMapping.ModeName(_config.Mode));
            foreach (var e in result.Events)
            {
                _journal?.Append(e);
            }

            var before = _ledger; // the facts of positions the snapshot closes, for their close events
            _ledger = result.Ledger;
            foreach (var a in result.Actions)
            {
                if (a.Kind is not (ReconcileActionKind.Confirmed or ReconcileActionKind.IgnoredDuplicateDeal))
                {
                    var e = new KimiEvent { Kind = AbiCodes.EvtReconciled, Code = (long)a.Kind, Ticket = a.Ticket != 0 ? a.Ticket : a.IntentId };
                    if (_ledger.TryGetPosition(a.Ticket, out var held))
                    {
                        e.Direction = (long)held.Direction;
                        e.Volume = held.Volume;
                        e.Price = held.EntryPrice;
                        e.Sl = held.StopLoss;
                        e.Tp = held.TakeProfit;
                    }
                    else if (before.TryGetPosition(a.Ticket, out var was))
                    {
                        e.Direction = (long)was.Direction;
                        e.Volume = was.Volume;
                        e.Price = was.EntryPrice;
                    }

                    Emit(e);
                }
            }

            RebuildFromLedger(ExitReason.Reconciled, before);
            ReleasePositionsLeftClosed();
            ForgetClosesTheSnapshotDisproved();
            CountMissedBars();
            _awaitingSync = false;
            return Pending();
        }
    }

    /// <summary>Restores this agent's state from the journal (create: terminal start, re-attach, timeframe change).</summary>
    private void RestoreFromJournal()
    {
        _ledger = new AgentLedger(_config.Magic, _symbol);
        if (_journal is null || _journal.IsFailed)
        {
            return;
        }

        var restored = _journal.Restore(_config.Magic, _symbol);
        _ledger = restored.Ledger;
        _haltedByKillSwitch = restored.HaltRequested;
        if (BreakerStateCodec.FromLedger(_ledger) is { } journaled && _book.BreakerState.TradingDay == long.MinValue)
        {
            // The breaker never resets because the terminal restarted: the account-wide state comes back as it was.
            _book.RestoreBreaker(journaled);
        }

        _lastBreaker = _book.BreakerState.Status;
        _breakerDayJournaled = _book.BreakerState.TradingDay;
        var stats = new List<Risk.Sizing.SetupStats>();
        foreach (var (key, s) in _ledger.SetupStatistics)
        {
            if (string.Equals(key.Symbol, _symbol, StringComparison.Ordinal))
            {
                stats.Add(new Risk.Sizing.SetupStats(key.Symbol, key.SetupId, s.Wins, s.Losses));
            }
        }

        _stats.Restore(stats.ToArray());
        foreach (var i in _ledger.OpenIntents)
        {
            _instructions.ObserveId(i.IntentId);
        }

        foreach (var p in _ledger.OpenPositions)
        {
            _instructions.ObserveId(p.IntentId);
        }

        RebuildFromLedger(ExitReason.Reconciled, _ledger);

        // Entries the journal knows were (or may have been) handed out wait for the broker's snapshot.
        _awaitingSync = _pendingOpens.Count > 0;
    }

    /// <summary>
    /// Makes the position book and the pending entries follow the ledger (the book is its projection): positions the
    /// ledger no longer holds were closed (<paramref name="goneReason"/>; their facts come from
    /// <paramref name="previous"/>, the ledger before the change), positions it holds that the book lacks are taken
    /// over, and open intents become pending entries that can never be re-issued.
    /// </summary>
    private void RebuildFromLedger(ExitReason goneReason, AgentLedger previous)
    {
        for (var i = _positions.Count - 1; i >= 0; i--)
        {
            if (_ledger.TryGetPosition(_positions[i].Ticket, out _))
            {
                continue;
            }

            var gone = _positions.RemoveAt(i);
            previous.TryGetPosition(gone.Ticket, out var was);
            _book.Release(gone.Reservation);
            _tradesClosed++;
            RememberReconciledClose(gone, was.SetupId);
            Emit(new KimiEvent { Kind = AbiCodes.EvtClose, Code = (long)goneReason, Direction = (long)was.Direction, Ticket = gone.Ticket, Volume = was.Volume, Sl = was.StopLoss, Tp = was.TakeProfit });
        }

        foreach (var jp in _ledger.OpenPositions)
        {
            if (_positions.IndexOf(jp.Ticket) >= 0)
            {
                continue;
            }

            var pi = _pendingOpens.IndexOf(jp.IntentId);
            var pending = pi >= 0 ? _pendingOpens.RemoveAt(pi) : default;
            var reservation = pi >= 0
                ? pending.Reservation
                : AdoptIntoBook(jp.Ticket, jp.Direction, jp.Volume, jp.StopLoss > 0 ? _spec.LossFor(jp.EntryPrice - jp.StopLoss, jp.Volume) : 0);
            _book.BindTicket(reservation, jp.Ticket);
            var added = _positions.Add(new OpenPosition
            {
                Ticket = jp.Ticket,
                OpenTimeMsc = jp.EntryTime,
                RiskMoney = jp.StopLoss > 0 ? _spec.LossFor(jp.EntryPrice - jp.StopLoss, jp.Volume) : 0,
                Reservation = reservation,
            });
            if (!added)
            {
                _book.Release(reservation);
                EmitError(AbiCodes.EvtError, CodeNames.InstructionBookFull, jp.Ticket);
            }
        }

        // Pending entries whose intent the ledger closed (abandoned: no position, no deal) are released, never re-sent.
        for (var i = _pendingOpens.Count - 1; i >= 0; i--)
        {
            var id = _pendingOpens[i].InstructionId;
            if (!_ledger.TryGetIntent(id, out _))
            {
                _instructions.TryCancel(id);
                var dropped = _pendingOpens.RemoveAt(i);
                _book.Release(dropped.Reservation);
            }
        }

        // Intents the ledger still holds open that this agent has no pending entry for (restored from the journal):
        // they may have been handed out before the restart, so they are held as ambiguous until a snapshot decides.
        foreach (var oi in _ledger.OpenIntents)
        {
            if (_pendingOpens.IndexOf(oi.IntentId) >= 0)
            {
                continue;
            }

            var risk = _spec.LossFor(oi.Entry - oi.StopLoss, oi.Volume);
            _pendingOpens.Add(new PendingOpens.Entry
            {
                InstructionId = oi.IntentId,
                Intent = new TradeIntent
                {
                    Direction = oi.Direction, Entry = oi.Entry, StopLoss = oi.StopLoss, TakeProfit = oi.TakeProfit,
                    Confidence = oi.Confidence, SetupId = oi.SetupId, MaxHoldingBars = oi.MaxBars,
                },
                Volume = oi.Volume,
                RiskMoney = risk,
                Reservation = AdoptIntoBook(0, oi.Direction, oi.Volume, risk),
                Ambiguous = true,
                CreatedMsc = oi.Time,
            });
        }
    }

    /// <summary>
    /// Takes a position (or an entry that may have filled) that exists at the broker into the account book: the
    /// reservation a detached chart left for the same ticket is taken over, never counted twice. Adoption is recorded
    /// even above the account limits (the position exists), and then said: journaled and shown as an error event.
    /// </summary>
    private Reservation AdoptIntoBook(long ticket, Direction direction, double volume, double risk)
    {
        var reservation = _book.Adopt(_symbolId, _ownerId, ticket, direction, volume, risk, _rawSpec.NotionalPerLot * volume, _account.Equity, out var overLimit);
        if (overLimit != Risk.Gate.DenyReason.None)
        {
            var reason = CodeNames.Of(AbiCodes.EvtDenied, (int)overLimit);
            _lastError = $"position {ticket} adopted from the broker puts the account over its {reason}: no new entries until exposure is back within the limits.";
            JournalAppend(JournalEvent.Reconciliation(_nowMsc, _config.Magic, _symbol, ReconcileActionKind.AdoptedUnknownPosition, 0, ticket,
                "adopted position exceeds the account limit " + reason));
            EmitError(AbiCodes.EvtError, (int)overLimit, ticket);
        }

        return reservation;
    }

    /// <summary>
    /// After a complete snapshot: reservations that a detached predecessor of this chart left for positions that are no
    /// longer open (closed while no chart watched them) are released.
    /// </summary>
    private void ReleasePositionsLeftClosed()
    {
        var held = new HashSet<long>();
        for (var i = 0; i < _positions.Count; i++)
        {
            held.Add(_positions[i].Ticket);
        }

        _book.ReleaseOwnerPositionsExcept(_ownerId, held);
    }

    /// <summary>
    /// Positions closed by reconciliation with an unknown result: when their closing deal is reported afterwards
    /// (OnTradeTransaction after a timeout, or history forwarded after a reconnect) its P&amp;L is still booked.
    /// </summary>
    private readonly (long Ticket, int SetupId, double Commission, double RealizedSoFar)[] _reconciledCloses = new (long, int, double, double)[16];
    private int _reconciledNext;

    private void RememberReconciledClose(in OpenPosition p, int setupId)
    {
        _reconciledCloses[_reconciledNext] = (p.Ticket, setupId, p.Commission, p.RealizedSoFar);
        _reconciledNext = (_reconciledNext + 1) % _reconciledCloses.Length;
    }

    /// <summary>Books the late closing deal of a position closed by reconciliation; false when the ticket is not one.</summary>
    private bool TryBookLateClose(in KimiDeal deal)
    {
        for (var i = 0; i < _reconciledCloses.Length; i++)
        {
            ref var p = ref _reconciledCloses[i];
            if (p.Ticket == 0 || p.Ticket != deal.PositionTicket)
            {
                continue;
            }

            var net = deal.Profit + deal.Commission + deal.Swap;
            // As ClosePosition books a close: the entry commission the position paid goes with its last deal, so the
            // journal's trade, the realised P&L and the setup statistics agree.
            _realizedPnl += net + p.Commission;
            _stats.RecordClosedTrade(_symbol, p.SetupId, p.RealizedSoFar + p.Commission + net);
            JournalAppend(JournalEvent.Close(_nowMsc, _config.Magic, _symbol, p.Ticket, deal.DealTicket, deal.Price, deal.Volume, net + p.Commission, ExitReason.Reconciled,
                "closing deal reported after reconciliation"));
            p = default;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The vertical barrier counts the closed bars a position has been open. A position taken over at a restart (from
    /// the journal or the broker) was open while bars closed that no engine counted — the warm-up bars after its
    /// entry, the time the terminal was down: they are counted by time, one per bar period between the entry and the
    /// last closed bar (the measure <see cref="ExpireByTime"/> already uses), so a restart never extends a holding
    /// period. Positions this agent aged itself are unchanged (the count can only grow).
    /// </summary>
    private void CountMissedBars()
    {
        if (_lastBarTime == long.MinValue)
        {
            return;
        }

        var barMs = _config.TimeframeSeconds * 1000;
        var lastClose = (_lastBarTime * 1000) + barMs;
        for (var i = 0; i < _positions.Count; i++)
        {
            ref var p = ref _positions[i];
            if (p.OpenTimeMsc < lastClose)
            {
                var missed = (int)Math.Min(int.MaxValue, (lastClose - p.OpenTimeMsc + barMs - 1) / barMs);
                if (missed > p.BarsHeld)
                {
                    p.BarsHeld = missed;
                }
            }
        }
    }

    /// <summary>
    /// Journals the breaker's state when a new trading day began without a state change (the reference equity is the
    /// new day's start). Transitions alone would leave the journal with an older day's state, and a restart later that
    /// day would take the equity at the restart as the day's start: the daily limit would count from a lower point.
    /// </summary>
    private void JournalTradingDay()
    {
        var state = _book.BreakerState;
        if (state.TradingDay == _breakerDayJournaled)
        {
            return;
        }

        _breakerDayJournaled = state.TradingDay;
        JournalAppend(JournalEvent.BreakerRecord(_nowMsc, AccountHub.BreakerCode(state.Status), BreakerStateCodec.Columns(state), "new trading day"));
    }

    /// <summary>
    /// True for a deal the journal already accounts for. After a restart the terminal forwards the broker's deal
    /// history (fills and closes a crash kept from the journal reach the engine that way); the deals the journal
    /// holds come back with it and must change nothing: a close whose deal ticket is journaled, or a fill of a
    /// position the journal has closed (it would otherwise be taken for a new position, or for the fill of a
    /// pending entry).
    /// </summary>
    private bool IsJournaledDeal(in KimiDeal deal) =>
        _ledger.KnowsDeal(deal.DealTicket)
        || (deal.Entry == AbiCodes.DealEntryIn && _ledger.WasClosed(deal.PositionTicket) && _positions.IndexOf(deal.PositionTicket) < 0);

    /// <summary>The pip of this symbol (10 points on 3/5-digit quotes), for the journal's pips column.</summary>
    private double PipSize => _spec.Digits is 3 or 5 ? _spec.Point * 10 : _spec.Point;
}
