using KimiEA.Core.Trading;

namespace KimiEA.Smc.Structure;

/// <summary>
/// Order blocks, as the reference defines them: when bar i closes above the last swing high t &lt; i (each swing
/// used once), the bullish block is the bar with the lowest low in t+1 … i−1 (latest on ties); mirrored for bearish.
/// Creation waits until every swing before i is final (so a block's <see cref="OrderBlock.KnownAt"/> can lag
/// <see cref="OrderBlock.FormedAt"/>); the lifecycle (mitigation into a breaker, then erasure when price trades back
/// through the other side) is then replayed over the bars already seen and followed live.
/// </summary>
public sealed class OrderBlockDetector
{
    private readonly StructureOptions _o;
    private readonly IStructureEventSink? _sink;
    private readonly SlotList<Tracked> _active;
    private readonly SlotList<Tracked> _breakers;
    private int _next;
    private long _seq;
    private Swing _lastHigh = new(-1, SwingKind.High, 0, 0, false);
    private Swing _lastLow = new(-1, SwingKind.Low, 0, 0, false);
    private bool _highCrossed;
    private bool _lowCrossed;

    // Skip tests per list: nothing can happen to any block while the bar stays inside these bounds.
    private double _activeBullMaxBottom = double.NegativeInfinity;
    private double _activeBearMinTop = double.PositiveInfinity;
    private double _breakerBullMinTop = double.PositiveInfinity;
    private double _breakerBearMaxBottom = double.NegativeInfinity;
    private bool _dirty;

    /// <summary>Creates the detector.</summary>
    public OrderBlockDetector(StructureOptions options, IStructureEventSink? sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        _o = options;
        _sink = sink;
        _active = new SlotList<Tracked>(options.TrackedCapacity);
        _breakers = new SlotList<Tracked>(options.TrackedCapacity);
    }

    /// <summary>Next bar the creation cursor will examine (bars before it are done).</summary>
    public int Cursor => _next;

    /// <summary>Unmitigated blocks, oldest first.</summary>
    public int ActiveCount => _active.Count;

    /// <summary>The i-th unmitigated block (0 = oldest).</summary>
    public OrderBlock GetActive(int i) => (uint)i < (uint)_active.Count ? _active[i].Block : throw new ArgumentOutOfRangeException(nameof(i));

    /// <summary>Blocks dropped because <see cref="StructureOptions.TrackedCapacity"/> was exceeded.</summary>
    public long Dropped => _active.Dropped + _breakers.Dropped;

    /// <summary>Follows every tracked block through the newest bar.</summary>
    public void OnBar(BarHistory history)
    {
        var k = history.Last;
        ref readonly var b = ref history[k];
        if (_dirty)
        {
            Recompute();
        }

        var bullProbe = _o.CloseMitigation ? Math.Min(b.Open, b.Close) : b.Low;
        var bearProbe = _o.CloseMitigation ? Math.Max(b.Open, b.Close) : b.High;
        if (bullProbe < _activeBullMaxBottom || bearProbe > _activeBearMinTop || b.High > _breakerBullMinTop || b.Low < _breakerBearMaxBottom)
        {
            for (var a = _breakers.Count - 1; a >= 0; a--)
            {
                Follow(history, _breakers, a, k, k);
            }

            for (var a = _active.Count - 1; a >= 0; a--)
            {
                Follow(history, _active, a, k, k);
            }
        }
    }

    /// <summary>Examines bars from the cursor up to <paramref name="through"/> (the caller guarantees the swings before each are final).</summary>
    internal void Advance(BarHistory history, SwingLog log, int through)
    {
        var last = history.Last;
        through = Math.Min(through, last);
        for (; _next <= through; _next++)
        {
            var i = _next;
            while (_seq < log.Count && log[_seq].Index < i)
            {
                ref readonly var s = ref log[_seq];
                if (s.Kind == SwingKind.High)
                {
                    _lastHigh = s;
                    _highCrossed = false;
                }
                else
                {
                    _lastLow = s;
                    _lowCrossed = false;
                }

                _seq++;
            }

            if (i < history.Oldest)
            {
                continue;
            }

            ref readonly var bar = ref history[i];
            if (_lastHigh.Index >= 0 && !_highCrossed && bar.Close > _lastHigh.Level)
            {
                _highCrossed = true;
                Create(history, i, _lastHigh, Direction.Buy, last);
            }

            if (_lastLow.Index >= 0 && !_lowCrossed && bar.Close < _lastLow.Level)
            {
                _lowCrossed = true;
                Create(history, i, _lastLow, Direction.Sell, last);
            }
        }
    }

