using KimiEA.Tester.Server;
using Xunit;

namespace KimiEA.Tester.Tests.Stats;

/// <summary>
/// Maximum favourable / adverse excursion of a trade, from the prices replayed between its entry and exit, each
/// worked by hand. EURUSD: tick 0.00001 worth 1 USD per lot, so 1 point × 0.1 lot = 0.10 USD.
/// </summary>
public sealed class TradeExcursionTests
{
    private static TradeServer Server() =>
        new(new AccountSettings(), [SymbolTable.Get("EURUSD")], new ExecutionSettings());

    [Fact]
    public void A_buy_is_measured_on_the_bid_from_its_fill_and_its_risk_is_the_distance_to_the_opening_stop()
    {
        var s = Server();
        s.SetPrice(0, 1_000, 1.10000, 1.10010, continuous: false);
        var r = s.MarketOrder(0, 1, 0.10, 1.09900, 1.10300, 7, 1); // fills at the ask 1.10010
        s.SetPrice(0, 2_000, 1.10150, 1.10160, false);              // +140 points
        s.SetPrice(0, 3_000, 1.09950, 1.09960, false);              // −60 points (the ask's low does not count)
        s.SetPrice(0, 4_000, 1.10250, 1.10260, false);              // +240 points: the best
        s.Modify(r.Position, 1.10100, 1.10300);                     // a trailed stop does not change the opening risk
        s.SetPrice(0, 5_000, 1.10120, 1.10130, false);
        s.Close(0, r.Position, "MANUAL");                           // at the bid 1.10120: +110 points
        var t = Assert.Single(s.Trades);
        Assert.Equal(0.00240, t.MfePrice, 10);
        Assert.Equal(-0.00060, t.MaePrice, 10);
        Assert.Equal(24.00, t.MfeMoney, 9);   // 240 points × 0.1 lot
        Assert.Equal(-6.00, t.MaeMoney, 9);   // −60 points × 0.1 lot
        Assert.Equal(0.00110, t.RiskPrice, 10); // 1.10010 − 1.09900
        Assert.Equal(1100, t.PnlCents);       // the realised +110 points lies inside [MAE, MFE]
    }

    [Fact]
    public void A_sell_is_measured_on_the_ask_and_its_gap_exit_counts()
    {
        var s = Server();
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        s.MarketOrder(0, -1, 0.10, 1.10300, 1.09800, 7, 1);        // fills at the bid 1.10000
        s.SetPrice(0, 2_000, 1.09890, 1.09900, false);              // ask 1.09900: +100 points
        s.SetPrice(0, 3_000, 1.10050, 1.10060, false);              // ask 1.10060: −60 points
        s.SetPrice(0, 4_000, 1.09780, 1.09790, false);              // the ask gaps through the TP: bought back at 1.09790
        var t = Assert.Single(s.Trades);
        Assert.Equal("TP", t.ExitReason);
        Assert.Equal(0.00210, t.MfePrice, 10); // the exit itself: 1.10000 − 1.09790
        Assert.Equal(-0.00060, t.MaePrice, 10);
        Assert.Equal(21.00, t.MfeMoney, 9);
        Assert.Equal(-6.00, t.MaeMoney, 9);
        Assert.Equal(0.00300, t.RiskPrice, 10);
    }

    [Fact]
    public void A_trade_that_never_went_its_way_has_zero_mfe_and_without_a_stop_no_risk()
    {
        var s = Server();
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        var r = s.MarketOrder(0, 1, 0.20, 0, 0, 7, 1);              // at 1.10010, no SL/TP
        s.SetPrice(0, 2_000, 1.09990, 1.10000, false);              // −20 points
        s.SetPrice(0, 3_000, 1.09970, 1.09980, false);              // −40 points
        s.Close(0, r.Position, "MANUAL");
        var t = Assert.Single(s.Trades);
        Assert.Equal(0, t.MfePrice, 10); // the open itself: nothing better was ever reached
        Assert.Equal(-0.00040, t.MaePrice, 10);
        Assert.Equal(-8.00, t.MaeMoney, 9); // −40 points × 0.2 lot
        Assert.Equal(0, t.RiskPrice);
    }
}
