using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Engine.Validation;
using KimiEA.Journal;

namespace KimiEA.Engine.Agents;

/// <summary>Deals of an agent's symbol and magic: fills that open positions, exits that close them (server-side SL/TP, the engine's closes, manual ones), adoption of positions nobody ordered.</summary>
public sealed partial class Agent
{
    private readonly long[] _seenDeals = new long[64];
    private int _seenDealsNext;
    private double _formingOpen;
    private double _formingHigh = double.NegativeInfinity;
    private double _formingLow = double.PositiveInfinity;

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
        var facts = Facts(p);
        var reason = deal.Reason switch
        {
            AbiCodes.DealReasonSl => ExitReason.StopLoss,
            AbiCodes.DealReasonTp => ExitReason.TakeProfit,
            AbiCodes.DealReasonExpert => p.PendingExit != ExitReason.None ? p.PendingExit : ExitReason.Manual,
            _ => ExitReason.Manual,
        };
        if (reason is ExitReason.StopLoss or ExitReason.TakeProfit && BothBarriersInsideFormingBar(facts, deal.Price))
        {
            _ambiguousExits++;
        }

        var net = deal.Profit + deal.Commission + deal.Swap;
        if (deal.Volume < facts.Volume - 1e-9)
        {
            // a partial close: the ledger takes the volume off when the row is recorded
            p.RealizedSoFar += net;
            JournalAppend(JournalEvent.Close(_nowMsc, _config.Magic, _symbol, p.Ticket, deal.DealTicket, deal.Price, deal.Volume, net, reason));
            Emit(new KimiEvent { Kind = AbiCodes.EvtClose, Code = (long)reason, Direction = (long)facts.Direction, Ticket = p.Ticket, Price = deal.Price, Volume = deal.Volume, Value = net });
            return;
        }

        ClosePosition(i, reason, deal.Price, deal.Volume, net, deal.DealTicket);
    }

    private void ClosePosition(int index, ExitReason reason, double price, double volume, double netOfThisDeal, long dealTicket)
    {
        var facts = Facts(_positions[index]); // read before the close row takes the position out of the ledger
        var p = _positions.RemoveAt(index);
        _book.Release(p.Reservation);
        var tradeNet = p.RealizedSoFar + p.Commission + netOfThisDeal;
        _realizedPnl += p.Commission + netOfThisDeal;
        _tradesClosed++;
        if (reason != ExitReason.Reconciled)
        {
            _stats.RecordClosedTrade(_symbol, facts.SetupId, tradeNet);
        }

        JournalAppend(JournalEvent.Close(_nowMsc, _config.Magic, _symbol, p.Ticket, dealTicket, price, volume, netOfThisDeal + p.Commission, reason));
        Emit(new KimiEvent { Kind = AbiCodes.EvtClose, Code = (long)reason, Direction = (long)facts.Direction, Ticket = p.Ticket, Price = price, Volume = volume, Sl = facts.StopLoss, Tp = facts.TakeProfit, Value = tradeNet });
    }

    private void AddPosition(long ticket, long instructionId, Direction direction, double volume, double price, double sl, double tp, long timeMsc, in PendingOpens.Entry pending, double commission)
    {
        var maxBars = pending.Intent.MaxHoldingBars > 0 ? pending.Intent.MaxHoldingBars : (int)_config.MaxHoldingBars;
        var p = new OpenPosition
        {
            Ticket = ticket,
            OpenTimeMsc = timeMsc,
            RiskMoney = pending.RiskMoney,
            Reservation = pending.Reservation,
            Commission = commission,
        };
        // The fill row puts the position's facts into the ledger; the book holds only the engine's own state of it.
        JournalAppend(JournalEvent.Fill(_nowMsc, _config.Magic, _symbol, instructionId, ticket, 0, direction, price, volume, sl, tp, PipSize, ConfigMapping.ModeName(_config.Mode), maxBars));
        if (!_ledger.TryGetPosition(ticket, out _) || !_positions.Add(p))
        {
            _book.Release(p.Reservation);
            EmitError(AbiCodes.EvtError, 0, ticket);
            return;
        }

        _book.BindTicket(p.Reservation, ticket); // from now on the reservation stands for this broker position
        Emit(new KimiEvent { Kind = AbiCodes.EvtFill, Code = pending.Intent.SetupId, Direction = (long)direction, Ticket = ticket, Price = price, Volume = volume, Sl = sl, Tp = tp, Value = pending.Intent.Confidence });
    }

    private void AdoptUnknown(long ticket, Direction direction, double volume, double price, double sl, double tp, long timeMsc, double commission)
    {
        var risk = sl > 0 ? _spec.LossFor(price - sl, volume) : 0;
        var reservation = AdoptIntoBook(ticket, direction, volume, risk);
        var p = new OpenPosition
        {
            Ticket = ticket, OpenTimeMsc = timeMsc, RiskMoney = risk, Reservation = reservation, Commission = commission,
        };
        JournalAppend(JournalEvent.Fill(timeMsc, _config.Magic, _symbol, 0, ticket, 0, direction, price, volume, sl, tp, PipSize, ConfigMapping.ModeName(_config.Mode), (int)_config.MaxHoldingBars));
        if (!_ledger.TryGetPosition(ticket, out _) || !_positions.Add(p))
        {
            _book.Release(reservation);
            EmitError(AbiCodes.EvtError, 0, ticket);
            return;
        }

        JournalAppend(JournalEvent.Reconciliation(_nowMsc, _config.Magic, _symbol, ReconcileActionKind.AdoptedUnknownPosition, 0, ticket, "position unknown to the journal adopted (broker wins)"));
        Emit(new KimiEvent { Kind = AbiCodes.EvtReconciled, Code = (long)ReconcileActionKind.AdoptedUnknownPosition, Direction = (long)direction, Ticket = ticket, Price = price, Volume = volume, Sl = sl, Tp = tp });
    }

    /// <summary>
    /// The live analogue of the backtester's same-bar rule: a server-side SL/TP exit is counted as ambiguous when the
    /// forming bar — the bids since the last closed bar, and the exit itself — resolved by <see cref="BarrierStep.OnBar"/>
    /// would have needed the same-bar rule (the broker, not a rule, decided the order).
    /// </summary>
    private bool BothBarriersInsideFormingBar(in JournalPosition p, double exitPrice)
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

    /// <summary>
    /// The facts of an open position — direction, volume, entry, stop-loss, take-profit, setup, confidence, bar limit —
    /// as the agent's ledger holds them (the fold of the rows the agent journals): the position book keeps only the
    /// engine's own state, so there is one truth. Every position in the book is in the ledger (a position enters the
    /// book only after its fill row is in the ledger, and leaves it when its close row takes it out or a rebuild from
    /// the ledger no longer finds it). Should that ever not hold, the position reads as empty (no direction, volume 0),
    /// the agent asks for a position snapshot (reconciliation rebuilds the book from the broker) and says so, rather
    /// than acting on facts it does not have.
    /// </summary>
    private JournalPosition Facts(in OpenPosition p)
    {
        if (_ledger.TryGetPosition(p.Ticket, out var jp))
        {
            return jp;
        }

        if (!_awaitingSync)
        {
            _awaitingSync = true;
            _lastError = $"position {p.Ticket} is in the agent's book but not in its ledger: waiting for a position snapshot to reconcile.";
            EmitError(AbiCodes.EvtError, 0, p.Ticket);
        }

        return new JournalPosition(p.Ticket, 0, Direction.None, 0, 0, p.OpenTimeMsc, 0, 0, 0, 0);
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
}
