using Xunit;
using FsCheck;
using FsCheck.Fluent;
using KimiEA.Core.Market;
using KimiEA.Smc.Indicators;

namespace KimiEA.Smc.Tests.Indicators;

/// <summary>Independent properties of the streaming indicators (naive recomputation, bounds, bad input).</summary>
public class IndicatorPropertyTests
{
    [Fact]
    public void Sma_EqualsNaiveWindowMean_OnLongStreams()
    {
        // Long enough to cross many ring refreshes; the naive mean is recomputed from scratch each bar.
        Prop.ForAll(
            Gen.Choose(1, 30).ToArbitrary(),
            Gen.ArrayOf(Gen.Choose(-100_000, 100_000).Select(x => x / 100.0), 300).ToArbitrary(),
            (period, values) =>
            {
                var sma = new Sma(period);
                for (var i = 0; i < values.Length; i++)
                {
                    var got = sma.Update(values[i]);
                    if (i + 1 < period)
                    {
                        return double.IsNaN(got);
                    }

                    var naive = values.Skip(i + 1 - period).Take(period).Average();
                    if (Math.Abs(naive - got) > 1e-9)
                    {
                        return false;
                    }
                }

                return true;
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Rsi_StaysWithinBounds_AndIs100WhenPricesOnlyRise()
    {
        Prop.ForAll(
            Gen.ArrayOf(Gen.Choose(1, 10_000).Select(x => x / 10.0), 100).ToArbitrary(),
            values =>
            {
                var rsi = new Rsi(14);
                foreach (var v in values)
                {
                    var r = rsi.Update(v);
                    if (!double.IsNaN(r) && (r < 0 || r > 100))
                    {
                        return false;
                    }
                }

                return true;
            }).QuickCheckThrowOnFailure();

        var up = new Rsi(3);
        for (var i = 0; i < 10; i++)
        {
            up.Update(100 + i);
        }

        Assert.Equal(100.0, up.Value);
    }

    [Fact]
    public void Ema_HandComputed_Period3()
    {
        // k = 2/(3+1) = 0.5; seed = mean(1,2,3) = 2; next = 2 + 0.5·(6−2) = 4; next = 4 + 0.5·(0−4) = 2.
        var ema = new Ema(3);
        Assert.True(double.IsNaN(ema.Update(1)));
        Assert.True(double.IsNaN(ema.Update(2)));
        Assert.Equal(2.0, ema.Update(3));
        Assert.Equal(4.0, ema.Update(6));
        Assert.Equal(2.0, ema.Update(0));
    }

    [Fact]
    public void Atr_HandComputed_Period2()
    {
        // bar0 close 10 (no TR). bar1 H12 L9 → TR = max(12,10) − min(9,10) = 3. bar2 H11 L8 prev close 11 → TR = 11 − 8 = 3.
        // ATR(2) first = mean(3,3) = 3 on bar 2. bar3 H15 L13 prev close 9 → TR = 15 − 9 = 6 → ATR = (3·1 + 6)/2 = 4.5.
        var atr = new Atr(2);
        atr.Update(new Bar(0, 10, 10, 10, 10, 0));
        Assert.True(double.IsNaN(atr.TrueRange));
        atr.Update(new Bar(1, 10, 12, 9, 11, 0));
        Assert.Equal(3.0, atr.TrueRange);
        Assert.True(double.IsNaN(atr.Value));
        Assert.Equal(3.0, atr.Update(new Bar(2, 11, 11, 8, 9, 0)));
        Assert.Equal(4.5, atr.Update(new Bar(3, 13, 15, 13, 14, 0)));
        Assert.Equal(4.5 / 14 * 100, atr.Percent, 12);
    }

    [Fact]
    public void BadInput_IsRejectedWithClearMessage()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Sma(3).Update(double.NaN));
        Assert.Contains("finite", ex.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<ArgumentException>(() => new Atr(3).Update(new Bar(42, 1, 1, 2, 1, 0)));
        Assert.Contains("below low", bad.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rsi(0));
    }

    [Fact]
    public void Reset_RestartsWarmUp()
    {
        var sma = new Sma(2);
        sma.Update(1);
        sma.Update(3);
        sma.Reset();
        Assert.True(double.IsNaN(sma.Update(10)));
        Assert.Equal(15.0, sma.Update(20));
    }
}
