using KimiEA.Core.Market;
using KimiEA.Smc.Structure;
using Xunit;

namespace KimiEA.Smc.Tests.StructureDetectors;

/// <summary>
/// Non-default parameters on other real data, checked against independent brute-force properties of the
/// definitions (not against our own output): a swing high is the max of its window, a gap really exists, the
/// mitigation/break/sweep index is the first qualifying bar, and so on.
/// </summary>
public sealed class InvariantTests
{
    public static TheoryData<string, int, bool, bool, double, bool> Variants => new()
    {
        // data, swing length, close_break, close_mitigation, range_percent, join_consecutive
        { "peer", 3, false, true, 0.005, true },
        { "peer", 10, true, false, 0.02, false },
        { "h1", 5, false, false, 0.01, true },
        { "m1", 8, true, true, 0.003, false },
        { "skender", 2, true, false, 0.05, true },
        { "skender", 5, false, true, 0.01, false },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Outputs_SatisfyTheDefinitions(string data, int length, bool closeBreak, bool closeMitigation, double rangePercent, bool join)
    {
        var bars = CausalityTests.Data(data);
        if (data == "h1")
        {
            bars = bars[..8000];
        }

        var o = new StructureOptions
        {
            SwingLength = length, CloseBreak = closeBreak, CloseMitigation = closeMitigation, RangePercent = rangePercent, JoinConsecutiveFvg = join,
        };
        var a = StructureBatch.Analyze(bars, o);
        CheckSwings(bars, a.Swings, length);
        CheckFvg(bars, a.Fvg, join);
        CheckBos(bars, a.Swings, a.BosChoch, closeBreak);
        CheckOrderBlocks(bars, a.OrderBlocks, closeMitigation);
        CheckLiquidity(bars, a.Swings, a.Liquidity, a.LiquidityTolerance, rangePercent);
    }

    [Fact]
    public void RealVolume_OrderBlockVolumeAndPercentage()
    {
        // skender's SPY series has real volume, unlike the reference fixture (all 0 → Percentage 100).
        var bars = CausalityTests.Data("skender");
        var sink = new RecordingSink();
        var engine = new StructureEngine(new StructureOptions { SwingLength = 3 }, sink);
        foreach (var b in bars)
        {
            engine.OnBar(b);
        }

        var created = sink.Blocks.Where(e => e.Change == OrderBlockChange.Created).Select(e => e.Value).ToList();
        Assert.NotEmpty(created);
        foreach (var b in created)
        {
            var i = b.FormedAt;
            // Missing terms before bar 0 count as 0.
            double v0 = bars[i].Volume, v1 = i >= 1 ? bars[i - 1].Volume : 0, v2 = i >= 2 ? bars[i - 2].Volume : 0;
            Assert.Equal((float)(v0 + v1 + v2), b.Volume);
            // Bullish: "high volume" = the breaking bar and the one before, "low volume" = two bars back; the
            // percentage is min/max of the two halves, so it is ≤ 100 and symmetric in them.
            var expected = Math.Max(v0 + v1, v2) == 0 ? 100.0 : 100.0 * Math.Min(v0 + v1, v2) / Math.Max(v0 + v1, v2);
            Assert.True(Math.Abs(b.Percentage - expected) <= 1e-4 * Math.Max(1, expected), $"{b}: {expected}");
            Assert.InRange(b.Percentage, 0, 100);
        }
    }

    private static void CheckSwings(Bar[] bars, ColumnTable t, int n)
    {
        var hl = t.Column("HighLow");
        var lvl = t.Column("Level");
        var last = 0.0;
        var count = 0;
        for (var i = 0; i < bars.Length; i++)
        {
            if (double.IsNaN(hl[i]))
            {
                continue;
            }

            Assert.Equal(hl[i] == 1 ? bars[i].High : bars[i].Low, lvl[i]);
            Assert.NotEqual(last, hl[i]); // highs and lows alternate
            last = hl[i];
            count++;
            if (i == 0 || i == bars.Length - 1)
            {
                continue; // bookends
            }

            Assert.InRange(i, (2 * n) - 1, bars.Length - 1 - n);
            for (var j = i - n + 1; j <= i + n; j++)
            {
                Assert.True(hl[i] == 1 ? bars[j].High <= bars[i].High : bars[j].Low >= bars[i].Low, $"swing {i} beaten by bar {j}");
            }
        }

        Assert.True(count > 4, "too few swings for a meaningful check");
    }

    private static void CheckFvg(Bar[] bars, ColumnTable t, bool join)
    {
        var f = t.Column("FVG");
        var top = t.Column("Top");
        var bottom = t.Column("Bottom");
        var mi = t.Column("MitigatedIndex");
        var count = 0;
        for (var i = 0; i < bars.Length; i++)
        {
            if (double.IsNaN(f[i]))
            {
                continue;
            }

            count++;
            var bull = f[i] == 1;
            Assert.True(bull ? bars[i].Close > bars[i].Open : bars[i].Close < bars[i].Open);
            if (!join)
            {
                // The gap really exists between bars i−1 and i+1.
                Assert.Equal(bull ? bars[i + 1].Low : bars[i - 1].Low, top[i]);
                Assert.Equal(bull ? bars[i - 1].High : bars[i + 1].High, bottom[i]);
                Assert.True(top[i] > bottom[i]);
            }
            else
            {
                Assert.False(i + 1 < bars.Length && f[i + 1] == f[i], "adjacent same-direction gaps must be joined");
                Assert.True(top[i] >= (bull ? bars[i + 1].Low : bars[i - 1].Low) && bottom[i] <= (bull ? bars[i - 1].High : bars[i + 1].High));
            }

            var first = 0;
            for (var j = i + 2; j < bars.Length; j++)
            {
                if (bull ? bars[j].Low <= top[i] : bars[j].High >= bottom[i])
                {
                    first = j;
                    break;
                }
            }

            Assert.Equal(first, mi[i]);
        }

        Assert.True(count > 0);
    }

    private static void CheckBos(Bar[] bars, ColumnTable swings, ColumnTable t, bool closeBreak)
    {
        var bos = t.Column("BOS");
        var choch = t.Column("CHOCH");
        var lvl = t.Column("Level");
        var broken = t.Column("BrokenIndex");
        var hl = swings.Column("HighLow");
        var sl = swings.Column("Level");
        var flagged = new List<(int Row, int Broken)>();
        for (var i = 0; i < bars.Length; i++)
        {
            var dir = double.IsNaN(bos[i]) ? choch[i] : bos[i];
            if (double.IsNaN(dir))
            {
                continue;
            }

            // Bullish rows sit on a swing high and carry its level (float32), and vice versa.
            Assert.Equal(dir, hl[i]);
            Assert.Equal((double)(float)sl[i], lvl[i]);
            var first = 0;
            for (var j = i + 2; j < bars.Length; j++)
            {
                var p = closeBreak ? bars[j].Close : dir == 1 ? bars[j].High : bars[j].Low;
                if (dir == 1 ? p > lvl[i] : p < lvl[i])
                {
                    first = j;
                    break;
                }
            }

            Assert.True(first != 0, $"row {i} kept although never broken");
            Assert.Equal(first, broken[i]);
            flagged.Add((i, first));
        }

        // De-duplication: no surviving row is broken at or after a later surviving row's break.
        for (var a = 0; a < flagged.Count; a++)
        {
            for (var b = a + 1; b < flagged.Count; b++)
            {
                Assert.True(flagged[a].Broken < flagged[b].Broken, $"rows {flagged[a].Row} and {flagged[b].Row} overlap");
            }
        }
    }

    private static void CheckOrderBlocks(Bar[] bars, ColumnTable t, bool closeMitigation)
    {
        var ob = t.Column("OB");
        var top = t.Column("Top");
        var bottom = t.Column("Bottom");
        var mi = t.Column("MitigatedIndex");
        for (var i = 0; i < bars.Length; i++)
        {
            if (double.IsNaN(ob[i]))
            {
                continue;
            }

            // Edges are the candle's own high and low (float32), top above bottom.
            Assert.Equal((double)(float)bars[i].High, top[i]);
            Assert.Equal((double)(float)bars[i].Low, bottom[i]);
            if (mi[i] != 0)
            {
                var m = (int)mi[i];
                Assert.True(m > i);
                var bull = ob[i] == 1;
                var b = bars[m];
                var through = bull
                    ? (closeMitigation ? Math.Min(b.Open, b.Close) : b.Low) < bottom[i]
                    : (closeMitigation ? Math.Max(b.Open, b.Close) : b.High) > top[i];
                Assert.True(through, $"block {i} mitigated at {m} without trading through");

                // Surviving breakers were never traded back through on the other side after mitigation.
                for (var j = m + 1; j < bars.Length; j++)
                {
                    Assert.False(bull ? bars[j].High > top[i] : bars[j].Low < bottom[i], $"breaker {i} should have been erased at {j}");
                }
            }
        }
    }

    private static void CheckLiquidity(Bar[] bars, ColumnTable swings, ColumnTable t, double r, double rangePercent)
    {
        Assert.Equal((bars.Max(b => b.High) - bars.Min(b => b.Low)) * rangePercent, r, 12);
        var liq = t.Column("Liquidity");
        var lvl = t.Column("Level");
        var end = t.Column("End");
        var swept = t.Column("Swept");
        var hl = swings.Column("HighLow");
        var sl = swings.Column("Level");
        for (var i = 0; i < bars.Length; i++)
        {
            if (double.IsNaN(liq[i]))
            {
                continue;
            }

            var high = liq[i] == 1;
            Assert.Equal(liq[i], hl[i]);
            var e = (int)end[i];
            Assert.True(e > i && hl[e] == liq[i] && Math.Abs(sl[e] - sl[i]) <= r, $"pool {i}: end {e} not a member");
            Assert.True(Math.Abs(lvl[i] - sl[i]) <= r + 1e-6, $"pool {i}: mean outside the band");
            var first = 0;
            for (var j = i + 1; j < bars.Length; j++)
            {
                if (high ? bars[j].High >= sl[i] + r : bars[j].Low <= sl[i] - r)
                {
                    first = j;
                    break;
                }
            }

            Assert.Equal(first, swept[i]);
            Assert.True(first == 0 || e < first, $"pool {i} has a member after its sweep");
        }
    }
}
