namespace KimiEA.Smc.Indicators;

/// <summary>
/// Exponential moving average with smoothing 2/(period+1), seeded with the simple average of the first
/// <see cref="StreamingIndicator.Period"/> values (Skender's and TradingView's convention), O(1) per update.
/// </summary>
public sealed class Ema : StreamingIndicator
{
    private readonly double _k;
    private double _seedSum;

    /// <summary>Creates an EMA of <paramref name="period"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">period is less than 1.</exception>
    public Ema(int period)
        : base(period, period) => _k = 2.0 / (period + 1);

    /// <summary>Adds a value and returns the new EMA (NaN during warm-up).</summary>
    /// <exception cref="ArgumentException">value is NaN or infinite.</exception>
    public double Update(double value)
    {
        IndicatorGuard.Finite(value, nameof(value));
        Count++;
        if (Count < Period)
        {
            _seedSum += value;
        }
        else if (Count == Period)
        {
            _seedSum += value;
            Value = _seedSum / Period;
        }
        else
        {
            Value += _k * (value - Value);
        }

        return Value;
    }

    /// <inheritdoc/>
    protected override void ResetState() => _seedSum = 0;
}
