using KimiEA.Testing;
using Xunit;

namespace KimiEA.Smc.Tests.Cli;

/// <summary><c>kimi calibrate</c> reads a file's times in the same clock as <c>kimi backtest</c>: the format's default or <c>--data-time-zone</c>.</summary>
public sealed class CalibrateDataTimeZoneTests
{
    private static readonly string Mt5 = RepoPaths.Fixture("data-formats", "EURUSD_M1_2014-05-07_mt5.csv");

    [Fact]
    public void Mt5Export_IsBrokerTimeByDefault_AndDataTimeZoneOverridesIt()
    {
        // The fixture's first row is 2014.05.07 00:00; as ny-close (UTC+3 in May) that is 2014-05-06 21:00 UTC.
        var r = KimiCli.Run("calibrate", "--input", Mt5);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("2014-05-06 21:00 .. 2014-05-06 21:19 UTC (file clock ny-close, the format's default; --data-time-zone to change)", r.StdOut, StringComparison.Ordinal);

        r = KimiCli.Run("calibrate", "--input", Mt5, "--data-time-zone", "+02:00");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("2014-05-06 22:00 .. 2014-05-06 22:19 UTC (file clock UTC+02:00)", r.StdOut, StringComparison.Ordinal);

        r = KimiCli.Run("calibrate", "--input", Mt5, "--data-time-zone", "Mars/Olympus");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--data-time-zone: Unknown time zone 'Mars/Olympus'", r.StdErr, StringComparison.Ordinal);
    }
}
