using KimiEA.Testing;
using Xunit;

namespace KimiEA.Smc.Tests.Cli;

/// <summary><c>kimi smc --calibration</c>: the calibration command, the same report as <c>kimi calibrate</c>.</summary>
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
    public void Without_calibration_the_output_folder_is_required()
    {
        var r = KimiCli.Run("smc", "--input", RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--out", r.StdErr, StringComparison.Ordinal);
    }
}
