namespace KimiEA.Smc.Indicators;

/// <summary>Input checks shared by the indicators: a NaN price would silently poison every later value.</summary>
internal static class IndicatorGuard
{
    public static void Finite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"Indicator input {name} must be a finite number, got {value}.", name);
        }
    }

    public static void Bar(in KimiEA.Core.Market.Bar bar)
    {
        if (!double.IsFinite(bar.High) || !double.IsFinite(bar.Low) || !double.IsFinite(bar.Close))
        {
            throw new ArgumentException($"Bar at time {bar.Time} has a non-finite high, low or close.", nameof(bar));
        }

        if (bar.High < bar.Low)
        {
            throw new ArgumentException($"Bar at time {bar.Time} has high {bar.High} below low {bar.Low}.", nameof(bar));
        }
    }
}
