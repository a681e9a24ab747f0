using System.Globalization;
using KimiEA.Core.Time;

namespace KimiEA.Smc.Time;

/// <summary>Daylight-saving regimes computed in code (deterministic, no time-zone database needed).</summary>
public enum DstRegime
{
    /// <summary>No daylight saving: the offset is constant.</summary>
    None = 0,

    /// <summary>European Union (since 1996): +1 h from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.</summary>
    EuropeanUnion = 1,

    /// <summary>
    /// United States: +1 h from the second Sunday of March 02:00 local standard time to the first Sunday of November
    /// 02:00 local daylight time (since 2007; 1987–2006: first Sunday of April to last Sunday of October).
    /// </summary>
    UnitedStates = 2,

    /// <summary>South-east Australia (Sydney, since 2008): +1 h from the first Sunday of October 02:00 local standard time to the first Sunday of April 03:00 local daylight time.</summary>
    AustraliaSouthEast = 3,
}

/// <summary>
/// A clock: a standard UTC offset plus an optional daylight-saving regime. Used both for the data's clock (a broker's
/// server time, e.g. UTC+2 with US DST switching) and for the local time of an exchange session (Europe/London…).
/// </summary>
/// <param name="Id">Display name (an IANA id such as <c>Europe/London</c> or a fixed offset such as <c>UTC+2</c>).</param>
/// <param name="StandardOffsetSeconds">Offset from UTC outside daylight saving, in seconds (east positive).</param>
/// <param name="Dst">The daylight-saving regime adding one hour in summer.</param>
public readonly record struct TimeZoneRule(string Id, int StandardOffsetSeconds, DstRegime Dst)
{
    private const int Hour = 3600;

    /// <summary>Coordinated Universal Time.</summary>
    public static TimeZoneRule Utc => new("UTC", 0, DstRegime.None);

    /// <summary>Europe/London: GMT, BST in summer.</summary>
    public static TimeZoneRule EuropeLondon => new("Europe/London", 0, DstRegime.EuropeanUnion);

    /// <summary>Europe/Berlin (Frankfurt, Paris, Zurich): CET, CEST in summer.</summary>
    public static TimeZoneRule EuropeBerlin => new("Europe/Berlin", Hour, DstRegime.EuropeanUnion);

    /// <summary>America/New_York: EST, EDT in summer.</summary>
    public static TimeZoneRule AmericaNewYork => new("America/New_York", -5 * Hour, DstRegime.UnitedStates);

    /// <summary>America/Chicago: CST, CDT in summer.</summary>
    public static TimeZoneRule AmericaChicago => new("America/Chicago", -6 * Hour, DstRegime.UnitedStates);

    /// <summary>Asia/Tokyo: JST, UTC+9 all year.</summary>
    public static TimeZoneRule AsiaTokyo => new("Asia/Tokyo", 9 * Hour, DstRegime.None);

    /// <summary>Asia/Hong_Kong: UTC+8 all year.</summary>
    public static TimeZoneRule AsiaHongKong => new("Asia/Hong_Kong", 8 * Hour, DstRegime.None);

    /// <summary>Asia/Singapore: UTC+8 all year.</summary>
    public static TimeZoneRule AsiaSingapore => new("Asia/Singapore", 8 * Hour, DstRegime.None);

    /// <summary>Australia/Sydney: AEST, AEDT in the southern summer.</summary>
    public static TimeZoneRule AustraliaSydney => new("Australia/Sydney", 10 * Hour, DstRegime.AustraliaSouthEast);

    /// <summary>
    /// The usual MT5 broker server clock ("New York close at midnight"): UTC+2 in winter, UTC+3 while the US is on
    /// daylight saving, so the trading day always starts at 17:00 New York time.
    /// </summary>
    public static TimeZoneRule BrokerNewYorkClose => new("UTC+2/US-DST", 2 * Hour, DstRegime.UnitedStates);

    /// <summary>A fixed offset from UTC (no daylight saving).</summary>
    public static TimeZoneRule Fixed(TimeSpan offset)
    {
        var seconds = (int)offset.TotalSeconds;
        if (Math.Abs(seconds) > 14 * Hour)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "A UTC offset must be within ±14 hours.");
        }

        var sign = seconds < 0 ? "-" : "+";
        var abs = Math.Abs(seconds);
        var id = seconds == 0 ? "UTC" : abs % Hour == 0
            ? string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs / Hour}")
            : string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs / Hour}:{abs % Hour / 60:00}");
        return new TimeZoneRule(id, seconds, DstRegime.None);
    }

    /// <summary>
    /// Parses <c>UTC</c>, <c>GMT</c>, <c>UTC+2</c>, <c>UTC-5</c>, <c>UTC+5:30</c>, <c>GMT+2</c> (always the ISO sign:
    /// east of Greenwich is positive, unlike POSIX <c>Etc/GMT+2</c>), one of the named zones of this type
    /// (<c>Europe/London</c>, <c>America/New_York</c>, …) or <c>UTC+2/US-DST</c>.
    /// </summary>
    /// <exception cref="FormatException">The text is not a known zone or offset; the message names it.</exception>
    public static TimeZoneRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        foreach (var named in Named)
        {
            if (string.Equals(named.Id, s, StringComparison.OrdinalIgnoreCase))
            {
                return named;
            }
        }

        var rest = s.StartsWith("UTC", StringComparison.OrdinalIgnoreCase) || s.StartsWith("GMT", StringComparison.OrdinalIgnoreCase) ? s[3..] : null;
        if (rest is not null)
        {
            if (rest.Length == 0)
            {
                return Utc;
            }

            if (rest[0] is '+' or '-')
            {
                var parts = rest[1..].Split(':');
                if (parts.Length <= 2
                    && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
                    && (parts.Length == 1 || (parts[1].Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m0) && m0 < 60))
                    && h <= 14)
                {
                    var m = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
                    var total = (h * Hour) + (m * 60);
                    return Fixed(TimeSpan.FromSeconds(rest[0] == '-' ? -total : total));
                }
            }
        }

        throw new FormatException(
            $"Unknown time zone '{text}': use UTC, UTC+H, UTC-H, UTC+H:MM or one of {string.Join(", ", Named.Select(n => n.Id))}.");
    }

    /// <summary>The named zones <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<TimeZoneRule> Named { get; } =
    [
        Utc, EuropeLondon, EuropeBerlin, AmericaNewYork, AmericaChicago, AsiaTokyo, AsiaHongKong, AsiaSingapore, AustraliaSydney, BrokerNewYorkClose,
    ];

    /// <summary>True when daylight saving is in force at the UTC instant.</summary>
    public bool IsDaylightTime(long utcSeconds)
    {
        switch (Dst)
        {
            case DstRegime.EuropeanUnion:
                {
                    var y = CivilTime.YearOf(utcSeconds);
                    var start = (CivilTime.LastSunday(y, 3) * CivilTime.SecondsPerDay) + Hour;
                    var end = (CivilTime.LastSunday(y, 10) * CivilTime.SecondsPerDay) + Hour;
                    return utcSeconds >= start && utcSeconds < end;
                }

            case DstRegime.UnitedStates:
                {
                    var y = CivilTime.YearOf(utcSeconds + StandardOffsetSeconds);
                    long startDay, endDay;
                    if (y >= 2007)
                    {
                        startDay = CivilTime.NthSunday(y, 3, 2);
                        endDay = CivilTime.NthSunday(y, 11, 1);
                    }
                    else
                    {
                        startDay = CivilTime.NthSunday(y, 4, 1);
                        endDay = CivilTime.LastSunday(y, 10);
                    }

                    // 02:00 local standard time, and 02:00 local daylight time (= 01:00 standard).
                    var start = (startDay * CivilTime.SecondsPerDay) + (2 * Hour) - StandardOffsetSeconds;
                    var end = (endDay * CivilTime.SecondsPerDay) + Hour - StandardOffsetSeconds;
                    return utcSeconds >= start && utcSeconds < end;
                }

            case DstRegime.AustraliaSouthEast:
                {
                    var y = CivilTime.YearOf(utcSeconds + StandardOffsetSeconds);

                    // Ends at 03:00 local daylight (= 02:00 standard) on the first Sunday of April, starts at 02:00 standard on the first Sunday of October.
                    var end = (CivilTime.NthSunday(y, 4, 1) * CivilTime.SecondsPerDay) + (2 * Hour) - StandardOffsetSeconds;
                    var start = (CivilTime.NthSunday(y, 10, 1) * CivilTime.SecondsPerDay) + (2 * Hour) - StandardOffsetSeconds;
                    return utcSeconds < end || utcSeconds >= start;
                }

            default:
                return false;
        }
    }

    /// <summary>Offset from UTC in seconds at a UTC instant.</summary>
    public int OffsetAt(long utcSeconds) => StandardOffsetSeconds + (IsDaylightTime(utcSeconds) ? Hour : 0);

    /// <summary>Converts a UTC instant to this clock's local wall time (seconds since 1970 on the local calendar).</summary>
    public long ToLocal(long utcSeconds) => utcSeconds + OffsetAt(utcSeconds);

    /// <summary>
    /// Converts a local wall time of this clock to UTC. In the repeated autumn hour the daylight reading is taken; a
    /// wall time inside the skipped spring hour is read with the standard offset.
    /// </summary>
    public long ToUtc(long localSeconds)
    {
        var daylight = localSeconds - StandardOffsetSeconds - Hour;
        if (Dst != DstRegime.None && IsDaylightTime(daylight))
        {
            return daylight;
        }

        return localSeconds - StandardOffsetSeconds;
    }

    /// <inheritdoc/>
    public override string ToString() => Id;
}
