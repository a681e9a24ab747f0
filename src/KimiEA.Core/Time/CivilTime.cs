namespace KimiEA.Core.Time;

/// <summary>
/// Allocation-free proleptic Gregorian calendar arithmetic on Unix seconds (days-from-civil algorithm), so the
/// detectors and the data readers never build <see cref="DateTime"/>s on the hot path and never depend on the host's time-zone database.
/// </summary>
public static class CivilTime
{
    /// <summary>Seconds in a day.</summary>
    public const long SecondsPerDay = 86_400;

    /// <summary>Days in a month of the proleptic Gregorian calendar.</summary>
    public static int DaysInMonth(int year, int month) => month switch
    {
        2 => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    /// <summary>Days since 1970-01-01 of a civil date.</summary>
    public static long DaysFromCivil(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - (era * 400);
        var mp = month > 2 ? month - 3 : month + 9;
        var doy = ((153 * mp) + 2) / 5 + day - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146_097) + doe - 719_468;
    }

    /// <summary>The civil date of a day number (days since 1970-01-01).</summary>
    public static (int Year, int Month, int Day) CivilFromDays(long days)
    {
        days += 719_468;
        var era = (days >= 0 ? days : days - 146_096) / 146_097;
        var doe = days - (era * 146_097);
        var yoe = (doe - (doe / 1460) + (doe / 36_524) - (doe / 146_096)) / 365;
        var doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
        var mp = ((5 * doy) + 2) / 153;
        var day = (int)(doy - (((153 * mp) + 2) / 5) + 1);
        var month = (int)(mp < 10 ? mp + 3 : mp - 9);
        var year = (int)(yoe + (era * 400) + (month <= 2 ? 1 : 0));
        return (year, month, day);
    }

    /// <summary>Floor division of seconds into whole days (correct for times before 1970 too).</summary>
    public static long DayNumber(long seconds) => FloorDiv(seconds, SecondsPerDay);

    /// <summary>Day of week of a day number: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).</summary>
    public static int DayOfWeek(long dayNumber) => (int)(((dayNumber % 7) + 11) % 7);

    /// <summary>Year of a Unix time.</summary>
    public static int YearOf(long seconds) => CivilFromDays(DayNumber(seconds)).Year;

    /// <summary>Day number of the last Sunday of a month.</summary>
    public static long LastSunday(int year, int month)
    {
        var nextFirst = month == 12 ? DaysFromCivil(year + 1, 1, 1) : DaysFromCivil(year, month + 1, 1);
        var last = nextFirst - 1;
        return last - DayOfWeek(last);
    }

    /// <summary>Day number of the n-th (1-based) Sunday of a month.</summary>
    public static long NthSunday(int year, int month, int n)
    {
        var first = DaysFromCivil(year, month, 1);
        var firstSunday = first + ((7 - DayOfWeek(first)) % 7);
        return firstSunday + (7L * (n - 1));
    }

    /// <summary>Floor division (rounds toward negative infinity).</summary>
    public static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && ((a < 0) ^ (b < 0))) ? q - 1 : q;
    }

    /// <summary>Non-negative remainder matching <see cref="FloorDiv"/>.</summary>
    public static long FloorMod(long a, long b) => a - (FloorDiv(a, b) * b);
}
