using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using Xunit;

namespace KimiEA.Risk.Tests;

/// <summary>
/// The one barrier rule (<see cref="BarrierStep"/>) on hand-worked bars and prices. Every expected price is read off
/// the numbers in the comments: bars are bid bars, a sell is judged on bid + spread.
/// </summary>
public sealed class BarrierStepTests
{
    // Buy: stop 1.0980, target 1.1040, 3 bars. Sell: stop 1.1020, target 1.0950, 3 bars.
    private static readonly PositionBarriers Long = new(Direction.Buy, 1.0980, 1.1040, 3);
    private static readonly PositionBarriers Short = new(Direction.Sell, 1.1020, 1.0950, 3);

    private static Bar B(double o, double h, double l, double c) => new(0, o, h, l, c, 1);

    [Theory]
    // both touched (low 1.0970 ≤ 1.0980, high 1.1050 ≥ 1.1040): the rule decides, flagged ambiguous
    [InlineData(SameBarRule.StopFirst, 1.1000, 1.1050, 1.0970, 1.1000, ExitReason.StopLoss, 1.0980, true, false)]
    [InlineData(SameBarRule.TargetFirst, 1.1000, 1.1050, 1.0970, 1.1000, ExitReason.TakeProfit, 1.1040, true, false)]
    // only the stop (high 1.1030 < 1.1040): the stop under either rule, not ambiguous
    [InlineData(SameBarRule.TargetFirst, 1.1000, 1.1030, 1.0975, 1.1000, ExitReason.StopLoss, 1.0980, false, false)]
    // only the target (low 1.0990 > 1.0980)
    [InlineData(SameBarRule.StopFirst, 1.1000, 1.1045, 1.0990, 1.1040, ExitReason.TakeProfit, 1.1040, false, false)]
    // touching exactly at the level counts (low = 1.0980)
    [InlineData(SameBarRule.StopFirst, 1.1000, 1.1010, 1.0980, 1.0990, ExitReason.StopLoss, 1.0980, false, false)]
    // gap through the stop: opens at 1.0960 (below 1.0980) → filled at the open, worse than the stop; the later
    // rally to 1.1050 inside the bar changes nothing, even under target-first
    [InlineData(SameBarRule.TargetFirst, 1.0960, 1.1050, 1.0950, 1.1000, ExitReason.StopLoss, 1.0960, false, true)]
    // gap through the target: opens at 1.1055 → filled at the open, better than the target
    [InlineData(SameBarRule.StopFirst, 1.1055, 1.1060, 1.0970, 1.1000, ExitReason.TakeProfit, 1.1055, false, true)]
    // inside both barriers
    [InlineData(SameBarRule.StopFirst, 1.1000, 1.1030, 1.0990, 1.1010, ExitReason.None, 0.0, false, false)]
    public void Buy_OneBar(SameBarRule rule, double o, double h, double l, double c, ExitReason reason, double price, bool ambiguous, bool gap)
    {
        Assert.Equal(new BarrierHit(reason, price, ambiguous, gap), BarrierStep.OnBar(Long, 1, B(o, h, l, c), 0, rule));
    }

