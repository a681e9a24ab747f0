using KimiEA.Tester.Server;
using KimiEA.Tester.Stats;
using Xunit;

namespace KimiEA.Tester.Tests.Stats;

/// <summary>The report's breakdowns by entry hour, weekday and symbol: hand-placed trades, and the sums on random ones.</summary>
public sealed class TradeBreakdownTests
{
    private static ClosedTrade Trade(string symbol, DateTime entryUtc, TimeSpan held, long pnlCents) => new()
    {
        Symbol = symbol,
        Direction = 1,
        Lots = 0.1,
        EntryTimeMsc = new DateTimeOffset(entryUtc, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        ExitTimeMsc = new DateTimeOffset(entryUtc + held, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        ExitReason = "TP",
        ProfitCents = pnlCents + 70,
        CommissionCents = -70,
    };

    private static readonly ClosedTrade[] Four =
    [
        Trade("EURUSD", new DateTime(2014, 5, 7, 7, 45, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(30), 1_000),  // Wednesday 07h
        Trade("GBPUSD", new DateTime(2014, 5, 7, 23, 59, 59, DateTimeKind.Utc), TimeSpan.FromHours(2), -350),    // Wednesday 23h
        Trade("EURUSD", new DateTime(2014, 5, 10, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(10), 125),    // Saturday 00h
        Trade("EURUSD", new DateTime(2014, 5, 12, 7, 10, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(50), -200),  // Monday 07h
    ];

    [Fact]
    public void Hours_weekdays_and_symbols_hold_the_trades_where_they_were_opened()
    {
        var hours = TradeBreakdown.ByEntryHour(Four);
        Assert.Equal(24, hours.Length);
        Assert.Equal(("07", 2, 1, 800L), (hours[7].Label, hours[7].Trades, hours[7].Wins, hours[7].PnlCents));
        Assert.Equal((1, -350L), (hours[23].Trades, hours[23].PnlCents));
        Assert.Equal((1, 125L), (hours[0].Trades, hours[0].PnlCents));
        Assert.Equal(40 * 60_000L, hours[7].AverageHoldingMsc); // (30 + 50) / 2 minutes
        Assert.All(hours.Where((_, h) => h is not (0 or 7 or 23)), b => Assert.Equal(0, b.Trades));

        var days = TradeBreakdown.ByEntryWeekday(Four);
        Assert.Equal(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], days.Select(d => d.Label));
        Assert.Equal((1, -200L), (days[0].Trades, days[0].PnlCents));
        Assert.Equal((2, 650L), (days[2].Trades, days[2].PnlCents));
        Assert.Equal((1, 125L), (days[5].Trades, days[5].PnlCents));

        var symbols = TradeBreakdown.BySymbol(Four, ["EURUSD", "GBPUSD", "XAUUSD"]);
        Assert.Equal(("EURUSD", 3, 925L), (symbols[0].Label, symbols[0].Trades, symbols[0].PnlCents));
        Assert.Equal(("GBPUSD", 1, -350L), (symbols[1].Label, symbols[1].Trades, symbols[1].PnlCents));
        Assert.Equal(("XAUUSD", 0, 0L), (symbols[2].Label, symbols[2].Trades, symbols[2].PnlCents));

        var total = TradeBreakdown.Total(Four);
        Assert.Equal((4, 2, 575L), (total.Trades, total.Wins, total.PnlCents));
    }

    [Fact]
    public void Every_breakdown_adds_up_to_the_total_on_random_trades()
    {
        var rng = new Random(12);
        for (var run = 0; run < 50; run++)
        {
            var trades = Enumerable.Range(0, rng.Next(0, 200)).Select(_ => Trade(
                rng.Next(3) switch { 0 => "EURUSD", 1 => "GBPUSD", _ => "USDJPY" },
                new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(rng.Next(0, 20 * 365 * 24 * 60)),
                TimeSpan.FromMinutes(rng.Next(0, 5_000)),
                rng.Next(-100_000, 100_000))).ToArray();
            var pnl = trades.Sum(t => t.PnlCents);
            var wins = trades.Count(t => t.PnlCents > 0);
            var total = TradeBreakdown.Total(trades);
            Assert.Equal((trades.Length, wins, pnl), (total.Trades, total.Wins, total.PnlCents));
            foreach (var buckets in new[] { TradeBreakdown.ByEntryHour(trades), TradeBreakdown.ByEntryWeekday(trades), TradeBreakdown.BySymbol(trades, ["EURUSD"]) })
            {
                Assert.Equal(trades.Length, buckets.Sum(b => b.Trades));
                Assert.Equal(wins, buckets.Sum(b => b.Wins));
                Assert.Equal(pnl, buckets.Sum(b => b.PnlCents));
                Assert.Equal(trades.Sum(t => t.ExitTimeMsc - t.EntryTimeMsc), buckets.Sum(b => b.HoldingMsc));
            }

        }
    }
}
