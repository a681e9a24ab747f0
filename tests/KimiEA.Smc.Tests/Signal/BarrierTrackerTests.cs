using Xunit;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Smc.Signal;

namespace KimiEA.Smc.Tests.Signal;

/// <summary>The barrier evaluator on hand-built bar sequences; every expected outcome is read off the bars in the comments.</summary>
public sealed class BarrierTrackerTests
{
    // Long at 100, stop 98, target 104, at most 3 bars.
    private static readonly TradeIntent Long = new()
    {
        Direction = Direction.Buy, Entry = 100, StopLoss = 98, TakeProfit = 104, MaxHoldingBars = 3, Confidence = 0.5,
    };

    // Short at 100, stop 102, target 96, at most 3 bars.
    private static readonly TradeIntent Short = Long with { Direction = Direction.Sell, StopLoss = 102, TakeProfit = 96 };

    private static Bar B(int t, double o, double h, double l, double c) => new(t, o, h, l, c, 0);

    [Fact]
    public void Long_TargetTouchedFirst_IsTakeProfitOnThatBar()
    {
        // bar 1 stays inside (99..101), bar 2 reaches 104 = target while its low 99.5 is above the stop
        Bar[] bars = [B(1, 100, 101, 99, 100.5), B(2, 100.5, 104, 99.5, 103), B(3, 103, 103, 90, 91)];
        Assert.Equal(new BarrierResult(BarrierOutcome.TakeProfit, 2), BarrierTracker.Evaluate(Long, bars));
    }

    [Fact]
    public void Long_StopTouchedFirst_IsStopLoss()
    {
        // bar 1 low 98 touches the stop (≤); the later rally to 110 does not matter
        Bar[] bars = [B(1, 100, 101, 98, 99), B(2, 99, 110, 99, 109)];
        Assert.Equal(new BarrierResult(BarrierOutcome.StopLoss, 1), BarrierTracker.Evaluate(Long, bars));
    }

    [Fact]
    public void Long_BothInOneBar_IsStopFirst()
    {
        // one wide bar 97..105 contains both 98 and 104: the pessimistic rule picks the stop
        Bar[] bars = [B(1, 100, 105, 97, 104)];
        Assert.Equal(new BarrierResult(BarrierOutcome.StopLoss, 1, Ambiguous: true), BarrierTracker.Evaluate(Long, bars));
    }

    [Fact]
    public void Long_BothInOneBar_TargetFirst_IsTakeProfit()
    {
        // the same wide bar under the optimistic rule: the target, still flagged as decided by the rule
        Bar[] bars = [B(1, 100, 105, 97, 104)];
        Assert.Equal(new BarrierResult(BarrierOutcome.TakeProfit, 1, Ambiguous: true), BarrierTracker.Evaluate(Long, bars, SameBarRule.TargetFirst));
    }

    [Fact]
    public void Short_IsJudgedOnTheAsk_TheBarPlusTheSpread()
    {
        // bid high 101.5 stays below the stop 102, but the ask (bid + 0.6) reaches 102.1: a stop only with the spread
        Bar[] bars = [B(1, 100, 101.5, 99, 100)];
        Assert.Equal(BarrierOutcome.Unresolved, BarrierTracker.Evaluate(Short, bars).Outcome);
        Assert.Equal(new BarrierResult(BarrierOutcome.StopLoss, 1), BarrierTracker.Evaluate(Short, bars, spread: 0.6));
        Assert.Throws<ArgumentException>(() => new BarrierTracker(Short, spread: -0.1));
    }

    [Fact]
    public void Long_GapOpenAboveTarget_IsTakeProfit()
    {
        // opens at 105 (beyond the target), then trades down to 97 within the same bar: the open came first
        Bar[] bars = [B(1, 105, 106, 97, 98)];
        Assert.Equal(new BarrierResult(BarrierOutcome.TakeProfit, 1, Gap: true), BarrierTracker.Evaluate(Long, bars));
    }

    [Fact]
    public void Long_NothingWithinThreeBars_IsTimeoutOnTheThirdBar()
    {
        // three bars inside 98.5..103.5, the fourth would hit the target but comes after the vertical barrier
        Bar[] bars = [B(1, 100, 101, 99, 100), B(2, 100, 103.5, 98.5, 101), B(3, 101, 102, 100, 101), B(4, 101, 110, 101, 109)];
        Assert.Equal(new BarrierResult(BarrierOutcome.Timeout, 3), BarrierTracker.Evaluate(Long, bars));
    }

    [Fact]
    public void Long_DataEndsEarly_IsUnresolved()
    {
        Bar[] bars = [B(1, 100, 101, 99, 100), B(2, 100, 101, 99, 100)];
        var r = BarrierTracker.Evaluate(Long, bars);
        Assert.Equal(new BarrierResult(BarrierOutcome.Unresolved, 2), r);
        Assert.False(r.IsResolved);
    }

    [Fact]
    public void Short_MirrorCases()
    {
        // target 96 touched by the low of bar 2
        Assert.Equal(BarrierOutcome.TakeProfit, BarrierTracker.Evaluate(Short, [B(1, 100, 101, 99, 100), B(2, 100, 100, 96, 97)]).Outcome);
        // stop 102 touched by the high of bar 1
        Assert.Equal(BarrierOutcome.StopLoss, BarrierTracker.Evaluate(Short, [B(1, 100, 102, 99, 101)]).Outcome);
        // 95..103 contains both: stop first
        Assert.Equal(BarrierOutcome.StopLoss, BarrierTracker.Evaluate(Short, [B(1, 100, 103, 95, 96)]).Outcome);
        // gap open at 103 above the stop
        Assert.Equal(BarrierOutcome.StopLoss, BarrierTracker.Evaluate(Short, [B(1, 103, 103, 90, 91)]).Outcome);
    }

    [Fact]
    public void Update_AfterResolution_IgnoresLaterBars()
    {
        var t = new BarrierTracker(Long);
        Assert.True(t.Update(B(1, 100, 104, 99, 103)));
        Assert.True(t.Update(B(2, 103, 103, 50, 51)));
        Assert.Equal(new BarrierResult(BarrierOutcome.TakeProfit, 1), t.Result);
    }

    [Fact]
    public void Constructor_RejectsBarriersOnTheWrongSide()
    {
        Assert.Throws<ArgumentException>(() => new BarrierTracker(Long with { StopLoss = 101 }));
        Assert.Throws<ArgumentException>(() => new BarrierTracker(Short with { TakeProfit = 101 }));
        Assert.Throws<ArgumentException>(() => new BarrierTracker(Long with { Direction = Direction.None }));
        Assert.Throws<ArgumentException>(() => new BarrierTracker(Long with { MaxHoldingBars = 0 }));
    }
}
