using System.Globalization;

namespace KimiEA.Core.Time;

/// <summary>
/// A resampling period for previous-period high/low and for higher-timeframe bars, binned on the wall-clock times it is
/// given (<see cref="BarAggregator"/> hands it local times of its bin clock, the server's): intraday and daily bins start at multiples of the period from midnight and are
/// labelled by their start; weekly bins run Monday 00:00 to Sunday 23:59:59 and are labelled by their end (the
/// Sunday, pandas <c>W-SUN</c>), except <see cref="Week1"/>, MT5's W1, which runs Sunday to Saturday and is labelled
/// by its start.
/// </summary>
public readonly record struct PeriodFrame
{
    private const long Day = CivilTime.SecondsPerDay;

    // 1970-01-05 (day 4) was a Monday: pandas weeks are counted from it.
    private const long FirstMonday = 4;

    // 1970-01-04 (day 3) was a Sunday: MT5 weeks (W1) are counted from it.
    private const long FirstSunday = 3;

    private readonly long _weekAnchorDay;

    private PeriodFrame(string name, long seconds, bool weekly, long weekAnchorDay = FirstMonday)
    {
        Name = name;
        Seconds = seconds;
        IsWeekly = weekly;
        _weekAnchorDay = weekAnchorDay;
    }

    /// <summary>Four hours.</summary>
    public static PeriodFrame FourHours => new("4h", 4 * 3600, false);

    /// <summary>One calendar day of the data's clock.</summary>
    public static PeriodFrame Day1 => new("1D", Day, false);

    /// <summary>One week, Monday to Sunday (pandas <c>W-SUN</c>, labelled by its end).</summary>
    public static PeriodFrame Week => new("W", 7 * Day, true);

    /// <summary>One MT5 week (W1): Sunday 00:00 to Saturday 23:59:59 of the data's clock, labelled by its start.</summary>
    public static PeriodFrame Week1 => new("W1", 7 * Day, true, FirstSunday);

    /// <summary>The text the frame was parsed from (pandas style).</summary>
    public string Name { get; }

    /// <summary>Period length in seconds.</summary>
    public long Seconds { get; }

    /// <summary>True for the weekly frame (bins labelled by their end).</summary>
    public bool IsWeekly { get; }

    /// <summary>
    /// Parses pandas-style frequencies: <c>W</c> (or <c>1W</c>, <c>W-SUN</c>), <c>D</c>/<c>1D</c>, <c>Nh</c>/<c>NH</c>,
    /// <c>Nmin</c>/<c>NT</c>; intraday periods must divide a day evenly so bins align to midnight exactly as in pandas.
    /// </summary>
    /// <exception cref="FormatException">The text is not a supported frequency; the message names it.</exception>
    public static PeriodFrame Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        if (s is "W" or "1W" or "W-SUN" or "w" or "1w")
        {
            return new PeriodFrame(s, 7 * Day, true);
        }

        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }

        var n = digits == 0 ? 1 : long.TryParse(s.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        var unit = s[digits..];
        long unitSeconds = unit switch
        {
            "D" or "d" => Day,
            "h" or "H" => 3600,
            "min" or "T" or "m" => 60,
            _ => 0,
        };
        var seconds = n * unitSeconds;
        if (unitSeconds == 0 || n <= 0 || seconds > Day || Day % seconds != 0)
        {
            throw new FormatException(
                $"Unsupported time frame '{text}': use W, 1D, or an intraday period that divides a day (e.g. 4h, 1h, 15min).");
        }

        return new PeriodFrame(s, seconds, false);
    }

    /// <summary>
    /// The MT5 timeframe of a period in seconds: M1 … H12 and D1 (periods dividing a day, named M<i>n</i>/H<i>n</i>/D1),
    /// or W1 (604,800 s).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Below a minute, not a whole minute, above a day (but a week), or not dividing a day.</exception>
    public static PeriodFrame OfSeconds(long seconds)
    {
        if (seconds == 7 * Day)
        {
            return Week1;
        }

        if (seconds < 60 || seconds > Day || Day % seconds != 0 || seconds % 60 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "A bar period must be whole minutes dividing a day (M1 … D1) or a week (W1).");
        }

        var name = seconds == Day ? "D1" : seconds % 3600 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"H{seconds / 3600}")
            : string.Create(CultureInfo.InvariantCulture, $"M{seconds / 60}");
        return new PeriodFrame(name, seconds, false);
    }

    /// <summary>The bin a bar open time falls into (consecutive integers for consecutive bins).</summary>
    public long BinKey(long time) => IsWeekly
        ? CivilTime.FloorDiv(CivilTime.DayNumber(time) - _weekAnchorDay, 7)
        : CivilTime.FloorDiv(time, Seconds);

    /// <summary>Start time of a bin.</summary>
    public long BinStart(long key) => IsWeekly ? ((key * 7) + _weekAnchorDay) * Day : key * Seconds;

    /// <summary>End time of a bin (exclusive): the start of the next bin.</summary>
    public long BinEnd(long key) => BinStart(key + 1);

    /// <summary>The label of a bin: its start, or for pandas weeks their last day (Sunday 00:00).</summary>
    public long BinLabel(long key) => IsWeekly && _weekAnchorDay == FirstMonday ? ((key * 7) + FirstMonday + 6) * Day : BinStart(key);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
