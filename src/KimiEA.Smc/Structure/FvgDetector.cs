using KimiEA.Core.Trading;

namespace KimiEA.Smc.Structure;

/// <summary>
/// Streaming fair value gaps. Middle candle i is a bullish gap when C&gt;O and H[i−1] &lt; L[i+1] (Top = L[i+1],
/// Bottom = H[i−1]); bearish when C&lt;O and L[i−1] &gt; H[i+1] (Top = L[i−1], Bottom = H[i+1]). Known at the close of
/// i+1 (i+2 when joining runs). Mitigated by the first bar j ≥ i+2 whose low (bullish) reaches Top or whose high
/// (bearish) reaches Bottom.
/// </summary>
public sealed class FvgDetector
{
    private readonly bool _join;
    private readonly SlotList<FairValueGap> _active;
    private readonly IStructureEventSink? _sink;
    private bool _hasRun;
    private FairValueGap _run;
    private int _created;

    // Skip test: no bullish gap can be touched while Low > max Top, no bearish while High < min Bottom.
    private double _bullMaxTop = double.NegativeInfinity;
    private double _bearMinBottom = double.PositiveInfinity;
    private bool _dirty;

    /// <summary>Creates the detector.</summary>
    /// <param name="joinConsecutive">Merge adjacent same-direction gaps (reference's join_consecutive).</param>
    /// <param name="capacity">How many unmitigated gaps are tracked (oldest dropped when full).</param>
    /// <param name="sink">Optional event receiver.</param>
    public FvgDetector(bool joinConsecutive, int capacity, IStructureEventSink? sink)
    {
        _join = joinConsecutive;
        _active = new SlotList<FairValueGap>(capacity);
        _sink = sink;
    }

    /// <summary>Unmitigated gaps, oldest first.</summary>
    public int ActiveCount => _active.Count;

    /// <summary>The i-th unmitigated gap (0 = oldest).</summary>
    public FairValueGap GetActive(int i) => (uint)i < (uint)_active.Count ? _active[i] : throw new ArgumentOutOfRangeException(nameof(i));

    /// <summary>Total gaps created so far.</summary>
    public int CreatedCount => _created;

    /// <summary>Processes the newest bar of <paramref name="history"/>.</summary>
    public void OnBar(BarHistory history)
    {
        var k = history.Last;

        // Mitigation of existing gaps by bar k (a gap created below is checked from its own start bar).
        ref readonly var bar = ref history[k];
        if (_dirty)
        {
            Recompute();
        }

        if (bar.Low <= _bullMaxTop || bar.High >= _bearMinBottom)
        {
            for (var a = 0; a < _active.Count; a++)
            {
                if (Touches(_active[a], bar))
                {
                    Mitigate(a, k);
                    a--;
                }
            }
        }

        if (k < 2)
        {
            return;
        }

        var i = k - 1;
        ref readonly var prev = ref history[i - 1];
        ref readonly var mid = ref history[i];
        ref readonly var next = ref history[k];
        var found = false;
        FairValueGap gap = default;
        if (mid.Close > mid.Open && prev.High < next.Low)
        {
            gap = new FairValueGap(i, Direction.Buy, next.Low, prev.High, k, 0);
            found = true;
        }
        else if (mid.Close < mid.Open && prev.Low > next.High)
        {
            gap = new FairValueGap(i, Direction.Sell, prev.Low, next.High, k, 0);
            found = true;
        }

        if (!_join)
        {
            if (found)
            {
                Create(gap, history);
            }

            return;
        }

        if (_hasRun && found && gap.Direction == _run.Direction && _run.Index == i - 1)
        {
            _run = gap with { Top = Math.Max(_run.Top, gap.Top), Bottom = Math.Min(_run.Bottom, gap.Bottom) };
            return;
        }

        if (_hasRun)
        {
            // Bar i is known not to extend the run ending at i−1: the joined gap is final now (its i+2 = k).
            _hasRun = false;
            Create(_run with { KnownAt = k }, history);
        }

        if (found)
        {
            _run = gap;
            _hasRun = true;
        }
    }

    /// <summary>End of data: a run still open is emitted (nothing can extend it any more).</summary>
    public void Finish(BarHistory history)
    {
        if (_hasRun)
        {
            _hasRun = false;
            Create(_run with { KnownAt = history.Last }, history);
        }
    }

    private void Recompute()
    {
        _bullMaxTop = double.NegativeInfinity;
        _bearMinBottom = double.PositiveInfinity;
        for (var a = 0; a < _active.Count; a++)
        {
            ref readonly var g = ref _active[a];
            if (g.Direction == Direction.Buy)
            {
                _bullMaxTop = Math.Max(_bullMaxTop, g.Top);
            }
            else
            {
                _bearMinBottom = Math.Min(_bearMinBottom, g.Bottom);
            }
        }

        _dirty = false;
    }

    private static bool Touches(in FairValueGap g, in Core.Market.Bar b) =>
        g.Direction == Direction.Buy ? b.Low <= g.Top : b.High >= g.Bottom;

    private void Create(in FairValueGap gap, BarHistory history)
    {
        _created++;
        _sink?.OnFairValueGap(gap, FvgChange.Created);
        _active.Add(gap);
        _dirty = true;

        // Bars from Index+2 up to the newest bar that were already seen (joined gaps start one bar late).
        var last = history.Last;
        for (var j = Math.Max(gap.Index + 2, history.Oldest); j <= last; j++)
        {
            if (Touches(gap, history[j]))
            {
                Mitigate(_active.Count - 1, j);
                return;
            }
        }
    }

    // The touch is always known at the touching bar itself: replays only cover bars that close with the creation.
    private void Mitigate(int slot, int j)
    {
        var g = _active[slot] with { MitigatedIndex = j };
        _active.RemoveAt(slot);
        _dirty = true;
        _sink?.OnFairValueGap(g, FvgChange.Mitigated);
    }
}
