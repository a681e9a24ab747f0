using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Smc.Indicators;
using KimiEA.Smc.Signal;
using KimiEA.Smc.Structure;
using Xunit;

namespace KimiEA.Smc.Tests.Signal;

/// <summary>The signal on real data: well-formed intents, factor bits that match independent computations, causality.</summary>
public sealed class SmcSignalTests
{
    private static readonly SmcSignalOptions Defaults = SignalData.M15Options;

    public static TheoryData<string> Series => new() { "H1", "M15" };

    private static (Bar[] Bars, List<LabelledIntent> Run) Get(string name) =>
        name == "H1" ? (SignalData.H1, SignalData.H1Run) : (SignalData.M15, SignalData.M15Run);

    private static SmcSignalOptions OptionsOf(string name) => name == "H1" ? SignalData.H1Options : SignalData.M15Options;

    [Theory]
    [MemberData(nameof(Series))]
    public void Intents_AreWellFormed(string series)
    {
        var (bars, run) = Get(series);
        Assert.True(run.Count > 100, $"expected a usable number of intents on {series}, got {run.Count}");

        // an independent ATR (the indicator, fed the same bars) bounds the stop distance
        var atr = new Atr(Defaults.AtrPeriod);
        var atrAt = new double[bars.Length];
        for (var i = 0; i < bars.Length; i++)
        {
            atrAt[i] = atr.Update(bars[i]);
        }

        foreach (var li in run)
        {
            var it = li.Intent;
            var bar = bars[li.BarIndex];
            var buy = it.Direction == Direction.Buy;
            Assert.True(it.Direction is Direction.Buy or Direction.Sell);
            Assert.Equal(bar.Close, it.Entry);
            Assert.Equal(bar.Time, it.SignalBarTime);
            Assert.True(buy ? it.StopLoss < it.Entry : it.StopLoss > it.Entry, $"stop on the wrong side at bar {li.BarIndex}");
            Assert.True(buy ? it.TakeProfit > it.Entry : it.TakeProfit < it.Entry, $"take-profit on the wrong side at bar {li.BarIndex}");
            Assert.InRange(it.RewardRisk, Defaults.MinRewardRisk - 1e-9, Defaults.MaxRewardRisk + 1e-9);
            Assert.InRange(it.HitProbability, 0.0, 1.0);
            Assert.True(it.HitEvidence >= ConfidenceCalibration.Default.PriorStrength, $"evidence {it.HitEvidence}");
            Assert.Equal(0, it.Confidence); // the risk core sets it at decision time
            Assert.InRange(li.RawScore, 0.0, 1.0);
            Assert.Equal(Defaults.MaxHoldingBars, it.MaxHoldingBars);
            Assert.Equal(Defaults.SetupId, it.SetupId);
            Assert.Equal(0u, it.Factors >> ConfluenceWeights.FactorCount);
            Assert.InRange(it.StopDistance, (Defaults.MinStopAtr * atrAt[li.BarIndex]) - 1e-12, (Defaults.MaxStopAtr * atrAt[li.BarIndex]) + 1e-12);

            // the stop is beyond the signal bar's own extreme by at least the ATR buffer
            Assert.True(buy ? it.StopLoss <= bar.Low - (Defaults.StopBufferAtr * atrAt[li.BarIndex]) + 1e-12 : it.StopLoss >= bar.High + (Defaults.StopBufferAtr * atrAt[li.BarIndex]) - 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Series))]
    public void FactorBits_MatchIndependentComputations(string series)
    {
        var (bars, run) = Get(series);

        // slow EMA of closes, recomputed here with the indicator: bias = close on the trade's side and EMA sloping that way
        var ema = new Ema(Defaults.HtfEmaPeriod);
        var value = new double[bars.Length];
        for (var i = 0; i < bars.Length; i++)
        {
            value[i] = ema.Update(bars[i].Close);
        }

        foreach (var li in run)
        {
            var it = li.Intent;
            var f = (SignalFactor)it.Factors;
            var buy = it.Direction == Direction.Buy;
            var i = li.BarIndex;

            // kill zones are UTC windows 06:00-09:00 and 11:00-14:00, both ends inclusive (the samples are UTC)
            var minute = (int)(((it.SignalBarTime % 86400) + 86400) % 86400 / 60);
            var inKz = (minute >= 360 && minute <= 540) || (minute >= 660 && minute <= 840);
            Assert.Equal(inKz, f.HasFlag(SignalFactor.KillZone));

            Assert.Equal(it.RewardRisk <= 2.0 + 1e-12, f.HasFlag(SignalFactor.ModestTarget));
            if (!f.HasFlag(SignalFactor.LiquidityTarget))
            {
                Assert.Equal(Defaults.MaxRewardRisk, it.RewardRisk, 9);
            }

            var bias = buy ? bars[i].Close > value[i] && value[i] > value[i - 1] : bars[i].Close < value[i] && value[i] < value[i - 1];
            Assert.Equal(bias, f.HasFlag(SignalFactor.EmaTrend));

            // the default bias source is the higher timeframe's structure: bit 0 is that bit
            Assert.Equal(f.HasFlag(SignalFactor.HtfStructure), f.HasFlag(SignalFactor.HtfBias));
        }
    }

