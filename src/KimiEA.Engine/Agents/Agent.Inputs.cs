using System.Globalization;
using KimiEA.Core.Abi;
using KimiEA.Engine.Account;
using KimiEA.Engine.Validation;
using KimiEA.Journal;

namespace KimiEA.Engine.Agents;

/// <summary>
/// The agent's side of input sanity: refusing a call (with a text naming the field) before it changes anything, and
/// judging its times against the account's <see cref="MarketClock"/>. Only market time (ticks, closed bars) moves the
/// account's clock, which alone drives the breaker's trading day and the order rate limiter; the agent's own time
/// (<c>_nowMsc</c>: event stamps, instruction times, the vertical barrier by time) also follows plausible timers,
/// results and snapshots, never deals (a deal is a fact of the past, possibly 30 days old).
/// </summary>
public sealed partial class Agent
{
    /// <summary>Refuses the call: the problem's text becomes the last error; returns KIMI_E_INVALID_ARGUMENT.</summary>
    private int Refuse(string export, in FieldProblem problem) => FailLocked(AbiCodes.EInvalidArgument, problem.Describe(export));

    /// <summary>
    /// Checks a time that is not market time. 0 is "unknown" where <paramref name="zeroIsUnknown"/>. Returns 0 when
    /// plausible, else KIMI_E_INVALID_ARGUMENT with the reason as the last error.
    /// </summary>
    private int CheckTime(string export, string field, long timeMs, bool mayBeOld, bool zeroIsUnknown)
    {
        if (timeMs == 0 && zeroIsUnknown)
        {
            return 0;
        }

        var problem = _hub.Clock.Check(timeMs, mayBeOld);
        return problem == TimeProblem.None ? 0 : RefuseTime(export, field, timeMs, problem);
    }

    /// <summary>The refusal of an implausible time, with the account's market time for reference.</summary>
    private int RefuseTime(string export, string field, long timeMs, TimeProblem problem)
    {
        var market = _hub.Clock.Now;
        var inv = CultureInfo.InvariantCulture;
        var why = problem switch
        {
            TimeProblem.BeforeEarliest => "is before 1971-01-01 (seconds passed as milliseconds?)",
            TimeProblem.AfterLatest => "is in or after year 2100 (not a server time; microseconds passed as milliseconds?)",
            TimeProblem.TooFarAhead => string.Create(inv, $"is {(timeMs - market) / 1000} s ahead of the account's market time {market} (at most {MarketClock.MaxLeadMs / 1000} s)"),
            TimeProblem.TooFarBehind => string.Create(inv, $"is {(market - timeMs) / 1000} s behind the account's market time {market} (at most {MarketClock.MaxLagMs / 1000} s)"),
            _ => "is not plausible",
        };
        return FailLocked(AbiCodes.EInvalidArgument, string.Create(inv, $"{export}: {field} = {timeMs} {why}; the call changed nothing."));
    }

    /// <summary>
    /// A fresh account clock (the first market time of the process, or after every chart detached) meets a breaker
    /// state restored from the journal or carried over: a state whose trading day lies after the market's day cannot
    /// be right (an older build journaled a far-future time). It keeps its status but takes the market's day, so it
    /// rolls over at the market's next day instead of never (a tripped breaker stays tripped until then).
    /// </summary>
    private void ClampFutureBreakerDay(long marketNowMs)
    {
        var state = _book.BreakerState;
        if (state.TradingDay == long.MinValue)
        {
            return;
        }

        var day = _book.TradingDayOf(marketNowMs);
        if (state.TradingDay <= day)
        {
            return;
        }

        var clamped = state with { TradingDay = day };
        _book.RestoreBreaker(clamped);
        _breakerDayJournaled = day;
        JournalAppend(JournalEvent.BreakerRecord(_nowMsc, AccountHub.BreakerCode(clamped.Status), BreakerStateCodec.Columns(clamped),
            string.Create(CultureInfo.InvariantCulture, $"journaled trading day {state.TradingDay} is after the market's day {day}: taken as today")));
    }

    /// <summary>
    /// Journals and shows a broker position or fill that cannot exist (refused, not adopted into the risk book), so
    /// the trader sees why the engine does not manage it.
    /// </summary>
    private void RecordRefusedBrokerPosition(long ticket, string why)
    {
        JournalAppend(JournalEvent.Reconciliation(_nowMsc, _config.Magic, _symbol, ReconcileActionKind.RefusedBrokerPosition, 0, ticket, why));
        Emit(new KimiEvent { Kind = AbiCodes.EvtReconciled, Code = (long)ReconcileActionKind.RefusedBrokerPosition, Ticket = ticket });
    }

    /// <summary>The account's market time for the breaker and the rate limiter; the agent's own time before the first market time (scripted tests).</summary>
    private long MarketNow()
    {
        var market = _hub.Clock.Now;
        return market == MarketClock.Unknown ? _nowMsc : market;
    }
}
