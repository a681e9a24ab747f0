namespace KimiEA.Smc.Indicators;

/// <summary>
/// Simple moving average over the last <see cref="Period"/> values, updated in O(1) from a preallocated ring buffer.
/// </summary>
/// <remarks>
/// The running sum is refreshed from the ring every <see cref="Period"/> updates so rounding error cannot accumulate
/// over long streams; the refresh is O(period) once per period, i.e. amortised O(1), and allocates nothing.
/// </remarks>
public sealed class Sma
{
    private readonly double[] _ring;
    private int _next;
    private long _count;
    private double _sum;

    /// <summary>Creates an SMA of <paramref name="period"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">period is less than 1.</exception>
    public Sma(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _ring = new double[period];
        Value = double.NaN;
    }

    /// <summary>Number of values averaged.</summary>
    public int Period { get; }

    /// <summary>Number of values seen so far.</summary>
    public long Count => _count;

    /// <summary>True once <see cref="Period"/> values have been seen.</summary>
    public bool IsReady => _count >= Period;

    /// <summary>The current average, NaN until <see cref="IsReady"/>.</summary>
    public double Value { get; private set; }

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

        _count++;
        Value = IsReady ? _sum / Period : double.NaN;
        return Value;
    }

    /// <summary>Forgets every value seen.</summary>
    public void Reset()
    {
        Array.Clear(_ring);
        _next = 0;
        _count = 0;
        _sum = 0;
        Value = double.NaN;
    }
}