    [Theory]
    [MemberData(nameof(Series))]
    public void HtfStructureBit_EqualsABatchRunOfTheEngineOnClosedH4Bars(string series)
    {
        // Batch: group the chart bars into H4 bins independently (LINQ), then at each intent's bar feed a bare engine
        // the bins that are closed by then — every earlier bin, and the bar's own bin once its close reaches the end.
        var (bars, run) = Get(series);
        var period = OptionsOf(series).ChartPeriodSeconds;
        const long h4 = 4 * 3600;
        var bins = bars.GroupBy(b => Math.DivRem(b.Time, h4).Quotient)
            .Select(g => (Key: g.Key, Bar: new Bar(g.Key * h4, g.First().Open, g.Max(b => b.High), g.Min(b => b.Low), g.Last().Close, g.Sum(b => b.Volume))))
            .ToList();
        var binOf = new Dictionary<long, int>();
        for (var b = 0; b < bins.Count; b++)
        {
            binOf[bins[b].Key] = b;
        }

        var engine = new StructureEngine(Defaults.Structure);
        var fed = 0;
        var agree = 0;
        foreach (var li in run)
        {
            var t = bars[li.BarIndex].Time;
            var own = binOf[t / h4];
            var closed = own + (t + period >= (bins[own].Key + 1) * h4 ? 1 : 0);
            for (; fed < closed; fed++)
            {
                engine.OnBar(bins[fed].Bar);
            }

            var expected = engine.TryGetLastBreak(out var brk) && brk.Direction == li.Intent.Direction;
            Assert.Equal(expected, ((SignalFactor)li.Intent.Factors).HasFlag(SignalFactor.HtfStructure));
            agree += expected ? 1 : 0;
        }

        // both outcomes occur, so the comparison exercised the bit
        Assert.InRange(agree, 1, run.Count - 1);
    }

    [Fact]
    public void EmaSource_PutsTheEmaTrendInBitZero()
    {
        var bars = SignalData.M15.AsSpan(0, 12000);
        var s = new SmcSignal(Defaults with { HtfBiasSource = HtfBiasSource.Ema });
        var count = 0;
        foreach (ref readonly var b in bars)
        {
            if (s.OnBar(b, out var it))
            {
                count++;
                var f = (SignalFactor)it.Factors;
                Assert.Equal(f.HasFlag(SignalFactor.EmaTrend), f.HasFlag(SignalFactor.HtfBias));
            }
        }

        Assert.True(count > 0);
    }

    [Theory]
    [InlineData("M15", 3000)]
    [InlineData("M15", 9000)]
    [InlineData("H1", 20000)]
    public void NoLookAhead_IntentsUpToBarN_AreIdenticalOnLongerData(string series, int n)
    {
        var bars = series == "H1" ? SignalData.H1 : SignalData.M15;
        var options = OptionsOf(series);
        var shortRun = Collect(bars.AsSpan(0, n), options);
        var longRun = Collect(bars.AsSpan(0, Math.Min(2 * n, bars.Length)), options);
        var longUpToN = longRun.Where(x => x.Index < n).ToList();
        Assert.NotEmpty(shortRun);
        Assert.Equal(shortRun, longUpToN);
    }

    [Theory]
    [InlineData("M15", 8000)] // at swing length 10 the first H4 bearish break of the fixture comes after bar 3000
    [InlineData("H1", 20000)]
    public void NoLookAhead_HtfBiasUpToBarN_IsIdenticalOnLongerData(string series, int n)
    {
        var bars = series == "H1" ? SignalData.H1 : SignalData.M15;
        var shortRun = BiasPath(bars.AsSpan(0, n), OptionsOf(series));
        var longRun = BiasPath(bars.AsSpan(0, Math.Min(2 * n, bars.Length)), OptionsOf(series));
        Assert.Contains(Direction.Buy, shortRun);
        Assert.Contains(Direction.Sell, shortRun);
        Assert.Equal(shortRun, longRun[..n]);
    }

