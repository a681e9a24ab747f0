namespace KimiEA.Smc.Structure;

/// <summary>
/// Streaming swing highs/lows with the reference's definition: a raw pivot at bar i is decided at the close of bar
/// i+L from the window i−L+1 … i+L (high wins over low, pivots only from bar 2L−1 on); runs of same-kind pivots
/// collapse to the most extreme (earliest on ties); bar 0 gets the opposite kind of the first pivot. A swing is
/// final (emitted) once the next pivot of the opposite kind is confirmed; until then it is
/// <see cref="Pending"/> (provisional). <see cref="Finish"/> flushes it and adds the end-of-data bookend.
/// </summary>
public sealed class SwingDetector
{
    private readonly int _length;
    private readonly Swing[] _emitted = new Swing[3];
    private int _emittedCount;
    private bool _hasPending;
    private Swing _pending;
    private bool _finished;
    private double _firstHigh;
    private double _firstLow;

    /// <summary>Creates a detector with swing length <paramref name="length"/> (≥ 1).</summary>
    public SwingDetector(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        _length = length;
    }

    /// <summary>
    /// Every swing with index ≤ FinalThrough is final; −1 before the first pivot (bar 0's bookend is unknown until then).
    /// </summary>
    public int FinalThrough { get; private set; } = -1;

    /// <summary>True while a provisional swing exists.</summary>
    public bool HasPending => _hasPending;

    /// <summary>The provisional swing (most extreme pivot of the current run); it can still be replaced. Valid when <see cref="HasPending"/>.</summary>
    public Swing Pending => _pending;

    /// <summary>Swings that became final during the last <see cref="OnBar"/>/<see cref="Finish"/> call, in index order.</summary>
    public ReadOnlySpan<Swing> Emitted => _emitted.AsSpan(0, _emittedCount);

    /// <summary>Processes the newest bar of <paramref name="history"/> (which must hold at least the last 2L bars).</summary>
    public void OnBar(BarHistory history)
    {
        if (_finished)
        {
            throw new InvalidOperationException("SwingDetector.Finish was called; no more bars can be fed.");
        }

        _emittedCount = 0;
        var k = history.Last;
        if (k == 0)
        {
            _firstHigh = history[0].High;
            _firstLow = history[0].Low;
        }

        var n = _length;
        var i = k - n;
        if (i >= (2 * n) - 1)
        {
            var hi = history[i].High;
            var lo = history[i].Low;
            var isHigh = true;
            var isLow = true;
            for (var j = i - n + 1; j <= k; j++)
            {
                ref readonly var b = ref history[j];
                isHigh &= b.High <= hi;
                isLow &= b.Low >= lo;
            }

            if (isHigh)
            {
                OnRawPivot(new Swing(i, SwingKind.High, hi, k, false), k);
            }
            else if (isLow)
            {
                OnRawPivot(new Swing(i, SwingKind.Low, lo, k, false), k);
            }
        }

        if (_hasPending)
        {
            FinalThrough = _pending.Index - 1;
        }
    }

    /// <summary>
    /// End of data: the provisional swing becomes final and the last bar gets the opposite-kind bookend (reference
    /// behaviour; that bookend depends on where the data stops, so it is marked <see cref="Swing.IsBookend"/>).
    /// </summary>
    public void Finish(BarHistory history)
    {
        _emittedCount = 0;
        if (_finished)
        {
            return;
        }

        _finished = true;
        var last = history.Last;
        if (_hasPending)
        {
            _emitted[_emittedCount++] = _pending with { KnownAt = last };
            var kind = _pending.Kind == SwingKind.High ? SwingKind.Low : SwingKind.High;
            ref readonly var b = ref history[last];
            _emitted[_emittedCount++] = new Swing(last, kind, kind == SwingKind.High ? b.High : b.Low, last, true);
            _hasPending = false;
        }

        FinalThrough = last;
    }

    private void OnRawPivot(in Swing raw, int k)
    {
        if (!_hasPending)
        {
            // First pivot ever: bar 0's bookend (opposite kind) is now known and final.
            var kind = raw.Kind == SwingKind.High ? SwingKind.Low : SwingKind.High;
            _emitted[_emittedCount++] = new Swing(0, kind, kind == SwingKind.High ? _firstHigh : _firstLow, k, true);
            _pending = raw;
            _hasPending = true;
            return;
        }

        if (raw.Kind == _pending.Kind)
        {
            // Same run: keep the most extreme, the earliest on ties.
            var better = raw.Kind == SwingKind.High ? raw.Level > _pending.Level : raw.Level < _pending.Level;
            if (better)
            {
                _pending = raw;
            }

            return;
        }

        _emitted[_emittedCount++] = _pending with { KnownAt = k };
        _pending = raw;
    }
}
