using Xunit;
using KimiEA.Smc.Structure;

namespace KimiEA.Smc.Tests.StructureDetectors;

/// <summary>A row where our table and the reference differ.</summary>
internal sealed record RowDiff(string Table, int Row, double[] Ours, double[] Peer)
{
    public override string ToString() =>
        $"{Table} row {Row}: ours [{string.Join(", ", Ours)}] peer [{string.Join(", ", Peer)}]";
}

/// <summary>
/// The comparison rule of tests/fixtures/smc-peer/README.md: NaN positions equal; integer-like columns exact;
/// prices |a−b| ≤ 1e-6 or within rtol 1e-5.
/// </summary>
internal static class TableComparer
{
    private static readonly HashSet<string> PriceColumns =
        ["Level", "Top", "Bottom", "OBVolume", "Percentage", "CurrentRetracement%", "DeepestRetracement%"];

    public static bool Same(string column, double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.IsNaN(a) && double.IsNaN(b);
        }

        if (!PriceColumns.Contains(column))
        {
            return a == b;
        }

        return Math.Abs(a - b) <= 1e-6 || Math.Abs(a - b) <= 1e-5 * Math.Abs(b);
    }

    /// <summary>Compares <paramref name="ours"/> with the fixture <paramref name="file"/>; rows in <paramref name="skipRows"/> are ignored.</summary>
    public static List<RowDiff> Compare(ColumnTable ours, string file, params int[] skipRows)
    {
        var (cols, peer) = StructureTestData.LoadTable(file);
        Assert.Equal(cols, ours.Columns);
        Assert.Equal(peer[0].Length, ours.RowCount);
        var diffs = new List<RowDiff>();
        for (var r = 0; r < ours.RowCount; r++)
        {
            if (Array.IndexOf(skipRows, r) >= 0)
            {
                continue;
            }

            var same = true;
            for (var c = 0; c < cols.Length; c++)
            {
                same &= Same(cols[c], ours.Column(c)[r], peer[c][r]);
            }

            if (!same)
            {
                diffs.Add(new RowDiff(ours.Name, r, Row(ours, r), [.. peer.Select(p => p[r])]));
            }
        }

        return diffs;
    }

    public static double[] Row(ColumnTable t, int r) => [.. Enumerable.Range(0, t.Columns.Count).Select(c => t.Column(c)[r])];
}
