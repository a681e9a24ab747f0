using KimiEA.Optimize.Trials;
using KimiEA.Optimize.WalkForward;
using Xunit;

namespace KimiEA.Optimize.Tests.WalkForward;

public class WalkForwardSummaryTests
{
    private static DateTime D(int day) => new(2024, 3, day, 0, 0, 0, DateTimeKind.Utc);

    private static long Ms(int day, int hour = 0) => (long)(D(day).AddHours(hour) - DateTime.UnixEpoch).TotalMilliseconds;

    private static TrialResult Run(int firstDay, int lastDay, params double[] daily) =>
        new() { Index = 1, Values = ["5"], Status = TrialStatus.Ranked, Statistics = new KimiEA.Tester.Stats.BacktestStatistics { Trades = 1 }, Daily = daily, FirstPriceMsc = Ms(firstDay, 1), LastPriceMsc = Ms(lastDay, 22) };

    [Fact]
    public void OutOfSample_IsStitchedByDay_FlatWhereNothingWasChosen()
    {
        // Window 0: OOS Mon 11 – Wed 13 (exclusive) = days 11, 12; the run saw prices on 12 only → 11 is 0.
        // Window 1: OOS 13 – 15 = days 13, 14; its in-sample search ranked nothing → flat.
        var rows = new List<WalkForwardRow>
        {
            new(new WalkForwardWindow(0, D(4), D(11), D(13)), Run(4, 8, 0.01, 0, 0, 0, 0.02), Run(12, 12, -0.05), "InpSwingLength=5"),
            new(new WalkForwardWindow(1, D(6), D(13), D(15)), null, null, null),
        };
        var s = WalkForwardSummary.Of(rows, 10_000);
        Assert.Equal([(new DateOnly(2024, 3, 11), 0.0), (new DateOnly(2024, 3, 12), -0.05), (new DateOnly(2024, 3, 13), 0.0), (new DateOnly(2024, 3, 14), 0.0)], s.OutOfSampleDays);
        Assert.Equal(-0.05, s.OutOfSampleReturn, 12);
        // In sample: 1.01 · 1.02 − 1
        Assert.Equal((1.01 * 1.02) - 1, s.InSampleReturn, 12);
        Assert.Contains("2024-03-12,-0.05,9500.00", s.EquityCsv(), StringComparison.Ordinal);
        var csv = s.WindowsCsv().Split('\n');
        Assert.StartsWith("1,2024-03-06,2024-03-13,2024-03-15,,none ranked", csv[2], StringComparison.Ordinal);
    }
}
