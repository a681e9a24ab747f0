using System.Globalization;
using System.Text.Json;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Runner;

/// <summary>
/// <c>kimi backtest --currency</c> end to end, each run its own process: a EUR account trading EURUSD (its USD profit
/// converted through its own price) and NZDUSD (USD profit through the EURUSD data, NZD margin through a fixed
/// EURNZD rate); and the refusals of a run whose conversion is missing or badly given.
/// </summary>
public sealed class CliCurrencyTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kimi-cli-ccy-");

    public void Dispose() => _work.Delete(true);

    private string Dir(string name) => Path.Combine(_work.FullName, name);

    private string[] EurAccount(string outDir, params string[] extra) => Account("EUR", outDir, extra);

    private string[] Account(string currency, string outDir, params string[] extra) =>
    [
        "backtest", "--mode", "m1ohlc", "--min-confidence", "0", "--currency", currency, "--out", outDir, "--cache", Dir("cache"),
        "--data", RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv"), "--data", RepoPaths.Sample("lean-oanda", "NZDUSD_M1_2014-05.norm.csv"),
        .. extra,
    ];

    [Fact]
    public async Task EurAccount_TwoProcesses_SameBytes_AndTheIdentityHolds()
    {
        var a = await CliBacktestTests.Kimi(EurAccount(Dir("a"), "--rate", "EURNZD=1.6500"));
        Assert.True(a.Code == 0, $"exit {a.Code}\n{a.Out}\n{a.Err}");
        var b = await CliBacktestTests.Kimi(EurAccount(Dir("b"), "--rate", "EURNZD=1.6500"));
        Assert.Equal(0, b.Code);
        foreach (var f in new[] { "summary.json", "trades.csv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(Dir("a"), f)), File.ReadAllBytes(Path.Combine(Dir("b"), f)));
        }

        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("a"), "summary.json"))).RootElement;
        Assert.Equal("EUR", root.GetProperty("currency").GetString());
        var lines = File.ReadAllLines(Path.Combine(Dir("a"), "trades.csv"));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.True(rows.Length > 0, "the swarm trades with the thresholds lowered");
        decimal Col(string[] r, string name) => decimal.Parse(r[Array.IndexOf(header, name)], CultureInfo.InvariantCulture);
        // final balance = deposit + Σ pnl, and pnl = profit + commission + swap (none of these intraday trades spans a rollover).
        Assert.Equal(root.GetProperty("final_balance").GetDecimal(), root.GetProperty("initial_balance").GetDecimal() + rows.Sum(r => Col(r, "pnl")));
        Assert.All(rows, r => Assert.Equal(0m, Col(r, "swap")));
        Assert.Equal(0m, root.GetProperty("swap_total").GetDecimal());
        // EUR commission on a EUR account: 3.50 per lot on each of the two deals, each rounded to the cent (half away
        // from zero), whatever the symbol.
        Assert.All(rows, r => Assert.Equal(-2 * Math.Round(3.5m * Col(r, "lots"), 2, MidpointRounding.AwayFromZero), Col(r, "commission")));
    }

    [Theory]
    [InlineData("USDJPY_M1_2013-02.norm.csv", new string[0])]
    [InlineData("EURJPY_M1_2013-02.derived.csv", new[] { "USDJPY_M1_2013-02.norm.csv" })]
    public async Task JpyProfit_OnAUsdAccount_TradesTwoProcessesSameBytes_ConvertedAtTheExitPrice(string file, string[] conversion)
    {
        // USDJPY converts its JPY profit by its own price; the EURJPY cross needs USDJPY (profit) and EURUSD (margin).
        string[] Args(string outDir) =>
        [
            "backtest", "--mode", "m1ohlc", "--timeframe", "M15", "--min-confidence", "0", "--skip-bad-rows", "--out", outDir, "--cache", Dir("cache"),
            "--data", RepoPaths.Sample("nautilus-fx", file),
            .. conversion.SelectMany(c => new[] { "--conversion-data", RepoPaths.Sample("nautilus-fx", c) }),
            "--conversion-data", RepoPaths.Sample("lean-oanda", "EURUSD_H1_2007-2018.norm.csv"),
        ];
        var a = await CliBacktestTests.Kimi(Args(Dir("a")));
        Assert.True(a.Code == 0, $"exit {a.Code}\n{a.Out}\n{a.Err}");
        var b = await CliBacktestTests.Kimi(Args(Dir("b")));
        Assert.Equal(0, b.Code);
        foreach (var f in new[] { "summary.json", "trades.csv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(Dir("a"), f)), File.ReadAllBytes(Path.Combine(Dir("b"), f)));
        }

        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("a"), "summary.json"))).RootElement;
        var lines = File.ReadAllLines(Path.Combine(Dir("a"), "trades.csv"));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.True(rows.Length >= 3, $"{file}: {rows.Length} trades");
        decimal Col(string[] r, string name) => decimal.Parse(r[Array.IndexOf(header, name)], CultureInfo.InvariantCulture);
        Assert.Equal(root.GetProperty("final_balance").GetDecimal(), root.GetProperty("initial_balance").GetDecimal() + rows.Sum(r => Col(r, "pnl")));
        Assert.Equal(root.GetProperty("swap_total").GetDecimal(), rows.Sum(r => Col(r, "swap")));
        foreach (var r in rows.Where(r => Col(r, "exit_price") != Col(r, "entry_price")))
        {
            // profit (USD) = Δprice × lots × 100,000 (JPY) ÷ USDJPY: the implied USDJPY of a USDJPY trade is its own exit
            // price, within the spread and a cent's rounding; a EURJPY trade's lies in USDJPY's February 2013 range.
            var profitUsd = Col(r, "pnl") - Col(r, "commission") - Col(r, "swap");
            var jpy = (Col(r, "exit_price") - Col(r, "entry_price")) * (r[2] == "buy" ? 1 : -1) * Col(r, "lots") * 100_000m;
            var implied = jpy / profitUsd;
            if (file.StartsWith("USDJPY", StringComparison.Ordinal))
            {
                Assert.InRange(implied / Col(r, "exit_price"), 0.995m, 1.005m);
            }
            else
            {
                Assert.InRange(implied, 90m, 95.5m);
            }
        }
    }

    [Fact]
    public async Task MissingConversion_ExitsTwo_NamingThePairs_BeforeAnyOutput()
    {
        var (code, output, err) = await CliBacktestTests.Kimi(
            "backtest", "--mode", "m1ohlc", "--currency", "EUR", "--out", Dir("none"), "--cache", Dir("cache"),
            "--data", RepoPaths.Sample("lean-oanda", "NZDUSD_M1_2014-05.norm.csv"));
        Assert.True(code == 2, $"exit {code}\n{output}\n{err}");
        Assert.Contains("EURUSD", err, StringComparison.Ordinal);
        Assert.Contains("EURNZD", err, StringComparison.Ordinal);
        Assert.Contains("--rate", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Parameter", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("none")));
    }

    [Fact]
    public async Task MissingConversionFile_ExitsTwo_SayingItIsMissing()
    {
        var missing = Dir("EURUSD_M1_nowhere.csv");
        var (code, output, err) = await CliBacktestTests.Kimi(Account("EUR", Dir("nofile"), "--rate", "EURNZD=1.65", "--conversion-data", missing));
        Assert.True(code == 2, $"exit {code}\n{output}\n{err}");
        Assert.Contains(missing, err, StringComparison.Ordinal);
        Assert.Contains("does not exist", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("EUR", "USDJPY", "--rate")]
    [InlineData("EUR", "USDJP=110", "--rate")]
    [InlineData("EUR", "EURNZD=-1", "--rate EURNZD")]
    [InlineData("euro", "EURNZD=1.65", "account currency")]
    public async Task BadCurrencyOptions_ExitTwo_NamingTheOption(string currency, string rate, string expected)
    {
        var (code, output, err) = await CliBacktestTests.Kimi(Account(currency, Dir("bad"), "--rate", rate));
        Assert.True(code == 2, $"exit {code}\n{output}\n{err}");
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }
}
