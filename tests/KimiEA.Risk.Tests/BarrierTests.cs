using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Risk.Barriers;
using Xunit;

namespace KimiEA.Risk.Tests;

public class SameBarTests
{
    // buy, stop 1.0980, target 1.1040
    private const double Sl = 1.0980, Tp = 1.1040;

    [Theory]
    // both touched: O 1.1000 H 1.1050 L 1.0970. Open is nearer the low (0.0030 vs 0.0050) → path O→L→H → stop first.
    [InlineData(SameBarRule.StopFirst, 1.1000, 1.1050, 1.0970, ExitReason.StopLoss, Sl, true)]
    [InlineData(SameBarRule.TargetFirst, 1.1000, 1.1050, 1.0970, ExitReason.TakeProfit, Tp, true)]
    [InlineData(SameBarRule.OpenHighLowClose, 1.1000, 1.1050, 1.0970, ExitReason.StopLoss, Sl, true)]
    // open nearer the high (1.1030: 0.0020 to the high, 0.0060 to the low) → O→H first → target
    [InlineData(SameBarRule.OpenHighLowClose, 1.1030, 1.1050, 1.0970, ExitReason.TakeProfit, Tp, true)]
    // only the stop is touched: not ambiguous under any rule
    [InlineData(SameBarRule.TargetFirst, 1.1000, 1.1030, 1.0975, ExitReason.StopLoss, Sl, false)]
    // only the target
    [InlineData(SameBarRule.StopFirst, 1.1000, 1.1045, 1.0990, ExitReason.TakeProfit, Tp, false)]
    // gap below the stop: exits at the open 1.0960, worse than the stop
    [InlineData(SameBarRule.TargetFirst, 1.0960, 1.1050, 1.0950, ExitReason.StopLoss, 1.0960, false)]
    // gap above the target: exits at the open 1.1050
    [InlineData(SameBarRule.StopFirst, 1.1050, 1.1060, 1.0970, ExitReason.TakeProfit, 1.1050, false)]
    // neither
    [InlineData(SameBarRule.StopFirst, 1.1000, 1.1030, 1.0990, ExitReason.None, 0, false)]
    public void Buy_exits(SameBarRule rule, double o, double h, double l, ExitReason reason, double price, bool ambiguous)
    {
        var exit = SameBar.Resolve(Direction.Buy, Sl, Tp, new Bar(0, o, h, l, (h + l) / 2, 1), 0, rule);
        Assert.Equal(new BarExit(reason, price, ambiguous), exit);
    }

    [Fact]
    public void Sell_exits_on_the_ask()
    {
        // sell, stop 1.1020, target 1.0950; bid bar high 1.1018 — with a 3-point spread the ask reached 1.1021 ≥ stop
        var bar = new Bar(0, 1.1000, 1.1018, 1.0990, 1.1010, 1);
        Assert.Equal(ExitReason.StopLoss, SameBar.Resolve(Direction.Sell, 1.1020, 1.0950, bar, 0.0003, SameBarRule.StopFirst).Reason);
        Assert.Equal(ExitReason.None, SameBar.Resolve(Direction.Sell, 1.1020, 1.0950, bar, 0, SameBarRule.StopFirst).Reason);
        // target: bid low 1.0948 + spread 0.0003 = ask 1.0951 > 1.0950 → not reached
        var down = new Bar(0, 1.1000, 1.1005, 1.0948, 1.0960, 1);
        Assert.Equal(ExitReason.None, SameBar.Resolve(Direction.Sell, 1.1020, 1.0950, down, 0.0003, SameBarRule.StopFirst).Reason);
        Assert.Equal(ExitReason.TakeProfit, SameBar.Resolve(Direction.Sell, 1.1020, 1.0950, down, 0, SameBarRule.StopFirst).Reason);
    }

    [Fact]
    public void Resolver_counts_ambiguous_exits_only()
    {
        var resolver = new SameBarResolver(SameBarRule.StopFirst);
        var both = new Bar(0, 1.1000, 1.1050, 1.0970, 1.1000, 1);
        var stopOnly = new Bar(0, 1.1000, 1.1030, 1.0975, 1.1000, 1);
        resolver.Resolve(Direction.Buy, Sl, Tp, both, 0);
        resolver.Resolve(Direction.Buy, Sl, Tp, stopOnly, 0);
        resolver.Resolve(Direction.Buy, Sl, Tp, both, 0);
        Assert.Equal(2, resolver.AmbiguousExits);
    }
}

