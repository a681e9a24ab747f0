namespace KimiEA.Smc.Tests.StructureDetectors;

/// <summary>
/// The checked-in list of places where our default behaviour deliberately differs from the reference
/// (smartmoneyconcepts 0.0.27), each with its reason and a strict predicate that recognises a differing row.
/// A differing row that no entry explains fails the parity test.
/// </summary>
internal static class PeerDeviations
{
    /// <summary>One named deviation.</summary>
    /// <param name="Name">Stable name (also the StructureOptions switch that restores the reference behaviour).</param>
    /// <param name="Table">Reference table it affects.</param>
    /// <param name="Reason">Why our default differs.</param>
    /// <param name="Explains">(row, ours, peer, context) → true when this deviation accounts for the row.</param>
    public sealed record Deviation(string Name, string Table, string Reason, Func<int, double[], double[], DeviationContext, bool> Explains);

    /// <summary>Whole-table facts some predicates need.</summary>
    public sealed record DeviationContext(int OursWarmupEnd, int PeerWarmupEnd);

    public static readonly IReadOnlyList<Deviation> All =
    [
        new(
            "PeerBullishMitigationIndex",
            "ob",
            "The reference records a bullish order block's MitigatedIndex as the bar BEFORE the bar whose low went below " +
            "the block (close_index − 1), while the bearish side records the mitigating bar itself (open PR #112 " +
            "upstream). We record the mitigating bar on both sides.",
            (_, o, p, _) => o[0] == 1 && p[0] == 1 && o[4] == p[4] + 1 && SameExcept(o, p, 4)),
        new(
            "PeerInvertedOrderBlock",
            "ob",
            "When a bullish block forms on the bar right after its swing (only possible for the bar-0 bookend) the " +
            "reference swaps the block's edges (Top = low, Bottom = high). We keep Top = high, Bottom = low.",
            (_, o, p, _) => o[0] == 1 && p[0] == 1 && o[1] == p[2] && o[2] == p[1] && o[3] == p[3] && o[5] == p[5]),
        new(
            "PeerRetracementWrap",
            "retracements",
            "The reference shifts its retracement columns by one bar with wrap-around (np.roll), so row 0 shows the LAST " +
            "bar's values and the length of the blanked warm-up depends on where the data ends. We show zeros on row 0; " +
            "rows can then differ only inside the warm-up blanking of either output.",
            (r, _, _, c) => r < Math.Max(c.OursWarmupEnd, c.PeerWarmupEnd)),
    ];

    private static bool SameExcept(double[] a, double[] b, int column)
    {
        for (var c = 0; c < a.Length; c++)
        {
            if (c != column && !(a[c].Equals(b[c]) || Math.Abs(a[c] - b[c]) <= 1e-6))
            {
                return false;
            }
        }

        return true;
    }
}
