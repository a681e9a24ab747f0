using System.Globalization;
using BenchmarkDotNet.Attributes;
using KimiEA.Core.Market;
using KimiEA.Smc.Structure;

namespace KimiEA.Benchmarks.Smc;

/// <summary>
/// Structure detectors (issue #2). Targets: one closed bar through every structure detector in steady state, mean
/// well under 1 µs and 0 bytes allocated; the batch analysis of the 24,424-bar reference fixture (all six
/// structure tables) ≤ 20 ms.
/// </summary>
[MemoryDiagnoser]
public class StructureBenchmarks
{
    private Bar[] _bars = [];
    private StructureEngine _engine = null!;
    private int _next;
    private long _time;

    [GlobalSetup]
    public void Setup()
    {
        _bars = LoadFixture();
        _engine = new StructureEngine(new StructureOptions());
        // Warm up on the whole series so buffers and tracked lists are in steady state.
        foreach (var b in _bars)
        {
            _engine.OnBar(b);
        }

        _time = _bars[^1].Time;
    }

    /// <summary>One closed bar through all structure detectors (the series is replayed with advancing times).</summary>
    [Benchmark]
    public void OneBar_AllStructureDetectors()
    {
        var b = _bars[_next];
        _next = _next + 1 == _bars.Length ? 0 : _next + 1;
        _time += 900;
        _engine.OnBar(b with { Time = _time });
    }

    /// <summary>Full batch analysis of the fixture: swings, FVG, BOS/CHoCH, order blocks, liquidity, retracements.</summary>
    [Benchmark]
    public StructureAnalysis Batch_EurUsd15M_AllTables() => StructureBatch.Analyze(_bars);

    private static Bar[] LoadFixture()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KimiEA.sln")))
        {
            dir = dir.Parent;
        }

        var path = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("KimiEA.sln not found above " + AppContext.BaseDirectory), "tests", "fixtures", "smc-peer", "EURUSD_15M.csv");
        var lines = File.ReadAllLines(path);
        var bars = new Bar[lines.Length - 1];
        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            var t = DateTime.ParseExact(f[0], "yyyy.MM.dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            bars[i - 1] = new Bar((long)(t - DateTime.UnixEpoch).TotalSeconds, P(f[1]), P(f[2]), P(f[3]), P(f[4]), P(f[6]));
        }

        return bars;
    }

    private static double P(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
