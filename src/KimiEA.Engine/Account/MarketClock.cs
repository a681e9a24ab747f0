using KimiEA.Core.Threading;

namespace KimiEA.Engine.Account;

/// <summary>What <see cref="MarketClock.Observe"/> made of a market time.</summary>
public enum MarketTimeOutcome
{
    /// <summary>Plausible: the account's market time is now at least this time (it never moves back).</summary>
    Accepted = 0,
    /// <summary>The first market time of the account: the clock starts here.</summary>
    Established = 1,
    /// <summary>
    /// A gap ahead (more than the step since the latest market time): plausible after a weekend, a holiday or a
    /// reconnect, but one call alone does not move the clock. It moves when a second market time confirms the gap.
    /// </summary>
    Unconfirmed = 2,
    /// <summary>Implausible: outside the absolute window or too far behind the account's market time. Refused.</summary>
    Refused = 3,
}

/// <summary>Why a time was found implausible (<see cref="MarketClock"/>).</summary>
public enum TimeProblem
{
    /// <summary>Plausible.</summary>
    None = 0,
    /// <summary>Before <see cref="MarketClock.EarliestMs"/> (also catches seconds passed as milliseconds).</summary>
    BeforeEarliest,
    /// <summary>At or after <see cref="MarketClock.LatestMs"/> (also catches microseconds passed as milliseconds).</summary>
    AfterLatest,
    /// <summary>More than <see cref="MarketClock.MaxLagMs"/> behind the account's market time.</summary>
    TooFarBehind,
    /// <summary>More than <see cref="MarketClock.MaxLeadMs"/> ahead of the account's market time.</summary>
    TooFarAhead,
}

/// <summary>
/// The account's clock: the one notion of "now" behind the daily drawdown breaker's trading day and the order rate
/// limiter, shared by every agent (chart) of the process (one process = one trading account), and the reference
/// against which every time entering the library is judged. The rules are written for the trader in kimiea.h
/// ("TIME"); in short:
/// <list type="bullet">
/// <item>Only MARKET time moves it: tick times, and the close times of closed bars. Timers, order results, deals and
/// position snapshots are checked against it but never move it, so one chart's odd timer cannot roll the account's
/// trading day or fill its rate window.</item>
/// <item>A market time within <see cref="GapMs"/> (or the chart's bar period) ahead moves it at once; a larger jump
/// (weekend, holiday, reconnect — or a glitch) moves it only when a second market time, from any chart, lands within
/// the step of the first. One implausible tick therefore never resets the breaker.</item>
/// <item>A market time more than <see cref="MaxLagMs"/> behind it is refused (charts' ticks interleave slightly out
/// of order; older ones are a unit or feed error). Deals and positions may be old (history forwarded at init).</item>
/// <item>No time at all is accepted outside [<see cref="EarliestMs"/>, <see cref="LatestMs"/>), and no non-market
/// time more than <see cref="MaxLeadMs"/> ahead of it.</item>
/// <item>It is forgotten when the last agent detaches (the breaker's state is not): the next chart starts it again.</item>
/// </list>
/// Thread-safe; the common case (a tick a little after the latest one) is one volatile read and one compare-exchange.
/// </summary>
public sealed class MarketClock
{
    /// <summary>The clock before any market time (no tick or bar yet).</summary>
    public const long Unknown = long.MinValue;

    /// <summary>1971-01-01 00:00 server time: no market time before it is accepted (seconds passed as ms land in January 1970).</summary>
    public const long EarliestMs = 31_536_000_000;

    /// <summary>2100-01-01 00:00 server time: no time at or after it is accepted.</summary>
    public const long LatestMs = 4_102_444_800_000;

    /// <summary>10 minutes: how far a tick, a bar close, a timer, a result or a snapshot time may lag the account's market time.</summary>
    public const long MaxLagMs = 600_000;

    /// <summary>
    /// 14 days: how far a timer, result, deal or position time may lead the account's market time. The server clock runs
    /// on over weekends and holidays without ticks, and a backtest's first timer after a hole in its data (the shipped
    /// EURUSD H1 sample has a 6.3-day one) leads the market by the hole. These times never move the account's clock.
    /// </summary>
    public const long MaxLeadMs = 14 * 86_400_000L;

    /// <summary>15 minutes: a market time further ahead than this (or than the chart's bar period) is a gap that needs confirmation.</summary>
    public const long GapMs = 900_000;

    private readonly SpinGate _gate = new();
    private long _latest = Unknown;
    private long _candidate = Unknown;

    /// <summary>The account's market time (server ms), or <see cref="Unknown"/> before the first tick or bar.</summary>
    public long Now => Volatile.Read(ref _latest);

