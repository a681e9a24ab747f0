using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Smc.Indicators;
using KimiEA.Smc.Signal;
using Xunit;

namespace KimiEA.Smc.Tests.Signal;

/// <summary>The signal on real data: well-formed intents, factor bits that match independent computations, causality.</summary>
public sealed class SmcSignalTests
{
    private static readonly SmcSignalOptions Defaults = new();

    public static TheoryData<string> Series => new() { "H1", "M15" };

    private static (Bar[] Bars, List<LabelledIntent> Run) Get(string name) =>
        name == "H1" ? (SignalData.H1, SignalData.H1Run) : (SignalData.M15, SignalData.M15Run);

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
            Assert.Equal(bias, f.HasFlag(SignalFactor.HtfBias));
        }
    }

    [Theory]
    [InlineData("M15", 3000)]
    [InlineData("M15", 9000)]
    [InlineData("H1", 20000)]
    public void NoLookAhead_IntentsUpToBarN_AreIdenticalOnLongerData(string series, int n)
    {
        var bars = series == "H1" ? SignalData.H1 : SignalData.M15;
        var shortRun = Collect(bars.AsSpan(0, n));
        var longRun = Collect(bars.AsSpan(0, Math.Min(2 * n, bars.Length)));
        var longUpToN = longRun.Where(x => x.Index < n).ToList();
        Assert.NotEmpty(shortRun);
        Assert.Equal(shortRun, longUpToN);
    }

    [Fact]
    public void Run_IsDeterministic()
    {
        var bars = SignalData.M15.AsSpan(0, 6000);
        Assert.Equal(Collect(bars), Collect(bars));
    }

    [Fact]
    public void OnBar_RejectsTimeGoingBackwards()
    {
        var s = new SmcSignal();
        s.OnBar(new Bar(100, 1, 1.1, 0.9, 1, 0), out _);
        Assert.Throws<ArgumentException>(() => s.OnBar(new Bar(100, 1, 1.1, 0.9, 1, 0), out _));
    }

    [Fact]
    public void Options_InvalidValues_AreRejectedWithTheirName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SmcSignal(new SmcSignalOptions { MaxHoldingBars = 0 }));
        Assert.Equal(nameof(SmcSignalOptions.MaxHoldingBars), e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmcSignal(new SmcSignalOptions { MinRewardRisk = 3, MaxRewardRisk = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmcSignal(new SmcSignalOptions { Structure = new() { SwingLength = 0 } }));
    }

    [Fact]
    public void RequireHtfBias_EmitsOnlyBiasedIntents()
    {
        var bars = SignalData.M15;
        var s = new SmcSignal(new SmcSignalOptions { RequireHtfBias = true });
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
        var s = new SmcSignal(new SmcSignalOptions { RequireConfirmedBreak = true });
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

    private static List<(int Index, TradeIntent Intent)> Collect(ReadOnlySpan<Bar> bars)
    {
        var s = new SmcSignal();
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
