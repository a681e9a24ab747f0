using BenchmarkDotNet.Attributes;
using KimiEA.Core.Market;
using KimiEA.Data;

namespace KimiEA.Benchmarks.Data;

/// <summary>
/// First-run cost: parsing and validating the shipped text samples (what the cache saves on every later run).
/// One operation = one row; rows/s = 1 / mean. Allocations per row come from the line strings of the text reader.
/// </summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private const int TickRows = 129_200;
    private const int BarRows = 15_366;

    private readonly MqlTick[] _tickChunk = new MqlTick[4096];
    private readonly MqlRates[] _barChunk = new MqlRates[4096];
    private string _ticks = string.Empty;
    private string _bars = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var samples = Path.Combine(CacheReplayBenchmarks.FindRoot(), "data", "samples", "lean-oanda");
        _ticks = Path.Combine(samples, "EURUSD_ticks_2014-05-07_08.norm.csv");
        _bars = Path.Combine(samples, "EURUSD_M1_2014-05.norm.csv");
        if (ParseTicks() != TickRows - 1 || ParseBars() != BarRows)
        {
            throw new InvalidOperationException("Sample sizes changed; update the constants.");
        }
    }

    /// <summary>The EURUSD tick sample (Skip policy: one repeated tick is dropped).</summary>
    [Benchmark(OperationsPerInvoke = TickRows)]
    public long ParseTicks()
    {
        using var r = TickReader.Open(_ticks, DataReadOptions.Lenient);
        long n = 0;
        int k;
        while ((k = r.ReadChunk(_tickChunk)) > 0)
        {
            n += k;
        }

        return n;
    }

    /// <summary>The EURUSD M1 sample.</summary>
    [Benchmark(OperationsPerInvoke = BarRows)]
    public long ParseBars()
    {
        using var r = BarReader.Open(_bars);
        long n = 0;
        int k;
        while ((k = r.ReadChunk(_barChunk)) > 0)
        {
            n += k;
        }

        return n;
    }
}