    /// <summary>
    /// Offers a market time (a tick, or a closed bar's close time) to the clock. <paramref name="stepMs"/> is how far
    /// ahead of the latest market time it may be without confirmation (<see cref="GapMs"/> for ticks, at least the
    /// bar period for bars). Returns the outcome; <paramref name="now"/> is the account's market time afterwards.
    /// </summary>
    public MarketTimeOutcome Observe(long timeMs, long stepMs, out long now)
    {
        if (Absolute(timeMs) != TimeProblem.None)
        {
            now = Volatile.Read(ref _latest);
            return MarketTimeOutcome.Refused;
        }

        var latest = Volatile.Read(ref _latest);
        while (latest != Unknown && timeMs >= latest - MaxLagMs && timeMs - latest <= stepMs)
        {
            if (timeMs <= latest)
            {
                now = latest;
                return MarketTimeOutcome.Accepted;
            }

            var seen = Interlocked.CompareExchange(ref _latest, timeMs, latest);
            if (seen == latest)
            {
                now = timeMs;
                return MarketTimeOutcome.Accepted;
            }

            latest = seen;
        }

        return ObserveSlow(timeMs, stepMs, out now);
    }

    /// <summary>
    /// Checks a time that is not market time (timer, order result, deal, position, snapshot) against the clock without
    /// moving it. <paramref name="mayBeOld"/>: deals and positions may be any age (history); the others may lag the
    /// market by at most <see cref="MaxLagMs"/>.
    /// </summary>
    public TimeProblem Check(long timeMs, bool mayBeOld)
    {
        var problem = Absolute(timeMs);
        if (problem != TimeProblem.None)
        {
            return problem;
        }

        var latest = Volatile.Read(ref _latest);
        if (latest == Unknown)
        {
            return TimeProblem.None;
        }

        if (timeMs - latest > MaxLeadMs)
        {
            return TimeProblem.TooFarAhead;
        }

        return !mayBeOld && timeMs < latest - MaxLagMs ? TimeProblem.TooFarBehind : TimeProblem.None;
    }

    /// <summary>Why a market time was refused by <see cref="Observe"/> (for the error text; not on the hot path).</summary>
    public static TimeProblem ExplainRefusal(long timeMs)
    {
        var problem = Absolute(timeMs);
        return problem != TimeProblem.None ? problem : TimeProblem.TooFarBehind;
    }

    /// <summary>Forgets the clock (the last agent detached): the next market time starts it again.</summary>
    public void Reset()
    {
        using (_gate.Hold())
        {
            Volatile.Write(ref _latest, Unknown);
            _candidate = Unknown;
        }
    }

    /// <summary>The absolute window every time must lie in.</summary>
    public static TimeProblem Absolute(long timeMs) =>
        timeMs < EarliestMs ? TimeProblem.BeforeEarliest : timeMs >= LatestMs ? TimeProblem.AfterLatest : TimeProblem.None;

    private MarketTimeOutcome ObserveSlow(long timeMs, long stepMs, out long now)
    {
        using (_gate.Hold())
        {
            var latest = Volatile.Read(ref _latest);
            if (latest == Unknown)
            {
                Volatile.Write(ref _latest, timeMs);
                _candidate = Unknown;
                now = timeMs;
                return MarketTimeOutcome.Established;
            }

            if (timeMs < latest - MaxLagMs)
            {
                now = latest;
                return MarketTimeOutcome.Refused;
            }

            if (timeMs - latest <= stepMs)
            {
                // A concurrent tick moved the clock meanwhile: this time is within the step now.
                now = Advance(timeMs);
                return MarketTimeOutcome.Accepted;
            }

            // A gap. Confirmed when an earlier gap time lies within the step of this one (either side): two market
            // times agree that the market has moved on.
            var candidate = _candidate;
            if (candidate != Unknown && candidate > latest + Math.Min(stepMs, GapMs) && Math.Abs(timeMs - candidate) <= Math.Max(stepMs, GapMs))
            {
                _candidate = Unknown;
                now = Advance(Math.Min(timeMs, candidate));
                return MarketTimeOutcome.Accepted;
            }

            _candidate = timeMs;
            now = latest;
            return MarketTimeOutcome.Unconfirmed;
        }
    }

    /// <summary>Moves the clock to at least <paramref name="timeMs"/> (under the gate; the lock-free path only moves it forward too).</summary>
    private long Advance(long timeMs)
    {
        var latest = Volatile.Read(ref _latest);
        while (timeMs > latest)
        {
            var seen = Interlocked.CompareExchange(ref _latest, timeMs, latest);
            if (seen == latest)
            {
                return timeMs;
            }

            latest = seen;
        }

        return latest;
    }
}
