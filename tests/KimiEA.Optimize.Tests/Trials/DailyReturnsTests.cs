using KimiEA.Optimize.Trials;
using KimiEA.Tester.Server;
using Xunit;

namespace KimiEA.Optimize.Tests.Trials;

public class DailyReturnsTests
{
    private static long Ms(int day, int hour) => (long)(new DateTime(2024, 3, day, hour, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;

    private static ClosedTrade Trade(int day, int hour, long pnlCents) => new() { Symbol = "EURUSD", ExitReason = "TP", ExitTimeMsc = Ms(day, hour), ProfitCents = pnlCents };

    [Fact]
    public void Days_AreWeekdays_WeekendsFoldIntoFriday()
    {
        // 2024-03-01 is a Friday; Sun 03-03 22:00 to Tue 03-05: Fri 1 (Sunday's key), Mon 4, Tue 5.
        var days = DailyReturns.Days(Ms(3, 22), Ms(5, 10));
        Assert.Equal([new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 4), new DateOnly(2024, 3, 5)], days);
    }

    [Fact]
    public void Returns_PnlOfTheDay_OverTheBalanceAtItsStart()
    {
        var days = DailyReturns.Days(Ms(4, 0), Ms(8, 23)); // Mon 4 … Fri 8
        // Mon: +100.00 and −20.00 → +80.00 on 10,000.00 = 0.008; Wed: −50.40 on 10,080.00 = −0.005;
        // Sat 9 counts to Fri 8: +30.00 on 10,029.60.
        var r = DailyReturns.Of(10_000, [Trade(4, 9, 10_000), Trade(4, 15, -2_000), Trade(6, 12, -5_040), Trade(9, 1, 3_000)], days);
        Assert.Equal([0.008, 0, -0.005, 0, 3_000.0 / 1_002_960], r);
    }
}
