using KimiEA.Core.Abi;
using Xunit;

namespace KimiEA.Engine.Tests;

/// <summary>
/// The pending word of kimiea.h: every handler tells the host what waits (instructions ready, events/log lines),
/// and the host makes no further call when it is 0. A word that says 0 while something waits would leave an order
/// unsent or an event unread on a trader's terminal, so each part is checked against what the polls then return.
/// </summary>
public sealed class PendingWordTests
{
    private static AgentFixture Quiet()
    {
        var f = new AgentFixture();
        f.WarmUp();
        f.Tick(1.09990, 1.10000);
        DrainAll(f);
        return f;
    }

    private static void DrainAll(AgentFixture f)
    {
        f.Poll();
        f.Events();
        var text = new char[512];
        while (f.Agent.PollLog(text) > 0)
        {
        }
    }

    [Fact]
    public void A_tick_that_changes_nothing_returns_zero_and_nothing_is_waiting()
    {
        var f = Quiet();

        Assert.Equal(0, f.Tick(1.09991, 1.10001));
        Assert.Equal(0, f.Agent.OnTimer(f.NowMsc + 500, f.Account));
        Assert.Empty(f.Poll());
        Assert.Empty(f.Events());
        Assert.Equal(0, f.Agent.PollLog(new char[512]));
    }

    [Fact]
    public void An_intent_counts_its_instruction_and_flags_its_events_until_each_is_drained()
    {
        var f = Quiet();

        var pending = f.Agent.InjectIntent(AgentFixture.BuyIntent());
        Assert.Equal(1, pending & AbiCodes.PendingInstructions);
        Assert.NotEqual(0, pending & AbiCodes.PendingEvents);

        Assert.Single(f.Poll());
        // Handed out: no instruction left, but the events (and their log lines) still wait, and the unanswered
        // order is time-driven work (the TIMER bit).
        pending = f.Tick(1.09990, 1.10000);
        Assert.Equal(AbiCodes.PendingEvents | AbiCodes.PendingTimer, pending);

        Assert.NotEmpty(f.Events());
        // The events were read but their log lines were not: still flagged.
        Assert.Equal(AbiCodes.PendingEvents | AbiCodes.PendingTimer, f.Tick(1.09990, 1.10000));
        var text = new char[512];
        while (f.Agent.PollLog(text) > 0)
        {
        }

        Assert.Equal(AbiCodes.PendingTimer, f.Tick(1.09990, 1.10000));
    }

    [Fact]
    public void The_timer_bit_is_set_exactly_while_the_agent_owns_a_position_or_an_order_is_in_flight()
    {
        var f = Quiet();
        Assert.Equal(0, f.Agent.OnTimer(f.NowMsc, f.Account) & AbiCodes.PendingTimer);

        f.Agent.InjectIntent(AgentFixture.BuyIntent());
        Assert.NotEqual(0, f.Tick(1.09990, 1.10000) & AbiCodes.PendingTimer); // ready, not yet handed out
        var ins = Assert.Single(f.Poll());
        Assert.NotEqual(0, f.Fill(ins, 5001, 1.10000) & AbiCodes.PendingTimer); // filled: a position to watch
        DrainAll(f);
        Assert.Equal(AbiCodes.PendingTimer, f.Agent.OnTimer(f.NowMsc + 1000, f.Account));

        // The server-side stop closes it: flat and idle again, no timer work.
        var closed = f.Deal(6001, 5001, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, AbiCodes.DealReasonSl, ins.Volume, 1.0980, -ins.Volume * 200);
        Assert.Equal(0, closed & AbiCodes.PendingTimer);
        DrainAll(f);
        Assert.Equal(0, f.Tick(1.09800, 1.09810));
    }

    [Fact]
    public void The_emergency_stop_is_announced_by_the_next_handler_of_every_agent()
    {
        var host = new AgentHost();
        var f = new AgentFixture(host);
        f.WarmUp();
        f.Tick(1.09990, 1.10000);
        Assert.Equal(1, AgentFixture.Instructions(f.Agent.InjectIntent(AgentFixture.BuyIntent())));
        var ins = Assert.Single(f.Poll());
        f.Fill(ins, 5001, 1.10000);
        DrainAll(f);
        Assert.Equal(AbiCodes.PendingTimer, f.Tick(1.09990, 1.10000)); // only the open position's timer work

        host.Account.SetEmergency(true, "test");
        var pending = f.Tick(1.09990, 1.10000);

        // The close of the open position is counted, and the halt event flagged.
        Assert.Equal(1, pending & AbiCodes.PendingInstructions);
        Assert.NotEqual(0, pending & AbiCodes.PendingEvents);
        Assert.Equal(AbiCodes.InstrClose, Assert.Single(f.Poll()).Kind);
    }
}
