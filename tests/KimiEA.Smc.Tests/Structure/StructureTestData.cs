using System.Globalization;
using KimiEA.Core.Market;
using KimiEA.Testing;

namespace KimiEA.Smc.Tests.StructureDetectors;

/// <summary>Loads bars and reference tables for the structure tests (small CSV readers owned by these tests).</summary>
internal static class StructureTestData
{
    private static readonly Lazy<Bar[]> PeerBars = new(() => LoadPeerBars(RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv")));

    /// <summary>The reference's EURUSD M15 input (24,424 bars, volume 0).</summary>
    public static Bar[] EurUsd15M => PeerBars.Value;

    /// <summary>Reads the reference's MT5-style CSV: Date (yyyy.MM.dd HH:mm:ss), Open, High, Low, Close, Tickvol, Volume, Spread.</summary>
    public static Bar[] LoadPeerBars(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int Col(string name) => Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase)) is var c and >= 0
            ? c
            : throw new InvalidDataException($"{path}: no column '{name}'.");
        int d = Col("Date"), o = Col("Open"), h = Col("High"), l = Col("Low"), c = Col("Close"), v = Col("Volume");
        var bars = new Bar[lines.Length - 1];
        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            var t = DateTime.ParseExact(f[d], "yyyy.MM.dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            bars[i - 1] = new Bar(
                (long)(t - DateTime.UnixEpoch).TotalSeconds,
                P(f[o]), P(f[h]), P(f[l]), P(f[c]), P(f[v]));
        }

        return bars;
    }

    /// <summary>Reads a normalized CSV (time_utc ISO-8601, open, high, low, close, volume, …).</summary>
    public static Bar[] LoadNormBars(string path, int maxBars = int.MaxValue)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()!.Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var c and >= 0 ? c : throw new InvalidDataException($"{path}: no column '{name}'.");
        int t = Col("time_utc"), o = Col("open"), h = Col("high"), l = Col("low"), c = Col("close"), v = Col("volume");
        var bars = new List<Bar>();
        while (bars.Count < maxBars && reader.ReadLine() is { } line)
        {
            var f = line.Split(',');
            var time = DateTimeOffset.Parse(f[t], CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            bars.Add(new Bar(time, P(f[o]), P(f[h]), P(f[l]), P(f[c]), P(f[v])));
        }

        return [.. bars];
    }

    /// <summary>Reads a reference result CSV: header of column names, empty cell = NaN.</summary>
    public static (string[] Columns, double[][] Values) LoadTable(string file)
    {
        var lines = File.ReadAllLines(RepoPaths.Fixture("smc-peer", file));
        var cols = lines[0].Split(',');
        var values = new double[cols.Length][];
        for (var c = 0; c < cols.Length; c++)
        {
            values[c] = new double[lines.Length - 1];
        }

        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            for (var c = 0; c < cols.Length; c++)
            {
                values[c][i - 1] = f[c].Length == 0 ? double.NaN : P(f[c]);
            }
        }

        return (cols, values);
    }

    private static double P(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
