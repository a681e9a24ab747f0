using KimiEA.Core.Trading;

namespace KimiEA.Smc.Structure;

/// <summary>
/// Streaming BOS/CHoCH over the final swings. With the last four swings s4..s1 (s1 newest): bullish BOS = low, high,
/// low, high with v4 &lt; v2 &lt; v3 &lt; v1; bearish BOS mirrored; bullish CHoCH = v1 &gt; v3 &gt; v4 &gt; v2; bearish
/// CHoCH mirrored. The row is flagged on s3 with level v3 and broken by the first bar j ≥ s3+2 whose close (or
/// wick) goes beyond the level. A break at j clears every earlier row that is not broken before j (the reference's
/// de-duplication; a cleared row keeps its BrokenIndex). A broken row is confirmed once no later row can clear it.
/// </summary>
public sealed class BosChochDetector
{
    private readonly bool _closeBreak;
    private readonly bool _float32;
    private readonly IStructureEventSink? _sink;
    private readonly SlotList<Row> _rows;
    private readonly Swing[] _last4 = new Swing[4];
    private int _swingCount;
    private StructureBreak _lastConfirmed;
    private bool _hasConfirmed;

    // Skip test: no unbroken bullish row can break while the probe price ≤ min level, no bearish while ≥ max level.
    private double _bullMinLevel = double.PositiveInfinity;
    private double _bearMaxLevel = double.NegativeInfinity;
    private bool _dirty;

    /// <summary>Creates the detector.</summary>
    public BosChochDetector(bool closeBreak, bool float32Levels, int capacity, IStructureEventSink? sink)
    {
        _closeBreak = closeBreak;
        _float32 = float32Levels;
        _rows = new SlotList<Row>(capacity);
        _sink = sink;
    }

    /// <summary>Rows still tracked (flagged and not final, or cleared but not yet broken).</summary>
    public int TrackedCount => _rows.Count;

    /// <summary>Rows dropped because <see cref="StructureOptions.TrackedCapacity"/> was exceeded.</summary>
    public long Dropped => _rows.Dropped;

    /// <summary>
    /// The most recent break (largest BrokenIndex, then largest Index) that is broken and not cleared, confirmed or
    /// not (see <see cref="StructureBreak.Confirmed"/>).
    /// </summary>
    public bool TryGetLastBreak(out StructureBreak result)
    {
        var found = _hasConfirmed;
        result = _lastConfirmed;
        for (var r = 0; r < _rows.Count; r++)
        {
            ref readonly var b = ref _rows[r].Break;
            if (b.IsBroken && !b.Cleared && (!found || b.BrokenIndex > result.BrokenIndex || (b.BrokenIndex == result.BrokenIndex && b.Index > result.Index)))
            {
                result = b;
                found = true;
            }
        }

        return found;
    }

    /// <summary>Checks the newest bar against every unbroken row (call before <see cref="OnSwings"/> for the same bar).</summary>
    public void OnBar(BarHistory history)
    {
        var k = history.Last;
        ref readonly var bar = ref history[k];
        if (_dirty)
        {
            Recompute();
        }

        if ((_closeBreak ? bar.Close : bar.High) > _bullMinLevel || (_closeBreak ? bar.Close : bar.Low) < _bearMaxLevel)
        {
            for (var r = 0; r < _rows.Count; r++)
            {
                if (!_rows[r].Break.IsBroken && Breaks(_rows[r].Break, bar))
                {
                    OnBreak(r, k, k);
                }
            }

            Compact();
        }
    }

    /// <summary>Feeds swings that just became final (in index order); new rows search the bars already seen for their break.</summary>
    public void OnSwings(ReadOnlySpan<Swing> swings, BarHistory history)
    {
        var k = history.Last;
        foreach (ref readonly var s in swings)
        {
            _last4[0] = _last4[1];
            _last4[1] = _last4[2];
            _last4[2] = _last4[3];
            _last4[3] = s;
            _swingCount++;
            if (_swingCount >= 4)
            {
                Evaluate(history, k);
            }

            if (_swingCount >= 2)
            {
                // Every later row sits on a swing at or after the second-newest one, so it breaks at ≥ that index + 2.
                ConfirmThrough(_last4[2].Index + 1);
            }
        }

        Compact();
    }

    /// <summary>End of data: rows never broken are dropped (reference); broken uncleared rows are confirmed.</summary>
    public void Finish()
    {
        for (var r = 0; r < _rows.Count; r++)
        {
            ref var row = ref _rows[r];
            if (!row.Break.IsBroken && !row.Break.Cleared)
            {
                row.Break = row.Break with { Cleared = true };
                _sink?.OnStructureBreak(row.Break, BreakChange.Expired);
            }
        }

        ConfirmThrough(int.MaxValue);
        _rows.Clear();
        _dirty = true;
    }

