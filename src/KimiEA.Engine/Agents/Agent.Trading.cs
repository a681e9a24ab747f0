using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Engine.Account;
using KimiEA.Engine.Events;
using KimiEA.Engine.Validation;
using KimiEA.Journal;
using KimiEA.Risk.Account;
using KimiEA.Risk.Gate;
using KimiEA.Risk.Sizing;

namespace KimiEA.Engine.Agents;

/// <summary>Intents, orders, fills and closes of an agent.</summary>
public sealed partial class Agent
{

    /// <summary>How long an entry may wait on the tick thread for its intent row to become durable.</summary>
    private const int JournalWaitMs = 2_000;

    private readonly long[] _seenDeals = new long[64];
    private int _seenDealsNext;
    private double _formingOpen;
    private double _formingHigh = double.NegativeInfinity;
    private double _formingLow = double.PositiveInfinity;

    // One classification of trade server retcodes for the engine and the journal's fold (OrderRetcodes).
    private static bool IsSuccess(long retcode) => retcode is >= int.MinValue and <= int.MaxValue && OrderRetcodes.IsSuccess((int)retcode);

    private static bool IsAmbiguous(long retcode) => retcode is >= int.MinValue and <= int.MaxValue && OrderRetcodes.IsAmbiguous((int)retcode);

    /// <summary>kimi_report_result: the outcome of one handed-out instruction, accepted exactly once.</summary>
    public int ReportResult(in KimiOrderResult result)
    {
        using (_gate.Hold())
        {
            var problem = AbiInput.Result(result);
            if (problem.IsNone)
            {
                problem = AbiInput.PossibleVolume("result.volume", result.Volume, _rawSpec);
            }

            if (!problem.IsNone)
            {
                return Refuse("kimi_report_result", problem);
            }

            var rc = CheckTime("kimi_report_result", "result.time_msc", result.TimeMsc, mayBeOld: false, zeroIsUnknown: true);
            if (rc != 0)
            {
                return rc;
            }

            if (!_instructions.TryAnswer(result.InstructionId, out var ins, out var previous))
            {
                if (previous == InstructionBook.State.Abandoned)
                {
                    // A CLOSE replaced after a minute without an answer: its late outcome is recorded, the replacement
                    // (or the deal, if this one did close the position) settles the position.
                    Touch(result.TimeMsc);
                    JournalAppend(JournalEvent.OrderResult(_nowMsc, _config.Magic, _symbol, result.InstructionId, (int)result.Retcode, result.PositionTicket, result.Price, result.Volume));
                    return Pending();
                }

                return FailLocked(AbiCodes.EState, previous == InstructionBook.State.Answered && ins.Id != 0
                    ? $"kimi_report_result: the result of instruction {result.InstructionId} was already reported."
                    : previous is InstructionBook.State.Staged or InstructionBook.State.Ready
                        ? $"kimi_report_result: instruction {result.InstructionId} has not been handed out yet."
                        : $"kimi_report_result: instruction {result.InstructionId} is unknown to this agent (or its result was already reported).");
            }

            Touch(result.TimeMsc);
            JournalAppend(JournalEvent.OrderResult(_nowMsc, _config.Magic, _symbol, ins.Id, (int)result.Retcode, result.PositionTicket != 0 ? result.PositionTicket : result.OrderTicket, result.Price, result.Volume));
            Emit(new KimiEvent { Kind = AbiCodes.EvtResult, Code = result.Retcode, Direction = ins.Direction, Ticket = ins.Id, Price = result.Price, Volume = result.Volume });
            switch (ins.Kind)
            {
                case AbiCodes.InstrOpen:
                    OnOpenResult(ins, result);
                    break;
                case AbiCodes.InstrClose:
                    OnCloseResult(ins, result);
                    break;
                case AbiCodes.InstrModify:
                    var m = _positions.IndexOf(ins.PositionTicket);
                    if (m >= 0 && IsSuccess(result.Retcode))
                    {
                        _positions[m].StopLoss = ins.Sl;
                        _positions[m].TakeProfit = ins.Tp;
                    }

                    break;
            }

            return Pending();
        }
    }

