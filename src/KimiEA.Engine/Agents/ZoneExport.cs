using KimiEA.Core.Abi;
using KimiEA.Smc.Structure;

namespace KimiEA.Engine.Agents;

/// <summary>
/// kimi_get_zones: the live SMC structure of a chart's <see cref="StructureEngine"/> written as <see cref="KimiZone"/>
/// records for the EA to draw. Order (kimiea.h): the dealing range (LEG), the last BOS/CHoCH (BREAK), then order
/// blocks, fair value gaps and liquidity pools newest first, one of each kind per round, until the capacity is used.
/// Reads the engine's query surface only: allocates nothing and changes nothing.
/// </summary>
internal static class ZoneExport
{
    /// <summary>Writes at most <c>output.Length</c> zones; returns how many were written.</summary>
    public static int Write(StructureEngine structure, Span<KimiZone> output)
    {
        var n = 0;
        var history = structure.History;
        if (history.Count == 0)
        {
            return 0;
        }

        var range = structure.DealingRange;
        if (n < output.Length && range.IsValid)
        {
            var older = Math.Min(range.HighIndex, range.LowIndex);
            var newer = Math.Max(range.HighIndex, range.LowIndex);
            output[n++] = new KimiZone
            {
                Kind = AbiCodes.ZoneLeg,
                Direction = range.Zone(history[history.Last].Close) switch
                {
                    PriceZone.Discount => AbiCodes.Buy,
                    PriceZone.Premium => AbiCodes.Sell,
                    _ => 0,
                },
                StartTime = TimeOf(history, older),
                EndTime = TimeOf(history, newer),
                Top = range.High,
                Bottom = range.Low,
                Value = range.Equilibrium,
            };
        }

        if (n < output.Length && structure.TryGetLastBreak(out var b))
        {
            output[n++] = new KimiZone
            {
                Kind = AbiCodes.ZoneBreak,
                Direction = (long)b.Direction,
                StartTime = TimeOf(history, b.Index),
                EndTime = b.IsBroken ? TimeOf(history, b.BrokenIndex) : 0,
                Flags = (b.IsChoch ? AbiCodes.ZoneFlagChoch : 0) | (b.Confirmed ? AbiCodes.ZoneFlagConfirmed : 0),
                Top = b.Level,
                Bottom = b.Level,
            };
        }

        int blocks = structure.ActiveOrderBlockCount, gaps = structure.ActiveFvgCount, pools = structure.LiquidityPoolCount;
        for (var round = 1; n < output.Length && (round <= blocks || round <= gaps || round <= pools); round++)
        {
            if (round <= blocks)
            {
                var ob = structure.GetActiveOrderBlock(blocks - round);
                output[n++] = new KimiZone
                {
                    Kind = AbiCodes.ZoneOrderBlock,
                    Direction = (long)ob.Direction,
                    StartTime = TimeOf(history, ob.Index),
                    Top = ob.Top,
                    Bottom = ob.Bottom,
                    Value = ob.Percentage,
                };
            }

            if (round <= gaps && n < output.Length)
            {
                var g = structure.GetActiveFvg(gaps - round);
                output[n++] = new KimiZone
                {
                    Kind = AbiCodes.ZoneFvg,
                    Direction = (long)g.Direction,
                    StartTime = TimeOf(history, g.Index),
                    Top = g.Top,
                    Bottom = g.Bottom,
                };
            }

            if (round <= pools && n < output.Length)
            {
                var p = structure.GetLiquidityPool(pools - round);
                output[n++] = new KimiZone
                {
                    Kind = AbiCodes.ZoneLiquidity,
                    Direction = p.Kind == SwingKind.High ? AbiCodes.Buy : AbiCodes.Sell,
                    StartTime = TimeOf(history, p.Index),
                    EndTime = TimeOf(history, p.IsSwept ? p.Swept : p.End),
                    Flags = p.IsSwept ? AbiCodes.ZoneFlagSwept : 0,
                    Members = p.Members,
                    Top = p.Level,
                    Bottom = p.Level,
                };
            }
        }

        return n;
    }

    /// <summary>The open time of bar <paramref name="index"/>, or 0 when it is no longer (or not yet) in the history.</summary>
    private static long TimeOf(BarHistory history, int index) =>
        index >= history.Oldest && index <= history.Last ? history[index].Time : 0;
}
