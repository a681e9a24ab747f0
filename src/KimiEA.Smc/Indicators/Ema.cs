namespace KimiEA.Smc.Indicators;

/// <summary>
/// Exponential moving average with smoothing 2/(period+1), seeded with the simple average of the first
/// <see cref="Period"/> values (Skender's and TradingView's convention), O(1) per update.
/// </summary>
public sealed class Ema
{
    private readonly double _k;
    private long _count;
    private double _seedSum;

    /// <summary>Creates an EMA of <paramref name="period"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">period is less than 1.</exception>
    public Ema(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _k = 2.0 / (period + 1);
        Value = double.NaN;
    }

    /// <summary>The look-back period.</summary>
    public int Period { get; }

    /// <summary>Number of values seen so far.</summary>
    public long Count => _count;

    /// <summary>True once <see cref="Period"/> values have been seen.</summary>
    public bool IsReady => _count >= Period;

    /// <summary>The current average, NaN during warm-up.</summary>
    public double Value { get; private set; }

    /// <summary>Adds a value and returns the new EMA (NaN during warm-up).</summary>
    /// <exception cref="ArgumentException">value is NaN or infinite.</exception>
    public double Update(double value)
    {
        IndicatorGuard.Finite(value, nameof(value));
        _count++;
        if (_count < Period)
        {
            _seedSum += value;
        }
        else if (_count == Period)
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

    /// <summary>Forgets every value seen.</summary>
    public void Reset()
    {
        _count = 0;
        _seedSum = 0;
        Value = double.NaN;
    }
}