    /// <summary>kimi_on_trade_transaction: a deal of this symbol and magic (fills, server-side SL/TP, stop-outs, manual closes).</summary>
    public int OnTradeTransaction(in KimiDeal deal)
    {
        using (_gate.Hold())
        {
            // Every field first: a refused deal must not be marked as seen, book anything or move any clock. Its time
            // may be old (history forwarded at init) and never moves a clock: a deal is a fact of the past.
            var problem = AbiInput.Deal(deal);
            if (!problem.IsNone)
            {
                return Refuse("kimi_on_trade_transaction", problem);
            }

            var rc = CheckTime("kimi_on_trade_transaction", "deal.time_msc", deal.TimeMsc, mayBeOld: true, zeroIsUnknown: false);
            if (rc != 0)
            {
                return rc;
            }

            if (deal.Magic != 0 && deal.Magic != _config.Magic)
            {
                return Pending();
            }

            if (deal.Entry == AbiCodes.DealEntryIn && AbiInput.PossibleVolume("deal.volume", deal.Volume, _rawSpec) is { IsNone: false } impossible
                && _positions.IndexOf(deal.PositionTicket) < 0 && !IsJournaledDeal(deal))
            {
                // Not a position this symbol can hold: never adopted into the risk book (it would block every chart).
                var text = impossible.Describe($"kimi_on_trade_transaction: fill deal {deal.DealTicket} of position {deal.PositionTicket}");
                RecordRefusedBrokerPosition(deal.PositionTicket, text);
                return FailLocked(AbiCodes.EInvalidArgument, text);
            }

            if (SeenDeal(deal.DealTicket))
            {
                return Pending(); // the same deal reported twice: idempotent
            }

            if (deal.Entry == AbiCodes.DealEntryIn)
            {
                OnEntryDeal(deal);
            }
            else
            {
                OnExitDeal(deal);
            }

            return Pending();
        }
    }

    private void OnIntent(in TradeIntent signalIntent)
    {
        // confidence = trade-worthiness at the executable price, after commission, with this agent's closed trades
        var intent = TradeWorthiness.Assess(signalIntent, _lastTick.Bid, _lastTick.Ask, _spec, _config.CommissionPerLot, _stats.Get(_symbol, signalIntent.SetupId));
        _signals++;
        JournalAppend(JournalEvent.Signal(_nowMsc, _config.Magic, _symbol, intent));
        Emit(new KimiEvent
        {
            Kind = AbiCodes.EvtSignal, Code = intent.SetupId, Direction = (long)intent.Direction, Price = intent.Entry,
            Sl = intent.StopLoss, Tp = intent.TakeProfit, Value = intent.Confidence,
        });
        Decide(intent, approvalId: 0);
    }

    /// <summary>
    /// Runs an intent through the engine's own blocks and the pre-trade gate with this chart's policy. A signal's
    /// intent (<paramref name="approvalId"/> 0) in the approval band waits for the trader; an approved one
    /// (<paramref name="approvalId"/> its id) passes the auto-execute threshold and becomes the OPEN with that id.
    /// </summary>
    private void Decide(in TradeIntent intent, long approvalId)
    {
        var approvedByTrader = approvalId != 0;

        var engineBlock = EngineBlock();
        if (engineBlock != 0)
        {
            Deny(intent, engineBlock, approvalId);
            return;
        }

        var market = new MarketSnapshot(_lastTick.Bid, _lastTick.Ask, _signal.Atr, MarketNow());
        var decision = PreTradeGate.Decide(intent, market, _spec, _account, _symbolId, _ownerId, _policy, _book, approvedByTrader);
        switch (decision.Outcome)
        {
            case DecisionOutcome.Denied:
                Deny(intent, (int)decision.Reason, approvalId);
                return;
            case DecisionOutcome.AwaitsApproval:
                AwaitApproval(intent, decision.Volume);
                return;
            case DecisionOutcome.RecordOnly:
                Deny(intent, CodeNames.SimulationOnly, approvalId);
                return;
        }

        var buy = intent.Direction == Direction.Buy;
        var id = approvedByTrader ? approvalId : _instructions.NextId(_nowMsc);
        var ins = new KimiInstruction
        {
            Id = id,
            Kind = AbiCodes.InstrOpen,
            Direction = (long)intent.Direction,
            Magic = _config.Magic,
            DeviationPoints = _config.DeviationPoints,
            CreatedMsc = _nowMsc,
            Volume = decision.Volume,
            Price = buy ? _lastTick.Ask : _lastTick.Bid,
            Sl = _spec.NormalizePrice(intent.StopLoss),
            Tp = _spec.NormalizePrice(intent.TakeProfit),
        };
        var seq = JournalAppend(JournalEvent.Intent(_nowMsc, _config.Magic, _symbol, id, intent, decision.Volume, ConfigMapping.ModeName(_config.Mode)));
        if (_journal is not null && seq == 0)
        {
            // Intent before action: an entry the journal could not record is never handed out.
            _book.Release(decision.Reservation);
            Deny(intent, CodeNames.JournalFailed, id);
            return;
        }

        var pending = new PendingOpens.Entry
        {
            InstructionId = id, Intent = intent, Volume = decision.Volume, RiskMoney = decision.RiskMoney,
            Reservation = decision.Reservation, CreatedMsc = _nowMsc,
        };
        if (_pendingOpens.Add(pending) && _instructions.Add(ins, seq))
        {
            // Intent before action, without making the entry late: wait (bounded) for the writer thread to commit the
            // intent row now, so the instruction is ready when this call returns. Otherwise a fast replay (the Strategy
            // Tester, kimi backtest) would hand it out at a nondeterministic later tick, at a stale price.
            if (_journal is not null && _journal.DurableSequence < seq && !_journal.Flush(JournalWaitMs))
            {
                _lastError = $"the journal did not commit intent {id} within {JournalWaitMs} ms; the entry waits until it does (journal: {_journal.FailureReason ?? "slow disk"}).";
            }
        }
        else
        {
            var pi = _pendingOpens.IndexOf(id);
            if (pi >= 0)
            {
                _pendingOpens.RemoveAt(pi);
            }

            _book.Release(decision.Reservation);
            Deny(intent, CodeNames.InstructionBookFull, id);
        }
    }