public class TripleBarrierTests
{
    private const long Entry = 1_700_000_100; // M15 bar boundary: the signal bar closed here

    [Fact]
    public void Vertical_barrier_by_bars_counts_each_closed_bar_once()
    {
        var tb = new TripleBarrier(Direction.Buy, 1.0980, 1.1040, Entry, maxBars: 3, maxSeconds: 0);
        Assert.False(tb.OnBarClosed(Entry - 900, Entry));        // the signal bar itself: before the entry, not counted
        Assert.False(tb.OnBarClosed(Entry, Entry + 900));        // 1
        Assert.False(tb.OnBarClosed(Entry, Entry + 900));        // same bar again: still 1
        Assert.False(tb.OnBarClosed(Entry + 900, Entry + 1800)); // 2
        Assert.True(tb.OnBarClosed(Entry + 1800, Entry + 2700)); // 3 → timeout
        Assert.Equal(3, tb.BarsHeld);
    }

    [Fact]
    public void Vertical_barrier_by_time()
    {
        var tb = new TripleBarrier(Direction.Sell, 1.1020, 1.0950, Entry, maxBars: 0, maxSeconds: 3_600);
        Assert.False(tb.IsExpiredAt(Entry + 3_599));
        Assert.True(tb.IsExpiredAt(Entry + 3_600));
        Assert.False(tb.OnBarClosed(Entry, Entry + 900));
        Assert.True(tb.OnBarClosed(Entry + 2_700, Entry + 3_600));
    }

    [Fact]
    public void OnBar_prefers_a_horizontal_exit_and_times_out_at_the_close()
    {
        var resolver = new SameBarResolver(SameBarRule.StopFirst);
        var tb = new TripleBarrier(Direction.Buy, 1.0980, 1.1040, Entry, maxBars: 2, maxSeconds: 0);
        Assert.Equal(BarExit.None, tb.OnBar(new Bar(Entry, 1.1000, 1.1010, 1.0990, 1.1005, 1), Entry + 900, 0, resolver));
        // second bar: timeout at its close 1.1012
        Assert.Equal(new BarExit(ExitReason.Timeout, 1.1012, false), tb.OnBar(new Bar(Entry + 900, 1.1005, 1.1020, 1.1000, 1.1012, 1), Entry + 1800, 0, resolver));

        var tb2 = new TripleBarrier(Direction.Buy, 1.0980, 1.1040, Entry, maxBars: 1, maxSeconds: 0);
        // the first bar both hits the stop and reaches the bar limit: the stop wins
        Assert.Equal(ExitReason.StopLoss, tb2.OnBar(new Bar(Entry, 1.1000, 1.1010, 1.0970, 1.0975, 1), Entry + 900, 0, resolver).Reason);
    }

    [Fact]
    public void Rejects_a_position_without_direction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TripleBarrier(Direction.None, 1, 2, Entry, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TripleBarrier(Direction.Buy, 1, 2, Entry, -1, 0));
    }
}

public class ProtectiveStopsTests
{
    [Fact]
    public void Normalize_rounds_to_the_tick_and_keeps_absent_barriers()
    {
        // US500 tick 0.01: 4 999.994 → 4 999.99; EURUSD tick 0.00001: 1.0812349 → 1.08123
        Assert.Equal((4_999.99, 0.0), ProtectiveStops.Normalize(Specs.Us500, 4_999.994, 0));
        Assert.Equal(1.08123, ProtectiveStops.Normalize(Specs.EurUsd, 1.0812349, 1.09).StopLoss, 10);
    }

    [Theory]
    // EURUSD freeze level 5 points = 0.00005. Buy checked against the bid 1.08000.
    // stop 1.07996 is 4 points away → frozen; 1.07995 is exactly 5 → allowed
    [InlineData(1, 1.07996, 1.09000, true)]
    [InlineData(1, 1.07995, 1.09000, false)]
    // target 1.08003 is 3 points above the bid → frozen
    [InlineData(1, 1.07000, 1.08003, true)]
    // sell checked against the ask 1.08002: stop 1.08006 is 4 points away → frozen; target 1.07000 far → not
    [InlineData(-1, 1.08006, 1.07000, true)]
    [InlineData(-1, 1.08100, 1.07000, false)]
    public void Freeze_level(int direction, double sl, double tp, bool frozen) =>
        Assert.Equal(frozen, ProtectiveStops.IsFrozen(Specs.EurUsd, (Direction)direction, sl, tp, 1.08000, 1.08002));
}