    private void Create(BarHistory history, int i, in Swing swing, Direction dir, int last)
    {
        var t = swing.Index;
        var c = i - 1;
        double top, bottom;
        if (i - t > 1)
        {
            // Lowest low (bullish) / highest high (bearish) in t+1 … i−1, the latest on ties.
            var from = Math.Max(t + 1, history.Oldest);
            c = from;
            for (var j = from + 1; j < i; j++)
            {
                if (dir == Direction.Buy ? history[j].Low <= history[c].Low : history[j].High >= history[c].High)
                {
                    c = j;
                }
            }

            (top, bottom) = (history[c].High, history[c].Low);
        }
        else if (dir == Direction.Buy && _o.PeerInvertedOrderBlock)
        {
            (top, bottom) = (history[c].Low, history[c].High);
        }
        else
        {
            (top, bottom) = (history[c].High, history[c].Low);
        }

        var v0 = history[i].Volume;
        var v1 = i >= 1 && i - 1 >= history.Oldest ? history[i - 1].Volume : 0.0;
        var v2 = i >= 2 && i - 2 >= history.Oldest ? history[i - 2].Volume : 0.0;
        var volume = v0 + v1 + v2;
        var recent = v0 + v1;
        var older = v2;
        double pct;
        if (_o.Float32Levels)
        {
            top = (float)top;
            bottom = (float)bottom;
            volume = (float)volume;
            float hi = (float)recent, lo = (float)older;
            var max = Math.Max(hi, lo);
            pct = max != 0 ? (float)((double)(Math.Min(hi, lo) / max) * 100.0) : 100.0;
        }
        else
        {
            var max = Math.Max(recent, older);
            pct = max != 0 ? Math.Min(recent, older) / max * 100.0 : 100.0;
        }

        var block = new OrderBlock(c, dir, top, bottom, volume, pct, i, last, 0, t);
        _sink?.OnOrderBlock(block, OrderBlockChange.Created);
        _active.Add(new Tracked { Block = block });
        _dirty = true;
        Follow(history, _active, _active.Count - 1, i + 1, last);
    }

    private void Recompute()
    {
        (_activeBullMaxBottom, _activeBearMinTop) = (double.NegativeInfinity, double.PositiveInfinity);
        (_breakerBullMinTop, _breakerBearMaxBottom) = (double.PositiveInfinity, double.NegativeInfinity);
        for (var a = 0; a < _active.Count; a++)
        {
            ref readonly var blk = ref _active[a].Block;
            if (blk.Direction == Direction.Buy)
            {
                _activeBullMaxBottom = Math.Max(_activeBullMaxBottom, blk.Bottom);
            }
            else
            {
                _activeBearMinTop = Math.Min(_activeBearMinTop, blk.Top);
            }
        }

        for (var a = 0; a < _breakers.Count; a++)
        {
            ref readonly var blk = ref _breakers[a].Block;
            if (blk.Direction == Direction.Buy)
            {
                _breakerBullMinTop = Math.Min(_breakerBullMinTop, blk.Top);
            }
            else
            {
                _breakerBearMaxBottom = Math.Max(_breakerBearMaxBottom, blk.Bottom);
            }
        }

        _dirty = false;
    }

    // Moves one block through bars from … upTo; a block can be mitigated and erased within the same replay.
    private void Follow(BarHistory history, SlotList<Tracked> list, int slot, int from, int upTo)
    {
        var tr = list[slot];
        var breaker = tr.Breaker;
        var bull = tr.Block.Direction == Direction.Buy;
        for (var m = Math.Max(from, history.Oldest); m <= upTo; m++)
        {
            ref readonly var b = ref history[m];
            if (!breaker)
            {
                var through = bull
                    ? (_o.CloseMitigation ? Math.Min(b.Open, b.Close) : b.Low) < tr.Block.Bottom
                    : (_o.CloseMitigation ? Math.Max(b.Open, b.Close) : b.High) > tr.Block.Top;
                if (through)
                {
                    breaker = true;
                    tr.Breaker = true;
                    tr.Block = tr.Block with { MitigatedIndex = bull && _o.PeerBullishMitigationIndex ? m - 1 : m };
                    _sink?.OnOrderBlock(tr.Block, OrderBlockChange.Mitigated);
                }
            }
            else if (bull ? b.High > tr.Block.Top : b.Low < tr.Block.Bottom)
            {
                _sink?.OnOrderBlock(tr.Block, OrderBlockChange.Erased);
                list.RemoveAt(slot);
                _dirty = true;
                return;
            }
        }

        if (breaker && list == _active)
        {
            list.RemoveAt(slot);
            _breakers.Add(tr);
            _dirty = true;
        }
        else
        {
            list[slot] = tr;
        }
    }

    private struct Tracked
    {
        public OrderBlock Block;
        public bool Breaker;
    }
}
