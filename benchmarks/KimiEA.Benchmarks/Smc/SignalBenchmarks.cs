using BenchmarkDotNet.Attributes;
using KimiEA.Core.Market;
using KimiEA.Data;
using KimiEA.Smc.Signal;
using KimiEA.Smc.Structure;

namespace KimiEA.Benchmarks.Smc;

/// <summary>
/// Target (issue #2): one closed bar through all detectors plus the signal — <see cref="SmcSignal.OnBar"/>, which runs
/// the structure engine (swings, FVG, BOS/CHoCH, order blocks, liquidity, retracements), the higher-timeframe bias (M15
/// bars aggregated into H4, a second structure engine fed each closed H4 bar), ATR, the EMA, previous day high/low, two
/// kill zones and the setup logic — mean ≤ 1 µs and 0 bytes allocated in steady state.
/// The bars are the real EURUSD M15 fixture (24,424 bars), replayed endlessly with shifted times so the engine keeps
/// streaming (one price jump per lap); the signal is warmed up over one full lap first. The engine-only benchmark
/// replays the same bars through a bare <see cref="StructureEngine"/> so the signal's own share is the difference, and
/// a signal with the EMA bias source and no chart period (no higher-timeframe engine) gives the higher timeframe's share.
/// The last benchmark runs the whole fixture through a fresh signal (construction included), for the batch budget.
/// </summary>
[MemoryDiagnoser]
public class SignalBenchmarks
{
    private const int Block = 1024;
    private static readonly SmcSignalOptions M15 = new() { ChartPeriodSeconds = 900 };
    private Bar[] _bars = null!;
    private long _lapSeconds;
    private SmcSignal _signal = null!;
    private SmcSignal _emaSignal = null!;
    private int _k;
    private long _emaLap;
    private StructureEngine _engine = null!;
    private int _i;
    private long _lap;
    private int _j;
    private long _engineLap;

    [GlobalSetup]
    public void Setup()
    {
        var rates = BarReader.ReadAll(Path.Combine(RepoRoot(), "tests", "fixtures", "smc-peer", "EURUSD_15M.csv")).Bars;
        _bars = new Bar[rates.Length];
        for (var i = 0; i < rates.Length; i++)
        {
            _bars[i] = Bar.FromRates(rates[i]);
        }

        _lapSeconds = _bars[^1].Time - _bars[0].Time + 900;
        _signal = new SmcSignal(M15);
        _emaSignal = new SmcSignal(new SmcSignalOptions { HtfBiasSource = HtfBiasSource.Ema });
        _engine = new StructureEngine();
        for (var i = 0; i < _bars.Length; i++)
        {
            OneBar();
            OneEngineBar();
            OneEmaBar();
        }
    }

    [Benchmark(Description = "one closed M15 bar through all detectors + SmcSignal", OperationsPerInvoke = Block)]
    public int OneBarBlock()
    {
        var n = 0;
        for (var k = 0; k < Block; k++)
        {
            n += OneBar();
        }

        return n;
    }

    [Benchmark(Description = "the same bar through SmcSignal with the EMA bias, no higher-timeframe engine", OperationsPerInvoke = Block)]
    public int EmaBiasBlock()
    {
        var n = 0;
        for (var k = 0; k < Block; k++)
        {
            n += OneEmaBar();
        }

        return n;
    }

    [Benchmark(Description = "the same bar through the StructureEngine alone (the detectors' share)", OperationsPerInvoke = Block)]
    public int EngineOnlyBlock()
    {
        var n = 0;
        for (var k = 0; k < Block; k++)
        {
            n += OneEngineBar();
        }

        return n;
    }

    [Benchmark(Description = "EURUSD M15 fixture (24,424 bars) through a fresh SmcSignal")]
    public int WholeFixture()
    {
        var s = new SmcSignal(M15);
        var n = 0;
        foreach (ref readonly var b in _bars.AsSpan())
        {
            n += s.OnBar(b, out _) ? 1 : 0;
        }

        return n;
    }

    private int OneBar()
    {
        var b = _bars[_i];
        var bar = b with { Time = b.Time + (_lap * _lapSeconds) };
        if (++_i == _bars.Length)
        {
            _i = 0;
            _lap++;
        }

        return _signal.OnBar(bar, out _) ? 1 : 0;
    }

    private int OneEmaBar()
    {
        var b = _bars[_k];
        var bar = b with { Time = b.Time + (_emaLap * _lapSeconds) };
        if (++_k == _bars.Length)
        {
            _k = 0;
            _emaLap++;
        }

        return _emaSignal.OnBar(bar, out _) ? 1 : 0;
    }

    private int OneEngineBar()
    {
        var b = _bars[_j];
        _engine.OnBar(b with { Time = b.Time + (_engineLap * _lapSeconds) });
        if (++_j == _bars.Length)
        {
            _j = 0;
            _engineLap++;
        }

        return _engine.ActiveOrderBlockCount;
    }

    private static string RepoRoot()
    {
        if (Environment.GetEnvironmentVariable("KIMI_REPO_ROOT") is { Length: > 0 } env && File.Exists(Path.Combine(env, "KimiEA.sln")))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KimiEA.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the KimiEA checkout or set KIMI_REPO_ROOT (KimiEA.sln not found).");
    }
}
