using KimiEA.Core.Time;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Smc.Signal;
using KimiEA.Smc.Structure;
using KimiEA.Smc.Time;
using Xunit;

namespace KimiEA.Smc.Tests.Signal;

/// <summary>
/// The higher-timeframe structure bias on hand-built bars: the H4 break is known by construction, and the bias may
/// move only once the H4 bar that breaks has closed — at the close of its last H1 bar, never while it is forming.
/// </summary>
public sealed class HtfStructureBiasTests
{
    private const long H1 = 3600;
    private const long T0 = 1_704_067_200; // 2024-01-01 00:00 UTC, a Monday: a multiple of 4 h and of a day

    // H4 bars with swing length 2 (o, h, l, c). Pivots: low A at 3 (0.950), high B at 7 (1.020), low C at 10 (0.975),
    // high D at 14 (1.030, a wick: every close stays ≤ 1.018), low E at 17 (0.985). D becomes final when E is
    // confirmed at bar 19: low, high, low, high with A < C < B < D flags a bullish BOS at level B = 1.020, not yet
    // broken by a close. Bar 21 closes 1.015 (below) although its first H1 bar closes 1.025; bar 22 closes 1.032: the break.
    private static readonly (double O, double H, double L, double C)[] H4 =
    [
        (1.000, 1.002, 0.990, 0.992), (0.992, 0.994, 0.980, 0.982), (0.982, 0.984, 0.970, 0.972), (0.972, 0.974, 0.950, 0.955),
        (0.955, 0.975, 0.953, 0.970), (0.970, 0.990, 0.968, 0.985), (0.985, 1.005, 0.983, 1.000), (1.000, 1.020, 0.998, 1.010),
        (1.010, 1.012, 0.995, 0.998), (0.998, 1.000, 0.985, 0.988), (0.988, 0.990, 0.975, 0.980), (0.980, 0.995, 0.978, 0.990),
        (0.990, 1.010, 0.988, 1.005), (1.005, 1.019, 1.000, 1.015), (1.015, 1.030, 1.010, 1.018), (1.018, 1.019, 1.000, 1.002),
        (1.002, 1.004, 0.990, 0.992), (0.992, 0.994, 0.985, 0.988), (0.988, 1.000, 0.987, 0.998), (0.998, 1.010, 0.996, 1.008),
        (1.008, 1.015, 1.005, 1.012), (1.012, 1.028, 1.010, 1.015), (1.015, 1.035, 1.014, 1.032), (1.032, 1.034, 1.030, 1.033),
    ];

    private const int BreakingH4 = 22;
    private const int FakeBreakH4 = 21;

    private static readonly SmcSignalOptions Options = new()
    {
        ChartPeriodSeconds = H1,
        HtfStructure = new StructureOptions { SwingLength = 2 },
    };

    [Fact]
    public void Precondition_TheH4BarsAloneBreakBullishAtBar22()
    {
        var engine = new StructureEngine(Options.HtfStructure);
        for (var i = 0; i < H4.Length; i++)
        {
            var (o, h, l, c) = H4[i];
            engine.OnBar(new Bar(T0 + (i * 4 * H1), o, h, l, c, 1));
            var has = engine.TryGetLastBreak(out var b);
            Assert.Equal(i >= BreakingH4, has);
            if (has)
            {
                Assert.Equal(Direction.Buy, b.Direction);
                Assert.Equal(7, b.Index);
                Assert.Equal(BreakingH4, b.BrokenIndex);
            }
        }
    }

    [Fact]
    public void Bias_FlipsAtTheCloseOfTheLastH1BarOfTheBreakingH4Bar_NotWhileItForms()
    {
        var h1 = SplitIntoH1(H4);
        var s = new SmcSignal(Options);
        Assert.Equal(PeriodFrame.FourHours, s.HtfStructure!.Frame);
        for (var j = 0; j < h1.Length; j++)
        {
            s.OnBar(h1[j], out _);

            // the H4 bar i is fed when its 4th H1 bar (j = 4i + 3) has closed
            Assert.Equal((j + 1) / 4, s.HtfStructure.Structure.BarCount);
            var expected = j >= (4 * BreakingH4) + 3 ? Direction.Buy : Direction.None;
            Assert.True(expected == s.HtfStructure.Bias, $"H1 bar {j} (H4 bar {j / 4}, part {j % 4}): bias {s.HtfStructure.Bias}, expected {expected}");
        }

        // the fake break: H1 bars of H4 bar 21 closed above 1.020 while it formed, and the bias did not move then
        Assert.True(h1[4 * FakeBreakH4].Close > 1.020);
    }

