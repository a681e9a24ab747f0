using System.Globalization;

namespace KimiEA.Core.Time;

/// <summary>The daylight-saving rule of a <see cref="MarketTimeZone"/> (an integer, so the zone crosses the C ABI as two ints).</summary>
public enum TimeZoneKind
{
    /// <summary>A fixed offset from UTC, no daylight saving (UTC, <c>+02:00</c>, Asia/Tokyo …).</summary>
    Fixed = 0,

    /// <summary>
    /// United States daylight saving (America/New_York, America/Chicago): one hour more from the second Sunday of March
    /// 02:00 local standard time to the first Sunday of November 02:00 local daylight time (2007 on); 1987–2006 (and
    /// earlier years) from the first Sunday of April to the last Sunday of October.
    /// </summary>
    UsDaylight = 1,

    /// <summary>
    /// The broker "New York close" server clock: the standard offset (UTC+2) while New York is on standard time and
    /// one hour more (UTC+3) while it is on daylight time, switching at New York's own instants, so the server day
    /// always starts at 17:00 New York time (the server clock is New York's plus 7 hours).
    /// </summary>
    NewYorkClose = 2,

    /// <summary>European Union summer time (Europe/London, Europe/Berlin): one hour more from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC (1996 on).</summary>
    EuDaylight = 3,

    /// <summary>South-east Australia (Australia/Sydney, 2008 on): one hour more from the first Sunday of October 02:00 local standard time to the first Sunday of April 03:00 local daylight time.</summary>
    AustraliaDaylight = 4,
}

