using System.Diagnostics;
using System.Globalization;
using System.Text;
using KimiEA.Optimize.Trials;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Optimize.Tests.Cli;

/// <summary>
/// End to end through the published CLI on the shipped EURUSD M1 sample (11 trading days, 1-minute OHLC, every intent
/// approved so that passes trade): serial = parallel = sharded, byte for byte; kimi backtest --set reproduces a
/// pass's trades with the native library; a kill loses nothing already computed; bad input is refused by name.
/// </summary>
public sealed class OptimizeCliTests : IDisposable
{
    private static readonly string[] Outputs = ["results.csv", "daily-returns.csv", "overfitting.json", "best.set", "optimize.html"];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"kimi-optimize-{Guid.NewGuid():N}");
    private readonly string _set;

    public OptimizeCliTests()
    {
        Directory.CreateDirectory(_dir);
        _set = Path.Combine(_dir, "search.set");
        // 3 × 2 × 2 = 12 passes; UTF-16LE with BOM as MT5 writes it.
        File.WriteAllText(_set,
            "; KimiEA search\r\nInpMinConfidence=0||0||0.3||0.6||Y\r\nInpAutoConfidence=0.6||0.6||0||0.6||N\r\nInpSwingLength=5||5||5||10||Y\r\nInpMinRewardRisk=1.5||1||1||2||Y\r\n",
            new UnicodeEncoding(false, true));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Backtest() => ["--mode", "m1ohlc", "--approve", "all", "--cache", Path.Combine(_dir, "cache")];

    private string[] Optimize(string outDir, params string[] more) => ["optimize", "--set", _set, "--out", outDir, .. more, .. Backtest()];

    private static void Ok((int Code, string Out, string Err) r) => Assert.True(r.Code == 0, $"exit {r.Code}\n{r.Out}\n{r.Err}");

    [Fact]
    public void SerialParallelAndSharded_GiveTheSameBytes_AndBestSetReproducesWithTheNativeLibrary()
    {
        var serial = Path.Combine(_dir, "serial");
        var parallel = Path.Combine(_dir, "parallel");
        var sharded = Path.Combine(_dir, "sharded");
        Ok(KimiRun.Run(Optimize(serial, "--workers", "1")));
        Ok(KimiRun.Run(Optimize(parallel, "--workers", "2")));
        Ok(KimiRun.Run(["optimize", "plan", "--shards", "3", "--set", _set, "--out", sharded, .. Backtest()]));
        var plan = Path.Combine(sharded, "plan.json");

        // A reduce before every shard finished names the missing shard and merges nothing.
        Ok(KimiRun.Run("optimize", "run-shard", "--plan", plan, "--index", "0"));
        var early = KimiRun.Run("optimize", "reduce", "--plan", plan);
        Assert.Equal(4, early.Code);
        Assert.Contains("shard 1 of 3 has not finished", early.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(sharded, "results.csv")));

        // The other shards by the environment variables of a Slurm array and a Kubernetes Indexed Job.
        var slurm = KimiRun.Info(["optimize", "run-shard", "--plan", plan]);
        slurm.Environment["SLURM_ARRAY_TASK_ID"] = "1";
        RunToEnd(slurm);
        var k8s = KimiRun.Info(["optimize", "run-shard", "--plan", plan]);
        k8s.Environment.Remove("SLURM_ARRAY_TASK_ID");
        k8s.Environment["JOB_COMPLETION_INDEX"] = "2";
        RunToEnd(k8s);
        Ok(KimiRun.Run("optimize", "reduce", "--plan", plan));

        foreach (var f in Outputs)
        {
            var expected = File.ReadAllBytes(Path.Combine(serial, f));
            Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(parallel, f))), $"{f}: parallel differs from serial");
            Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(sharded, f))), $"{f}: sharded differs from serial");
        }

        var results = File.ReadAllLines(Path.Combine(serial, "results.csv"));
        Assert.StartsWith("Pass,Result,Profit,Expected Payoff,Profit Factor,Recovery Factor,Sharpe Ratio,Custom,Equity DD %,Trades,InpMinConfidence,InpSwingLength,InpMinRewardRisk,Status", results[0], StringComparison.Ordinal);
        Assert.Equal(13, results.Length);
        // Some passes trade (otherwise this proves little).
        var trials = Enumerable.Range(0, 12).Select(i => TrialResult.Read(OptimizePlan.TrialFile(serial, i))).ToList();
        Assert.Contains(trials, t => t.Statistics!.Trades > 0);

        // best.set, and the .set of every pass that traded, run by kimi backtest on the native library: the same trades.
        var best = trials.OrderByDescending(t => t.Score).ThenBy(t => t.Index).First();
        CheckBacktestReproduces(Path.Combine(serial, "best.set"), best);
        foreach (var t in trials.Where(t => t.Statistics!.Trades > 0).Take(3))
        {
            var set = Path.Combine(_dir, $"pass{t.Index}.set");
            File.WriteAllText(set, $"InpMinConfidence={t.Values[0]}\nInpAutoConfidence=0.6\nInpSwingLength={t.Values[1]}\nInpMinRewardRisk={t.Values[2]}\n");
            CheckBacktestReproduces(set, t);
        }
    }

    private static void RunToEnd(ProcessStartInfo psi)
    {
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err.Result);
    }

    private void CheckBacktestReproduces(string set, TrialResult trial)
    {
        var outDir = Path.Combine(_dir, "bt-" + Path.GetFileNameWithoutExtension(set));
        Ok(KimiRun.Run(["backtest", "--set", set, "--out", outDir, .. Backtest()]));
        var lines = File.ReadAllLines(Path.Combine(outDir, "trades.csv"));
        var pnl = Array.IndexOf(lines[0].Split(','), "pnl");
        Assert.True(pnl >= 0, "trades.csv has a pnl column");
        var trades = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(trial.TradePnlCents.Count, trades.Count);
        for (var i = 0; i < trades.Count; i++)
        {
            // trades.csv: ticket,symbol,side,lots,entry_time,entry_price,exit_time,exit_price,exit_reason,commission,pnl,swap
            Assert.Equal(trial.TradePnlCents[i], (long)Math.Round(double.Parse(trades[i][pnl], CultureInfo.InvariantCulture) * 100));
            var exit = DateTime.Parse(trades[i][6], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            Assert.Equal(trial.TradeExitMsc[i], (long)(exit - DateTime.UnixEpoch).TotalMilliseconds);
        }

        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(trial.Statistics!.FinalBalance, summary.RootElement.GetProperty("final_balance").GetDouble());
        Assert.Equal(trial.Statistics.Trades, summary.RootElement.GetProperty("trades").GetInt32());
    }

    [Fact]
    public void KilledAndRestarted_FinishedTrialsAreNotRecomputed_AndTheResultIsTheSame()
    {
        var clean = Path.Combine(_dir, "clean");
        var killed = Path.Combine(_dir, "killed");
        Ok(KimiRun.Run(Optimize(clean, "--workers", "1")));

        using (var p = Process.Start(KimiRun.Info(Optimize(killed, "--workers", "2")))!)
        {
            var trials = OptimizePlan.TrialsDir(killed);
            var clock = Stopwatch.StartNew();
            while ((!Directory.Exists(trials) || Directory.GetFiles(trials, "*.json").Length < 3) && !p.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(20);
            }

            Assert.False(p.HasExited, "the search ended before it could be killed; make it longer");
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }

        var before = Directory.GetFiles(OptimizePlan.TrialsDir(killed), "*.json").Length;
        Assert.InRange(before, 3, 11);
        var resumed = KimiRun.Run(Optimize(killed, "--workers", "2"));
        Ok(resumed);
        Assert.Contains("resuming the search", resumed.Out, StringComparison.Ordinal);
        // The progress line counts what this run computed: exactly the trials that were missing.
        Assert.Contains($"12/12 passes ({12 - before} computed now)", resumed.Out, StringComparison.Ordinal);
        foreach (var f in Outputs)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(clean, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(killed, f))), $"{f} differs after the restart");
        }
    }

    [Fact]
    public void GeneticSearch_SameSeedSameTrials_SerialOrParallel()
    {
        string[] genetic = ["--search", "genetic", "--passes", "8", "--population", "4", "--search-seed", "11"];
        var a = Path.Combine(_dir, "ga-serial");
        var b = Path.Combine(_dir, "ga-parallel");
        Ok(KimiRun.Run(Optimize(a, [.. genetic, "--workers", "1"])));
        Ok(KimiRun.Run(Optimize(b, [.. genetic, "--workers", "2"])));
        Assert.Equal(8, Directory.GetFiles(OptimizePlan.TrialsDir(a), "*.json").Length);
        foreach (var f in Outputs)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(a, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f))), $"{f}: the same seed gave different results");
        }
    }

    [Fact]
    public void WalkForward_RunsEveryWindow_AndRefusesDataTooShort()
    {
        // The sample's trading days are 2014-05-01 … 2014-05-15 (period 05-01 to 05-16): rolling 7 + 3 days, step 3
        // → windows starting 05-01 (OOS to 05-11), 05-04 (to 05-14); 05-07 + 10 = 05-17 > 05-16 stops.
        var set = Path.Combine(_dir, "wf.set");
        File.WriteAllText(set, "InpMinConfidence=0||0||0.3||0.3||Y\nInpAutoConfidence=0.6\nInpSwingLength=5||5||5||10||Y\n");
        var outDir = Path.Combine(_dir, "wf");
        var r = KimiRun.Run(["optimize", "--set", set, "--out", outDir, "--workers", "1", "--walk-forward", "rolling", "--is-days", "7", "--oos-days", "3", .. Backtest()]);
        Ok(r);
        var windows = File.ReadAllLines(Path.Combine(outDir, "walk-forward.csv"));
        Assert.Equal(3, windows.Length);
        Assert.StartsWith("0,2014-05-01,2014-05-08,2014-05-11,", windows[1], StringComparison.Ordinal);
        Assert.StartsWith("1,2014-05-04,2014-05-11,2014-05-14,", windows[2], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "wf", "00-in-sample", "results.csv")));
        Assert.Contains("Walk-forward (rolling)", File.ReadAllText(Path.Combine(outDir, "optimize.html")), StringComparison.Ordinal);

        r = KimiRun.Run(["optimize", "--set", set, "--out", Path.Combine(_dir, "wf2"), "--walk-forward", "anchored", "--is-days", "30", "--oos-days", "10", .. Backtest()]);
        Assert.Equal(2, r.Code);
        Assert.Contains("The data is too short for the windows", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInput_IsRefusedByName()
    {
        var bad = Path.Combine(_dir, "bad.set");
        File.WriteAllText(bad, "InpRiskPercent=1\nInpSwingLenght=10||5||1||20||Y\n");
        var r = KimiRun.Run(["optimize", "--set", bad, "--out", Path.Combine(_dir, "o"), .. Backtest()]);
        Assert.Equal(2, r.Code);
        Assert.Contains("bad.set:2: 'InpSwingLenght' is not an input of KimiEA.mq5", r.Err, StringComparison.Ordinal);

        var big = Path.Combine(_dir, "big.set");
        File.WriteAllText(big, "InpRangePercent=0.01||0.001||0.001||0.5||Y\nInpPriceBandAtr=1||0.01||0.01||5||Y\n");
        r = KimiRun.Run(["optimize", "--set", big, "--out", Path.Combine(_dir, "o"), .. Backtest()]);
        Assert.Equal(2, r.Code);
        Assert.Contains("The complete grid has 250,000 combinations (500 × 500)", r.Err, StringComparison.Ordinal);
        Assert.Contains("--search genetic", r.Err, StringComparison.Ordinal);

        r = KimiRun.Run("backtest", "--set", bad, "--mode", "m1ohlc", "--out", Path.Combine(_dir, "b"));
        Assert.Equal(2, r.Code);
        Assert.Contains("bad.set:2:", r.Err, StringComparison.Ordinal);

        r = KimiRun.Run(["optimize", "--set", _set, "--out", Path.Combine(_dir, "o"), "--journal", "j.db", .. Backtest()]);
        Assert.Equal(2, r.Code);
        Assert.Contains("--journal is not an option of kimi optimize", r.Err, StringComparison.Ordinal);

        r = KimiRun.Run("optimize", "run-shard", "--plan", Path.Combine(_dir, "nope.json"), "--index", "0");
        Assert.Equal(2, r.Code);
        Assert.Contains("nope.json", r.Err, StringComparison.Ordinal);
    }
}