    private void Deny(in TradeIntent intent, int code, long intentId = 0)
    {
        _denials++;
        JournalAppend(JournalEvent.Denial(_nowMsc, _config.Magic, _symbol, intentId, CodeNames.Of(AbiCodes.EvtDenied, code)));
        Emit(new KimiEvent
        {
            Kind = AbiCodes.EvtDenied, Code = code, Direction = (long)intent.Direction, Price = intent.Entry,
            Sl = intent.StopLoss, Tp = intent.TakeProfit, Value = intent.Confidence,
        });
    }

    /// <summary>Engine-level reasons to refuse new risk before the risk gate is asked (0 = none).</summary>
    private int EngineBlock()
    {
        if (_journal is { IsFailed: true })
        {
            return CodeNames.JournalFailed;
        }

        if (_haltedByKillSwitch)
        {
            return CodeNames.KillSwitch;
        }

        if (_awaitingSync || _pendingOpens.AnyAmbiguous())
        {
            return CodeNames.AwaitingReconciliation;
        }

        return _instructions.HasUnansweredOpen() ? CodeNames.EntryInFlight : 0;
    }

    private bool NewRiskBlocked() =>
        _book.IsEmergencyStopped || _book.BreakerState.Status != BreakerStatus.Active || EngineBlock() != 0;

    private void OnOpenResult(in KimiInstruction ins, in KimiOrderResult result)
    {
        var pi = _pendingOpens.IndexOf(ins.Id);
        if (IsSuccess(result.Retcode) && result.Volume > 0)
        {
            var ticket = result.PositionTicket != 0 ? result.PositionTicket : result.OrderTicket;
            if (_positions.IndexOf(ticket) >= 0)
            {
                if (pi >= 0)
                {
                    _pendingOpens.RemoveAt(pi); // its fill deal already created the position
                }

                return;
            }

            var pending = pi >= 0 ? _pendingOpens.RemoveAt(pi) : default;
            AddPosition(ticket, ins.Id, (Direction)ins.Direction, result.Volume, result.Price, ins.Sl, ins.Tp,
                result.TimeMsc != 0 ? result.TimeMsc : _nowMsc, pending, 0);
            return;
        }

        if (pi < 0)
        {
            return;
        }

        if (IsAmbiguous(result.Retcode))
        {
            // The order may have executed: keep the reservation, never re-issue, wait for a position snapshot.
            _pendingOpens[pi].Ambiguous = true;
            _awaitingSync = true;
            EmitError(AbiCodes.EvtError, result.Retcode, ins.Id);
            return;
        }

        var rejected = _pendingOpens.RemoveAt(pi);
        _book.Release(rejected.Reservation);
    }

