using KimiEA.Core.Time;
using KimiEA.Core.Market;

namespace KimiEA.Smc.Time;

/// <summary>The reference's per-bar columns of <c>previous_high_low</c> (NaN levels where no reference period exists).</summary>
/// <param name="PreviousHigh">PreviousHigh (float32).</param>
/// <param name="PreviousLow">PreviousLow (float32).</param>
/// <param name="BrokenHigh">BrokenHigh (0/1).</param>
/// <param name="BrokenLow">BrokenLow (0/1).</param>
public sealed record PreviousHighLowColumns(float[] PreviousHigh, float[] PreviousLow, int[] BrokenHigh, int[] BrokenLow);

/// <summary>The reference's per-bar columns of <c>sessions</c>.</summary>
/// <param name="Active">Active (0/1).</param>
/// <param name="High">High (float32, 0 when inactive).</param>
/// <param name="Low">Low (float32, 0 when inactive).</param>
public sealed record SessionColumns(int[] Active, float[] High, float[] Low);

/// <summary>Batch API of the time-based detectors: a fold of the streaming detectors over a bar series.</summary>
public static class TimeBatch
{
    /// <summary>Previous-period high/low for every bar.</summary>
    public static PreviousHighLowColumns PreviousHighLow(ReadOnlySpan<Bar> bars, PeriodFrame frame, PreviousPeriodRule rule = PreviousPeriodRule.LastCompleted)
    {
        var detector = new PreviousHighLowDetector(frame, rule);
        var cols = new PreviousHighLowColumns(new float[bars.Length], new float[bars.Length], new int[bars.Length], new int[bars.Length]);
        for (var i = 0; i < bars.Length; i++)
        {
            var s = detector.Update(bars[i]);
            cols.PreviousHigh[i] = s.PreviousHigh;
            cols.PreviousLow[i] = s.PreviousLow;
            cols.BrokenHigh[i] = s.BrokenHigh ? 1 : 0;
            cols.BrokenLow[i] = s.BrokenLow ? 1 : 0;
        }

        return cols;
    }

    /// <summary>Session activity and running range for every bar.</summary>
    public static SessionColumns Sessions(ReadOnlySpan<Bar> bars, SessionWindow window, MarketTimeZone? dataClock = null)
    {
        var detector = new SessionDetector(window, dataClock);
        var cols = new SessionColumns(new int[bars.Length], new float[bars.Length], new float[bars.Length]);
        for (var i = 0; i < bars.Length; i++)
        {
            var s = detector.Update(bars[i]);
            cols.Active[i] = s.Active ? 1 : 0;
            cols.High[i] = s.High;
            cols.Low[i] = s.Low;
        }

        return cols;
    }
}
