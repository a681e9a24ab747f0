using KimiEA.Core.Time;
namespace KimiEA.Data.Internal;

/// <summary>
/// Allocation-free timestamp parsing for every format the readers accept:
/// dates <c>YYYY-MM-DD</c>, <c>YYYY.MM.DD</c>, <c>YYYY/MM/DD</c>, <c>YYYYMMDD</c>; an optional time after a space or
/// <c>T</c>: <c>HH:MM</c>, <c>HH:MM:SS</c>, <c>HH:MM:SS.fff…</c> or <c>HHMMSS</c>; an optional <c>Z</c> or
/// <c>±HH:MM</c>/<c>±HHMM</c> suffix. Fractions beyond milliseconds are truncated.
/// </summary>
internal static class TimestampParser
{
    /// <summary>
    /// Parses <paramref name="text"/> into milliseconds since 1970 read as wall time. When the text carries an
    /// offset the result is already UTC and <paramref name="absolute"/> is true.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long milliseconds, out bool absolute)
    {
        milliseconds = 0;
        absolute = false;
        text = text.Trim();
        var p = 0;
        if (!TryDate(text, ref p, out var days))
        {
            return false;
        }

        long ms = 0;
        if (p < text.Length && (text[p] == ' ' || text[p] == 'T'))
        {
            p++;
            while (p < text.Length && text[p] == ' ')
            {
                p++;
            }

            if (!TryTime(text, ref p, out ms))
            {
                return false;
            }
        }

        long offsetSeconds = 0;
        if (p < text.Length)
        {
            if (text[p] == 'Z' && p == text.Length - 1)
            {
                absolute = true;
            }
            else if (text[p] is '+' or '-')
            {
                var sign = text[p] == '-' ? -1 : 1;
                p++;
                if (!Digits(text, ref p, 2, out var oh))
                {
                    return false;
                }

                if (p < text.Length && text[p] == ':')
                {
                    p++;
                }

                if (!Digits(text, ref p, 2, out var om) || p != text.Length || oh > 14 || om > 59)
                {
                    return false;
                }

                offsetSeconds = sign * ((oh * 3600) + (om * 60));
                absolute = true;
            }
            else
            {
                return false;
            }
        }

        milliseconds = (days * CivilTime.SecondsPerDay * 1000) + ms - (offsetSeconds * 1000);
        return true;
    }

    /// <summary>Parses a separate date cell and time cell (MT5 exports, Date/Time column pairs).</summary>
    public static bool TryParse(ReadOnlySpan<char> date, ReadOnlySpan<char> time, out long milliseconds, out bool absolute)
    {
        milliseconds = 0;
        absolute = false;
        date = date.Trim();
        time = time.Trim();
        if (date.Length + time.Length + 1 > 64)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[64];
        date.CopyTo(buffer);
        buffer[date.Length] = ' ';
        time.CopyTo(buffer[(date.Length + 1)..]);
        return TryParse(buffer[..(date.Length + 1 + time.Length)], out milliseconds, out absolute);
    }

    private static bool TryDate(ReadOnlySpan<char> s, ref int p, out long days)
    {
        days = 0;
        int year, month, day;
        if (!Digits(s, ref p, 4, out year))
        {
            return false;
        }

        if (p < s.Length && s[p] is '-' or '.' or '/')
        {
            var sep = s[p];
            p++;
            if (!Digits(s, ref p, 2, out month) || p >= s.Length || s[p] != sep)
            {
                return false;
            }

            p++;
            if (!Digits(s, ref p, 2, out day))
            {
                return false;
            }
        }
        else if (!Digits(s, ref p, 2, out month) || !Digits(s, ref p, 2, out day))
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > CivilTime.DaysInMonth(year, month))
        {
            return false;
        }

        days = CivilTime.DaysFromCivil(year, month, day);
        return true;
    }

    private static bool TryTime(ReadOnlySpan<char> s, ref int p, out long ms)
    {
        ms = 0;
        int h, m, sec = 0, frac = 0;
        if (!Digits(s, ref p, 2, out h))
        {
            return false;
        }

        if (p < s.Length && s[p] == ':')
        {
            p++;
            if (!Digits(s, ref p, 2, out m))
            {
                return false;
            }

            if (p < s.Length && s[p] == ':')
            {
                p++;
                if (!Digits(s, ref p, 2, out sec))
                {
                    return false;
                }
            }
        }
        else if (!Digits(s, ref p, 2, out m) || !Digits(s, ref p, 2, out sec))
        {
            return false;
        }

        if (p < s.Length && s[p] == '.')
        {
            p++;
            var start = p;
            var scale = 100;
            while (p < s.Length && char.IsAsciiDigit(s[p]))
            {
                frac += (s[p] - '0') * scale;
                scale /= 10;
                p++;
            }

            if (p == start)
            {
                return false;
            }
        }

        if (h > 23 || m > 59 || sec > 59)
        {
            return false;
        }

        ms = (((h * 3600L) + (m * 60L) + sec) * 1000) + frac;
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, ref int p, int count, out int value)
    {
        value = 0;
        if (p + count > s.Length)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var c = s[p + i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        p += count;
        return true;
    }

    /// <summary>Formats milliseconds since 1970 as ISO-8601 UTC (for messages only).</summary>
    public static string Format(long milliseconds, bool withMilliseconds)
    {
        var days = CivilTime.FloorDiv(milliseconds, CivilTime.SecondsPerDay * 1000);
        var msOfDay = milliseconds - (days * CivilTime.SecondsPerDay * 1000);
        var (y, mo, d) = CivilTime.CivilFromDays(days);
        var h = msOfDay / 3_600_000;
        var mi = msOfDay / 60_000 % 60;
        var s = msOfDay / 1000 % 60;
        var f = msOfDay % 1000;
        return withMilliseconds
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{y:0000}-{mo:00}-{d:00}T{h:00}:{mi:00}:{s:00}.{f:000}Z")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{y:0000}-{mo:00}-{d:00}T{h:00}:{mi:00}:{s:00}Z");
    }
}