    private void OnCloseResult(in KimiInstruction ins, in KimiOrderResult result)
    {
        var i = _positions.IndexOf(ins.PositionTicket);
        if (i < 0 || IsSuccess(result.Retcode))
        {
            return; // the exit deal settles the position
        }

        if (IsAmbiguous(result.Retcode))
        {
            _awaitingSync = true;
            return;
        }

        // Refused: whatever asked (barrier, breaker flatten, emergency stop) asks again after a bounded back-off.
        ref var p = ref _positions[i];
        p.PendingExit = ExitReason.None;
        p.RefusedCloses++;
        p.NextCloseMsc = _nowMsc + CloseRetryDelayMs(p.RefusedCloses);
    }

    private void OnEntryDeal(in KimiDeal deal)
    {
        if (IsJournaledDeal(deal))
        {
            return; // history repeated after a restart
        }

        var i = _positions.IndexOf(deal.PositionTicket);
        if (i >= 0)
        {
            _positions[i].Commission += deal.Commission;
            return;
        }

        var direction = deal.Type == AbiCodes.DealTypeBuy ? Direction.Buy : Direction.Sell;
        var pi = FindPendingOpen(0, direction);
        if (pi >= 0)
        {
            var pending = _pendingOpens.RemoveAt(pi);
            AddPosition(deal.PositionTicket, pending.InstructionId, direction, deal.Volume, deal.Price,
                _spec.NormalizePrice(pending.Intent.StopLoss), _spec.NormalizePrice(pending.Intent.TakeProfit), deal.TimeMsc, pending, deal.Commission);
            return;
        }

        AdoptUnknown(deal.PositionTicket, direction, deal.Volume, deal.Price, 0, 0, deal.TimeMsc, deal.Commission);
    }

    private void OnExitDeal(in KimiDeal deal)
    {
        if (IsJournaledDeal(deal))
        {
            return; // history repeated after a restart
        }

        var i = _positions.IndexOf(deal.PositionTicket);
        if (i < 0)
        {
            TryBookLateClose(deal); // a position already closed by reconciliation: book its real result
            _book.ReleasePosition(_symbolId, deal.PositionTicket); // or one a detached chart left: it no longer counts
            return;
        }

        ref var p = ref _positions[i];
        var reason = deal.Reason switch
        {
            AbiCodes.DealReasonSl => ExitReason.StopLoss,
            AbiCodes.DealReasonTp => ExitReason.TakeProfit,
            AbiCodes.DealReasonExpert => p.PendingExit != ExitReason.None ? p.PendingExit : ExitReason.Manual,
            _ => ExitReason.Manual,
        };
        if (reason is ExitReason.StopLoss or ExitReason.TakeProfit && BothBarriersInsideFormingBar(p, deal.Price))
        {
            _ambiguousExits++;
        }

        var net = deal.Profit + deal.Commission + deal.Swap;
        if (deal.Volume < p.Volume - 1e-9)
        {
            p.Volume -= deal.Volume;
            p.RealizedSoFar += net;
            JournalAppend(JournalEvent.Close(_nowMsc, _config.Magic, _symbol, p.Ticket, deal.DealTicket, deal.Price, deal.Volume, net, reason));
            Emit(new KimiEvent { Kind = AbiCodes.EvtClose, Code = (long)reason, Direction = (long)p.Direction, Ticket = p.Ticket, Price = deal.Price, Volume = deal.Volume, Value = net });
            return;
        }

        ClosePosition(i, reason, deal.Price, deal.Volume, net, deal.DealTicket);
    }

    private void ClosePosition(int index, ExitReason reason, double price, double volume, double netOfThisDeal, long dealTicket)
    {
        var p = _positions.RemoveAt(index);
        _book.Release(p.Reservation);
        var tradeNet = p.RealizedSoFar + p.Commission + netOfThisDeal;
        _realizedPnl += p.Commission + netOfThisDeal;
        _tradesClosed++;
        if (reason != ExitReason.Reconciled)
        {
            _stats.RecordClosedTrade(_symbol, p.SetupId, tradeNet);
        }

        JournalAppend(JournalEvent.Close(_nowMsc, _config.Magic, _symbol, p.Ticket, dealTicket, price, volume, netOfThisDeal + p.Commission, reason));
        Emit(new KimiEvent { Kind = AbiCodes.EvtClose, Code = (long)reason, Direction = (long)p.Direction, Ticket = p.Ticket, Price = price, Volume = volume, Sl = p.StopLoss, Tp = p.TakeProfit, Value = tradeNet });
    }

