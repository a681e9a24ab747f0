using BenchmarkDotNet.Attributes;
using KimiEA.Core.Market;
using KimiEA.Data;

namespace KimiEA.Benchmarks.Data;

/// <summary>
/// Replay throughput from the binary cache (issue #6: the backtester must sustain ≥ 5 M ticks/s and ≥ 2 M M1 bars/s
/// with flat memory; this measures the data layer alone). One operation = one record, so the reported mean is the
/// time per record and records/s = 1 / mean. Allocated must be 0 B: the series reuses one chunk buffer.
/// </summary>
[MemoryDiagnoser]
public class CacheReplayBenchmarks
{
    // Record counts of the shipped samples (data/samples/lean-oanda/README.md; the tick file has one repeated tick
    // that the Skip policy drops). GlobalSetup checks them, since OperationsPerInvoke must be a constant.
    private const int Ticks = 129_199;
    private const int Bars = 74_439;

    private string _dir = string.Empty;
    private CachedSeries<MqlTick>? _ticks;
    private CachedSeries<MqlRates>? _bars;

    [GlobalSetup]
    public void Setup()
    {
        var root = FindRoot();
        _dir = Path.Combine(Path.GetTempPath(), $"kimi-bench-cache-{Environment.ProcessId}");
        var cache = new MarketDataCache(_dir);
        var samples = Path.Combine(root, "data", "samples", "lean-oanda");
        var t = cache.GetTicks(Path.Combine(samples, "EURUSD_ticks_2014-05-07_08.norm.csv"), DataReadOptions.Lenient);
        var b = cache.GetBars(Path.Combine(samples, "EURUSD_H1_2007-2018.norm.csv"), DataReadOptions.Lenient);
        if (t.Count != Ticks || b.Count != Bars)
        {
            throw new InvalidOperationException($"Sample sizes changed: {t.Count} ticks, {b.Count} bars; update the constants.");
        }

        _ticks = t.OpenTicks();
        _bars = b.OpenBars();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ticks?.Dispose();
        _bars?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Every tick of the cache, touching bid and ask (what a replay loop reads first).</summary>
    [Benchmark(OperationsPerInvoke = Ticks)]
    public double ReplayTicks()
    {
        var sum = 0.0;
        foreach (var chunk in _ticks!)
        {
            foreach (ref readonly var t in chunk)
            {
                sum += t.Ask - t.Bid;
            }
        }

        return sum;
    }

    /// <summary>Every bar of the cache, touching the close.</summary>
    [Benchmark(OperationsPerInvoke = Bars)]
    public double ReplayBars()
    {
        var sum = 0.0;
        foreach (var chunk in _bars!)
        {
            foreach (ref readonly var b in chunk)
            {
                sum += b.Close;
            }
        }

        return sum;
    }

    internal static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("KIMI_REPO_ROOT") is { Length: > 0 } env && File.Exists(Path.Combine(env, "KimiEA.sln")))
        {
            return env;
        }

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "KimiEA.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside the KimiEA checkout or set KIMI_REPO_ROOT (KimiEA.sln not found).");
    }
}
