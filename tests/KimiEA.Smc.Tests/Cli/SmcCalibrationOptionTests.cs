using KimiEA.Testing;
using Xunit;

namespace KimiEA.Smc.Tests.Cli;

/// <summary><c>kimi smc --calibration</c>: the issue's calibration command, the same report as <c>kimi calibrate</c>.</summary>
public sealed class SmcCalibrationOptionTests
{
    [Fact]
    public void Calibration_prints_confidence_buckets_with_hit_rates_and_writes_no_files()
    {
        var r = KimiCli.Run("smc", "--input", RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv"), "--calibration");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("confidence", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("hit rate", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("95% Wilson", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("Brier score", r.StdOut, StringComparison.Ordinal);
        // The same numbers as `kimi calibrate` on the same file with the same options.
        var direct = KimiCli.Run("calibrate", "--input", RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv"));
        Assert.Equal(0, direct.ExitCode);
        Assert.Equal(direct.StdOut, r.StdOut);
    }

    [Fact]
    public void SameBar_rule_moves_exactly_the_ambiguous_labels_and_is_the_same_option_in_both_commands()
    {
        var file = RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv");
        var stopFirst = Outcomes(KimiCli.Run("calibrate", "--input", file));
        var targetFirst = Outcomes(KimiCli.Run("calibrate", "--input", file, "--same-bar", "target-first"));
        Assert.True(stopFirst.Ambiguous > 0, "the fixture has bars touching both barriers");
        Assert.Equal(stopFirst.Ambiguous, targetFirst.Ambiguous);
        // the bars that touched both barriers change sides, nothing else does
        Assert.Equal(stopFirst.Tp + stopFirst.Ambiguous, targetFirst.Tp);
        Assert.Equal(stopFirst.Sl - stopFirst.Ambiguous, targetFirst.Sl);
        Assert.Equal(stopFirst.Timeout, targetFirst.Timeout);

        var viaSmc = KimiCli.Run("smc", "--input", file, "--calibration", "--same-bar", "target-first");
        Assert.Equal(KimiCli.Run("calibrate", "--input", file, "--same-bar", "target-first").StdOut, viaSmc.StdOut);
        var bad = KimiCli.Run("calibrate", "--input", file, "--same-bar", "ohlc");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--same-bar", bad.StdErr, StringComparison.Ordinal);
    }

    private static (int Tp, int Sl, int Timeout, int Ambiguous) Outcomes(KimiCli.Result r)
    {
        Assert.Equal(0, r.ExitCode);
        var m = System.Text.RegularExpressions.Regex.Match(r.StdOut, @"outcomes: take-profit (\d+), stop (\d+), timeout (\d+); (\d+) bars touched both barriers");
        Assert.True(m.Success, r.StdOut);
        return (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Without_calibration_the_output_folder_is_required()
    {
        var r = KimiCli.Run("smc", "--input", RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--out", r.StdErr, StringComparison.Ordinal);
    }
}
