using KimiEA.Core.Time;
using KimiEA.Core.Market;

namespace KimiEA.Smc.Tests.Time;

/// <summary>
/// An independent, deliberately naive oracle for previous-period levels, written with DateTime arithmetic (not
/// PeriodFrame/CivilTime): group the bars into periods, then for each bar look up earlier periods by position.
/// </summary>
internal sealed class NaivePeriods
{
    public NaivePeriods(Bar[] bars, string frame)
    {
        Start = new DateTime[bars.Length];
        PeriodOf = new int[bars.Length];
        var starts = new List<DateTime>();
        var first = new List<int>();
        var highs = new List<double>();
        var lows = new List<double>();
        for (var i = 0; i < bars.Length; i++)
        {
            var t = bars[i].OpenDateTime;
            var s = frame switch
            {
                "4h" => t.Date.AddHours(t.Hour / 4 * 4),
                "1h" => t.Date.AddHours(t.Hour),
                "15min" => t.Date.AddHours(t.Hour).AddMinutes(t.Minute / 15 * 15),
                "1D" => t.Date,
                "W" => t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)),
                _ => throw new ArgumentException(frame),
            };
            if (starts.Count == 0 || starts[^1] != s)
            {
                starts.Add(s);
                first.Add(i);
                highs.Add(bars[i].High);
                lows.Add(bars[i].Low);
            }
            else
            {
                highs[^1] = Math.Max(highs[^1], bars[i].High);
                lows[^1] = Math.Min(lows[^1], bars[i].Low);
            }

            Start[i] = s;
            PeriodOf[i] = starts.Count - 1;
        }

        FirstBar = [.. first];
        High = [.. highs];
        Low = [.. lows];
    }

    /// <summary>Start of the period of each bar.</summary>
    public DateTime[] Start { get; }

    /// <summary>Period number of each bar.</summary>
    public int[] PeriodOf { get; }

    /// <summary>First bar of each period.</summary>
    public int[] FirstBar { get; }

    /// <summary>High of each period.</summary>
    public double[] High { get; }

    /// <summary>Low of each period.</summary>
    public double[] Low { get; }

    /// <summary>Levels of the period <paramref name="back"/> periods before bar i's own (NaN when it does not exist).</summary>
    public (float High, float Low) Levels(int i, int back)
    {
        var p = PeriodOf[i] - back;
        return p < 0 ? (float.NaN, float.NaN) : ((float)High[p], (float)Low[p]);
    }

    /// <summary>Whether max(H[from..i]) &gt; high and min(L[from..i]) &lt; low.</summary>
    public static (int High, int Low) Broken(Bar[] bars, int from, int i, float high, float low)
    {
        if (float.IsNaN(high))
        {
            return (0, 0);
        }

        double max = double.NegativeInfinity, min = double.PositiveInfinity;
        for (var k = from; k <= i; k++)
        {
            max = Math.Max(max, bars[k].High);
            min = Math.Min(min, bars[k].Low);
        }

        return (max > high ? 1 : 0, min < low ? 1 : 0);
    }
}
