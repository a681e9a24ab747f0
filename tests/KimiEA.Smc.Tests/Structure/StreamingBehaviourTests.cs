using KimiEA.Core.Market;
using KimiEA.Smc.Structure;
using Xunit;

namespace KimiEA.Smc.Tests.StructureDetectors;

/// <summary>Streaming-only behaviour: causal liquidity tolerance, bounded history, query surface consistency.</summary>
public sealed class StreamingBehaviourTests
{
    [Fact]
    public void CausalLiquidityTolerance_IsTheRangeSeenWhenTheAnchorWasConfirmed()
    {
        var bars = StructureTestData.EurUsd15M;
        var (_, sink) = RecordingSink.Stream(bars, new StructureOptions { RangePercent = 0.01 });
        Assert.NotEmpty(sink.Pools);
        foreach (var (at, p, _) in sink.Pools)
        {
            // The anchor is confirmed somewhere between its bar + L and the pool's formation; R must equal 1 % of the
            // high–low range of the bars seen up to one of those bars (never of bars after `at`).
            var ok = false;
            double hi = double.NegativeInfinity, lo = double.PositiveInfinity;
            for (var j = 0; j <= at && !ok; j++)
            {
                hi = Math.Max(hi, bars[j].High);
                lo = Math.Min(lo, bars[j].Low);
                ok = j >= p.Index + 5 && Math.Abs(((hi - lo) * 0.01) - p.Tolerance) < 1e-12;
            }

            Assert.True(ok, $"pool {p} (emitted at {at}) uses a tolerance not from the bars seen so far");
        }
    }

    [Fact]
    public void NoPivotForLongerThanTheHistory_ForcesProgressInsteadOfFailing()
    {
        // A strictly rising series has no pivot at all (every window has a higher high later and a lower low earlier),
        // so swings never become final; with a 64-bar history the lagging detectors must still move on.
        var engine = new StructureEngine(new StructureOptions { HistoryCapacity = 64, SwingLength = 5 });
        for (var i = 0; i < 2000; i++)
        {
            var p = 1.0 + (i * 0.001);
            engine.OnBar(new Bar(i * 60, p, p + 0.0008, p - 0.0002, p + 0.0006, 1));
        }

        Assert.True(engine.ForcedReleases > 0);
        Assert.Equal(0, engine.RecentSwingCount);
        Assert.False(engine.HasPendingSwing);
        Assert.True(engine.HasRetracement);
        Assert.True(engine.LastRetracement.Index >= 2000 - 64, $"retracement cursor stuck at {engine.LastRetracement.Index}");
        Assert.Equal(0, engine.LastRetracement.Direction);
    }

    [Fact]
    public void QuerySurface_MatchesTheEventsSeenSoFar()
    {
        var bars = StructureTestData.EurUsd15M.AsSpan(0, 8000).ToArray();
        var sink = new RecordingSink();
        var engine = new StructureEngine(new StructureOptions(), sink);
        for (var i = 0; i < bars.Length; i++)
        {
            sink.CurrentBar = i;
            engine.OnBar(bars[i]);
            if (i % 97 != 0)
            {
                continue;
            }

            // Active FVGs = created and not yet mitigated, oldest first.
            var open = sink.Fvgs.Where(e => e.Change == FvgChange.Created).Select(e => e.Value.Index)
                .Except(sink.Fvgs.Where(e => e.Change == FvgChange.Mitigated).Select(e => e.Value.Index)).ToList();
            Assert.Equal(open, Enumerable.Range(0, engine.ActiveFvgCount).Select(a => engine.GetActiveFvg(a).Index).ToList());

            // Active order blocks = created and neither mitigated nor erased.
            var gone = sink.Blocks.Where(e => e.Change != OrderBlockChange.Created).Select(e => (e.Value.Index, e.Value.Direction)).ToHashSet();
            var blocks = sink.Blocks.Where(e => e.Change == OrderBlockChange.Created && !gone.Contains((e.Value.Index, e.Value.Direction)))
                .Select(e => e.Value.Index).Order().ToList();
            Assert.Equal(blocks, Enumerable.Range(0, engine.ActiveOrderBlockCount).Select(a => engine.GetActiveOrderBlock(a).Index).Order().ToList());

            // The last break is the latest broken, not cleared row among the events.
            var rows = new Dictionary<int, StructureBreak>();
            foreach (var (_, b, _) in sink.Breaks)
            {
                rows[b.Index] = b;
            }

            var expected = rows.Values.Where(b => b.IsBroken && !b.Cleared).OrderBy(b => b.BrokenIndex).ThenBy(b => b.Index).LastOrDefault();
            if (engine.TryGetLastBreak(out var last))
            {
                Assert.Equal((expected.Index, expected.BrokenIndex), (last.Index, last.BrokenIndex));
            }
            else
            {
                Assert.False(expected.IsBroken);
            }

            // Dealing range = newest final swing high and low.
            var hi = sink.Swings.LastOrDefault(s => s.Value.Kind == SwingKind.High).Value;
            var lo = sink.Swings.LastOrDefault(s => s.Value.Kind == SwingKind.Low).Value;
            if (sink.Swings.Any(s => s.Value.Kind == SwingKind.High) && sink.Swings.Any(s => s.Value.Kind == SwingKind.Low))
            {
                Assert.Equal(new DealingRange(hi.Level, hi.Index, lo.Level, lo.Index), engine.DealingRange);
            }
        }
    }
}