    [Theory]
    // spread 0.0003. Bid high 1.1018 → ask 1.1021 ≥ stop 1.1020: stopped only because of the spread.
    [InlineData(SameBarRule.StopFirst, 1.1000, 1.1018, 1.0990, 1.1010, ExitReason.StopLoss, 1.1020, false, false)]
    // bid low 1.0948 → ask 1.0951 > target 1.0950: NOT reached (a sell buys back at the ask)
    [InlineData(SameBarRule.StopFirst, 1.1000, 1.1005, 1.0948, 1.0960, ExitReason.None, 0.0, false, false)]
    // bid low 1.0947 → ask 1.0950: reached exactly
    [InlineData(SameBarRule.StopFirst, 1.1000, 1.1005, 1.0947, 1.0960, ExitReason.TakeProfit, 1.0950, false, false)]
    // both: ask range 1.0943 .. 1.1023
    [InlineData(SameBarRule.StopFirst, 1.1000, 1.1020, 1.0940, 1.0960, ExitReason.StopLoss, 1.1020, true, false)]
    [InlineData(SameBarRule.TargetFirst, 1.1000, 1.1020, 1.0940, 1.0960, ExitReason.TakeProfit, 1.0950, true, false)]
    // gap: bid opens 1.1025 → ask 1.1028 above the stop → filled at the ask open 1.1028
    [InlineData(SameBarRule.TargetFirst, 1.1025, 1.1030, 1.0900, 1.0950, ExitReason.StopLoss, 1.1028, false, true)]
    // gap: bid opens 1.0940 → ask 1.0943 below the target → filled at 1.0943
    [InlineData(SameBarRule.StopFirst, 1.0940, 1.1030, 1.0930, 1.0950, ExitReason.TakeProfit, 1.0943, false, true)]
    public void Sell_OneBar_OnTheAsk(SameBarRule rule, double o, double h, double l, double c, ExitReason reason, double price, bool ambiguous, bool gap)
    {
        var hit = BarrierStep.OnBar(Short, 1, B(o, h, l, c), 0.0003, rule);
        Assert.Equal(reason, hit.Reason);
        Assert.Equal(price, hit.Price, 10);
        Assert.Equal(ambiguous, hit.Ambiguous);
        Assert.Equal(gap, hit.Gap);
    }

    [Fact]
    public void VerticalBarrier_AtTheBarLimit_ClosesAtTheBarsClose_OnTheClosingSide()
    {
        var quiet = B(1.1000, 1.1010, 1.0990, 1.1004);
        // bars 1 and 2 of 3: nothing
        Assert.Equal(BarrierHit.None, BarrierStep.OnBar(Long, 1, quiet, 0, SameBarRule.StopFirst));
        Assert.Equal(BarrierHit.None, BarrierStep.OnBar(Long, 2, quiet, 0, SameBarRule.StopFirst));
        // bar 3: timeout at the close; a buy sells at the bid 1.1004, a sell buys back at the ask 1.1004 + 0.0003
        Assert.Equal(new BarrierHit(ExitReason.Timeout, 1.1004, false, false), BarrierStep.OnBar(Long, 3, quiet, 0.0003, SameBarRule.StopFirst));
        var sell = BarrierStep.OnBar(Short, 3, quiet, 0.0003, SameBarRule.StopFirst);
        Assert.Equal(ExitReason.Timeout, sell.Reason);
        Assert.Equal(1.1007, sell.Price, 10);
        // a barrier touched in the last bar wins over the vertical barrier
        Assert.Equal(ExitReason.TakeProfit, BarrierStep.OnBar(Long, 3, B(1.1000, 1.1040, 1.0990, 1.1030), 0, SameBarRule.StopFirst).Reason);
        // no vertical barrier (0), or barsHeld 0 (the caller does not count): never a timeout
        Assert.Equal(BarrierHit.None, BarrierStep.OnBar(Long with { MaxBars = 0 }, 500, quiet, 0, SameBarRule.StopFirst));
        Assert.Equal(BarrierHit.None, BarrierStep.OnBar(Long, 0, quiet, 0, SameBarRule.StopFirst));
        Assert.True(BarrierStep.VerticalReached(3, 3));
        Assert.True(BarrierStep.VerticalReached(4, 3));
        Assert.False(BarrierStep.VerticalReached(2, 3));
        Assert.False(BarrierStep.VerticalReached(10, 0));
    }

