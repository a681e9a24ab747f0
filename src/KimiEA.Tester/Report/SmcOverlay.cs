using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Smc.Structure;

namespace KimiEA.Tester.Report;

/// <summary>
/// The SMC structure the report draws over each candlestick chart: order-block and fair-value-gap zones (from the
/// bar that formed them until they were mitigated, or the end of the chart) and the BOS/CHoCH levels from the broken
/// swing to the breaking bar. Computed with the product's own streaming <see cref="StructureEngine"/> over the bars the
/// chart shows, with the EA's default swing length, so the picture is what the engine saw.
/// </summary>
internal sealed class SmcOverlay : IStructureEventSink
{
    /// <summary>At most this many zones and breaks per chart (the most recent), to keep the file small.</summary>
    public const int MaxItems = 400;

    private readonly Dictionary<(int Index, bool IsOrderBlock, Direction Direction), Zone> _zones = [];
    private readonly List<Break> _breaks = [];

    /// <summary>A zone: bar indices into the chart's bars, prices, side and kind.</summary>
    public readonly record struct Zone(int From, int To, double Top, double Bottom, Direction Direction, bool IsOrderBlock);

    /// <summary>A broken structure level: from the swing bar to the breaking bar.</summary>
    public readonly record struct Break(int From, int To, double Level, Direction Direction, bool IsChoch);

    /// <summary>Zones in formation order (most recent <see cref="MaxItems"/>).</summary>
    public IReadOnlyList<Zone> Zones { get; private set; } = [];

    /// <summary>Broken BOS/CHoCH levels in order (most recent <see cref="MaxItems"/>).</summary>
    public IReadOnlyList<Break> Breaks { get; private set; } = [];

    /// <summary>Runs the structure engine over <paramref name="bars"/> (time order) and collects what to draw.</summary>
    public static SmcOverlay Compute(IReadOnlyCollection<MqlRates> bars)
    {
        var overlay = new SmcOverlay();
        var options = new StructureOptions { SwingLength = (int)KimiConfig.Defaults(0, 60).SwingLength };
        var engine = new StructureEngine(options, overlay);
        var last = bars.Count - 1;
        foreach (var b in bars)
        {
            engine.OnBar(Bar.FromRates(b));
        }

        var zones = new List<Zone>(overlay._zones.Count);
        foreach (var z in overlay._zones.Values)
        {
            zones.Add(z.To == 0 ? z with { To = last } : z);
        }

        zones.Sort(static (a, b) => a.From != b.From ? a.From.CompareTo(b.From) : a.Top.CompareTo(b.Top));
        overlay.Zones = zones.Count > MaxItems ? zones.GetRange(zones.Count - MaxItems, MaxItems) : zones;
        overlay.Breaks = overlay._breaks.Count > MaxItems ? overlay._breaks.GetRange(overlay._breaks.Count - MaxItems, MaxItems) : overlay._breaks;
        return overlay;
    }

    void IStructureEventSink.OnOrderBlock(in OrderBlock block, OrderBlockChange change)
    {
        var key = (block.Index, true, block.Direction);
        switch (change)
        {
            case OrderBlockChange.Created:
                _zones[key] = new Zone(block.Index, 0, block.Top, block.Bottom, block.Direction, true);
                break;
            case OrderBlockChange.Mitigated when _zones.TryGetValue(key, out var z):
                _zones[key] = z with { To = block.MitigatedIndex };
                break;
            case OrderBlockChange.Erased:
                _zones.Remove(key);
                break;
        }
    }

    void IStructureEventSink.OnFairValueGap(in FairValueGap gap, FvgChange change)
    {
        var key = (gap.Index, false, gap.Direction);
        if (change == FvgChange.Created)
        {
            _zones[key] = new Zone(gap.Index, 0, gap.Top, gap.Bottom, gap.Direction, false);
        }
        else if (_zones.TryGetValue(key, out var z))
        {
            _zones[key] = z with { To = gap.MitigatedIndex };
        }
    }

    void IStructureEventSink.OnStructureBreak(in StructureBreak row, BreakChange change)
    {
        if (change == BreakChange.Broken && !row.Cleared)
        {
            _breaks.Add(new Break(row.Index, row.BrokenIndex, row.Level, row.Direction, row.IsChoch));
        }
    }

    void IStructureEventSink.OnSwing(in Swing swing)
    {
    }

    void IStructureEventSink.OnLiquidityPool(in LiquidityPool pool, PoolChange change)
    {
    }

    void IStructureEventSink.OnRetracement(in Retracement value)
    {
    }
}
