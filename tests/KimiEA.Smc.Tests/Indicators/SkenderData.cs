using System.Globalization;
using KimiEA.Core.Market;
using KimiEA.Smc.Tests.StructureDetectors;
using KimiEA.Testing;

namespace KimiEA.Smc.Tests.Indicators;

/// <summary>Loads the Skender fixtures (tests/fixtures/skender) for the indicator tests.</summary>
internal static class SkenderData
{
    private static readonly Lazy<Bar[]> BarsLazy = new(LoadBars);
    private static readonly Lazy<Dictionary<string, double?[]>> SeriesLazy = new(LoadSeries);

    /// <summary>The 502 daily bars of default.norm.csv.</summary>
    public static Bar[] Bars => BarsLazy.Value;

    /// <summary>A column of skender-standard-series.csv, null where the baseline is null.</summary>
    public static double?[] Series(string column) => SeriesLazy.Value[column];

    /// <summary>Rows of skender-expected.csv for one indicator: (index or null, field, expected or null, tolerance or null for exact).</summary>
    public static IEnumerable<(int? Index, string Field, double? Expected, double? Tolerance)> Expected(string indicator)
    {
        foreach (var line in File.ReadLines(RepoPaths.Fixture("skender", "skender-expected.csv")).Skip(1))
        {
            var c = line.Split(',');
            if (c[0] != indicator)
            {
                continue;
            }

            int? index = c[2].Length == 0 ? null : int.Parse(c[2], CultureInfo.InvariantCulture);
            double? expected = c[5] == "null" ? null : double.Parse(c[5], CultureInfo.InvariantCulture);
            double? tol = c[6] is "exact" or "" ? null : double.Parse(c[6], CultureInfo.InvariantCulture);
            yield return (index, c[4], expected, tol);
        }
    }

    private static Bar[] LoadBars() => StructureTestData.LoadNormBars(RepoPaths.Fixture("skender", "default.norm.csv"));

    private static Dictionary<string, double?[]> LoadSeries()
    {
        var lines = File.ReadAllLines(RepoPaths.Fixture("skender", "skender-standard-series.csv"));
        var header = lines[0].Split(',');
        string[] numeric = ["tr", "atr14", "atrp14", "ema20", "sma20", "rsi14"];
        var result = numeric.ToDictionary(h => h, _ => new double?[lines.Length - 1]);
        for (var r = 1; r < lines.Length; r++)
        {
            var c = lines[r].Split(',');
            foreach (var name in numeric)
            {
                var cell = c[Array.IndexOf(header, name)];
                result[name][r - 1] = cell.Length == 0 ? null : P(cell);
            }
        }

        return result;
    }

    private static double P(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