    private void AddPosition(long ticket, long instructionId, Direction direction, double volume, double price, double sl, double tp, long timeMsc, in PendingOpens.Entry pending, double commission)
    {
        var maxBars = pending.Intent.MaxHoldingBars > 0 ? pending.Intent.MaxHoldingBars : (int)_config.MaxHoldingBars;
        var p = new OpenPosition
        {
            Ticket = ticket,
            InstructionId = instructionId,
            Direction = direction,
            Volume = volume,
            EntryPrice = price,
            StopLoss = sl,
            TakeProfit = tp,
            OpenTimeMsc = timeMsc,
            MaxBars = maxBars,
            RiskMoney = pending.RiskMoney,
            SetupId = pending.Intent.SetupId,
            Confidence = pending.Intent.Confidence,
            Reservation = pending.Reservation,
            Commission = commission,
        };
        if (!_positions.Add(p))
        {
            EmitError(AbiCodes.EvtError, 0, ticket);
            return;
        }

        _book.BindTicket(p.Reservation, ticket); // from now on the reservation stands for this broker position
        JournalAppend(JournalEvent.Fill(_nowMsc, _config.Magic, _symbol, instructionId, ticket, 0, direction, price, volume, sl, tp, PipSize, ConfigMapping.ModeName(_config.Mode), maxBars));
        Emit(new KimiEvent { Kind = AbiCodes.EvtFill, Code = pending.Intent.SetupId, Direction = (long)direction, Ticket = ticket, Price = price, Volume = volume, Sl = sl, Tp = tp, Value = pending.Intent.Confidence });
    }

    private void AdoptUnknown(long ticket, Direction direction, double volume, double price, double sl, double tp, long timeMsc, double commission)
    {
        var risk = sl > 0 ? _spec.LossFor(price - sl, volume) : 0;
        var reservation = AdoptIntoBook(ticket, direction, volume, risk);
        var p = new OpenPosition
        {
            Ticket = ticket, Direction = direction, Volume = volume, EntryPrice = price, StopLoss = sl, TakeProfit = tp,
            OpenTimeMsc = timeMsc, MaxBars = (int)_config.MaxHoldingBars, RiskMoney = risk, Reservation = reservation, Commission = commission,
        };
        if (!_positions.Add(p))
        {
            _book.Release(reservation);
            EmitError(AbiCodes.EvtError, 0, ticket);
            return;
        }

        JournalAppend(JournalEvent.Fill(timeMsc, _config.Magic, _symbol, 0, ticket, 0, direction, price, volume, sl, tp, PipSize, ConfigMapping.ModeName(_config.Mode), p.MaxBars));
        JournalAppend(JournalEvent.Reconciliation(_nowMsc, _config.Magic, _symbol, ReconcileActionKind.AdoptedUnknownPosition, 0, ticket, "position unknown to the journal adopted (broker wins)"));
        Emit(new KimiEvent { Kind = AbiCodes.EvtReconciled, Code = (long)ReconcileActionKind.AdoptedUnknownPosition, Direction = (long)direction, Ticket = ticket, Price = price, Volume = volume, Sl = sl, Tp = tp });
    }