    [Fact]
    public void OnBar_SteadyState_AllocatesNothing()
    {
        // the whole per-bar path (chart detectors, higher-timeframe aggregation and structure, signal) after warm-up
        var bars = SignalData.M15;
        var s = new SmcSignal(Defaults);
        for (var i = 0; i < 12000; i++)
        {
            s.OnBar(bars[i], out _);
        }

        var intents = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 12000; i < bars.Length; i++)
        {
            intents += s.OnBar(bars[i], out _) ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(intents > 0);
        Assert.True(s.HtfStructure!.Structure.BarCount > 0);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Run_IsDeterministic()
    {
        var bars = SignalData.M15.AsSpan(0, 6000);
        Assert.Equal(Collect(bars, Defaults), Collect(bars, Defaults));
    }

    [Fact]
    public void OnBar_RejectsTimeGoingBackwards()
    {
        var s = new SmcSignal(Defaults);
        s.OnBar(new Bar(900, 1, 1.1, 0.9, 1, 0), out _);
        Assert.Throws<ArgumentException>(() => s.OnBar(new Bar(900, 1, 1.1, 0.9, 1, 0), out _));
    }

    [Fact]
    public void OnBar_RejectsABarNotAlignedToTheChartPeriod_AndChangesNothing()
    {
        var s = new SmcSignal(Defaults);
        s.OnBar(new Bar(900, 1, 1.1, 0.9, 1, 0), out _);
        var e = Assert.Throws<ArgumentException>(() => s.OnBar(new Bar(1000, 1, 1.1, 0.9, 1, 0), out _));
        Assert.Contains("900", e.Message);
        Assert.Equal(1, s.BarCount);
        Assert.False(s.OnBar(new Bar(1800, 1, 1.1, 0.9, 1, 0), out _));
        Assert.Equal(2, s.BarCount);
    }

    [Fact]
    public void Options_InvalidValues_AreRejectedWithTheirName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SmcSignal(Defaults with { MaxHoldingBars = 0 }));
        Assert.Equal(nameof(SmcSignalOptions.MaxHoldingBars), e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmcSignal(Defaults with { MinRewardRisk = 3, MaxRewardRisk = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmcSignal(Defaults with { Structure = new() { SwingLength = 0 } }));

        // the structure bias needs the chart period to pick its higher timeframe
        var noPeriod = Assert.Throws<ArgumentOutOfRangeException>(() => new SmcSignal(new SmcSignalOptions()));
        Assert.Equal(nameof(SmcSignalOptions.ChartPeriodSeconds), noPeriod.ParamName);
        _ = new SmcSignal(new SmcSignalOptions { HtfBiasSource = HtfBiasSource.Ema });

        // requiring a structure bias on a chart without a higher timeframe (W1) would block every setup
        var weekly = Assert.Throws<ArgumentOutOfRangeException>(() => new SmcSignal(new SmcSignalOptions { ChartPeriodSeconds = 604_800, RequireHtfBias = true }));
        Assert.Equal(nameof(SmcSignalOptions.RequireHtfBias), weekly.ParamName);
        Assert.Null(new SmcSignal(new SmcSignalOptions { ChartPeriodSeconds = 604_800 }).HtfStructure);
    }

    [Fact]
    public void RequireHtfBias_EmitsOnlyBiasedIntents()
    {
        var bars = SignalData.M15;
        var s = new SmcSignal(Defaults with { RequireHtfBias = true });
        var count = 0;
        foreach (var b in bars)
        {
            if (s.OnBar(b, out var it))
            {
                count++;
                Assert.True(((SignalFactor)it.Factors).HasFlag(SignalFactor.HtfBias));
            }
        }

        Assert.True(count > 0);
        Assert.True(count < SignalData.M15Run.Count);
    }

    [Fact]
    public void RequireConfirmedBreak_UsesOnlyBreaksThatCanNoLongerBeCleared()
    {
        var s = new SmcSignal(Defaults with { RequireConfirmedBreak = true });
        var count = 0;
        foreach (var b in SignalData.M15)
        {
            if (s.OnBar(b, out var it))
            {
                count++;
                Assert.True(s.Structure.TryGetLastBreak(out var brk));
                Assert.True(brk.Confirmed);
                Assert.Equal(brk.Direction, it.Direction);
            }
        }

        Assert.True(count > 0);
    }

    // The higher-timeframe bias after every bar.
    private static Direction[] BiasPath(ReadOnlySpan<Bar> bars, SmcSignalOptions options)
    {
        var s = new SmcSignal(options);
        var path = new Direction[bars.Length];
        for (var i = 0; i < bars.Length; i++)
        {
            s.OnBar(bars[i], out _);
            path[i] = s.HtfStructure!.Bias;
        }

        return path;
    }

    private static List<(int Index, TradeIntent Intent)> Collect(ReadOnlySpan<Bar> bars, SmcSignalOptions options)
    {
        var s = new SmcSignal(options);
        var list = new List<(int, TradeIntent)>();
        for (var i = 0; i < bars.Length; i++)
        {
            if (s.OnBar(bars[i], out var it))
            {
                list.Add((i, it));
            }
        }

        return list;
    }
}
