using KimiEA.Core.Time;

namespace KimiEA.Tester.Server.Money;

/// <summary>
/// The instants at which the server day ends (the rollover, when swaps are charged) and which server day each one
/// ends. One injectable rule, so the tester can follow a broker's server-time convention (e.g. New York close) by
/// passing its own functions; the default is 00:00 of the server time, and the tester's server time is UTC.
/// </summary>
public sealed class RolloverSchedule
{
    private readonly Func<long, long> _nextAfter;
    private readonly Func<long, DayOfWeek> _serverDay;

    /// <summary>Creates a schedule from its two rules.</summary>
    /// <param name="nextAfter">The first rollover instant strictly after a time (ms since the epoch); must be later than its argument.</param>
    /// <param name="serverDay">The server-time weekday of an instant (ms).</param>
    /// <param name="description">When the rollover happens, for the report (e.g. "00:00 server time (UTC)").</param>
    public RolloverSchedule(Func<long, long> nextAfter, Func<long, DayOfWeek> serverDay, string description)
    {
        ArgumentNullException.ThrowIfNull(nextAfter);
        ArgumentNullException.ThrowIfNull(serverDay);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        _nextAfter = nextAfter;
        _serverDay = serverDay;
        Description = description;
    }

    /// <summary>Rollover at 00:00 server time, every day; the tester's server time is the data's UTC.</summary>
    public static RolloverSchedule ServerMidnight { get; } = AtServerMidnight(MarketTimeZone.Utc);

    /// <summary>
    /// Rollover at each start of the server day of <paramref name="serverClock"/> (the product's one time-zone type:
    /// <see cref="MarketTimeZone.NewYorkClose"/> rolls over at 17:00 New York, UTC+2/+3 midnight), the weekday being the
    /// server clock's.
    /// </summary>
    public static RolloverSchedule AtServerMidnight(MarketTimeZone serverClock) => new(
        t => serverClock.NextDayStart(CivilTime.FloorDiv(t, 1000)) * 1000,
        t => (DayOfWeek)(int)((((CivilTime.FloorDiv(serverClock.ToLocal(CivilTime.FloorDiv(t, 1000)), 86_400) + 4) % 7) + 7) % 7),
        $"00:00 server time ({serverClock.Name})");

    /// <summary>When the rollover happens, for the report.</summary>
    public string Description { get; }

    /// <summary>The first rollover strictly after <paramref name="timeMsc"/>.</summary>
    /// <exception cref="InvalidOperationException">The injected rule returned a time not after its argument.</exception>
    public long NextAfter(long timeMsc)
    {
        var next = _nextAfter(timeMsc);
        return next > timeMsc ? next : throw new InvalidOperationException($"The rollover rule returned {next} ms, not after {timeMsc} ms.");
    }

    /// <summary>The server day a rollover at <paramref name="rolloverMsc"/> ends (the day of the moment just before it).</summary>
    public DayOfWeek DayEndedBy(long rolloverMsc) => _serverDay(rolloverMsc - 1);

    /// <summary>
    /// How many days of swap the rollover ending <paramref name="day"/> charges, as MT5 does: none for the end of
    /// Saturday and Sunday, three for the end of the triple-swap day (it carries the weekend), one otherwise.
    /// </summary>
    public static int SwapDays(DayOfWeek day, DayOfWeek tripleSwapDay) =>
        day is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0 : day == tripleSwapDay ? 3 : 1;
}
