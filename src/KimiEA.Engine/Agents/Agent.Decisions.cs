using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Engine.Events;
using KimiEA.Journal;
using KimiEA.Risk.Account;
using KimiEA.Risk.Gate;
using KimiEA.Risk.Sizing;

namespace KimiEA.Engine.Agents;

/// <summary>What an agent does with an intent: its trade-worthiness, the engine's own blocks and the pre-trade gate under the chart's own policy.</summary>
public sealed partial class Agent
{
    private void OnIntent(in TradeIntent signalIntent)
    {
        // confidence = trade-worthiness at the executable price, after commission, with this agent's closed trades
        var intent = TradeWorthiness.Assess(signalIntent, _lastTick.Bid, _lastTick.Ask, _spec, _config.CommissionPerLot, _stats.Get(_symbol, signalIntent.SetupId));
        _signals++;
        JournalAppend(JournalEvent.Signal(_nowMsc, _config.Magic, _symbol, intent));
        Emit(new KimiEvent
        {
            Kind = AbiCodes.EvtSignal, Code = intent.SetupId, Direction = (long)intent.Direction, Price = intent.Entry,
            Sl = intent.StopLoss, Tp = intent.TakeProfit, Value = intent.Confidence, HitProbability = intent.HitProbability,
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
            Sl = intent.StopLoss, Tp = intent.TakeProfit, Value = intent.Confidence, HitProbability = intent.HitProbability,
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
}