    /// <summary>Index of a pending OPEN that a broker position can belong to (by instruction id, else by direction).</summary>
    private int FindPendingOpen(long instructionId, Direction direction)
    {
        if (instructionId != 0)
        {
            var byId = _pendingOpens.IndexOf(instructionId);
            if (byId >= 0)
            {
                return byId;
            }
        }

        for (var i = 0; i < _pendingOpens.Count; i++)
        {
            if (_pendingOpens[i].Intent.Direction == direction)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The time line: breaker (account equity on every tick of every agent), emergency stop, kill switch and journal
    /// health. Called from ticks, bars and timer events.
    /// </summary>
    private void Advance(long nowMsc)
    {
        Touch(nowMsc);
        if (_lastTick.Bid > 0)
        {
            if (double.IsInfinity(_formingHigh))
            {
                _formingOpen = _lastTick.Bid;
            }

            if (_lastTick.Bid > _formingHigh)
            {
                _formingHigh = _lastTick.Bid;
            }

            if (_lastTick.Bid < _formingLow)
            {
                _formingLow = _lastTick.Bid;
            }
        }

        // The breaker's trading day follows the account's market time only (MarketClock), never this agent's own
        // time: a chart's odd timer, result or deal time cannot roll the account's day.
        var market = _hub.Clock.Now;
        BreakerStatus status;
        long tradingDay;
        if (market != MarketClock.Unknown)
        {
            status = _book.OnEquity(_account.Equity, market, out tradingDay);
        }
        else
        {
            status = _lastBreaker;
            tradingDay = _breakerDayJournaled;
        }

        if (status != _lastBreaker)
        {
            _lastBreaker = status;
            var state = _book.BreakerState;
            _breakerDayJournaled = state.TradingDay;
            JournalAppend(JournalEvent.BreakerTransition(_nowMsc, AccountHub.BreakerCode(status), BreakerStateCodec.Encode(state), state.ReferenceEquity, status.ToString()));
            Emit(new KimiEvent { Kind = AbiCodes.EvtBreaker, Code = AccountHub.BreakerCode(status), Value = _account.Equity, Price = state.ReferenceEquity });
            if (status != BreakerStatus.Active)
            {
                WithdrawUnsentOpens(CodeNames.Of(AbiCodes.EvtDenied, (int)DenyReason.BreakerTripped));
            }
        }
        else if (tradingDay != _breakerDayJournaled)
        {
            JournalTradingDay();
        }

        var generation = _hub.EmergencyGeneration;
        if (generation != _seenEmergencyGeneration && _book.IsEmergencyStopped)
        {
            _seenEmergencyGeneration = generation;
            JournalAppend(JournalEvent.EmergencyStop(_nowMsc, _hub.EmergencyReason));
            Emit(new KimiEvent { Kind = AbiCodes.EvtHalt, Code = 2 });
            WithdrawUnsentOpens("emergency stop");
        }

        // Flatten until flat: while the emergency stop is engaged (or the breaker flattens), every position this agent
        // owns — including ones adopted after the stop — gets a CLOSE, again after each refusal.
        if (_positions.Count > 0)
        {
            if (_book.IsEmergencyStopped)
            {
                CloseAll(ExitReason.Emergency);
            }
            else if (_book.FlattensAt(status))
            {
                CloseAll(ExitReason.Breaker);
            }
        }

        if (_journal is not null)
        {
            var halt = _journal.HaltRequested;
            if (halt != _haltedByKillSwitch)
            {
                _haltedByKillSwitch = halt;
                Emit(new KimiEvent { Kind = AbiCodes.EvtHalt, Code = halt ? 1 : 0 });
                if (halt)
                {
                    WithdrawUnsentOpens("kill switch (kimi halt)");
                }
            }

            if (_journal.IsFailed && !_journalFailureReported)
            {
                _journalFailureReported = true;
                _lastError = "journal failed: " + _journal.FailureReason + " — no new trades until the journal works again.";
                EmitError(AbiCodes.EvtError, CodeNames.JournalFailed, 0);
                WithdrawUnsentOpens("journal failure");
            }
        }
    }

    private void Touch(long nowMsc)
    {
        if (nowMsc > _nowMsc)
        {
            _nowMsc = nowMsc;
        }
    }

    private void WithdrawUnsentOpens(string why)
    {
        for (var i = _pendingOpens.Count - 1; i >= 0; i--)
        {
            ref var pending = ref _pendingOpens[i];
            if (_instructions.TryCancel(pending.InstructionId))
            {
                var withdrawn = _pendingOpens.RemoveAt(i);
                _book.Release(withdrawn.Reservation);
                _denials++;
                JournalAppend(JournalEvent.Denial(_nowMsc, _config.Magic, _symbol, withdrawn.InstructionId, why));
            }
        }
    }

    private void CloseAll(ExitReason reason)
    {
        for (var i = 0; i < _positions.Count; i++)
        {
            StageClose(i, reason);
        }
    }

    /// <summary>
    /// Stages a CLOSE for position <paramref name="index"/> unless one is already on its way, or the broker refused the
    /// last one less than the back-off ago. A CLOSE handed out that was never answered for
    /// <see cref="UnansweredCloseMs"/> is given up and replaced (its late result changes nothing).
    /// </summary>
    private void StageClose(int index, ExitReason reason)
    {
        ref var p = ref _positions[index];
        if (p.PendingExit != ExitReason.None || _nowMsc < p.NextCloseMsc)
        {
            if (p.PendingExit == ExitReason.None || !_instructions.AbandonUnansweredClose(p.Ticket, _nowMsc - UnansweredCloseMs))
            {
                return;
            }

            p.PendingExit = ExitReason.None;
        }

        if (_instructions.HasOpenCloseFor(p.Ticket))
        {
            return;
        }

        p.PendingExit = reason;
        var ins = new KimiInstruction
        {
            Id = _instructions.NextId(_nowMsc),
            Kind = AbiCodes.InstrClose,
            Direction = p.Direction == Direction.Buy ? AbiCodes.Sell : AbiCodes.Buy,
            PositionTicket = p.Ticket,
            Magic = _config.Magic,
            DeviationPoints = _config.DeviationPoints,
            Reason = (long)reason,
            CreatedMsc = _nowMsc,
            Volume = p.Volume,
            Price = p.Direction == Direction.Buy ? _lastTick.Bid : _lastTick.Ask,
        };
        if (!_instructions.Add(ins, 0))
        {
            p.PendingExit = ExitReason.None;
            EmitError(AbiCodes.EvtError, CodeNames.InstructionBookFull, p.Ticket);
        }
    }

    /// <summary>Vertical barrier, counted in closed bars of the chart timeframe.</summary>
    private void AgeOpenPositions(long barOpenTime)
    {
        for (var i = 0; i < _positions.Count; i++)
        {
            ref var p = ref _positions[i];
            if (barOpenTime * 1000 + _config.TimeframeSeconds * 1000 <= p.OpenTimeMsc)
            {
                continue; // the bar closed before the position existed
            }

            p.BarsHeld++;
            if (BarrierStep.VerticalReached(p.BarsHeld, p.MaxBars))
            {
                StageClose(i, ExitReason.Timeout);
            }
        }

        _formingHigh = double.NegativeInfinity;
        _formingLow = double.PositiveInfinity;
    }

    /// <summary>Vertical barrier by time, for when bars stop arriving (one bar of grace over the bar count).</summary>
    private void ExpireByTime()
    {
        var barMs = _config.TimeframeSeconds * 1000;
        for (var i = 0; i < _positions.Count; i++)
        {
            ref var p = ref _positions[i];
            if (p.MaxBars > 0 && _nowMsc - p.OpenTimeMsc >= (p.MaxBars + 1) * barMs)
            {
                StageClose(i, ExitReason.Timeout);
            }
        }
    }

    /// <summary>
    /// The live analogue of the backtester's same-bar rule: a server-side SL/TP exit is counted as ambiguous when the
    /// forming bar — the bids since the last closed bar, and the exit itself — resolved by <see cref="BarrierStep.OnBar"/>
    /// would have needed the same-bar rule (the broker, not a rule, decided the order).
    /// </summary>
    private bool BothBarriersInsideFormingBar(in OpenPosition p, double exitPrice)
    {
        if (double.IsInfinity(_formingHigh))
        {
            return false;
        }

        var spread = _lastTick.Ask - _lastTick.Bid;
        var exitBid = p.Direction == Direction.Sell ? exitPrice - spread : exitPrice;
        var bar = new Bar(0, _formingOpen, Math.Max(_formingHigh, exitBid), Math.Min(_formingLow, exitBid), exitBid, 0);
        var barriers = new PositionBarriers(p.Direction, p.StopLoss, p.TakeProfit, 0);
        // Whether a bar is ambiguous does not depend on the rule; the rule only picks the exit.
        return BarrierStep.OnBar(barriers, 0, bar, spread, SameBarRule.StopFirst).Ambiguous;
    }

    private bool SeenDeal(long dealTicket)
    {
        if (dealTicket == 0)
        {
            return false;
        }

        foreach (var d in _seenDeals)
        {
            if (d == dealTicket)
            {
                return true;
            }
        }

        _seenDeals[_seenDealsNext] = dealTicket;
        _seenDealsNext = (_seenDealsNext + 1) % _seenDeals.Length;
        return false;
    }

    private void EmitError(int kind, long code, long ticket) =>
        Emit(new KimiEvent { Kind = kind, Code = code, Ticket = ticket });

    private void Emit(KimiEvent e)
    {
        e.TimeMsc = _nowMsc;
        _events.Push(e);
        _log.Push(e);
    }

    /// <summary>
    /// Records an event: folded into the in-memory ledger (reconciliation works the same with or without a journal
    /// file) and queued to the journal's writer. Returns the journal sequence (0 without a journal or when it failed).
    /// </summary>
    private long JournalAppend(in JournalEvent e)
    {
        _ledger.Apply(e);
        return _journal?.Append(e) ?? 0;
    }
}
