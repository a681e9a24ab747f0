using System.Globalization;
using KimiEA.Core.Market;
using KimiEA.Smc.Tests.StructureDetectors;
using KimiEA.Testing;

namespace KimiEA.Smc.Tests.Time;

/// <summary>Fixture access for the time-detector tests (bar loading is shared with the structure tests' readers).</summary>
internal static class TimeTestData
{
    /// <summary>The 24,424 bars of the peer's EURUSD_15M.csv (volume = its all-zero Volume column).</summary>
    public static Bar[] PeerBars => StructureTestData.EurUsd15M;

    /// <summary>A peer result file as columns of strings (empty = NaN).</summary>
    public static (string[] Header, string[][] Rows) PeerResult(string file)
    {
        var lines = File.ReadAllLines(RepoPaths.Fixture("smc-peer", file));
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToArray());
    }

    /// <summary>A float32 cell of a peer result (NaN when empty).</summary>
    public static float F32(string cell) => cell.Length == 0 ? float.NaN : float.Parse(cell, CultureInfo.InvariantCulture);

    /// <summary>Bars of a lean-oanda normalized sample (time_utc,open,high,low,close,volume,...).</summary>
    public static Bar[] LeanBars(string file) => StructureTestData.LoadNormBars(RepoPaths.Sample("lean-oanda", file));
}
