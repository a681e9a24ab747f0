using KimiEA.Smc.Structure;

namespace KimiEA.Smc.Tests.StructureDetectors;

/// <summary>Records every structure event together with the bar being processed when it was emitted.</summary>
internal sealed class RecordingSink : IStructureEventSink
{
    public int CurrentBar { get; set; }

    public List<(int At, Swing Value)> Swings { get; } = [];
    public List<(int At, FairValueGap Value, FvgChange Change)> Fvgs { get; } = [];
    public List<(int At, StructureBreak Value, BreakChange Change)> Breaks { get; } = [];
    public List<(int At, OrderBlock Value, OrderBlockChange Change)> Blocks { get; } = [];
    public List<(int At, LiquidityPool Value, PoolChange Change)> Pools { get; } = [];
    public List<(int At, Retracement Value)> Retracements { get; } = [];

    public void OnSwing(in Swing swing) => Swings.Add((CurrentBar, swing));
    public void OnFairValueGap(in FairValueGap gap, FvgChange change) => Fvgs.Add((CurrentBar, gap, change));
    public void OnStructureBreak(in StructureBreak row, BreakChange change) => Breaks.Add((CurrentBar, row, change));
    public void OnOrderBlock(in OrderBlock block, OrderBlockChange change) => Blocks.Add((CurrentBar, block, change));
    public void OnLiquidityPool(in LiquidityPool pool, PoolChange change) => Pools.Add((CurrentBar, pool, change));
    public void OnRetracement(in Retracement value) => Retracements.Add((CurrentBar, value));

    /// <summary>Streams <paramref name="bars"/> through a new engine with this sink (no Finish).</summary>
    public static (StructureEngine Engine, RecordingSink Sink) Stream(ReadOnlySpan<KimiEA.Core.Market.Bar> bars, StructureOptions options)
    {
        var sink = new RecordingSink();
        var engine = new StructureEngine(options, sink);
        for (var i = 0; i < bars.Length; i++)
        {
            sink.CurrentBar = i;
            engine.OnBar(bars[i]);
        }

        return (engine, sink);
    }
}
