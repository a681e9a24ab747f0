using BenchmarkDotNet.Attributes;
using KimiEA.Core.Market;
using KimiEA.Data;
using KimiEA.Tester;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Server;
using KimiEA.Tester.Terminal;

namespace KimiEA.Benchmarks.Tester;

/// <summary>
/// `kimi backtest` throughput from the binary cache (issue #6 targets: ≥ 5 M ticks/s and ≥ 2 M M1 bars/s on one
/// core with the full engine). One operation = one record of the sample, so the mean is the time per record and
/// records/s = 1 / mean. The inputs are prepared once in the setup (the cache is built and its source hash checked):
/// the replay methods time what the CLI's own "ticks/s" figure times, the replay from the cache; `PrepareTicks` times
/// the fixed cost every run pays before it. <see cref="Engine"/> "native" drives the published KimiEA.so through its
/// exports (as the CLI does; needs ./build.sh or KIMI_NATIVE_LIB), "null" measures the tester alone.
/// </summary>
[MemoryDiagnoser]
public class BacktestReplayBenchmarks
{
    // The shipped samples' accepted records (tests/golden: 129,199 ticks; 15,366 EURUSD M1 bars).
    private const int Ticks = 129_199;
    private const int M1Bars = 15_366;

    private string _dir = string.Empty;
    private IEngineHost _engine = new NullEngine();
    private readonly Dictionary<(string, TickModel), (BacktestSettings, IReadOnlyList<(DataInput, TesterSymbol, CacheEntry)>)> _prepared = [];

    [Params("null", "native")]
    public string Engine { get; set; } = "null";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"kimi-bench-tester-{Environment.ProcessId}");
        var cache = new MarketDataCache(_dir);
        var t = cache.GetTicks(SamplePath("EURUSD_ticks_2014-05-07_08.norm.csv"), DataReadOptions.Lenient);
        var b = cache.GetBars(SamplePath("EURUSD_M1_2014-05.norm.csv"), DataReadOptions.Lenient);
        if (t.Count != Ticks || b.Count != M1Bars)
        {
            throw new InvalidOperationException($"Sample sizes changed: {t.Count} ticks, {b.Count} M1 bars; update the constants.");
        }

        _engine = Engine == "native" ? NativeEngine.Load() : new NullEngine();
        foreach (var (file, model) in new[]
        {
            ("EURUSD_ticks_2014-05-07_08.norm.csv", TickModel.Ticks), ("EURUSD_M1_2014-05.norm.csv", TickModel.M1Ohlc), ("EURUSD_M1_2014-05.norm.csv", TickModel.Open),
        })
        {
            var settings = new BacktestSettings { Data = [new DataInput(SamplePath(file))], Model = model, CacheDirectory = _dir };
            _prepared[(file, model)] = (settings, BacktestRunner.Prepare(settings));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    /// <summary>The fixed cost of a run before the replay: format detection and the SHA-256 check of the source that reuses the cache.</summary>
    [Benchmark]
    public int PrepareTicks() => BacktestRunner.Prepare(new BacktestSettings { Data = [new DataInput(SamplePath("EURUSD_ticks_2014-05-07_08.norm.csv"))], CacheDirectory = _dir }).Count;

    [Benchmark(OperationsPerInvoke = Ticks)]
    public long RealTicks() => Run("EURUSD_ticks_2014-05-07_08.norm.csv", TickModel.Ticks);

    [Benchmark(OperationsPerInvoke = M1Bars)]
    public long M1Ohlc() => Run("EURUSD_M1_2014-05.norm.csv", TickModel.M1Ohlc);

    [Benchmark(OperationsPerInvoke = M1Bars)]
    public long OpenPrices() => Run("EURUSD_M1_2014-05.norm.csv", TickModel.Open);

    private long Run(string file, TickModel model)
    {
        var (settings, inputs) = _prepared[(file, model)];
        return BacktestRunner.Run(settings, inputs, _engine).Result.Counters.Ticks;
    }

    internal static string SamplePath(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "data", "samples", "lean-oanda", file);
            if (File.Exists(p))
            {
                return p;
            }
        }

        throw new FileNotFoundException($"data/samples/lean-oanda/{file} not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>
/// Memory flatness of a replay: the same tick sample replayed once or ten times in a row (times shifted by a week
/// each pass) through the tester with the null engine. Every case runs in its own process, so the peak working set
/// printed at cleanup ("peak working set: … MB") compares directly: 10× must stay below 1.5× of 1×.
/// </summary>
[MemoryDiagnoser]
public class BacktestMemoryBenchmarks
{
    private MqlTick[] _ticks = [];

    [Params(1, 10)]
    public int Scale { get; set; } = 1;

    [GlobalSetup]
    public void Setup() =>
        _ticks = TickReader.ReadAll(BacktestReplayBenchmarks.SamplePath("EURUSD_ticks_2014-05-07_08.norm.csv"), DataReadOptions.Lenient).Ticks;

    [GlobalCleanup]
    public void Cleanup()
    {
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        Console.WriteLine($"// Scale={Scale}: peak working set: {p.PeakWorkingSet64 / (1024.0 * 1024.0):0.0} MB");
    }

    [Benchmark]
    public long Replay()
    {
        var symbol = SymbolTable.Get("EURUSD");
        var server = new TradeServer(new AccountSettings(), [symbol], new ExecutionSettings());
        using var feed = new SymbolFeed(symbol, TickModel.Ticks, Repeated(), null);
        return new SimulatedTerminal(new NullEngine(), server, [feed], new TerminalOptions()).Run().Counters.Ticks;
    }

    private IEnumerable<MqlTick> Repeated()
    {
        const long week = 7L * 24 * 3600 * 1000;
        for (var pass = 0; pass < Scale; pass++)
        {
            foreach (var t in _ticks)
            {
                yield return new MqlTick(t.TimeMsc + pass * week, t.Bid, t.Ask);
            }
        }
    }
}
