using BenchmarkDotNet.Attributes;
using KimiEA.Core.Market;
using KimiEA.Smc.Indicators;

namespace KimiEA.Benchmarks.Smc;

/// <summary>
/// Target (issue #2): the streaming indicators are O(1) and allocate nothing per update. One operation = one closed
/// bar through ATR(14), EMA(20), SMA(20) and RSI(14); expected 0 bytes allocated and a few nanoseconds.
/// </summary>
[MemoryDiagnoser]
public class IndicatorBenchmarks
{
    private const int Ring = 4096;
    private readonly Bar[] _bars = new Bar[Ring];
    private Atr _atr = null!;
    private Ema _ema = null!;
    private Sma _sma = null!;
    private Rsi _rsi = null!;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        _bars.AsSpan().Clear();
        var rng = new Random(42);
        var price = 1.1;
        for (var i = 0; i < Ring; i++)
        {
            var o = price;
            price += (rng.NextDouble() - 0.5) * 0.001;
            var h = Math.Max(o, price) + (rng.NextDouble() * 0.0005);
            var l = Math.Min(o, price) - (rng.NextDouble() * 0.0005);
            _bars[i] = new Bar(i * 60L, o, h, l, price, 100);
        }

        _atr = new Atr(14);
        _ema = new Ema(20);
        _sma = new Sma(20);
        _rsi = new Rsi(14);

        // Warm up so the steady state is measured.
        for (var i = 0; i < 100; i++)
        {
            AllIndicators();
        }
    }

    [Benchmark(Description = "one bar through ATR+EMA+SMA+RSI")]
    public double AllIndicators()
    {
        ref readonly var b = ref _bars[_i++ & (Ring - 1)];
        return _atr.Update(b) + _ema.Update(b.Close) + _sma.Update(b.Close) + _rsi.Update(b.Close);
    }
}
