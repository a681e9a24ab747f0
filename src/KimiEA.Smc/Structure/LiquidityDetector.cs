namespace KimiEA.Smc.Structure;

/// <summary>
/// Liquidity pools over the final swings, as the reference groups them: the first unused swing high (low) anchors
/// a band of ±R around its level; later swing highs (lows) inside the band join the earliest open anchor until
/// the anchor is swept (the first bar after it with High ≥ level+R, or Low ≤ level−R); a pool needs two swings.
/// R is <see cref="StructureOptions.LiquidityTolerance"/> when given, otherwise range_percent × the high–low range
/// of the bars seen so far, frozen per anchor (causal; the reference uses the whole series).
/// </summary>
public sealed class LiquidityDetector
{
    private readonly StructureOptions _o;
    private readonly IStructureEventSink? _sink;
    private readonly SlotList<Anchor> _anchors;
    private double _maxHigh = double.NegativeInfinity;
    private double _minLow = double.PositiveInfinity;

    // Skip test: no unswept high anchor is swept while High < min(level+R), no low anchor while Low > max(level−R).
    private double _highTrigger = double.PositiveInfinity;
    private double _lowTrigger = double.NegativeInfinity;
    private bool _dirty;

    /// <summary>Creates the detector.</summary>
    public LiquidityDetector(StructureOptions options, IStructureEventSink? sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        _o = options;
        _sink = sink;
        _anchors = new SlotList<Anchor>(options.TrackedCapacity);
    }

    /// <summary>Tracked anchors (pools and single swings that may still become pools).</summary>
    public int TrackedCount => _anchors.Count;

    /// <summary>Anchors dropped because <see cref="StructureOptions.TrackedCapacity"/> was exceeded.</summary>
    public long Dropped => _anchors.Dropped;

    /// <summary>Copies the tracked pools (two or more swings), oldest first, into <paramref name="destination"/>; returns how many were written.</summary>
    public int CopyPools(Span<LiquidityPool> destination)
    {
        var w = 0;
        for (var a = 0; a < _anchors.Count && w < destination.Length; a++)
        {
            if (_anchors[a].Members >= 2)
            {
                destination[w++] = _anchors[a].ToPool();
            }
        }

        return w;
    }

    /// <summary>Number of tracked pools (two or more swings).</summary>
    public int PoolCount
    {
        get
        {
            var n = 0;
            for (var a = 0; a < _anchors.Count; a++)
            {
                n += _anchors[a].Members >= 2 ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>The i-th tracked pool (0 = oldest).</summary>
    public LiquidityPool GetPool(int i)
    {
        for (var a = 0; a < _anchors.Count; a++)
        {
            if (_anchors[a].Members >= 2 && i-- == 0)
            {
                return _anchors[a].ToPool();
            }
        }

        throw new ArgumentOutOfRangeException(nameof(i));
    }

    /// <summary>Checks the newest bar for sweeps (call before <see cref="OnSwings"/> for the same bar).</summary>
    public void OnBar(BarHistory history)
    {
        var k = history.Last;
        ref readonly var bar = ref history[k];
        _maxHigh = Math.Max(_maxHigh, bar.High);
        _minLow = Math.Min(_minLow, bar.Low);
        if (_dirty)
        {
            Recompute();
        }

        if (bar.High < _highTrigger && bar.Low > _lowTrigger)
        {
            return;
        }

        for (var a = 0; a < _anchors.Count; a++)
        {
            ref var an = ref _anchors[a];
            if (an.Swept == 0 && Sweeps(an, bar))
            {
                SetSwept(ref an, k, k);
            }
        }

        _dirty = true;
    }

    private void Recompute()
    {
        _highTrigger = double.PositiveInfinity;
        _lowTrigger = double.NegativeInfinity;
        for (var a = 0; a < _anchors.Count; a++)
        {
            ref readonly var an = ref _anchors[a];
            if (an.Swept != 0)
            {
                continue;
            }

            if (an.Kind == SwingKind.High)
            {
                _highTrigger = Math.Min(_highTrigger, an.Level + an.R);
            }
            else
            {
                _lowTrigger = Math.Max(_lowTrigger, an.Level - an.R);
            }
        }

        _dirty = false;
    }

    /// <summary>Feeds swings that just became final, in index order.</summary>
    public void OnSwings(ReadOnlySpan<Swing> swings, BarHistory history)
    {
        var k = history.Last;
        foreach (ref readonly var s in swings)
        {
            var joined = false;
            for (var a = 0; a < _anchors.Count; a++)
            {
                ref var an = ref _anchors[a];
                if (an.Kind != s.Kind)
                {
                    continue;
                }

                if (an.Swept != 0 && s.Index >= an.Swept)
                {
                    // No later swing of this kind can be before the sweep any more: the anchor is closed.
                    _anchors.RemoveAt(a);
                    _dirty = true;
                    a--;
                    continue;
                }

                if (!joined && s.Level >= an.Level - an.R && s.Level <= an.Level + an.R)
                {
                    joined = true;
                    an.Sum += s.Level;
                    an.Members++;
                    an.End = s.Index;
                    an.KnownAt = k;
                    _sink?.OnLiquidityPool(an.ToPool(), an.Members == 2 ? PoolChange.Formed : PoolChange.Extended);
                }
            }

            if (!joined)
            {
                var r = double.IsNaN(_o.LiquidityTolerance) ? (_maxHigh - _minLow) * _o.RangePercent : _o.LiquidityTolerance;
                var an = new Anchor
                {
                    Index = s.Index, Kind = s.Kind, Level = s.Level, R = r, Sum = s.Level, Members = 1, End = s.Index,
                    KnownAt = k, Float32 = _o.Float32Levels,
                };
                for (var j = Math.Max(s.Index + 1, history.Oldest); j <= k; j++)
                {
                    if (Sweeps(an, history[j]))
                    {
                        an.Swept = j;
                        break;
                    }
                }

                _anchors.Add(an);
                _dirty = true;
            }
        }
    }

    private static bool Sweeps(in Anchor an, in Core.Market.Bar bar) =>
        an.Kind == SwingKind.High ? bar.High >= an.Level + an.R : bar.Low <= an.Level - an.R;

    private void SetSwept(ref Anchor an, int j, int knownAt)
    {
        an.Swept = j;
        if (an.Members >= 2)
        {
            an.KnownAt = knownAt;
            _sink?.OnLiquidityPool(an.ToPool(), PoolChange.Swept);
        }
    }

    private struct Anchor
    {
        public int Index;
        public SwingKind Kind;
        public double Level;
        public double R;
        public double Sum;
        public int Members;
        public int End;
        public int Swept;
        public int KnownAt;
        public bool Float32;

        public readonly LiquidityPool ToPool()
        {
            var mean = Sum / Members;
            return new LiquidityPool(Index, Kind, Float32 ? (float)mean : mean, End, Members, Swept, R, KnownAt);
        }
    }
}