    [Fact]
    public void MissingBarriers_AndNoDirection_NeverHit()
    {
        var wide = B(1.1000, 1.2000, 1.0000, 1.1000);
        // no take-profit: only the stop can be hit, never ambiguous
        Assert.Equal(new BarrierHit(ExitReason.StopLoss, 1.0980, false, false), BarrierStep.OnBar(Long with { TakeProfit = 0 }, 1, wide, 0, SameBarRule.TargetFirst));
        Assert.Equal(BarrierHit.None, BarrierStep.OnBar(new PositionBarriers(Direction.None, 1.0980, 1.1040, 3), 3, wide, 0, SameBarRule.StopFirst));
        Assert.Equal(BarrierHit.None, BarrierStep.OnPrice(new PositionBarriers(Direction.None, 1.0980, 1.1040, 3), 1.0, 1.0, false));
    }

    [Theory]
    // buy, judged on the bid. Continuous path price at/through the stop: filled at the stop.
    [InlineData(Direction.Buy, 1.0975, 1.0977, true, ExitReason.StopLoss, 1.0980, false)]
    // the same price after a jump (a real tick, a bar open): filled where it landed
    [InlineData(Direction.Buy, 1.0975, 1.0977, false, ExitReason.StopLoss, 1.0975, true)]
    // exactly at the level after a jump: at the level, no gap
    [InlineData(Direction.Buy, 1.0980, 1.0982, false, ExitReason.StopLoss, 1.0980, false)]
    [InlineData(Direction.Buy, 1.1045, 1.1047, false, ExitReason.TakeProfit, 1.1045, true)]
    [InlineData(Direction.Buy, 1.1040, 1.1042, true, ExitReason.TakeProfit, 1.1040, false)]
    // the ask above the target does not close a buy
    [InlineData(Direction.Buy, 1.1039, 1.1041, false, ExitReason.None, 0.0, false)]
    // sell, judged on the ask: bid 1.1018 / ask 1.1021 ≥ stop 1.1020
    [InlineData(Direction.Sell, 1.1018, 1.1021, false, ExitReason.StopLoss, 1.1021, true)]
    [InlineData(Direction.Sell, 1.1018, 1.1021, true, ExitReason.StopLoss, 1.1020, false)]
    // bid 1.0948 below the target but ask 1.0951 above it: still open
    [InlineData(Direction.Sell, 1.0948, 1.0951, false, ExitReason.None, 0.0, false)]
    [InlineData(Direction.Sell, 1.0945, 1.0948, false, ExitReason.TakeProfit, 1.0948, true)]
    public void OnePrice(Direction direction, double bid, double ask, bool continuous, ExitReason reason, double price, bool gap)
    {
        var position = direction == Direction.Buy ? Long : Short;
        Assert.Equal(new BarrierHit(reason, price, false, gap), BarrierStep.OnPrice(position, bid, ask, continuous));
    }

    [Fact]
    public void Rule_Names_RoundTrip_AndBadTextIsNamed()
    {
        Assert.Equal(SameBarRule.StopFirst, SameBarRuleNames.Parse("stop-first"));
        Assert.Equal(SameBarRule.TargetFirst, SameBarRuleNames.Parse(" Target-First "));
        Assert.Equal("stop-first", SameBarRule.StopFirst.ToCode());
        Assert.Equal("target-first", SameBarRule.TargetFirst.ToCode());
        var e = Assert.Throws<FormatException>(() => SameBarRuleNames.Parse("ohlc"));
        Assert.Contains("'ohlc'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Steps_AllocateNothing()
    {
        var bar = B(1.1000, 1.1050, 1.0970, 1.1000);
        var sink = 0.0;
        for (var i = 0; i < 100; i++)
        {
            sink += BarrierStep.OnBar(Short, i, bar, 0.0003, SameBarRule.StopFirst).Price + BarrierStep.OnPrice(Long, 1.1, 1.1001, false).Price;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            sink += BarrierStep.OnBar(Short, i, bar, 0.0003, SameBarRule.StopFirst).Price + BarrierStep.OnPrice(Long, 1.1, 1.1001, false).Price;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sink > 0);
    }
}