    private void Evaluate(BarHistory history, int k)
    {
        ref readonly var s4 = ref _last4[0];
        ref readonly var s3 = ref _last4[1];
        ref readonly var s2 = ref _last4[2];
        ref readonly var s1 = ref _last4[3];
        double v4 = s4.Level, v3 = s3.Level, v2 = s2.Level, v1 = s1.Level;
        var up = s4.Kind == SwingKind.Low && s3.Kind == SwingKind.High && s2.Kind == SwingKind.Low && s1.Kind == SwingKind.High;
        var down = s4.Kind == SwingKind.High && s3.Kind == SwingKind.Low && s2.Kind == SwingKind.High && s1.Kind == SwingKind.Low;
        Direction dir;
        bool choch;
        if (up && v4 < v2 && v2 < v3 && v3 < v1)
        {
            (dir, choch) = (Direction.Buy, false);
        }
        else if (down && v4 > v2 && v2 > v3 && v3 > v1)
        {
            (dir, choch) = (Direction.Sell, false);
        }
        else if (up && v1 > v3 && v3 > v4 && v4 > v2)
        {
            (dir, choch) = (Direction.Buy, true);
        }
        else if (down && v1 < v3 && v3 < v4 && v4 < v2)
        {
            (dir, choch) = (Direction.Sell, true);
        }
        else
        {
            return;
        }

        var level = _float32 ? (double)(float)v3 : v3;
        var row = new Row { Break = new StructureBreak(s3.Index, dir, choch, level, k, 0, 0, false, false) };
        _sink?.OnStructureBreak(row.Break, BreakChange.Flagged);
        _rows.Add(row);
        _dirty = true;
        var slot = _rows.Count - 1;
        for (var j = Math.Max(s3.Index + 2, history.Oldest); j <= k; j++)
        {
            if (Breaks(row.Break, history[j]))
            {
                OnBreak(slot, j, k);
                return;
            }
        }
    }

    private void Recompute()
    {
        _bullMinLevel = double.PositiveInfinity;
        _bearMaxLevel = double.NegativeInfinity;
        for (var r = 0; r < _rows.Count; r++)
        {
            ref readonly var b = ref _rows[r].Break;
            if (b.IsBroken)
            {
                continue;
            }

            if (b.Direction == Direction.Buy)
            {
                _bullMinLevel = Math.Min(_bullMinLevel, b.Level);
            }
            else
            {
                _bearMaxLevel = Math.Max(_bearMaxLevel, b.Level);
            }
        }

        _dirty = false;
    }

    private bool Breaks(in StructureBreak b, in Core.Market.Bar bar) =>
        b.Direction == Direction.Buy
            ? (_closeBreak ? bar.Close : bar.High) > b.Level
            : (_closeBreak ? bar.Close : bar.Low) < b.Level;

    private void OnBreak(int slot, int j, int knownAt)
    {
        ref var row = ref _rows[slot];
        row.Break = row.Break with { BrokenIndex = j, BrokenKnownAt = knownAt };
        _dirty = true;
        _sink?.OnStructureBreak(row.Break, BreakChange.Broken);
        var index = row.Break.Index;
        for (var r = 0; r < _rows.Count; r++)
        {
            ref var other = ref _rows[r];
            if (other.Break.Index < index && !other.Break.Cleared && !(other.Break.IsBroken && other.Break.BrokenIndex < j))
            {
                other.Break = other.Break with { Cleared = true };
                _sink?.OnStructureBreak(other.Break, BreakChange.Cleared);
            }
        }
    }

    private void ConfirmThrough(int maxBrokenIndex)
    {
        for (var r = 0; r < _rows.Count; r++)
        {
            ref var row = ref _rows[r];
            if (row.Break.IsBroken && !row.Break.Cleared && !row.Break.Confirmed && row.Break.BrokenIndex <= maxBrokenIndex)
            {
                row.Break = row.Break with { Confirmed = true };
                _sink?.OnStructureBreak(row.Break, BreakChange.Confirmed);
                if (!_hasConfirmed || row.Break.BrokenIndex > _lastConfirmed.BrokenIndex || (row.Break.BrokenIndex == _lastConfirmed.BrokenIndex && row.Break.Index > _lastConfirmed.Index))
                {
                    _lastConfirmed = row.Break;
                    _hasConfirmed = true;
                }
            }
        }
    }

    // Broken rows that are cleared or confirmed can no longer change.
    private void Compact()
    {
        for (var r = _rows.Count - 1; r >= 0; r--)
        {
            ref readonly var b = ref _rows[r].Break;
            if (b.IsBroken && (b.Cleared || b.Confirmed))
            {
                _rows.RemoveAt(r);
                _dirty = true;
            }
        }
    }

    private struct Row
    {
        public StructureBreak Break;
    }
}
