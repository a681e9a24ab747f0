using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Engine.Account;
using KimiEA.Engine.Events;
using KimiEA.Journal;
using KimiEA.Risk.Account;
using KimiEA.Risk.Gate;

namespace KimiEA.Engine.Agents;

/// <summary>The agent's time line: the account clock's market time, the breaker, the emergency stop, the kill switch and journal health on every tick, bar and timer; events and journal rows.</summary>
public sealed partial class Agent
{
    /// <summary>The reason text of a breaker row, per status value (a constant string: the row allocates nothing).</summary>
    private static readonly string[] BreakerReasons = [.. Enum.GetValues<BreakerStatus>().OrderBy(s => (int)s).Select(s => s.ToString())];

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
            JournalAppend(JournalEvent.BreakerRecord(_nowMsc, AccountHub.BreakerCode(status), BreakerStateCodec.Columns(state), BreakerReasons[(int)status]));
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
