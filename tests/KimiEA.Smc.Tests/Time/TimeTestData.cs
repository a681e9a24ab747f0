using System.Globalization;
using KimiEA.Core.Market;
using KimiEA.Testing;

namespace KimiEA.Smc.Tests.Time;

/// <summary>Fixture access for the time-detector tests: the peer's EURUSD M15 input and result columns, and the lean-oanda samples.</summary>
internal static class TimeTestData
{
    private static readonly Lazy<Bar[]> PeerBarsLazy = new(() => LoadPeerBars(RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv")));

    /// <summary>The 24,424 bars of the peer's EURUSD_15M.csv (volume = its all-zero Volume column).</summary>
    public static Bar[] PeerBars => PeerBarsLazy.Value;

    /// <summary>A peer result file as columns of strings (empty = NaN).</summary>
    public static (string[] Header, string[][] Rows) PeerResult(string file)
    {
        var lines = File.ReadAllLines(RepoPaths.Fixture("smc-peer", file));
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToArray());
    }

    /// <summary>A float32 cell of a peer result (NaN when empty).</summary>
    public static float F32(string cell) => cell.Length == 0 ? float.NaN : float.Parse(cell, CultureInfo.InvariantCulture);

    /// <summary>Bars of a lean-oanda normalized sample (time_utc,open,high,low,close,volume,...).</summary>
    public static Bar[] LeanBars(string file)
    {
        var rows = new List<Bar>();
        foreach (var line in File.ReadLines(RepoPaths.Sample("lean-oanda", file)).Skip(1))
        {
            var c = line.Split(',');
            var t = DateTimeOffset.Parse(c[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeSeconds();
            rows.Add(new Bar(t, D(c[1]), D(c[2]), D(c[3]), D(c[4]), D(c[5])));
        }

        return [.. rows];
    }

    private static Bar[] LoadPeerBars(string path)
    {
        var rows = new List<Bar>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var c = line.Split(',');
            var dt = DateTime.ParseExact(c[0], "yyyy.MM.dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            rows.Add(new Bar(new DateTimeOffset(dt, TimeSpan.Zero).ToUnixTimeSeconds(), D(c[1]), D(c[2]), D(c[3]), D(c[4]), D(c[6])));
        }

        return [.. rows];
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
