using KimiEA.Core.Time;
using BenchmarkDotNet.Attributes;
using KimiEA.Core.Market;
using KimiEA.Smc.Time;

namespace KimiEA.Benchmarks.Smc;

/// <summary>
/// Target (issue #2): the time-based detectors are O(1) and allocate nothing per closed bar. One operation = one
/// M15 bar through previous high/low for 4h, 1D and W plus a DST-aware London session read in Europe/London from a
/// UTC+2/US-DST broker clock (the most expensive conversion path); expected 0 bytes allocated.
/// </summary>
[MemoryDiagnoser]
public class TimeBenchmarks
{
    private const int Ring = 4096;
    private readonly double[] _close = new double[Ring];
    private PreviousHighLowDetector _h4 = null!;
    private PreviousHighLowDetector _d1 = null!;
    private PreviousHighLowDetector _w1 = null!;
    private SessionDetector _session = null!;
    private long _time;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        var price = 1.1;
        for (var i = 0; i < Ring; i++)
        {
            price += (rng.NextDouble() - 0.5) * 0.001;
            _close[i] = price;
        }

        _h4 = new PreviousHighLowDetector(PeriodFrame.FourHours);
        _d1 = new PreviousHighLowDetector(PeriodFrame.Day1);
        _w1 = new PreviousHighLowDetector(PeriodFrame.Week);
        _session = new SessionDetector(SessionWindow.London.WithTimes("08:00", "16:30").InZone(MarketTimeZone.London), MarketTimeZone.NewYorkClose);
        _time = 1_600_000_000;
        for (var i = 0; i < 2000; i++)
        {
            OneBar();
        }
    }

    [Benchmark(Description = "one M15 bar through prev high/low 4h+1D+W and a DST session")]
    public int OneBar()
    {
        // Time keeps increasing across BenchmarkDotNet's invocations, as a live feed does.
        _time += 900;
        var c = _close[_i++ & (Ring - 1)];
        var bar = new Bar(_time, c, c + 0.0004, c - 0.0004, c, 0);
        var a = _h4.Update(bar);
        var b = _d1.Update(bar);
        var w = _w1.Update(bar);
        var s = _session.Update(bar);
        return (a.BrokenHigh ? 1 : 0) + (b.BrokenLow ? 1 : 0) + (w.HasLevels ? 1 : 0) + (s.Active ? 1 : 0);
    }
}
