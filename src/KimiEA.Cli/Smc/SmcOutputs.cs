using KimiEA.Smc.Structure;
using KimiEA.Smc.Time;

namespace KimiEA.Cli.Smc;

/// <summary>
/// The eight files of <c>kimi smc</c>, with the reference's file names, column names, column order and dtypes
/// (float32 where the reference stores float32, int where it writes integers).
/// </summary>
internal static class SmcOutputs
{
    /// <summary>File name → columns, in the order the files are written.</summary>
    public static IReadOnlyList<(string File, IReadOnlyList<PandasColumn> Columns)> Tables(
        StructureAnalysis structure, PreviousHighLowColumns previous, SessionColumns sessions)
    {
        static PandasColumn C(ColumnTable t, string name, PandasDtype dtype) => new(name, dtype, t.Column(name));
        static double[] D(float[] v) => Array.ConvertAll(v, x => (double)x);
        static double[] I(int[] v) => Array.ConvertAll(v, x => (double)x);
        const PandasDtype F64 = PandasDtype.Float64, F32 = PandasDtype.Float32, I64 = PandasDtype.Int64;
        var s = structure;
        return
        [
            ("swing_highs_lows.csv", [C(s.Swings, "HighLow", F64), C(s.Swings, "Level", F64)]),
            ("fvg.csv", [C(s.Fvg, "FVG", F64), C(s.Fvg, "Top", F64), C(s.Fvg, "Bottom", F64), C(s.Fvg, "MitigatedIndex", F64)]),
            ("bos_choch.csv", [C(s.BosChoch, "BOS", F64), C(s.BosChoch, "CHOCH", F64), C(s.BosChoch, "Level", F32), C(s.BosChoch, "BrokenIndex", F64)]),
            ("ob.csv", [
                C(s.OrderBlocks, "OB", F64), C(s.OrderBlocks, "Top", F32), C(s.OrderBlocks, "Bottom", F32),
                C(s.OrderBlocks, "OBVolume", F32), C(s.OrderBlocks, "MitigatedIndex", F64), C(s.OrderBlocks, "Percentage", F32)]),
            ("liquidity.csv", [C(s.Liquidity, "Liquidity", F32), C(s.Liquidity, "Level", F32), C(s.Liquidity, "End", F32), C(s.Liquidity, "Swept", F32)]),
            ("previous_high_low.csv", [
                new("PreviousHigh", F32, D(previous.PreviousHigh)), new("PreviousLow", F32, D(previous.PreviousLow)),
                new("BrokenHigh", I64, I(previous.BrokenHigh)), new("BrokenLow", I64, I(previous.BrokenLow))]),
            ("sessions.csv", [new("Active", I64, I(sessions.Active)), new("High", F32, D(sessions.High)), new("Low", F32, D(sessions.Low))]),
            ("retracements.csv", [
                C(s.Retracements, "Direction", I64), C(s.Retracements, "CurrentRetracement%", F64), C(s.Retracements, "DeepestRetracement%", F64)]),
        ];
    }
}
