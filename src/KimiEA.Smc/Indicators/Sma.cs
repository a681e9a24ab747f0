namespace KimiEA.Smc.Indicators;

/// <summary>
/// Simple moving average over the last <see cref="StreamingIndicator.Period"/> values, updated in O(1) from a
/// preallocated ring buffer.
/// </summary>
/// <remarks>
/// The running sum is refreshed from the ring every period so rounding error cannot accumulate over long streams;
/// the refresh is O(period) once per period, i.e. amortised O(1), and allocates nothing.
/// </remarks>
public sealed class Sma : StreamingIndicator
{
    private readonly double[] _ring;
    private int _next;
    private double _sum;

    /// <summary>Creates an SMA of <paramref name="period"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">period is less than 1.</exception>
    public Sma(int period)
        : base(period, period) => _ring = new double[period];

    /// <summary>Adds a value and returns the new average (NaN during warm-up).</summary>
    /// <exception cref="ArgumentException">value is NaN or infinite.</exception>
    public double Update(double value)
    {
        IndicatorGuard.Finite(value, nameof(value));
        _sum += value - _ring[_next];
        _ring[_next] = value;
        _next++;
        if (_next == Period)
        {
            _next = 0;
            double exact = 0;
            for (var i = 0; i < _ring.Length; i++)
            {
                exact += _ring[i];
            }

            _sum = exact;
        }

        Count++;
        Value = IsReady ? _sum / Period : double.NaN;
        return Value;
    }

    /// <inheritdoc/>
    protected override void ResetState()
    {
        Array.Clear(_ring);
        _next = 0;
        _sum = 0;
    }
}
