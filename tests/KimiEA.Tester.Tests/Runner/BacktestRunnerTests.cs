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

    [Fact]
    public void H1Bars_ReplayAsFourTicksPerBar_OnAnH4Chart_WarmedUpFromTheDataBeforeFrom()
    {
        var file = Sample("EURUSD_H1_2007-2018.norm.csv");
        var from = new DateTime(2008, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var to = new DateTime(2008, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var engine = ScriptedStrategies.Alternating();
        var notices = new List<string>();
        var outcome = BacktestRunner.Run(new BacktestSettings
        {
            Data = [new DataInput(file)],
            Model = TickModel.M1Ohlc,
            Timeframe = "H4",
            From = from,
            To = to,
            CacheDirectory = _cache.FullName,
        }, engine, notice: notices.Add);

        // The H1 rows of the window, read straight from the CSV (time_utc is the first column).
        long fromS = new DateTimeOffset(from).ToUnixTimeSeconds(), toS = new DateTimeOffset(to).ToUnixTimeSeconds();
        var rows = File.ReadLines(file).Skip(1)
            .Select(l => DateTimeOffset.Parse(l[..l.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds())
            .Where(t => t >= fromS && t < toS).ToList();
        var c = outcome.Result.Counters;
        // Every H1 bar of the window makes 4 prices: open at its start, extremes 20 and 40 minutes in, close at 59:59.
        Assert.Equal(4L * rows.Count, c.Ticks);
        Assert.All(engine.TickTimes, t => Assert.Contains(t % 3_600_000, new long[] { 0, 1_200_000, 2_400_000, 3_599_000 }));
        // One engine bar per H4 bin of the window (the bin forming at --from closes in the run, the last one never does).
        Assert.Equal(rows.Select(t => t / 14_400).Distinct().Count(), c.Bars);
        Assert.All(engine.Calls.Where(x => x.StartsWith("bar ", StringComparison.Ordinal)), x => Assert.Equal(0, long.Parse(x[4..], System.Globalization.CultureInfo.InvariantCulture) % 14_400));
        // The EA's 500 warm-up bars come from 2007 (about 1,500 H4 bars before --from).
        Assert.Equal((500L, 500L), (c.WarmupBars, c.WarmupBarsWanted));
        Assert.Contains("warmup 500", engine.Calls);
        Assert.Empty(notices);
        Assert.Equal("H1", outcome.Run.DataTimeframe);
        Assert.Contains("from H1 bars of the data", outcome.Run.PriceModel, StringComparison.Ordinal);
        Assert.Equal("H1 bars", outcome.Run.DataFiles[0].Kind);
        Assert.Contains(outcome.Run.Parameters, kv => kv.Key == "warm-up" && kv.Value == "500 of 500 bars from the data before the start");
        var summary = ReportFiles.SummaryJson(outcome.Result, outcome.Run, "x");
        Assert.Contains("\"data_timeframe\": \"H1\"", summary, StringComparison.Ordinal);
        Assert.Contains("\"warmup_bars_wanted\": 500", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void TooLittleDataBeforeFrom_IsSaidOnTheConsoleAndInTheReport()
    {
        var notices = new List<string>();
        var outcome = BacktestRunner.Run(new BacktestSettings
        {
            Data = [new DataInput(Sample("EURUSD_M1_2014-05.norm.csv"))],
            Model = TickModel.Open,
            Timeframe = "H1",
            From = new DateTime(2014, 5, 5, 0, 0, 0, DateTimeKind.Utc),
            To = new DateTime(2014, 5, 6, 0, 0, 0, DateTimeKind.Utc),
            CacheDirectory = _cache.FullName,
        }, ScriptedStrategies.Alternating(), notice: notices.Add);
        var c = outcome.Result.Counters;
        // 2014-05-01 00:00 .. 05-02 ~21:00 and the Sunday open: about 50 H1 bars, far from 500.
        Assert.InRange(c.WarmupBars, 40, 60);
        var said = Assert.Single(notices);
        Assert.Equal($"warm-up: only {c.WarmupBars} of the 500 warm-up bars the EA asks for lie in the data before --from; the engine starts with less history than the EA would have", said);
        Assert.Contains(outcome.Run.Parameters, kv => kv.Key == "warm-up" && kv.Value.EndsWith(said["warm-up: ".Length..], StringComparison.Ordinal));

        notices.Clear();
        BacktestRunner.Run(new BacktestSettings
        {
            Data = [new DataInput(Sample("EURUSD_M1_2014-05.norm.csv"))],
            Model = TickModel.Open,
            To = new DateTime(2014, 5, 2, 0, 0, 0, DateTimeKind.Utc),
            CacheDirectory = _cache.FullName,
        }, ScriptedStrategies.Alternating(), notice: notices.Add);
        Assert.StartsWith("warm-up: no --from: the engine starts cold at the start of the data with 0 of the 500", Assert.Single(notices), StringComparison.Ordinal);
    }

    [Fact]
    public void AChartBelowTheDataTimeframe_IsAnErrorNamingBoth()
    {
        var file = Sample("EURUSD_H1_2007-2018.norm.csv");
        var settings = new BacktestSettings { Data = [new DataInput(file)], Model = TickModel.M1Ohlc, CacheDirectory = _cache.FullName };
        var e = Assert.Throws<ArgumentException>(() => BacktestRunner.Prepare(settings with { Timeframe = "M15" }));
        Assert.Equal($"The chart timeframe M15 is below the timeframe of {file} (H1): a chart needs data of its timeframe or shorter; use --timeframe H1 or above, or data of a shorter timeframe.", e.Message);
        Assert.Single(BacktestRunner.Prepare(settings with { Timeframe = "H1" }));
        Assert.Single(BacktestRunner.Prepare(settings with { Timeframe = "D1" }));

        // Bars 7 minutes apart are no MT5 timeframe; M5 bars cannot make an M1 chart, three of them make an M15 bar.
        var dir = Directory.CreateTempSubdirectory("kimi-tf-");
        try
        {
            var odd = Path.Combine(dir.FullName, "EURUSD_odd.csv");
            File.WriteAllLines(odd, ["time_utc,open,high,low,close,volume", "2014-05-01T00:00:00Z,1.1,1.2,1.0,1.1,0", "2014-05-01T00:07:00Z,1.1,1.2,1.0,1.1,0"]);
            Assert.Equal($"{odd}: its bars are 420 seconds apart, which is not a timeframe from M1 to D1 (whole minutes dividing a day); the tester replays such bars, or ticks.",
                Assert.Throws<ArgumentException>(() => BacktestRunner.Prepare(settings with { Data = [new DataInput(odd)], Timeframe = "H1" })).Message);
            var m5 = Path.Combine(dir.FullName, "EURUSD_m5.csv");
            File.WriteAllLines(m5, ["time_utc,open,high,low,close,volume", "2014-05-01T00:00:00Z,1.1,1.2,1.0,1.1,0", "2014-05-01T00:05:00Z,1.1,1.2,1.0,1.1,0"]);
            Assert.Contains("M1 is below the timeframe of", Assert.Throws<ArgumentException>(() => BacktestRunner.Prepare(settings with { Data = [new DataInput(m5)], Timeframe = "M1" })).Message, StringComparison.Ordinal);
            Assert.Single(BacktestRunner.Prepare(settings with { Data = [new DataInput(m5)], Timeframe = "M15" }));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void YearsOfDataBeforeFrom_CostNoMemory_ThePreRollIsStreamed()
    {
        BacktestSettings Month(int year) => new()
        {
            Data = [new DataInput(Sample("EURUSD_H1_2007-2018.norm.csv"))],
            Model = TickModel.M1Ohlc,
            Timeframe = "H4",
            From = new DateTime(year, 6, 1, 0, 0, 0, DateTimeKind.Utc),
            To = new DateTime(year, 7, 1, 0, 0, 0, DateTimeKind.Utc),
            CacheDirectory = _cache.FullName,
        };

        long Allocated(int year)
        {
            var settings = Month(year);
            var inputs = BacktestRunner.Prepare(settings); // the cache is built by the first call
            var before = GC.GetAllocatedBytesForCurrentThread();
            var outcome = BacktestRunner.Run(settings, inputs, new QuietEngine());
            Assert.Equal(500, outcome.Result.Counters.WarmupBars);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Allocated(2008); // JIT and cache
        var near = Allocated(2008);
        // The same month ten years later: about 62,000 more H1 bars (3 MB of records) go through the pre-roll first.
        var far = Allocated(2018);
        Assert.True(far < near + (256 * 1024), $"replaying June 2008 allocated {near:N0} bytes, June 2018 {far:N0}");
    }

    /// <summary>An engine that never signals (every handler returns an empty pending word) and allocates nothing.</summary>
    private sealed class QuietEngine : KimiEA.Tester.Terminal.IEngineHost, KimiEA.Tester.Terminal.IEngineAgent
    {
        public KimiEA.Tester.Terminal.IEngineAgent Create(in KimiEA.Core.Abi.KimiConfig config, string symbol, in KimiEA.Core.Abi.KimiSymbolSpec spec, in KimiEA.Core.Abi.KimiAccount account, string? journalPath, string? calibrationPath = null) => this;

        public int Warmup(ReadOnlySpan<KimiEA.Core.Market.MqlRates> bars) => 0;

        public int SyncPositions(ReadOnlySpan<KimiEA.Core.Abi.KimiPosition> positions, long timeMsc) => 0;

        public int OnTick(in KimiEA.Core.Market.MqlTick tick, in KimiEA.Core.Abi.KimiAccount account) => 0;

        public int UpdateSpec(in KimiEA.Core.Abi.KimiSymbolSpec spec) => 0;

        public int OnBar(in KimiEA.Core.Market.MqlRates bar) => 0;

        public int GetZones(Span<KimiEA.Core.Abi.KimiZone> into) => 0;

        public int PollInstructions(Span<KimiEA.Core.Abi.KimiInstruction> into) => 0;

        public int ReportResult(in KimiEA.Core.Abi.KimiOrderResult result) => 0;

        public int OnTradeTransaction(in KimiEA.Core.Abi.KimiDeal deal) => 0;

        public int OnTimer(long timeMsc, in KimiEA.Core.Abi.KimiAccount account) => 0;

        public int Approve(long intentId, bool approve) => 0;

        public int PollEvents(Span<KimiEA.Core.Abi.KimiEvent> into) => 0;

        public int PollLog(Span<char> into) => 0;

        public int GetStatus(out KimiEA.Core.Abi.KimiStatus status)
        {
            status = default;
            return 0;
        }

        public int Destroy(int reason) => 0;

        public string LastError() => string.Empty;

        public string NameOf(int eventKind, long code) => string.Empty;
    }
}
