using System.Text.Json;
using KimiEA.Optimize.Trials;
using KimiEA.Tester.Stats;
using Xunit;

namespace KimiEA.Optimize.Tests.Trials;

public class PlanAndTrialFileTests
{
    private static OptimizePlan Plan(int shards, long count, IReadOnlyList<long>? indices = null) => new()
    {
        Backtest = JsonSerializer.SerializeToElement(new { Mode = "m1ohlc" }),
        SetSource = "s.set",
        SetText = "InpSwingLength=10||5||5||15||Y\r\n",
        Criterion = "balance",
        Search = "grid",
        TrialCount = count,
        Indices = indices,
        Shards = shards,
    };

    [Fact]
    public void Shards_PartitionTheTrials_Strided()
    {
        var plan = Plan(3, 10);
        Assert.Equal([0L, 3, 6, 9], plan.ShardTrials(0));
        Assert.Equal([1L, 4, 7], plan.ShardTrials(1));
        Assert.Equal([2L, 5, 8], plan.ShardTrials(2));
        // A seeded search's plan lists its grid indices.
        var genetic = Plan(2, 3, [42, 7, 19]);
        Assert.Equal([42L, 19], genetic.ShardTrials(0).Select(genetic.TrialAt));
    }

    [Fact]
    public void SameSearch_IgnoresOnlyTheShardCount()
    {
        Assert.True(Plan(2, 10).SameSearch(Plan(5, 10)));
        Assert.False(Plan(2, 10).SameSearch(Plan(2, 11)));
        Assert.False(Plan(2, 10).SameSearch(Plan(2, 10) with { Criterion = "sharpe" }));
    }

    [Fact]
    public void PlanFile_RoundTrips_AndAForeignFileIsRefusedByName()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"kimi-plan-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "plan.json");
            AtomicFile.WriteText(path, OptimizePlan.ToJson(Plan(4, 12)));
            Assert.Equal(OptimizePlan.ToJson(Plan(4, 12)), OptimizePlan.ToJson(OptimizePlan.Load(path)));
            File.WriteAllText(path, "{\"hello\": 1}");
            var e = Assert.Throws<InvalidDataException>(() => OptimizePlan.Load(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void TrialFile_RoundTripsExactly_IncludingUnrankedScores()
    {
        var t = new TrialResult
        {
            Index = 17, Values = ["0.1", "true"], Status = TrialStatus.Refused, Note = "2 trades < --min-trades 5",
            Statistics = new BacktestStatistics { FinalBalance = 10_000.1, Sharpe = 0.1 + 0.2, ProfitFactor = null, Trades = 2 },
            Daily = [0.001, -1e-17, 0], TradeExitMsc = [1, 2], TradePnlCents = [-5, 7], FirstPriceMsc = 10, LastPriceMsc = 20,
        };
        var dir = Path.Combine(Path.GetTempPath(), $"kimi-trial-{Guid.NewGuid():N}.json");
        try
        {
            AtomicFile.Write(dir, t.ToJson(), durable: false);
            var back = TrialResult.Read(dir);
            Assert.Equal(double.NegativeInfinity, back.Score);
            Assert.True(double.IsNaN(back.Custom));
            Assert.Equal(0.1 + 0.2, back.Statistics!.Sharpe);
            Assert.Null(back.Statistics.ProfitFactor);
            Assert.Equal(t.Daily, back.Daily);
            Assert.Equal(t.ToJson(), back.ToJson());
        }
        finally
        {
            File.Delete(dir);
        }
    }
}
