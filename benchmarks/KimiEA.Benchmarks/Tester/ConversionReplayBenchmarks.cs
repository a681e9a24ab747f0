using BenchmarkDotNet.Attributes;
using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Data;
using KimiEA.Tester;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Server;
using KimiEA.Tester.Server.Money;
using KimiEA.Tester.Terminal;

namespace KimiEA.Benchmarks.Tester;

/// <summary>
/// What account-currency conversion and swaps cost the replay (issue #12: ≤ 10 % of the replay speed). The same
/// EURJPY M1 sample (data/samples/nautilus-fx, 1-minute OHLC model, 4 prices per bar) replayed twice:
/// <c>usd</c> — as the single-currency tester did, a symbol in the account currency without swaps; <c>jpy-cross</c> —
/// EURJPY on a USD account, its JPY profit through the USDJPY M1 data and its EUR margin through the EURUSD H1 data
/// (two conversion series advanced on every price), swaps in points charged at every rollover. <see cref="Engine"/>
/// "holding" opens one position on the first price and holds it to the end, so every price values a converted open
/// position (the equity the terminal samples) and every day charges a swap: the worst case per price; "native" is
/// the published engine (./build.sh), which is flat most of the time. One operation = one M1 bar.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ConversionReplayBenchmarks
{
    private const int M1Bars = 28_761;

    private string _dir = string.Empty;
    private IEngineHost _engine = new HoldingEngine();
    private BacktestSettings _settings = new() { Data = [] };
    private IReadOnlyList<(DataInput, TesterSymbol, CacheEntry)> _inputs = [];
    private IReadOnlyList<(DataInput, TesterSymbol, CacheEntry)> _conversion = [];

    [Params("holding", "native")]
    public string Engine { get; set; } = "holding";

    [Params("usd", "jpy-cross")]
    public string Case { get; set; } = "usd";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), $"kimi-bench-conversion-{Environment.ProcessId}");
        var cache = new MarketDataCache(_dir);
        var eurjpy = cache.GetBars(SamplePath("nautilus-fx", "EURJPY_M1_2013-02.derived.csv"), DataReadOptions.Lenient);
        if (eurjpy.Count != M1Bars)
        {
            throw new InvalidOperationException($"Sample size changed: {eurjpy.Count} M1 bars; update the constant.");
        }

        var cross = new TesterSymbol
        {
            Name = "EURJPY", Digits = 3, Point = 0.001, TickSize = 0.001, TickValue = 100, ContractSize = 100_000, NormalizedSpreadPoint = 0.001,
            BaseCurrency = "EUR", ProfitCurrency = "JPY", MarginCurrency = "EUR",
            SwapMode = SwapMode.Points, SwapLong = -2.5, SwapShort = -1.0,
        };
        var usdjpy = new TesterSymbol
        {
            Name = "USDJPY", Digits = 3, Point = 0.001, TickSize = 0.001, TickValue = 100, ContractSize = 100_000, NormalizedSpreadPoint = 0.001,
            BaseCurrency = "USD", ProfitCurrency = "JPY", MarginCurrency = "USD",
        };
        // The baseline: the same prices as a symbol quoted in the account currency, no swaps (what the tester did before).
        var single = cross with { BaseCurrency = "USD", ProfitCurrency = "USD", MarginCurrency = "USD", SwapMode = SwapMode.Disabled, SwapLong = 0, SwapShort = 0, TickValue = 1 };
        _engine = Engine == "native" ? NativeEngine.Load() : new HoldingEngine();
        _settings = new BacktestSettings { Data = [new DataInput("EURJPY")], Model = TickModel.M1Ohlc, CacheDirectory = _dir, SkipBadRows = true };
        var input = new DataInput(SamplePath("nautilus-fx", "EURJPY_M1_2013-02.derived.csv"), "EURJPY");
        if (Case == "usd")
        {
            _inputs = [(input, single, eurjpy)];
            _conversion = [];
        }
        else
        {
            _inputs = [(input, cross, eurjpy)];
            _conversion =
            [
                (new DataInput(SamplePath("nautilus-fx", "USDJPY_M1_2013-02.norm.csv")), usdjpy, cache.GetBars(SamplePath("nautilus-fx", "USDJPY_M1_2013-02.norm.csv"), DataReadOptions.Lenient)),
                (new DataInput(SamplePath("lean-oanda", "EURUSD_H1_2007-2018.norm.csv")), SymbolTable.Get("EURUSD"), cache.GetBars(SamplePath("lean-oanda", "EURUSD_H1_2007-2018.norm.csv"), DataReadOptions.Lenient)),
            ];
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

    [Benchmark(OperationsPerInvoke = M1Bars)]
    public long M1Ohlc() => BacktestRunner.Run(_settings, _inputs, _engine, conversion: _conversion).Result.Counters.Ticks;

    private static string SamplePath(string folder, string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var p = Path.Combine(dir.FullName, "data", "samples", folder, file);
            if (File.Exists(p))
            {
                return p;
            }
        }

        throw new FileNotFoundException($"data/samples/{folder}/{file} not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>An engine that buys 0.1 lot on its first tick and then holds it (no stop, no target) to the end of the run.</summary>
    private sealed class HoldingEngine : IEngineHost
    {
        public IEngineAgent Create(in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, string? journalPath, string? calibrationPath = null) => new Agent();

        private sealed class Agent : IEngineAgent
        {
            private bool _sent;
            private bool _pending;

            public int Warmup(ReadOnlySpan<MqlRates> bars) => 0;
            public int SyncPositions(ReadOnlySpan<KimiPosition> positions, long timeMsc) => 0;

            public int OnTick(in MqlTick tick, in KimiAccount account)
            {
                if (_sent)
                {
                    return 0;
                }

                _sent = true;
                _pending = true;
                return 1;
            }

            public int UpdateSpec(in KimiSymbolSpec spec) => 0;
            public int OnBar(in MqlRates bar) => 0;

            public int PollInstructions(Span<KimiInstruction> into)
            {
                if (!_pending)
                {
                    return 0;
                }

                _pending = false;
                into[0] = new KimiInstruction { Id = 1, Kind = AbiCodes.InstrOpen, Direction = 1, Volume = 0.1 };
                return 1;
            }

            public int ReportResult(in KimiOrderResult result) => 0;
            public int OnTradeTransaction(in KimiDeal deal) => 0;
            public int OnTimer(long timeMsc, in KimiAccount account) => 0;
            public int Approve(long intentId, bool approve) => 0;
            public int PollEvents(Span<KimiEvent> into) => 0;
            public int PollLog(Span<char> into) => 0;
            public int GetZones(Span<KimiZone> into) => 0;

            public int GetStatus(out KimiStatus status)
            {
                status = default;
                return 0;
            }

            public int Destroy(int reason) => 0;
            public string LastError() => string.Empty;
            public string NameOf(int eventKind, long code) => string.Empty;
        }
    }
}
