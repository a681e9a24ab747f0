using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Data;
using KimiEA.NativeHost;

namespace KimiEA.Benchmarks.Native;

/// <summary>
/// Issue #4 targets, measured through the C exports of the published NativeAOT library (loaded with NativeLibrary,
/// called through function pointers exactly as the EA calls them; the managed engine is never called directly):
/// <list type="bullet">
/// <item>kimi_on_tick without a bar close: mean ≤ 100 ns;</item>
/// <item>kimi_on_bar with the full pipeline (SMC detectors, signal, gate, sizing): mean ≤ 2 µs;</item>
/// <item>0 bytes allocated per call in steady state — inside the library. BenchmarkDotNet's MemoryDiagnoser only
/// sees this process's GC, so the "Native B/op" column reads the library's own counter (kimi_allocated_bytes)
/// before and after the measured calls.</item>
/// </list>
/// Needs ./build.sh first (artifacts/native/KimiEA.so, or KIMI_NATIVE_LIB). Runs in-process so the column can read
/// what the cleanup measured. Data: the real EURUSD M15 fixture (24,424 bars), moved back by whole weeks to start in
/// 1972 and replayed with shifted times once exhausted so bars keep moving forward. The library refuses times from
/// 2100 on (kimiea.h, TIME): before the replay reaches them (every ~4 M bars) the agent is created afresh.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public unsafe class ExportBenchmarks
{
    private const int WarmupBars = 2_000;
    private KimiNative _lib = null!;
    private MqlRates[] _bars = [];
    private long _handle;
    private int _next;
    private long _shift;
    private MqlTick _tick;
    private KimiAccount _account;
    private long _calls;
    private long _allocatedAtStart;
    private long _restartBytes; // what re-creating the agent allocates: a new chart, not a bar
    private readonly KimiZone[] _zones = new KimiZone[40]; // the EA's default "Most zone objects on the chart"

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
            AddColumn(new NativeAllocatedColumn());
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        _lib = KimiNative.Load();
        var fixture = Path.Combine(FindRepoRoot(), "tests", "fixtures", "smc-peer", "EURUSD_15M.csv");
        _bars = BarReader.ReadAll(fixture, DataReadOptions.Default).Bars;
        var weeks = (_bars[0].Time - FirstBarTime) / WeekSeconds;
        for (var i = 0; i < _bars.Length; i++)
        {
            _bars[i].Time -= weeks * WeekSeconds; // whole weeks: weekdays and times of day stay as recorded
        }

        Start();
        _calls = 0;
        _allocatedAtStart = _lib.AllocatedBytes();
    }

    private const long WeekSeconds = 7 * 86_400;
    private static readonly long FirstBarTime = new DateTimeOffset(1972, 1, 3, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    private static readonly long LastBarTime = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    /// <summary>Creates the agent, warms it up and gives it its first tick.</summary>
    private void Start()
    {
        var config = KimiConfig.Defaults(90_001, 900);
        config.Mode = AbiCodes.ModeSimulation; // the whole decision pipeline runs; no orders pile up unanswered
        var spec = new KimiSymbolSpec
        {
            Digits = 5, Point = 0.00001, TickSize = 0.00001, TickValueProfit = 1, TickValueLoss = 1, ContractSize = 100_000,
            VolumeMin = 0.01, VolumeStep = 0.01, VolumeMax = 100, MarginPerLot = 3_300, NotionalPerLot = 100_000,
        };
        _account = new KimiAccount { Login = 1, TradeMode = 0, MarginMode = 2, Leverage = 30, Balance = 10_000, Equity = 10_000, FreeMargin = 10_000 };
        _handle = _lib.CreateAgent(config, "EURUSD", spec, _account, null, null);
        if (_handle <= 0)
        {
            throw new InvalidOperationException("kimi_create failed: " + _lib.ReadLastError(0));
        }

        fixed (MqlRates* p = _bars)
        {
            Check(_lib.Warmup(_handle, p, WarmupBars));
        }

        _next = WarmupBars;
        var last = _bars[WarmupBars - 1];
        _tick = new MqlTick((last.Time + 900) * 1000, last.Close, last.Close + 0.00010);
        fixed (MqlTick* t = &_tick)
        fixed (KimiAccount* a = &_account)
        {
            Check(_lib.OnTick(_handle, t, a));
        }

        _shift = 0;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var allocated = _lib.AllocatedBytes() - _allocatedAtStart - _restartBytes;
        NativeAllocatedColumn.Record(_lastMethod, _calls == 0 ? double.NaN : (double)allocated / _calls);
        _lib.Destroy(_handle, 1);
    }

    private string _lastMethod = "";

    [Benchmark(Description = "kimi_on_tick (no bar close)")]
    public int OnTick()
    {
        _lastMethod = nameof(OnTick);
        _calls++;
        _tick.TimeMsc += 1;
        _tick.Time = _tick.TimeMsc / 1000; // MqlTick's seconds and milliseconds name the same instant (the library checks it)
        _tick.Bid += (_calls & 1) == 0 ? 0.00001 : -0.00001;
        _tick.Ask = _tick.Bid + 0.00010;
        fixed (MqlTick* t = &_tick)
        fixed (KimiAccount* a = &_account)
        {
            return _lib.OnTick(_handle, t, a);
        }
    }

    [Benchmark(Description = "kimi_on_bar (full pipeline)")]
    public int OnBar()
    {
        _lastMethod = nameof(OnBar);
        _calls++;
        if (_next == _bars.Length)
        {
            _next = WarmupBars;
            _shift += _bars[^1].Time - _bars[WarmupBars].Time + 900;
        }

        var bar = _bars[_next++];
        bar.Time += _shift;
        if (bar.Time > LastBarTime)
        {
            var before = _lib.AllocatedBytes();
            _lib.Destroy(_handle, 1);
            Start();
            _restartBytes += _lib.AllocatedBytes() - before;
            bar = _bars[_next++];
        }

        return _lib.OnBar(_handle, &bar);
    }

    [Benchmark(Description = "kimi_on_bar + kimi_get_zones (a closed bar, drawn)")]
    public int OnBarWithZones()
    {
        var rc = OnBar();
        _lastMethod = nameof(OnBarWithZones);
        fixed (KimiZone* z = _zones)
        {
            return rc | _lib.GetZones(_handle, z, _zones.Length);
        }
    }

    [Benchmark(Description = "kimi_get_zones (40 records)")]
    public int GetZones()
    {
        _lastMethod = nameof(GetZones);
        _calls++;
        fixed (KimiZone* z = _zones)
        {
            return _lib.GetZones(_handle, z, _zones.Length);
        }
    }

    private void Check(int rc)
    {
        if (rc < 0)
        {
            throw new InvalidOperationException($"engine call failed ({rc}): {_lib.ReadLastError(_handle)}");
        }
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "KimiEA.sln")))
            {
                return d.FullName;
            }
        }

        return Environment.GetEnvironmentVariable("KIMI_REPO_ROOT") ?? Directory.GetCurrentDirectory();
    }
}

/// <summary>Bytes allocated inside the native library per benchmarked call (from kimi_allocated_bytes).</summary>
public sealed class NativeAllocatedColumn : IColumn
{
    private static readonly ConcurrentDictionary<string, double> Values = new(StringComparer.Ordinal);

    /// <summary>Records the measured bytes per call of a benchmark method.</summary>
    public static void Record(string method, double bytesPerCall) => Values[method] = bytesPerCall;

    public string Id => nameof(NativeAllocatedColumn);
    public string ColumnName => "Native B/op";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Metric;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "bytes allocated inside the native library per call (kimi_allocated_bytes delta / calls)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        Values.TryGetValue(benchmarkCase.Descriptor.WorkloadMethod.Name, out var v) ? v.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
