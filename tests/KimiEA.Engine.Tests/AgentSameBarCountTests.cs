using KimiEA.Core.Abi;
using Xunit;

namespace KimiEA.Engine.Tests;

/// <summary>
/// Live, the broker decides which of SL and TP comes first; the agent only counts a server-side exit as ambiguous
/// when the forming bar (the bids since the last closed bar, and the exit) would have needed the same-bar rule in a
/// bar-based backtest — the tester's BarrierStep on that bar. Buy intent: stop 1.0980, target 1.1040.
/// </summary>
public sealed class AgentSameBarCountTests
{
    private static (AgentFixture F, KimiInstruction Ins) OpenBuy(params double[] bidsBefore)
    {
        var f = new AgentFixture();
        f.WarmUp();
        foreach (var bid in bidsBefore)
        {
            f.Tick(bid, bid + 0.0001, equity: 10_000);
        }

        f.Agent.InjectIntent(AgentFixture.BuyIntent());
        var ins = Assert.Single(f.Poll());
        f.Fill(ins, 5001, 1.1001);
        return (f, ins);
    }

    private static long Ambiguous(AgentFixture f)
    {
        f.Agent.GetStatus(out var s);
        return s.AmbiguousExits;
    }

    [Theory]
    // The forming bar opened at 1.1000 and reached 1.1045 (≥ target) before the entry; the stop at 1.0980 then closes
    // the position in the same bar: a bar-based backtest could not tell the order.
    [InlineData(1.1045, 1)]
    // Bar range 1.0980 .. 1.1010: only the stop.
    [InlineData(1.1010, 0)]
    public void A_stop_is_counted_when_its_bar_also_covered_the_target(double highBeforeEntry, long counted)
    {
        var (f, ins) = OpenBuy(1.1000, highBeforeEntry, 1.1000);
        f.Tick(1.0985, 1.0986);
        Assert.True(f.Deal(9001, 5001, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, AbiCodes.DealReasonSl, ins.Volume, 1.0980, -100) >= 0);
        Assert.Equal(counted, Ambiguous(f));
    }

    [Fact]
    public void A_stop_filled_at_a_gap_open_is_not_counted()
    {
        // The position is held over a bar close. In the terminal's order the new bar's first tick comes before the
        // closed bar: its bid 1.0970 is already below the stop (a gap); the bar then trades up to 1.1045 before the
        // broker's SL deal is reported. The open decided, not a rule.
        var (f, ins) = OpenBuy(1.1000);
        f.Tick(1.0970, 1.0971);
        f.Bar(1.1000, 1.1005, 1.0995, 1.1000);
        f.Tick(1.1045, 1.1046);
        Assert.True(f.Deal(9001, 5001, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, AbiCodes.DealReasonSl, ins.Volume, 1.0970, -150) >= 0);
        Assert.Equal(0, Ambiguous(f));
    }
}
