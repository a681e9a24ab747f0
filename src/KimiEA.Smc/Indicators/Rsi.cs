namespace KimiEA.Smc.Indicators;

/// <summary>
/// Relative strength index with Wilder smoothing, O(1) per update. The first value comes after period+1 inputs:
/// the average gain and loss of the first <see cref="StreamingIndicator.Period"/> changes, then <c>avg = (avg·(period−1) + x) / period</c>.
/// RSI = 100 − 100/(1 + avgGain/avgLoss), and 100 when the average loss is 0 (Skender's convention).
/// </summary>
public sealed class Rsi : StreamingIndicator
{
    private double _prev;
    private double _avgGain;
    private double _avgLoss;

    /// <summary>Creates an RSI of <paramref name="period"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">period is less than 1.</exception>
    public Rsi(int period)
        : base(period, period + 1)
    {
    }

    /// <summary>Adds a value (normally a close) and returns the new RSI (NaN during warm-up).</summary>
    /// <exception cref="ArgumentException">value is NaN or infinite.</exception>
    public double Update(double value)
    {
        IndicatorGuard.Finite(value, nameof(value));
        Count++;
        if (Count == 1)
        {
            _prev = value;
            return Value;
        }

        var change = value - _prev;
        _prev = value;
        var gain = change > 0 ? change : 0;
        var loss = change < 0 ? -change : 0;
        if (Count <= Period + 1)
        {
            _avgGain += gain;
            _avgLoss += loss;
            if (Count < Period + 1)
            {
                return Value;
            }

            _avgGain /= Period;
            _avgLoss /= Period;
        }
        else
        {
            _avgGain = ((_avgGain * (Period - 1)) + gain) / Period;
            _avgLoss = ((_avgLoss * (Period - 1)) + loss) / Period;
        }

        Value = _avgLoss > 0 ? 100.0 - (100.0 / (1.0 + (_avgGain / _avgLoss))) : 100.0;
        return Value;
    }

    /// <inheritdoc/>
    protected override void ResetState()
    {
        _prev = 0;
        _avgGain = 0;
        _avgLoss = 0;
    }
}
