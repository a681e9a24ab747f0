using KimiEA.Optimize.Search;
using KimiEA.Tester.Stats;
using Xunit;

namespace KimiEA.Optimize.Tests.Search;

public class CriterionTests
{
    private static readonly BacktestStatistics S = new()
    {
        InitialBalance = 10_000, FinalBalance = 10_600, NetProfit = 600, GrossProfit = 1_000, GrossLoss = -400, ProfitFactor = 2.5,
        ExpectedPayoff = 60, RecoveryFactor = 3, Sharpe = 0.4, Sortino = 0.7, EquityDrawdownRelativePercent = 2.2, EquityDrawdownMaximal = 200, Trades = 10, Wins = 6, Losses = 4,
    };

    [Theory]
    [InlineData(OptimizationCriterion.Balance, 10_600)]
    [InlineData(OptimizationCriterion.ProfitFactor, 2.5)]
    [InlineData(OptimizationCriterion.ExpectedPayoff, 60)]
    [InlineData(OptimizationCriterion.DrawdownMin, -2.2)]
    [InlineData(OptimizationCriterion.RecoveryFactor, 3)]
    [InlineData(OptimizationCriterion.Sharpe, 0.4)]
    public void Score_IsTheStatisticKimiBacktestReports(OptimizationCriterion c, double expected)
    {
        Assert.Equal(expected, new CriterionSpec(c).Score(S));
    }

    [Fact]
    public void UndefinedRatios_RankBelowEverything()
    {
        var noLoss = S with { ProfitFactor = null, RecoveryFactor = null };
        Assert.Equal(double.NegativeInfinity, new CriterionSpec(OptimizationCriterion.ProfitFactor).Score(noLoss));
        Assert.Equal(double.NegativeInfinity, new CriterionSpec(OptimizationCriterion.RecoveryFactor).Score(noLoss));
    }

    [Fact]
    public void Custom_FormulaOverTheStatistics()
    {
        // 600 / (1 + 2.2) = 187.5
        var c = new CriterionSpec(OptimizationCriterion.Custom, "net_profit / (1 + equity_dd_pct)");
        Assert.Equal(187.5, c.Score(S), 12);
        Assert.Equal(187.5, c.CustomValue(S), 12);
        Assert.Equal(10, new CriterionSpec(OptimizationCriterion.Custom, "min(trades, 20) * (wins > losses)").Score(S));
        Assert.Throws<ArgumentException>(() => new CriterionSpec(OptimizationCriterion.Custom));
        Assert.Throws<ExpressionException>(() => new CriterionSpec(OptimizationCriterion.Custom, "profit * 2"));
    }

    [Fact]
    public void Constraints_MinTradesAndMaxDrawdown()
    {
        Assert.Null(new CriterionSpec(OptimizationCriterion.Balance, minTrades: 10, maxDrawdownPercent: 2.2).Refusal(S));
        Assert.Contains("10 trades < --min-trades 11", new CriterionSpec(OptimizationCriterion.Balance, minTrades: 11).Refusal(S), StringComparison.Ordinal);
        Assert.Contains("> --max-drawdown 2", new CriterionSpec(OptimizationCriterion.Balance, maxDrawdownPercent: 2).Refusal(S), StringComparison.Ordinal);
    }
}
