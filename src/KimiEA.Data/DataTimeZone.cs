using System.Globalization;
using KimiEA.Data.Internal;
using KimiEA.Core.Time;

namespace KimiEA.Data;

/// <summary>
/// The clock naive timestamps in a source file are written in, and how to turn them into the data clock the
/// records use (UTC for every shipped sample). Timestamps that carry their own offset (<c>Z</c>, <c>+00:00</c>) ignore it.
/// </summary>
/// <remarks>
/// The daylight-saving rule is computed in code (no tz database) so conversion is deterministic and works under
/// InvariantGlobalization and NativeAOT.
/// </remarks>
public abstract class DataTimeZone
{
    private protected DataTimeZone() { }

    /// <summary>Naive timestamps are already in the data clock (no conversion). The default for every format but HistData.</summary>
    public static DataTimeZone Utc { get; } = new FixedOffsetZone(0);

    /// <summary>
    /// America/New_York local time with US daylight saving, converted to UTC. The default for HistData files
    /// (see data/histdata-btgym/README.md: the files follow New York DST, not HistData's documented fixed EST).
    /// </summary>
    public static DataTimeZone NewYork { get; } = new UsEasternZone();

    /// <summary>A fixed offset from UTC (local = UTC + offset), e.g. <c>FixedOffset(TimeSpan.FromHours(-5))</c> for EST without DST.</summary>
    public static DataTimeZone FixedOffset(TimeSpan offset)
    {
        if (offset.Ticks % TimeSpan.TicksPerSecond != 0 || offset.Duration() > TimeSpan.FromHours(14))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "A UTC offset must be whole seconds within ±14 h.");
        }

        return offset == TimeSpan.Zero ? Utc : new FixedOffsetZone((long)offset.TotalSeconds);
    }

    /// <summary>Parses <c>UTC</c>, <c>UTC+2</c>, <c>UTC-05:00</c> or <c>America/New_York</c> (case-insensitive).</summary>
    public static DataTimeZone Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Equals("America/New_York", StringComparison.OrdinalIgnoreCase) || t.Equals("New_York", StringComparison.OrdinalIgnoreCase))
        {
            return NewYork;
        }

        if (t.Equals("UTC", StringComparison.OrdinalIgnoreCase) || t.Equals("Z", StringComparison.OrdinalIgnoreCase))
        {
            return Utc;
        }

        if (t.Length > 4 && t.StartsWith("UTC", StringComparison.OrdinalIgnoreCase) && (t[3] == '+' || t[3] == '-'))
        {
            var sign = t[3] == '-' ? -1 : 1;
            var rest = t.AsSpan(4);
            int hours, minutes = 0;
            var colon = rest.IndexOf(':');
            var ok = colon < 0
                ? int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out hours)
                : int.TryParse(rest[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out hours)
                  && int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out minutes);
            if (ok && hours <= 14 && minutes < 60)
            {
                return FixedOffset(TimeSpan.FromMinutes(sign * ((hours * 60) + minutes)));
            }
        }

        throw new FormatException($"Unknown time zone '{text}': use UTC, UTC+H, UTC-HH:MM or America/New_York.");
    }

    /// <summary>A stable name (used in cache keys): <c>UTC</c>, <c>UTC+02:00</c>, <c>America/New_York</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Converts a naive local time (seconds since 1970 read as local wall time) to the data clock.</summary>
    public abstract long ToUtcSeconds(long localSeconds);

    /// <summary>Millisecond variant of <see cref="ToUtcSeconds"/>.</summary>
    public long ToUtcMilliseconds(long localMilliseconds)
    {
        var sec = Math.DivRem(localMilliseconds, 1000, out var ms);
        if (ms < 0)
        {
            sec--;
            ms += 1000;
        }

        return (ToUtcSeconds(sec) * 1000) + ms;
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private sealed class FixedOffsetZone(long offsetSeconds) : DataTimeZone
    {
        public override string Name { get; } = offsetSeconds == 0
            ? "UTC"
            : string.Create(CultureInfo.InvariantCulture, $"UTC{(offsetSeconds < 0 ? '-' : '+')}{Math.Abs(offsetSeconds) / 3600:00}:{Math.Abs(offsetSeconds) / 60 % 60:00}");

        public override long ToUtcSeconds(long localSeconds) => localSeconds - offsetSeconds;
    }

    /// <summary>
    /// US Eastern time. DST rule: from 2007 on, second Sunday of March 02:00 to first Sunday of November 02:00;
    /// before 2007 (the 1987 rule, also used for earlier years), first Sunday of April to last Sunday of October.
    /// The repeated hour in autumn is read as its first (daylight) occurrence, and the skipped spring hour is read
    /// with the daylight offset; forex markets are closed at both moments (Sunday early morning).
    /// </summary>
    private sealed class UsEasternZone : DataTimeZone
    {
        private const long Standard = -5 * 3600;
        private const long Daylight = -4 * 3600;

        public override string Name => "America/New_York";

        public override long ToUtcSeconds(long localSeconds)
        {
            var day = Math.DivRem(localSeconds, 86400, out var rem);
            if (rem < 0)
            {
                day--;
            }

            var (year, _, _) = CivilTime.CivilFromDays(day);
            long start, end;
            if (year >= 2007)
            {
                start = NthSunday(year, 3, 2);
                end = NthSunday(year, 11, 1);
            }
            else
            {
                start = NthSunday(year, 4, 1);
                end = LastSunday(year, 10);
            }

            // Both switches happen at 02:00 local wall time.
            var startLocal = (start * 86400) + 7200;
            var endLocal = (end * 86400) + 7200;
            var offset = localSeconds >= startLocal && localSeconds < endLocal ? Daylight : Standard;
            return localSeconds - offset;
        }

        /// <summary>Day number (since 1970) of the n-th Sunday of a month.</summary>
        private static long NthSunday(int year, int month, int n)
        {
            var first = CivilTime.DaysFromCivil(year, month, 1);
            var toSunday = (7 - CivilTime.DayOfWeek(first)) % 7;
            return first + toSunday + (7 * (n - 1));
        }

        private static long LastSunday(int year, int month)
        {
            var last = CivilTime.DaysFromCivil(year, month, CivilTime.DaysInMonth(year, month));
            return last - CivilTime.DayOfWeek(last);
        }
    }
}
