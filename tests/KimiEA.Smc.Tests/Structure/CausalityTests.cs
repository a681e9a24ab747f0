using KimiEA.Core.Market;
using KimiEA.Smc.Structure;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Smc.Tests.StructureDetectors;

/// <summary>
/// No look-ahead: every fact the streaming engine has confirmed by bar n is identical in the batch output of
/// bars[0..n] and of bars[0..2n] (nothing confirmed ever repaints), and streaming with bounded buffers equals batch.
/// </summary>
public sealed class CausalityTests
{
    public static TheoryData<string, int, int> Cases => new()
    {
        // data set, n, swing length
        { "peer", 6000, 5 },
        { "peer", 12212, 5 },
        { "peer", 3001, 3 },
        { "h1", 5000, 10 },
        { "m1", 4000, 5 },
        { "skender", 251, 4 },
    };

    internal static Bar[] Data(string name) => name switch
    {
        "peer" => StructureTestData.EurUsd15M,
        "h1" => StructureTestData.LoadNormBars(RepoPaths.Sample("lean-oanda", "EURUSD_H1_2007-2018.norm.csv"), 20000),
        "m1" => StructureTestData.LoadNormBars(RepoPaths.Sample("lean-oanda", "XAUUSD_M1_2014-05.norm.csv")),
        "skender" => StructureTestData.LoadNormBars(RepoPaths.Fixture("skender", "default.norm.csv")),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConfirmedByBarN_IsIdenticalInBatchOfNAndOf2N(string data, int n, int swingLength)
    {
        var bars = Data(data);
        n = Math.Min(n, bars.Length / 2);
        // The liquidity tolerance must be the same in all runs for the comparison to mean anything: fix it.
        var options = new StructureOptions { SwingLength = swingLength, LiquidityTolerance = 0.002 * bars[0].Close, JoinConsecutiveFvg = n % 2 == 1 };
        var (_, confirmed) = RecordingSink.Stream(bars.AsSpan(0, n), options);
        var shortRun = StructureBatch.Analyze(bars.AsSpan(0, n), options);
        var longRun = StructureBatch.Analyze(bars.AsSpan(0, 2 * n), options);
        foreach (var run in new[] { shortRun, longRun })
        {
            AssertConfirmedFactsHold(confirmed, run, n);
        }
    }

    [Theory]
    [InlineData("peer", 5)]
    [InlineData("peer", 2)]
    [InlineData("h1", 7)]
    public void Streaming_WithBoundedBuffers_EqualsBatchExactly(string data, int swingLength)
    {
        var bars = Data(data);
        var r = 0.01 * (bars.Max(b => b.High) - bars.Min(b => b.Low));
        // Default streaming buffers (16,384 bars, 512 tracked objects) are smaller than these series.
        var options = new StructureOptions { SwingLength = swingLength, LiquidityTolerance = r };
        var sink = new StructureColumnSink(bars.Length, options.PeerRetracementWrap);
        var engine = new StructureEngine(options, sink);
        foreach (var b in bars)
        {
            engine.OnBar(b);
        }

        engine.Finish();
        Assert.Equal(0, engine.ForcedReleases);
        Assert.Equal(0, engine.DroppedObjects);
        var streamed = sink.Complete(r);
        var batch = StructureBatch.Analyze(bars, options);
        for (var t = 0; t < batch.All.Count; t++)
        {
            for (var c = 0; c < batch.All[t].Columns.Count; c++)
            {
                Assert.Equal(batch.All[t].Column(c), streamed.All[t].Column(c));
            }
        }
    }

    private static void AssertConfirmedFactsHold(RecordingSink s, StructureAnalysis run, int n)
    {
        var hl = run.Swings.Column("HighLow");
        var lvl = run.Swings.Column("Level");
        foreach (var (at, sw) in s.Swings)
        {
            Assert.True(sw.KnownAt == at && sw.Index <= at, $"swing {sw} emitted at {at}");
            Assert.Equal((double)(int)sw.Kind, hl[sw.Index]);
            Assert.Equal(sw.Level, lvl[sw.Index]);
        }

        var fvg = run.Fvg;
        foreach (var (at, g, change) in s.Fvgs)
        {
            Assert.Equal((double)(int)g.Direction, fvg.Column("FVG")[g.Index]);
            Assert.Equal(g.Top, fvg.Column("Top")[g.Index]);
            Assert.Equal(g.Bottom, fvg.Column("Bottom")[g.Index]);
            if (change == FvgChange.Mitigated)
            {
                Assert.Equal(g.MitigatedIndex, fvg.Column("MitigatedIndex")[g.Index]);
                Assert.Equal(at, g.MitigatedIndex);
            }
        }

        // Gaps not mitigated by bar n−1 are either still open or mitigated later.
        foreach (var (_, g, _) in s.Fvgs.Where(e => e.Change == FvgChange.Created))
        {
            if (!s.Fvgs.Any(e => e.Change == FvgChange.Mitigated && e.Value.Index == g.Index))
            {
                var mi = fvg.Column("MitigatedIndex")[g.Index];
                Assert.True(mi == 0 || mi >= n, $"gap {g.Index} open at {n - 1} but mitigated at {mi}");
            }
        }

        var bos = run.BosChoch;
        foreach (var (at, b, change) in s.Breaks)
        {
            switch (change)
            {
                case BreakChange.Broken:
                    Assert.Equal(b.BrokenIndex, bos.Column("BrokenIndex")[b.Index]);
                    Assert.True(b.BrokenIndex <= at);
                    break;
                case BreakChange.Cleared:
                    Assert.True(double.IsNaN(bos.Column("BOS")[b.Index]) && double.IsNaN(bos.Column("CHOCH")[b.Index]), $"cleared row {b.Index} reappears");
                    break;
                case BreakChange.Confirmed:
                    Assert.Equal((double)(int)b.Direction, bos.Column(b.IsChoch ? "CHOCH" : "BOS")[b.Index]);
                    Assert.Equal(b.Level, bos.Column("Level")[b.Index]);
                    Assert.Equal(b.BrokenIndex, bos.Column("BrokenIndex")[b.Index]);
                    break;
                default:
                    break;
            }
        }

        var ob = run.OrderBlocks;
        var erased = s.Blocks.Where(e => e.Change == OrderBlockChange.Erased).Select(e => (e.Value.Index, e.Value.Direction)).ToHashSet();
        foreach (var (at, b, change) in s.Blocks)
        {
            Assert.True(b.KnownAt <= at && b.FormedAt <= b.KnownAt && b.Index < b.FormedAt);
            if (erased.Contains((b.Index, b.Direction)))
            {
                Assert.True(ob.Column("OB")[b.Index] != (int)b.Direction, $"erased block {b.Index} still present");
                continue;
            }

            if (ob.Column("OB")[b.Index] != (int)b.Direction)
            {
                // Either erased after bar n−1 or the bar also holds a block of the other direction (bearish wins the row).
                continue;
            }

            Assert.Equal(b.Top, ob.Column("Top")[b.Index]);
            Assert.Equal(b.Bottom, ob.Column("Bottom")[b.Index]);
            if (change == OrderBlockChange.Mitigated)
            {
                Assert.Equal(b.MitigatedIndex, ob.Column("MitigatedIndex")[b.Index]);
            }
        }

        var liq = run.Liquidity;
        foreach (var (at, p, change) in s.Pools)
        {
            Assert.Equal((double)(int)p.Kind, liq.Column("Liquidity")[p.Index]);
            if (p.IsSwept)
            {
                Assert.Equal(p.Swept, liq.Column("Swept")[p.Index]);
                Assert.True(p.Swept <= at);
            }
        }

        var dir = run.Retracements.Column("Direction");
        var cur = run.Retracements.Column("CurrentRetracement%");
        var warm = Array.FindIndex(dir, d => d != 0);
        foreach (var (at, r) in s.Retracements)
        {
            Assert.True(r.KnownAt == at && r.Index <= at);
            if (r.Index + 1 > warm && r.Index + 1 < dir.Length)
            {
                Assert.Equal(r.Direction, dir[r.Index + 1]);
                Assert.Equal(r.Current, cur[r.Index + 1]);
            }
        }
    }
}
