using System.Globalization;
using KimiEA.Smc.Signal;
using KimiEA.Smc.Tests.Signal;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Smc.Tests.Cli;

/// <summary>
/// <c>kimi calibrate</c> prints both higher-timeframe bias sources side by side (rows HtfStructure and EmaTrend of the
/// factor table), with the numbers the labelled intents give when counted here, and names the higher timeframe used.
/// </summary>
public sealed class CalibrateBiasFactorTests
{
    [Fact]
    public void FactorTable_PrintsBothBiasSourcesWithTheirLifts()
    {
        // the M15 fixture's own bar period picks H4; the default signal there is SignalData.M15Run
        var r = KimiCli.Run("calibrate", "--input", RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("HtfBias = Structure (HtfStructure: structure on 4h; EmaTrend: EMA(200))", r.StdOut, StringComparison.Ordinal);

        var run = SignalData.M15Run.Where(x => x.Result.IsResolved).ToList();
        foreach (var factor in new[] { SignalFactor.HtfStructure, SignalFactor.EmaTrend, SignalFactor.HtfBias })
        {
            var with = run.Where(x => ((SignalFactor)x.Intent.Factors).HasFlag(factor)).ToList();
            var without = run.Where(x => !((SignalFactor)x.Intent.Factors).HasFlag(factor)).ToList();
            double hw = with.Count(x => x.Result.IsHit), hwo = without.Count(x => x.Result.IsHit);
            var lift = Math.Log(hw / (with.Count - hw) / (hwo / (without.Count - hwo)));
            var row = Row(r.StdOut, factor.ToString());
            Assert.Equal(with.Count.ToString(CultureInfo.InvariantCulture), row[1]);
            Assert.Equal((hw / with.Count).ToString("0.000", CultureInfo.InvariantCulture), row[2]);
            Assert.Equal(without.Count.ToString(CultureInfo.InvariantCulture), row[3]);
            Assert.Equal((hwo / without.Count).ToString("0.000", CultureInfo.InvariantCulture), row[4]);
            Assert.Equal(lift, double.Parse(row[5], CultureInfo.InvariantCulture), 3);
        }

        // with the default source, bit 0 is the structure bit
        Assert.Equal(Row(r.StdOut, "HtfStructure")[1..], Row(r.StdOut, "HtfBias")[1..]);
    }

    [Fact]
    public void EmaSource_MakesBitZeroTheEmaTrend()
    {
        var r = KimiCli.Run("calibrate", "--input", RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv"), "--htf-bias", "Ema");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("HtfBias = Ema", r.StdOut, StringComparison.Ordinal);
        Assert.Equal(Row(r.StdOut, "EmaTrend")[1..], Row(r.StdOut, "HtfBias")[1..]);
    }

    private static string[] Row(string stdout, string factor) =>
        stdout.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Single(f => f.Length == 6 && f[0] == factor);
}
