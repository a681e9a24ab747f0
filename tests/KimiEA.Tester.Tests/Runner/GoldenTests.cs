using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Report;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Runner;

/// <summary>
/// Golden backtests: pinned statistics and the SHA-256 of trades.csv of fixed runs over the shipped samples, stored
/// in tests/golden/*.json. A change of any fill, money or statistics rule shows up here. The files are regenerated
/// only on purpose: <c>KIMI_UPDATE_GOLDEN=1 dotnet test tests/KimiEA.Tester.Tests --filter Golden</c>.
/// </summary>
public sealed class GoldenTests : IDisposable
{
    private static readonly string[] PinnedKeys =
    [
        "initial_balance", "final_balance", "net_profit", "gross_profit", "gross_loss", "profit_factor", "expected_payoff",
        "recovery_factor", "sharpe", "sortino", "max_drawdown_pct", "max_drawdown", "trades", "wins", "losses",
        "max_consecutive_wins", "max_consecutive_losses", "long_trades", "short_trades", "commission_total", "swap_total", "ticks",
        "engine_ticks", "bars", "signals", "instructions", "ambiguous_exits", "stop_outs", "trades_csv_sha256",
    ];

    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("kimi-golden-");

    public void Dispose() => _cache.Delete(true);

    /// <summary>Compares the pinned keys of a summary with tests/golden/{name}.json (or rewrites it when asked).</summary>
    internal static void Check(string name, string summaryJson)
    {
        var path = RepoPaths.Path("tests", "golden", name + ".json");
        var actual = JsonNode.Parse(summaryJson)!.AsObject();
        var pinned = new JsonObject();
        foreach (var k in PinnedKeys)
        {
            pinned[k] = actual[k]?.DeepClone();
        }

        if (Environment.GetEnvironmentVariable("KIMI_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, pinned.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; create it with KIMI_UPDATE_GOLDEN=1.");
        var expected = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var k in PinnedKeys)
        {
            Assert.True(JsonNode.DeepEquals(expected[k], pinned[k]), $"{name}: {k} is {pinned[k]?.ToJsonString() ?? "null"}, golden {expected[k]?.ToJsonString() ?? "null"} (regenerate only on purpose with KIMI_UPDATE_GOLDEN=1)");
        }
    }

    [Theory]
    [InlineData("scripted-eurusd-m1ohlc", TickModel.M1Ohlc, "EURUSD_M1_2014-05.norm.csv")]
    [InlineData("scripted-eurusd-open", TickModel.Open, "EURUSD_M1_2014-05.norm.csv")]
    [InlineData("scripted-eurusd-ticks", TickModel.Ticks, "EURUSD_ticks_2014-05-07_08.norm.csv")]
    public void ScriptedStrategy_OnTheShippedSample_MatchesItsGolden(string name, TickModel model, string file)
    {
        var outcome = BacktestRunner.Run(new BacktestSettings
        {
            Data = [new DataInput(RepoPaths.Sample("lean-oanda", file))],
            Model = model,
            CacheDirectory = _cache.FullName,
        }, ScriptedStrategies.Alternating());
        var trades = ReportFiles.TradesCsv(outcome.Result.Trades);
        Check(name, ReportFiles.SummaryJson(outcome.Result, outcome.Run, ReportFiles.Sha256Hex(Encoding.UTF8.GetBytes(trades))));
    }
}
