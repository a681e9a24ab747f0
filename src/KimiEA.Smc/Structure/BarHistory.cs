using KimiEA.Core.Market;

namespace KimiEA.Smc.Structure;

/// <summary>
/// Ring buffer of the most recent closed bars, addressed by absolute bar index (0 = first bar ever fed).
/// Validates every bar on the way in.
/// </summary>
public sealed class BarHistory
{
    private readonly Bar[] _bars;
    private readonly int _mask;
    private int _count;

    /// <summary>Creates a history that keeps at least the last <paramref name="capacity"/> bars (rounded up to a power of two).</summary>
    public BarHistory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 30);
        _bars = new Bar[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity)];
        _mask = _bars.Length - 1;
    }

    /// <summary>Number of bars fed so far; the last bar's index is Count − 1.</summary>
    public int Count => _count;

    /// <summary>Index of the oldest bar still held.</summary>
    public int Oldest => _count > _bars.Length ? _count - _bars.Length : 0;

    /// <summary>Index of the newest bar (−1 before the first).</summary>
    public int Last => _count - 1;

    /// <summary>Capacity in bars.</summary>
    public int Capacity => _bars.Length;

    /// <summary>The bar with absolute index <paramref name="index"/>; it must still be held.</summary>
    public ref readonly Bar this[int index]
    {
        get
        {
            if ((uint)(index - Oldest) >= (uint)(_count - Oldest))
            {
                ThrowOutOfRange(index);
            }

            return ref _bars[index & _mask];
        }
    }

    /// <summary>Appends a bar after checking it: finite prices, High ≥ Low, and a time later than the previous bar's.</summary>
    public void Add(in Bar bar)
    {
        if (!double.IsFinite(bar.Open) || !double.IsFinite(bar.High) || !double.IsFinite(bar.Low) || !double.IsFinite(bar.Close) || !double.IsFinite(bar.Volume))
        {
            throw new ArgumentException($"Bar {_count} (time {bar.Time}) has a non-finite price or volume: O={bar.Open} H={bar.High} L={bar.Low} C={bar.Close} V={bar.Volume}.", nameof(bar));
        }

        if (bar.High < bar.Low)
        {
            throw new ArgumentException($"Bar {_count} (time {bar.Time}) has High {bar.High} below Low {bar.Low}.", nameof(bar));
        }

        if (_count > 0 && bar.Time <= _bars[(_count - 1) & _mask].Time)
        {
            throw new ArgumentException($"Bar {_count} has time {bar.Time}, not after the previous bar's time {_bars[(_count - 1) & _mask].Time} (unsorted or duplicate timestamps).", nameof(bar));
        }

        _bars[_count & _mask] = bar;
        _count++;
    }

    private void ThrowOutOfRange(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"Bar {index} is not in the history (held: {Oldest}..{_count - 1}).");
}