    [Fact]
    public void Bias_AfterAGap_FlipsWhenTheNextPeriodStarts()
    {
        // the last H1 bar of the breaking H4 bar is missing: the H4 bar is known complete only when a bar of the next
        // H4 period arrives (it can receive no more bars then), not earlier
        var h1 = SplitIntoH1(H4).ToList();
        var missing = (4 * BreakingH4) + 3;
        h1.RemoveAt(missing);
        var s = new SmcSignal(Options);
        for (var j = 0; j < h1.Count; j++)
        {
            s.OnBar(h1[j], out _);
            var expected = j >= missing ? Direction.Buy : Direction.None;
            Assert.Equal(expected, s.HtfStructure!.Bias);
        }
    }

    [Fact]
    public void Bias_OnAnH4Chart_ComesFromDailyBarsClosedAtServerMidnight()
    {
        // the same H4 shapes, now as D1 bars of an H4 chart (6 H4 bars per day, the first carrying the range)
        var days = H4;
        var h4 = new List<Bar>();
        for (var d = 0; d < days.Length; d++)
        {
            var (o, h, l, c) = days[d];
            var start = T0 + (d * 86_400L);
            h4.Add(new Bar(start, o, h, l, c, 1));
            for (var k = 1; k < 6; k++)
            {
                h4.Add(new Bar(start + (k * 4 * H1), c, c, c, c, 1));
            }
        }

        var s = new SmcSignal(Options with { ChartPeriodSeconds = 4 * H1 });
        Assert.Equal(PeriodFrame.Day1, s.HtfStructure!.Frame);
        for (var j = 0; j < h4.Count; j++)
        {
            s.OnBar(h4[j], out _);
            Assert.Equal(j >= (6 * BreakingH4) + 5 ? Direction.Buy : Direction.None, s.HtfStructure.Bias);
        }
    }

    public static TheoryData<long, string?> Mt5Periods => new()
    {
        { 60, "1h" }, { 120, "1h" }, { 180, "1h" }, { 240, "1h" }, { 300, "1h" }, // M1-M5
        { 360, "4h" }, { 600, "4h" }, { 720, "4h" }, { 900, "4h" }, { 1200, "4h" }, { 1800, "4h" }, { 3600, "4h" }, // M6-H1
        { 7200, "1D" }, { 10800, "1D" }, { 14400, "1D" }, { 21600, "1D" }, // H2-H6
        { 28800, "W1" }, { 43200, "W1" }, { 86400, "W1" }, // H8-D1
        { 604800, null }, { 2_592_000, null }, // W1, MN1
        { 420, null }, { 0, null }, { -60, null }, // 7 min does not divide a day; nonsense periods
    };

    [Theory]
    [MemberData(nameof(Mt5Periods))]
    public void HigherTimeframe_CoversEveryMt5Period(long chartSeconds, string? expected)
    {
        var has = HigherTimeframe.For(chartSeconds, out var frame);
        Assert.Equal(expected is not null, has);
        if (has)
        {
            Assert.Equal(expected, frame.Name);
            Assert.True(frame.IsWeekly ? 86_400 % chartSeconds == 0 : frame.Seconds % chartSeconds == 0 && frame.Seconds >= 4 * chartSeconds);
        }
    }

    [Fact]
    public void Week1_RunsSundayToSaturday()
    {
        var w = PeriodFrame.Week1;
        var sunday = T0 - 86_400; // 2023-12-31, a Sunday
        var key = w.BinKey(sunday);
        Assert.Equal(sunday, w.BinStart(key));
        Assert.Equal(sunday, w.BinLabel(key));
        Assert.Equal(key, w.BinKey(sunday + (7 * 86_400) - 1)); // Saturday 23:59:59
        Assert.Equal(key + 1, w.BinKey(sunday + (7 * 86_400)));
        Assert.Equal(sunday + (7 * 86_400), w.BinEnd(key));
    }

    // Each H4 bar as four H1 bars: the first carries the whole range and closes at 1.025 when the H4 bar is the fake
    // break (else at the H4 close); the other three are flat at the H4 close, except that they walk back from 1.025.
    private static Bar[] SplitIntoH1((double O, double H, double L, double C)[] h4)
    {
        var bars = new Bar[h4.Length * 4];
        for (var i = 0; i < h4.Length; i++)
        {
            var (o, h, l, c) = h4[i];
            var start = T0 + (i * 4 * H1);
            var firstClose = i == FakeBreakH4 ? 1.025 : c;
            bars[4 * i] = new Bar(start, o, h, l, firstClose, 1);
            for (var k = 1; k < 4; k++)
            {
                var close = k == 3 ? c : firstClose;
                var prev = bars[(4 * i) + k - 1].Close;
                bars[(4 * i) + k] = new Bar(start + (k * H1), prev, Math.Max(prev, close), Math.Min(prev, close), close, 1);
            }
        }

        return bars;
    }
}
