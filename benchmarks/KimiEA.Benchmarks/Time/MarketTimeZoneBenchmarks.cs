using BenchmarkDotNet.Attributes;
using KimiEA.Core.Market;
using KimiEA.Core.Time;

namespace KimiEA.Benchmarks.Time;

/// <summary>
/// Target (issue #12 item 5): the one time-zone type and the one bar aggregator run per bar, so they are fast and
/// allocate nothing. One operation = one M1 bar time converted to the broker's ny-close server time and back, its
/// server-day start, and the bar binned into an H4 bar aligned to server midnight; expected 0 bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class MarketTimeZoneBenchmarks
{
    private readonly MarketTimeZone _server = MarketTimeZone.NewYorkClose;
    private BarAggregator _h4 = null!;
    private long _time;

    [GlobalSetup]
    public void Setup()
    {
        _h4 = new BarAggregator(4 * 3600, MarketTimeZone.NewYorkClose);
        _time = 1_600_000_000;
    }

    [Benchmark(Description = "one M1 bar: ny-close local time, back to UTC, server-day start, H4 binning")]
    public long OneBar()
    {
        // Time keeps increasing across BenchmarkDotNet's invocations, as a live feed does (and crosses DST switches).
        _time += 60;
        var local = _server.ToLocal(_time);
        var utc = _server.ToUtc(local);
        var day = _server.DayStart(utc);
        var bar = new MqlRates(_time, 1.1, 1.1004, 1.0996, 1.1, 1, 10);
        return _h4.AddBar(bar, out var closed) ? closed.Time + day : day;
    }
}