/// <summary>
/// The one time-zone type of the product: the clock a data file is written in, a broker's server clock, the local
/// time of an exchange session. A small value (a <see cref="TimeZoneKind"/> and a standard offset in seconds) whose
/// daylight-saving rules are computed in code — no tz database, deterministic under NativeAOT and invariant
/// globalization — and whose conversions allocate nothing (they run per bar).
/// </summary>
/// <remarks>
/// <para>Local times are seconds since 1970-01-01 00:00 read on the zone's wall clock ("naive" times, as a CSV writes them).</para>
/// <para>
/// <b>Skipped and repeated local times.</b> When the clocks go forward a stretch of wall time does not exist (New York,
/// 2014-03-09 02:00–02:59); when they go back a stretch happens twice (2014-11-02 01:00–01:59). <see cref="ToUtc"/>
/// reads such a local time with the UTC offset in force just <i>before</i> the change: a skipped time lands the gap's
/// length later (02:30 on 2014-03-09 → 07:30Z, i.e. 03:30 EDT), a repeated time is its first occurrence (01:30 on
/// 2014-11-02 → 05:30Z, EDT). Forex markets are closed at both moments (early Sunday in New York); a data file with
/// rows there gets them in this order, and the readers report any that end up out of order.
/// </para>
/// </remarks>
public readonly struct MarketTimeZone : IEquatable<MarketTimeZone>
{
    private const int Hour = 3600;
    private const int MaxOffset = 14 * Hour;

    private MarketTimeZone(TimeZoneKind kind, int standardOffsetSeconds)
    {
        Kind = kind;
        StandardOffsetSeconds = standardOffsetSeconds;
    }

    /// <summary>The daylight-saving rule.</summary>
    public TimeZoneKind Kind { get; }

    /// <summary>Offset from UTC outside daylight saving, seconds, east positive (for <see cref="TimeZoneKind.NewYorkClose"/>: the offset in New York's winter).</summary>
    public int StandardOffsetSeconds { get; }

    /// <summary>Coordinated Universal Time (the clock of normalized files and of the tester's server).</summary>
    public static MarketTimeZone Utc => default;

    /// <summary>America/New_York: EST (UTC−5), EDT (UTC−4) in summer. HistData's clock.</summary>
    public static MarketTimeZone NewYork => new(TimeZoneKind.UsDaylight, -5 * Hour);

    /// <summary>America/Chicago: CST (UTC−6), CDT (UTC−5) in summer.</summary>
    public static MarketTimeZone Chicago => new(TimeZoneKind.UsDaylight, -6 * Hour);

    /// <summary>The usual MT5 broker server clock: UTC+2 in New York's winter, UTC+3 in its summer; the server day starts at 17:00 New York.</summary>
    public static MarketTimeZone NewYorkClose => new(TimeZoneKind.NewYorkClose, 2 * Hour);

    /// <summary>Europe/London: GMT, BST in summer.</summary>
    public static MarketTimeZone London => new(TimeZoneKind.EuDaylight, 0);

    /// <summary>Europe/Berlin (Frankfurt, Paris, Zurich): CET, CEST in summer.</summary>
    public static MarketTimeZone Berlin => new(TimeZoneKind.EuDaylight, Hour);

    /// <summary>Australia/Sydney: AEST (UTC+10), AEDT (UTC+11) in the southern summer.</summary>
    public static MarketTimeZone Sydney => new(TimeZoneKind.AustraliaDaylight, 10 * Hour);

    /// <summary>Asia/Tokyo: UTC+9 all year.</summary>
    public static MarketTimeZone Tokyo => new(TimeZoneKind.Fixed, 9 * Hour);

    /// <summary>
    /// The names <see cref="Parse"/> accepts besides offsets, with the zone each stands for (Asia/Hong_Kong and
    /// Asia/Singapore are UTC+8 all year).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, MarketTimeZone>> NamedZones { get; } =
    [
        new("UTC", Utc),
        new("ny-close", NewYorkClose),
        new("America/New_York", NewYork),
        new("America/Chicago", Chicago),
        new("Europe/London", London),
        new("Europe/Berlin", Berlin),
        new("Asia/Tokyo", Tokyo),
        new("Asia/Hong_Kong", new MarketTimeZone(TimeZoneKind.Fixed, 8 * Hour)),
        new("Asia/Singapore", new MarketTimeZone(TimeZoneKind.Fixed, 8 * Hour)),
        new("Australia/Sydney", Sydney),
    ];

    /// <summary>A zone from its two numbers (as they cross the C ABI).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown kind, or an offset beyond ±14 h.</exception>
    public static MarketTimeZone Create(TimeZoneKind kind, int standardOffsetSeconds)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown time-zone kind (expected 0 fixed, 1 US daylight saving, 2 New York close, 3 EU summer time, 4 Australian daylight saving).");
        }

        if (standardOffsetSeconds is < -MaxOffset or > MaxOffset)
        {
            throw new ArgumentOutOfRangeException(nameof(standardOffsetSeconds), standardOffsetSeconds, "A UTC offset must be within ±14 hours.");
        }

        return new MarketTimeZone(kind, standardOffsetSeconds);
    }

    /// <summary>A fixed offset from UTC (local = UTC + offset), whole seconds within ±14 h.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is not whole seconds or beyond ±14 h.</exception>
    public static MarketTimeZone Fixed(TimeSpan offset)
    {
        if (offset.Ticks % TimeSpan.TicksPerSecond != 0 || offset.Duration() > TimeSpan.FromHours(14))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "A UTC offset must be whole seconds within ±14 hours.");
        }

        return new MarketTimeZone(TimeZoneKind.Fixed, (int)(offset.Ticks / TimeSpan.TicksPerSecond));
    }

    /// <summary>
    /// A stable name, which <see cref="Parse"/> reads back: <c>UTC</c>, <c>UTC+02:00</c>, <c>ny-close</c>,
    /// <c>America/New_York</c>, <c>America/Chicago</c>, <c>Europe/London</c>, <c>Europe/Berlin</c>,
    /// <c>Australia/Sydney</c>; other combinations as <c>UTC-07:00/US-DST</c>, <c>UTC+03:00/ny-close</c>, <c>UTC+02:00/EU-DST</c>, <c>UTC+09:30/AU-DST</c>.
    /// </summary>
    public string Name => (Kind, StandardOffsetSeconds) switch
    {
        (TimeZoneKind.Fixed, 0) => "UTC",
        (TimeZoneKind.Fixed, _) => OffsetText(StandardOffsetSeconds),
        (TimeZoneKind.NewYorkClose, 2 * Hour) => "ny-close",
        (TimeZoneKind.UsDaylight, -5 * Hour) => "America/New_York",
        (TimeZoneKind.UsDaylight, -6 * Hour) => "America/Chicago",
        (TimeZoneKind.EuDaylight, 0) => "Europe/London",
        (TimeZoneKind.EuDaylight, Hour) => "Europe/Berlin",
        (TimeZoneKind.AustraliaDaylight, 10 * Hour) => "Australia/Sydney",
        _ => OffsetText(StandardOffsetSeconds) + "/" + SuffixOf(Kind),
    };

    /// <summary>
    /// Parses (case-insensitive) <c>UTC</c> (also <c>Z</c>, <c>GMT</c>); a fixed offset <c>+02:00</c>, <c>-5</c>,
    /// <c>UTC+2</c>, <c>UTC-05:00</c>, <c>GMT+5:30</c> (ISO sign: east of Greenwich is positive, unlike POSIX
    /// <c>Etc/GMT+2</c>); <c>ny-close</c> (the broker New York close clock, UTC+2/+3); a name of
    /// <see cref="NamedZones"/>; or a <see cref="Name"/> such as <c>UTC-07:00/US-DST</c>.
    /// </summary>
    /// <exception cref="FormatException">Anything else; the message names the text and what is accepted.</exception>
    public static MarketTimeZone Parse(string text) =>
        TryParse(text, out var zone) ? zone : throw new FormatException(
            $"Unknown time zone '{text}': use UTC, an offset such as +02:00 or UTC-5, ny-close (broker server time, UTC+2 in New York's winter and UTC+3 in its summer), or one of {string.Join(", ", NamedZones.Skip(2).Select(n => n.Key))}.");

    /// <summary>The non-throwing <see cref="Parse"/>.</summary>
    public static bool TryParse(string? text, out MarketTimeZone zone)
    {
        zone = default;
        if (text is null)
        {
            return false;
        }

        var s = text.Trim();
        foreach (var (name, z) in NamedZones)
        {
            if (s.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                zone = z;
                return true;
            }
        }

        if (s.Equals("Z", StringComparison.OrdinalIgnoreCase) || s.Equals("GMT", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var kind = TimeZoneKind.Fixed;
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var suffix = s[(slash + 1)..];
            var found = false;
            foreach (var k in (ReadOnlySpan<TimeZoneKind>)[TimeZoneKind.UsDaylight, TimeZoneKind.NewYorkClose, TimeZoneKind.EuDaylight, TimeZoneKind.AustraliaDaylight])
            {
                if (suffix.Equals(SuffixOf(k), StringComparison.OrdinalIgnoreCase))
                {
                    kind = k;
                    found = true;
                }
            }

            if (!found)
            {
                return false;
            }

            s = s[..slash];
        }

        if (!TryParseOffset(s, out var seconds))
        {
            return false;
        }

        zone = new MarketTimeZone(kind, seconds);
        return true;
    }

    /// <summary>True when daylight saving (one hour more than the standard offset) is in force at a UTC instant.</summary>
    public bool IsDaylightTime(long utcSeconds) => Kind switch
    {
        TimeZoneKind.UsDaylight => DaylightRules.Us(utcSeconds + StandardOffsetSeconds),
        TimeZoneKind.NewYorkClose => DaylightRules.Us(utcSeconds - (5 * Hour)),
        TimeZoneKind.EuDaylight => DaylightRules.Eu(utcSeconds),
        TimeZoneKind.AustraliaDaylight => DaylightRules.Australia(utcSeconds + StandardOffsetSeconds),
        _ => false,
    };

    /// <summary>Offset from UTC at a UTC instant, seconds (local = UTC + offset).</summary>
    public int OffsetAt(long utcSeconds) => StandardOffsetSeconds + (IsDaylightTime(utcSeconds) ? Hour : 0);

    /// <summary>The local wall time (seconds since 1970 on this zone's calendar) of a UTC instant.</summary>
    public long ToLocal(long utcSeconds) => utcSeconds + OffsetAt(utcSeconds);

    /// <summary>Millisecond variant of <see cref="ToLocal"/>.</summary>
    public long ToLocalMilliseconds(long utcMilliseconds) =>
        utcMilliseconds + (OffsetAt(CivilTime.FloorDiv(utcMilliseconds, 1000)) * 1000L);

    /// <summary>
    /// The UTC instant of a local wall time; a skipped or repeated local time is read with the offset in force just
    /// before the clocks changed (see the type's remarks).
    /// </summary>
    public long ToUtc(long localSeconds)
    {
        var standard = localSeconds - StandardOffsetSeconds;
        if (Kind == TimeZoneKind.Fixed)
        {
            return standard;
        }

        // Daylight reading valid → the time is in summer or is the first pass of a repeated hour; otherwise winter,
        // or a skipped time, read with the (pre-change) standard offset.
        var daylight = standard - Hour;
        return IsDaylightTime(daylight) ? daylight : standard;
    }

    /// <summary>Millisecond variant of <see cref="ToUtc"/> (the sub-second part is kept, also before 1970).</summary>
    public long ToUtcMilliseconds(long localMilliseconds)
    {
        var seconds = CivilTime.FloorDiv(localMilliseconds, 1000);
        return (ToUtc(seconds) * 1000) + (localMilliseconds - (seconds * 1000));
    }

    /// <summary>
    /// The UTC instant the local day holding <paramref name="utcSeconds"/> started: for a broker's server clock
    /// (<see cref="NewYorkClose"/>) the server day's start, 17:00 New York time (the previous day's rollover). The
    /// day ends at <see cref="NextDayStart"/>.
    /// </summary>
    public long DayStart(long utcSeconds) =>
        ToUtc(CivilTime.FloorDiv(ToLocal(utcSeconds), CivilTime.SecondsPerDay) * CivilTime.SecondsPerDay);

    /// <summary>The UTC instant the local day holding <paramref name="utcSeconds"/> ends (the next local midnight): a server day's rollover.</summary>
    public long NextDayStart(long utcSeconds) =>
        ToUtc((CivilTime.FloorDiv(ToLocal(utcSeconds), CivilTime.SecondsPerDay) + 1) * CivilTime.SecondsPerDay);

    /// <summary>Millisecond variant of <see cref="DayStart"/> (returns milliseconds).</summary>
    public long DayStartMilliseconds(long utcMilliseconds) => DayStart(CivilTime.FloorDiv(utcMilliseconds, 1000)) * 1000;

    /// <inheritdoc/>
    public bool Equals(MarketTimeZone other) => Kind == other.Kind && StandardOffsetSeconds == other.StandardOffsetSeconds;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MarketTimeZone z && Equals(z);

    /// <inheritdoc/>
    public override int GetHashCode() => ((int)Kind * 397) ^ StandardOffsetSeconds;

    /// <summary>Equal kind and offset.</summary>
    public static bool operator ==(MarketTimeZone left, MarketTimeZone right) => left.Equals(right);

    /// <summary>Different kind or offset.</summary>
    public static bool operator !=(MarketTimeZone left, MarketTimeZone right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static string SuffixOf(TimeZoneKind kind) => kind switch
    {
        TimeZoneKind.UsDaylight => "US-DST",
        TimeZoneKind.NewYorkClose => "ny-close",
        TimeZoneKind.EuDaylight => "EU-DST",
        TimeZoneKind.AustraliaDaylight => "AU-DST",
        _ => string.Empty,
    };

    private static string OffsetText(int seconds)
    {
        var abs = Math.Abs(seconds);
        var text = string.Create(CultureInfo.InvariantCulture, $"UTC{(seconds < 0 ? '-' : '+')}{abs / Hour:00}:{abs / 60 % 60:00}");
        return abs % 60 == 0 ? text : text + string.Create(CultureInfo.InvariantCulture, $":{abs % 60:00}");
    }

    /// <summary><c>UTC</c>/<c>GMT</c>/<c>Z</c> optional, then ±H, ±HH, ±H:MM or ±HH:MM (optionally :SS), within ±14 h.</summary>
    private static bool TryParseOffset(string text, out int seconds)
    {
        seconds = 0;
        var s = text.AsSpan();
        if (s.Length >= 3 && (s[..3].Equals("UTC", StringComparison.OrdinalIgnoreCase) || s[..3].Equals("GMT", StringComparison.OrdinalIgnoreCase)))
        {
            s = s[3..];
            if (s.IsEmpty)
            {
                return true;
            }
        }

        if (s.Length < 2 || s[0] is not ('+' or '-'))
        {
            return false;
        }

        var sign = s[0] == '-' ? -1 : 1;
        s = s[1..];
        Span<int> parts = stackalloc int[3];
        var n = 0;
        foreach (var range in s.Split(':'))
        {
            var p = s[range];
            if (n == 3 || p.IsEmpty || p.Length > 2 || (n > 0 && p.Length != 2)
                || !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out parts[n]))
            {
                return false;
            }

            n++;
        }

        if (parts[1] >= 60 || parts[2] >= 60)
        {
            return false;
        }

        var total = (parts[0] * Hour) + (parts[1] * 60) + parts[2];
        if (total > MaxOffset)
        {
            return false;
        }

        seconds = sign * total;
        return true;
    }

    /// <summary>
    /// The daylight-saving transitions, as local standard wall time (EU: UTC) in seconds since 1970: precomputed for
    /// 1970–2199 so a conversion per bar is a year lookup and two comparisons; computed on the fly outside that range.
    /// </summary>
    private static class DaylightRules
    {
        private const int FirstYear = 1970;
        private const int Years = 230;
        private const long MeanYear = 31_556_952; // 365.2425 days
        private static readonly long[] YearStart = new long[Years + 1];
        private static readonly long[] UsStart = new long[Years];
        private static readonly long[] UsEnd = new long[Years];
        private static readonly long[] EuStart = new long[Years];
        private static readonly long[] EuEnd = new long[Years];
        private static readonly long[] AuEnd = new long[Years];
        private static readonly long[] AuStart = new long[Years];

#pragma warning disable CA1810 // the tables depend on each other's years: one loop fills them all
        static DaylightRules()
#pragma warning restore CA1810
        {
            for (var i = 0; i <= Years; i++)
            {
                YearStart[i] = CivilTime.DaysFromCivil(FirstYear + i, 1, 1) * CivilTime.SecondsPerDay;
                if (i < Years)
                {
                    var y = FirstYear + i;
                    (UsStart[i], UsEnd[i]) = UsRule(y);
                    (EuStart[i], EuEnd[i]) = EuRule(y);
                    (AuEnd[i], AuStart[i]) = AuRule(y);
                }
            }
        }

        /// <summary>US rule at a local standard time: from the second Sunday of March 02:00 standard to the first Sunday of November 02:00 daylight (01:00 standard); 1987–2006 rule before 2007.</summary>
        public static bool Us(long localStandard)
        {
            var (start, end) = Index(localStandard) is var i and >= 0 ? (UsStart[i], UsEnd[i]) : UsRule(CivilTime.YearOf(localStandard));
            return localStandard >= start && localStandard < end;
        }

        /// <summary>EU rule at a UTC instant: from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.</summary>
        public static bool Eu(long utc)
        {
            var (start, end) = Index(utc) is var i and >= 0 ? (EuStart[i], EuEnd[i]) : EuRule(CivilTime.YearOf(utc));
            return utc >= start && utc < end;
        }

        /// <summary>South-east Australian rule at a local standard time: daylight until the first Sunday of April 02:00 standard, again from the first Sunday of October 02:00 standard.</summary>
        public static bool Australia(long localStandard)
        {
            var (end, start) = Index(localStandard) is var i and >= 0 ? (AuEnd[i], AuStart[i]) : AuRule(CivilTime.YearOf(localStandard));
            return localStandard < end || localStandard >= start;
        }

        private static (long Start, long End) UsRule(int y)
        {
            var (startDay, endDay) = y >= 2007
                ? (CivilTime.NthSunday(y, 3, 2), CivilTime.NthSunday(y, 11, 1))
                : (CivilTime.NthSunday(y, 4, 1), CivilTime.LastSunday(y, 10));
            return ((startDay * CivilTime.SecondsPerDay) + (2 * Hour), (endDay * CivilTime.SecondsPerDay) + Hour);
        }

        private static (long Start, long End) EuRule(int y) =>
            ((CivilTime.LastSunday(y, 3) * CivilTime.SecondsPerDay) + Hour, (CivilTime.LastSunday(y, 10) * CivilTime.SecondsPerDay) + Hour);

        private static (long End, long Start) AuRule(int y) =>
            ((CivilTime.NthSunday(y, 4, 1) * CivilTime.SecondsPerDay) + (2 * Hour), (CivilTime.NthSunday(y, 10, 1) * CivilTime.SecondsPerDay) + (2 * Hour));

        /// <summary>The table index of the year holding <paramref name="seconds"/>, or −1 outside 1970–2199.</summary>
        private static int Index(long seconds)
        {
            if (seconds < 0 || seconds >= YearStart[Years])
            {
                return -1;
            }

            var i = (int)(seconds / MeanYear);
            if (i >= Years)
            {
                i = Years - 1;
            }

            if (seconds < YearStart[i])
            {
                i--;
            }
            else if (seconds >= YearStart[i + 1])
            {
                i++;
            }

            return i;
        }
    }
}
