using KimiEA.Tester.Server;
using KimiEA.Tester.Stats;
using Xunit;

namespace KimiEA.Tester.Tests.Stats;

public sealed class StatisticsTests
{
    private static ClosedTrade Trade(long pnlCents, int direction, long commissionCents = 0) => new()
    {
        Symbol = "EURUSD",
        Direction = direction,
        Lots = 0.1,
        ExitReason = "TP",
        ProfitCents = pnlCents - commissionCents,
        CommissionCents = commissionCents,
    };

    [Fact]
    public void TradeStatistics_MatchHandComputation()
    {
        // pnl +100, −50, +30, −20, −10 on a 1000 deposit.
        ClosedTrade[] trades = [Trade(10_000, 1, -100), Trade(-5_000, -1), Trade(3_000, -1, -50), Trade(-2_000, 1), Trade(-1_000, 1)];
        var tracker = new EquityTracker(1_000);
        var s = BacktestStatistics.Compute(1_000, trades, tracker);
        Assert.Equal(1_050, s.FinalBalance, 10);
        Assert.Equal(50, s.NetProfit, 10);
        Assert.Equal(130, s.GrossProfit, 10);
        Assert.Equal(-80, s.GrossLoss, 10);
        Assert.Equal(1.625, s.ProfitFactor!.Value, 10); // 130 / 80
        Assert.Equal(10, s.ExpectedPayoff, 10); // 50 / 5
        Assert.Equal(5, s.Trades);
        Assert.Equal(40, s.WinRatePercent, 10);
        Assert.Equal(65, s.AverageWin, 10); // (100 + 30) / 2
        Assert.Equal(-80 / 3.0, s.AverageLoss, 10);
        Assert.Equal(100, s.LargestWin, 10);
        Assert.Equal(-50, s.LargestLoss, 10);
        Assert.Equal(1, s.MaxConsecutiveWins);
        Assert.Equal(2, s.MaxConsecutiveLosses); // −20, −10
        Assert.Equal(3, s.LongTrades);
        Assert.Equal(1, s.LongWins);
        Assert.Equal(2, s.ShortTrades);
        Assert.Equal(1, s.ShortWins);
        Assert.Equal(-1.50, s.CommissionTotal, 10);
        // Returns on the balance before each trade: 100/1000, −50/1100, 30/1050, −20/1080, −10/1060
        // = 0.1, −0.0454545, 0.0285714, −0.0185185, −0.0094340; mean 0.0110329, sample sd 0.0563599,
        // downside deviation √((0.0454545² + 0.0185185² + 0.0094340²) / 5) = 0.0223520.
        Assert.Equal(0.19575761613530576, s.Sharpe, 9);
        Assert.Equal(0.4935978685773396, s.Sortino, 9);
        Assert.Null(s.RecoveryFactor); // the tracker saw no drawdown
    }

    [Fact]
    public void NoLosingTrade_LeavesTheProfitFactorUndefined()
    {
        var s = BacktestStatistics.Compute(1_000, [Trade(500, 1)], new EquityTracker(1_000));
        Assert.Null(s.ProfitFactor);
        Assert.Equal(0, s.Sharpe);
    }

    [Fact]
    public void Drawdown_MaximalAndRelativeAreTrackedSeparately()
    {
        var m = new DrawdownMeter(1_000);
        // 1000 → 500: 500 money, 50 %; then a peak of 3000 → 2000: 1000 money but only 33.3 %.
        foreach (var v in new[] { 500.0, 3_000, 2_000 })
        {
            m.Observe(v);
        }

        Assert.Equal(1_000, m.MaximalMoney, 10);
        Assert.Equal(100.0 / 3, m.MaximalMoneyPercent, 10);
        Assert.Equal(50, m.RelativePercent, 10);
        Assert.Equal(500, m.RelativeMoney, 10);
        Assert.Equal(500, m.Absolute, 10); // lowest 500 below the 1000 deposit
    }

    [Fact]
    public void Curve_StaysBounded_AndKeepsTheLastPoint()
    {
        var t = new EquityTracker(1_000, curveCapacity: 16);
        for (var i = 0; i < 1_000; i++)
        {
            t.Sample(i, 1_000 + i, 1_000 + i, force: i == 999);
        }

        Assert.InRange(t.Curve.Count, 8, 17);
        Assert.Equal(0, t.Curve[0].Time);
        Assert.Equal(999, t.Curve[^1].Time);
        Assert.True(t.Curve.Zip(t.Curve.Skip(1)).All(p => p.First.Time < p.Second.Time));
    }
}
