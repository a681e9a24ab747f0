using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Runner;

/// <summary>
/// The README's main command end to end: the published <c>artifacts/kimi backtest</c> (./build.sh) drives the
/// published native engine library over the shipped samples, each run in its own process as a user runs it (the
/// engine's account-level state is process-wide).
/// </summary>
public sealed class CliBacktestTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kimi-cli-");

    public void Dispose() => _work.Delete(true);

    internal static Task<(int Code, string Out, string Err)> Kimi(params string[] args) => KimiWith(RepoPaths.NativeLibrary, args);

    private static async Task<(int Code, string Out, string Err)> KimiWith(string nativeLibrary, params string[] args)
    {
        var launcher = RepoPaths.Path("artifacts", "kimi");
        Assert.True(File.Exists(launcher), $"{launcher} is missing: run ./build.sh (./test.sh does) first.");
        var psi = new ProcessStartInfo(launcher) { WorkingDirectory = RepoPaths.Root };
        psi.Environment["KIMI_NATIVE_LIB"] = nativeLibrary;
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return await TestProcess.Run(psi, TimeSpan.FromMinutes(5));
    }

    private string Dir(string name) => Path.Combine(_work.FullName, name);

    private static void AssertIdentity(string outDir)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        var rows = File.ReadAllLines(Path.Combine(outDir, "trades.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var pnl = rows.Sum(r => decimal.Parse(r[10], CultureInfo.InvariantCulture));
        Assert.Equal(root.GetProperty("final_balance").GetDecimal(), root.GetProperty("initial_balance").GetDecimal() + pnl);
        Assert.Equal(rows.Length, root.GetProperty("trades").GetInt32());
        Assert.True(new FileInfo(Path.Combine(outDir, "report.html")).Length > 100_000);
    }

    [Fact]
    public async Task ReadmeMainJob_FinishesInSeconds_TradesOnYearsOfH1_AndIsDeterministic()
    {
        // The README's one command, as written there (its --out replaced, a private cache added).
        const string Prefix = "./build.sh && artifacts/kimi ";
        var line = File.ReadLines(RepoPaths.Path("README.md")).Single(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        var args = line[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        args[args.IndexOf("--out") + 1] = Dir("main");
        args.AddRange(["--cache", Dir("cache")]);
        var clock = Stopwatch.StartNew();
        var (code, output, err) = await Kimi([.. args]);
        clock.Stop();
        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        // "Finishes in seconds": about two on an idle core; the bound leaves room for a busy test machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the main job took {clock.Elapsed}");
        Assert.DoesNotContain("warm-up:", output, StringComparison.Ordinal);
        AssertIdentity(Dir("main"));
        var summary = File.ReadAllText(Path.Combine(Dir("main"), "summary.json"));
        var root = JsonDocument.Parse(summary).RootElement;
        Assert.Equal("H1", root.GetProperty("data_timeframe").GetString());
        Assert.StartsWith("OHLC: 4 ticks per bar", root.GetProperty("price_model").GetString(), StringComparison.Ordinal);
        Assert.Equal((500, 500), (root.GetProperty("warmup_bars").GetInt32(), root.GetProperty("warmup_bars_wanted").GetInt32()));
        // Long enough for the signal to act: hundreds of signals, each with an outcome, and some of them trade.
        var signals = root.GetProperty("signals").GetInt32();
        Assert.True(signals >= 100, $"{signals} signals");
        Assert.Equal(signals, root.GetProperty("signals_by_outcome").EnumerateObject().Sum(o => o.Value.GetProperty("count").GetInt32()));
        Assert.True(root.GetProperty("trades").GetInt32() >= 5);
        // Determinism across processes.
        args[args.IndexOf("--out") + 1] = Dir("main2");
        Assert.Equal(0, (await Kimi([.. args])).Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Dir("main"), "summary.json")), File.ReadAllBytes(Path.Combine(Dir("main2"), "summary.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Dir("main"), "trades.csv")), File.ReadAllBytes(Path.Combine(Dir("main2"), "trades.csv")));
        // The README's numbers (317 signals, 11 trades, 6 wins) are this golden's.
        GoldenTests.Check("native-eurusd-h1-on-h4", summary);
    }

    [Fact]
    public async Task Mt5Export_IsReadAsBrokerTimeWithANotice_AndDataTimeZoneOverridesIt()
    {
        var mt5 = RepoPaths.Fixture("data-formats", "EURUSD_M1_2014-05-07_mt5.csv");
        var (code, output, err) = await Kimi("backtest", "--data", mt5, "--mode", "m1ohlc", "--timeframe", "M1", "--out", Dir("mt5"), "--cache", Dir("cache"));
        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        Assert.Contains($"notice: {mt5} is an MT5 export: its times are read as broker server time ny-close", output, StringComparison.Ordinal);
        // 2014-05-07 00:00 server time in May (UTC+3) is 2014-05-06 21:00Z.
        Assert.Equal("2014-05-06T21:00:00.000Z", JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("mt5"), "summary.json"))).RootElement.GetProperty("first_time").GetString());

        (code, output, err) = await Kimi("backtest", "--data", mt5, "--mode", "m1ohlc", "--timeframe", "M1", "--data-time-zone", "UTC", "--out", Dir("utc"), "--cache", Dir("cache"));
        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        Assert.DoesNotContain("notice:", output, StringComparison.Ordinal);
        Assert.Equal("2014-05-07T00:00:00.000Z", JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("utc"), "summary.json"))).RootElement.GetProperty("first_time").GetString());

        (code, _, err) = await Kimi("backtest", "--data", mt5, "--mode", "m1ohlc", "--data-time-zone", "Mars/Olympus", "--out", Dir("bad"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: --data-time-zone: Unknown time zone 'Mars/Olympus'", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultRun_OnTheShippedTicks_IsDeterministic_AndMatchesItsGolden()
    {
        var cache = Dir("cache");
        var a = await Kimi("backtest", "--out", Dir("a"), "--cache", cache);
        Assert.True(a.Code == 0, $"exit {a.Code}\n{a.Out}\n{a.Err}");
        Assert.Contains("ticks/s", a.Out, StringComparison.Ordinal);
        AssertIdentity(Dir("a"));
        var b = await Kimi("backtest", "--out", Dir("b"), "--cache", cache);
        Assert.Equal(0, b.Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Dir("a"), "summary.json")), File.ReadAllBytes(Path.Combine(Dir("b"), "summary.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Dir("a"), "trades.csv")), File.ReadAllBytes(Path.Combine(Dir("b"), "trades.csv")));
        var summary = File.ReadAllText(Path.Combine(Dir("a"), "summary.json"));
        Assert.Equal(129_199, JsonDocument.Parse(summary).RootElement.GetProperty("ticks").GetInt64());
        // The same-bar rule is a tester setting, stop-first unless --same-bar says otherwise, and the summary names it.
        Assert.Equal("stop-first", JsonDocument.Parse(summary).RootElement.GetProperty("same_bar").GetString());
        GoldenTests.Check("native-eurusd-ticks", summary);
    }

    [Fact]
    public async Task SameBar_TargetFirst_IsUsed_AndNamedInTheSummary()
    {
        var (code, output, err) = await Kimi("backtest", "--mode", "m1ohlc", "--same-bar", "target-first", "--min-confidence", "0", "--out", Dir("tf"), "--cache", Dir("cache"));
        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("tf"), "summary.json"))).RootElement;
        Assert.Equal("target-first", root.GetProperty("same_bar").GetString());
        Assert.Contains("take-profit first (--same-bar target-first)", root.GetProperty("fill_policy").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swarm_M1Ohlc_EurusdAndNzdusd_OneAccount()
    {
        // The engine's calibrated confidence on these two weeks stays below the EA defaults (0.70 / 0.85), so the
        // swarm run lowers them to 0 to make the real engine trade through the simulated server.
        var (code, output, err) = await Kimi("backtest", "--mode", "m1ohlc", "--timeframe", "M15", "--min-confidence", "0", "--out", Dir("swarm"), "--cache", Dir("cache"),
            "--data", RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv"), "--data", RepoPaths.Sample("lean-oanda", "NZDUSD_M1_2014-05.norm.csv"));
        Assert.True(code == 0, $"exit {code}\n{output}\n{err}");
        AssertIdentity(Dir("swarm"));
        var summary = File.ReadAllText(Path.Combine(Dir("swarm"), "summary.json"));
        var root = JsonDocument.Parse(summary).RootElement;
        Assert.Equal(["EURUSD", "NZDUSD"], root.GetProperty("symbols").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("trades").GetInt32() > 0, "the engine should trade with the thresholds lowered");
        Assert.Equal(root.GetProperty("instructions").GetInt32(), root.GetProperty("results_by_retcode").EnumerateObject().Sum(p => p.Value.GetInt32()));
        GoldenTests.Check("native-swarm-m1ohlc", summary);
    }

    [Theory]
    [InlineData("--mode", "sometimes")]
    [InlineData("--timeframe", "W1")]
    [InlineData("--seed", "x")]
    [InlineData("--same-bar", "ohlc")]
    [InlineData("--data", "/nonexistent/EURUSD_ticks.csv")]
    public async Task BadArguments_Exit2_WithAMessage(string option, string value)
    {
        var (code, _, err) = await Kimi("backtest", option, value, "--out", Dir("bad"), "--cache", Dir("cache"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("bad")), "no output is written for bad input");
    }

    [Fact]
    public async Task BrokerState_WithoutJournal_OrMalformed_Exits2_WithAMessage()
    {
        var (code, _, err) = await Kimi("backtest", "--broker-state", Dir("broker.state"), "--out", Dir("bad"), "--cache", Dir("cache"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: --broker-state needs --journal", err, StringComparison.Ordinal);

        File.WriteAllText(Dir("broker.state"), "A,1,1000000,1,EURUSD\nC\nQ\nC\n");
        (code, _, err) = await Kimi("backtest", "--broker-state", Dir("broker.state"), "--journal", Dir("j.db"), "--out", Dir("bad"), "--cache", Dir("cache"));
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {Dir("broker.state")}, line 3: unknown record 'Q'", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("bad")), "no output is written for bad input");
    }

    [Fact]
    public async Task MissingEngineLibrary_Exits3()
    {
        var (code, _, err) = await KimiWith(Path.Combine(_work.FullName, "no-such-KimiEA.so"), "backtest", "--out", Dir("noengine"), "--cache", Dir("cache"));
        Assert.Equal(3, code);
        Assert.Contains("engine error", err, StringComparison.Ordinal);
    }
}
