namespace KimiEA.Smc.Time;

/// <summary>A named, documented difference between our default output and the reference package's.</summary>
/// <param name="Name">Stable name the parity tests refer to.</param>
/// <param name="Function">The reference function concerned.</param>
/// <param name="Reason">Why we differ and what the reference does.</param>
public sealed record PeerDeviation(string Name, string Function, string Reason);

/// <summary>
/// The checked-in list of deviations of the time-based detectors from <c>smartmoneyconcepts</c> 0.0.27. The parity
/// tests fail on any differing fixture row that none of these explains.
/// </summary>
public static class TimePeerDeviations
{
    /// <summary>4h/1D: a bar stamped exactly at its period start is compared with the period before the previous one.</summary>
    public static PeerDeviation PeriodOpenBarTwoBack { get; } = new(
        "PeriodOpenBarTwoBack",
        "previous_high_low",
        "The reference counts bin labels strictly earlier than the bar time, so the bar stamped exactly at a 4h/1D bin start "
        + "does not count its own bin and gets the bin before the previous one (or NaN in the second bin). That bar's own "
        + "period is the new one; the previous period is complete, so we use it.");

    /// <summary>4h/1D: the break run of the reference starts one bar late in periods whose first bar sits at the period start.</summary>
    public static PeerDeviation BreakRunStartsAfterOpenBar { get; } = new(
        "BreakRunStartsAfterOpenBar",
        "previous_high_low",
        "Consequence of PeriodOpenBarTwoBack: the reference's run of bars sharing the previous period as reference starts at "
        + "the second bar, so a break made by the period's open bar is not carried into BrokenHigh/BrokenLow of the later bars.");

    /// <summary>W: the reference always reports the week before last.</summary>
    public static PeerDeviation WeeklyWeekBeforeLast { get; } = new(
        "WeeklyWeekBeforeLast",
        "previous_high_low",
        "Weekly bins are labelled by their end (Sunday), so for a bar in week k the reference sees labels up to week k−1 and "
        + "takes the one before the last: week k−2. We use the last completed week k−1; the Broken flags differ accordingly.");

    /// <summary>sessions: the reference inverts the sign of "UTC+H" time zones.</summary>
    public static PeerDeviation SessionTimeZoneSign { get; } = new(
        "SessionTimeZoneSign",
        "sessions",
        "The reference rewrites 'UTC+2' as 'Etc/GMT+2', which is POSIX notation for UTC−2, so data stamped 10:00 in UTC+2 is "
        + "read as 12:00 UTC instead of 08:00 UTC. We read UTC+H as H hours east of Greenwich (ISO sign).");

    /// <summary>Every deviation of the time-based detectors.</summary>
    public static IReadOnlyList<PeerDeviation> All { get; } = [PeriodOpenBarTwoBack, BreakRunStartsAfterOpenBar, WeeklyWeekBeforeLast, SessionTimeZoneSign];
}
