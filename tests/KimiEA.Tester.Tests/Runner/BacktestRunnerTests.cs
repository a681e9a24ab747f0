using System.Text;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Report;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Runner;

/// <summary>End-to-end runs over the shipped samples through the binary cache, with a scripted engine.</summary>
public sealed class BacktestRunnerTests : IDisposable
{
    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("kimi-cache-");

    public void Dispose() => _cache.Delete(true);

    private static string Sample(string file) => RepoPaths.Sample("lean-oanda", file);

    [Fact]
    public void Swarm_TwoSymbolsShareOneAccount_AndTheIdentityHolds()
    {
        var engine = ScriptedStrategies.Alternating();
        var outcome = BacktestRunner.Run(new BacktestSettings
        {
            Data = [new DataInput(Sample("EURUSD_M1_2014-05.norm.csv")), new DataInput(Sample("NZDUSD_M1_2014-05.norm.csv"))],
            Model = TickModel.M1Ohlc,
            To = new DateTime(2014, 5, 6, 0, 0, 0, DateTimeKind.Utc),
            CacheDirectory = _cache.FullName,
        }, engine);
        var r = outcome.Result;
        Assert.StartsWith("create EURUSD magic=20140000", engine.Calls[0], StringComparison.Ordinal);
        Assert.Contains(engine.Calls, c => c.StartsWith("create NZDUSD magic=20140001", StringComparison.Ordinal));
        Assert.Contains(r.Trades, t => t.Symbol == "EURUSD");
        Assert.Contains(r.Trades, t => t.Symbol == "NZDUSD");
        // One account: its balance moved by every trade of both symbols, to the cent.
        Assert.Equal((long)Math.Round(r.Statistics.InitialBalance * 100) + r.Trades.Sum(t => t.PnlCents), (long)Math.Round(r.Statistics.FinalBalance * 100));
        // The two feeds are merged in time order: every engine tick is at or after the previous one.
        Assert.True(engine.TickTimes.Zip(engine.TickTimes.Skip(1)).All(p => p.First <= p.Second));
        Assert.True(r.Counters.LastTimeMsc < new DateTimeOffset(2014, 5, 6, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds());
        Assert.Equal(["EURUSD", "NZDUSD"], outcome.Run.Symbols);
        Assert.All(outcome.Run.DataFiles, f => Assert.Equal(64, f.Sha256.Length));
    }

    [Fact]
    public void RealTicks_EveryTickReachesTheServerAndTheEngine()
    {
        var engine = ScriptedStrategies.Alternating();
        var outcome = BacktestRunner.Run(new BacktestSettings
        {
            Data = [new DataInput(Sample("EURUSD_ticks_2014-05-07_08.norm.csv"))],
            Model = TickModel.Ticks,
            CacheDirectory = _cache.FullName,
        }, engine);
        var c = outcome.Result.Counters;
        // README: 129,200 rows, one of them an exact repeat the reader drops and counts; every other tick is replayed.
        Assert.Equal((129_200L, 1L), (outcome.Run.DataFiles[0].Quality.RowsRead, outcome.Run.DataFiles[0].Quality.RowsSkipped));
        Assert.Equal(129_199, c.Ticks);
        Assert.Equal(outcome.Run.DataFiles[0].Records, c.Ticks);
        Assert.Equal(c.Ticks, c.EngineTicks);
        Assert.True(outcome.Result.Trades.Count > 0);
        Assert.Equal("ticks", outcome.Run.Mode);
    }

    [Fact]
    public void From_WarmsUpWithEarlierBars_AndTradesOnlyAfterIt()
    {
        var engine = ScriptedStrategies.Alternating();
        var from = new DateTime(2014, 5, 5, 0, 0, 0, DateTimeKind.Utc);
        var outcome = BacktestRunner.Run(new BacktestSettings
        {
            Data = [new DataInput(Sample("EURUSD_M1_2014-05.norm.csv"))],
            Model = TickModel.Open,
            From = from,
            To = from.AddDays(2),
            CacheDirectory = _cache.FullName,
        }, engine);
        var fromMsc = new DateTimeOffset(from).ToUnixTimeMilliseconds();
        Assert.True(outcome.Result.Counters.WarmupBars > 100, $"warm-up bars: {outcome.Result.Counters.WarmupBars}");
        Assert.Contains(engine.Calls, x => x.StartsWith("warmup ", StringComparison.Ordinal) && x != "warmup 0");
        Assert.All(outcome.Result.Trades, t => Assert.True(t.EntryTimeMsc >= fromMsc));
        Assert.All(engine.TickTimes, t => Assert.True(t >= fromMsc));
    }

    [Fact]
    public void SameInputsAndSeed_GiveByteIdenticalOutputs_ThroughTheCache()
    {
        string Run(int seed)
        {
            var outcome = BacktestRunner.Run(new BacktestSettings
            {
                Data = [new DataInput(Sample("EURUSD_M1_2014-05.norm.csv"))],
                Model = TickModel.M1Ohlc,
                Seed = seed,
                To = new DateTime(2014, 5, 8, 0, 0, 0, DateTimeKind.Utc),
                CacheDirectory = _cache.FullName,
            }, ScriptedStrategies.Alternating());
            var trades = ReportFiles.TradesCsv(outcome.Result.Trades);
            return ReportFiles.SummaryJson(outcome.Result, outcome.Run, ReportFiles.Sha256Hex(Encoding.UTF8.GetBytes(trades))) + trades;
        }

        var first = Run(5);
        Assert.Equal(first, Run(5)); // the second run reads the cache the first one built
        Assert.NotEqual(first, Run(6));
    }

    [Fact]
    public void A_window_outside_the_data_is_an_error_not_an_empty_run()
    {
        // The M1 sample runs from 2014-05-01 00:00 to 2014-05-15 23:59 (data/samples/lean-oanda/README.md): June holds nothing.
        var settings = new BacktestSettings { Data = [new DataInput(Sample("EURUSD_M1_2014-05.norm.csv"))], Model = TickModel.M1Ohlc, CacheDirectory = _cache.FullName };
        var late = Assert.Throws<ArgumentException>(() => BacktestRunner.Prepare(settings with { From = new DateTime(2014, 6, 1, 0, 0, 0, DateTimeKind.Utc) }));
        Assert.Equal("--from 2014-06-01T00:00:00Z is after the end of the data: the data runs from 2014-05-01T00:00:00.000Z to 2014-05-15T23:59:59.999Z.", late.Message);
        var early = Assert.Throws<ArgumentException>(() => BacktestRunner.Prepare(settings with { To = new DateTime(2014, 5, 1, 0, 0, 0, DateTimeKind.Utc) }));
        Assert.StartsWith("--to 2014-05-01T00:00:00Z is before the start of the data", early.Message, StringComparison.Ordinal);
        Assert.Single(BacktestRunner.Prepare(settings with { To = new DateTime(2014, 5, 1, 0, 1, 0, DateTimeKind.Utc) })); // one bar is enough
    }

    [Fact]
    public void BadSettings_AreNamed()
    {
        Assert.Contains("real-ticks", Assert.Throws<ArgumentException>(() => BacktestRunner.Prepare(new BacktestSettings
        {
            Data = [new DataInput(Sample("EURUSD_M1_2014-05.norm.csv"))],
            Model = TickModel.Ticks,
            CacheDirectory = _cache.FullName,
        })).Message, StringComparison.Ordinal);
        Assert.Contains("Two data files for EURUSD", Assert.Throws<ArgumentException>(() => BacktestRunner.Prepare(new BacktestSettings
        {
            Data = [new DataInput(Sample("EURUSD_M1_2014-05.norm.csv")), new DataInput(Sample("EURUSD_ticks_2014-05-07_08.norm.csv"))],
            Model = TickModel.M1Ohlc,
            CacheDirectory = _cache.FullName,
        })).Message, StringComparison.Ordinal);
        Assert.Contains("'W1' is not a timeframe", Assert.Throws<ArgumentException>(() => BacktestRunner.Prepare(new BacktestSettings
        {
            Data = [new DataInput(Sample("EURUSD_M1_2014-05.norm.csv"))],
            Timeframe = "W1",
        })).Message, StringComparison.Ordinal);
        Assert.Equal("/nonexistent/EURUSD_x.csv: the file does not exist", Assert.Throws<KimiEA.Data.InputFileException>(() => BacktestRunner.Prepare(new BacktestSettings
        {
            Data = [new DataInput("/nonexistent/EURUSD_x.csv")],
            CacheDirectory = _cache.FullName,
        })).Message);
        // Missing is said before the symbol is guessed from the name.
        Assert.Equal("/nonexistent/x.csv: the file does not exist", Assert.Throws<KimiEA.Data.InputFileException>(() => BacktestRunner.Prepare(new BacktestSettings
        {
            Data = [new DataInput("/nonexistent/x.csv")],
            CacheDirectory = _cache.FullName,
        })).Message);
    }
}
