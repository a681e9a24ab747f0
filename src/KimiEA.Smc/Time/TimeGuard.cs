using KimiEA.Core.Market;

namespace KimiEA.Smc.Time;

/// <summary>Input checks shared by the time-based detectors: bars must arrive in strictly increasing time with sane prices.</summary>
internal static class TimeGuard
{
    public static void Check(in Bar bar, long lastTime, int index)
    {
        if (index > 0 && bar.Time <= lastTime)
        {
            throw new ArgumentException(
                $"Bar {index} at time {bar.Time} is not after the previous bar at {lastTime}: bars must be fed in strictly increasing time.", nameof(bar));
        }

        if (!double.IsFinite(bar.High) || !double.IsFinite(bar.Low))
        {
            throw new ArgumentException($"Bar {index} at time {bar.Time} has a non-finite high or low.", nameof(bar));
        }

        if (bar.High < bar.Low)
        {
            throw new ArgumentException($"Bar {index} at time {bar.Time} has high {bar.High} below low {bar.Low}.", nameof(bar));
        }
    }
}
