using KimiEA.Core.Abi;
using KimiEA.Engine.Events;
using Xunit;

namespace KimiEA.Engine.Tests;

/// <summary>
/// The approval band (issue 11): min ≤ confidence &lt; auto waits for kimi_approve, expires after
/// approval_expiry_bars closed bars; a late, repeated or unknown decision is refused and changes nothing.
/// </summary>
public class AgentApprovalTests
{
    private static AgentFixture Ready(long expiryBars = 3, long mode = AbiCodes.ModePaper)
    {
        var f = new AgentFixture(configure: b =>
        {
            b.Config.ApprovalExpiryBars = expiryBars;
            b.Config.Mode = mode;
        });
        f.WarmUp();
        f.Tick(1.09990, 1.10000);
        return f;
    }

    /// <summary>An intent of confidence ≈ 0.78 (2 R, break-even 1/3, hit rate Beta(37, 63)): inside the 0.70–0.85 band.</summary>
    private static long AwaitOne(AgentFixture f)
    {
        f.Agent.InjectIntent(AgentFixture.BuyIntent(hitProbability: 0.37, evidence: 100));
        var e = Assert.Single(f.Events(), x => x.Kind == AbiCodes.EvtApproval);
        Assert.Equal(AbiCodes.ApprovalAwaiting, e.Code);
        return e.Ticket;
    }

    private static (int Open, int Pending, long Signals, long Denials) Snapshot(AgentFixture f)
    {
        f.Agent.GetStatus(out var s);
        return ((int)s.OpenPositions, (int)s.PendingInstructions, s.Signals, s.Denials);
    }

    [Fact]
    public void An_approved_intent_becomes_the_open_with_the_same_id()
    {
        var f = Ready();
        var id = AwaitOne(f);
        var pending = f.Agent.Approve(id, approve: true);
        Assert.Equal(1, AgentFixture.Instructions(pending));
        var open = Assert.Single(f.Poll());
        Assert.Equal(AbiCodes.InstrOpen, open.Kind);
        Assert.Equal(id, open.Id);
        Assert.Contains(f.Events(), e => e.Kind == AbiCodes.EvtApproval && e.Code == AbiCodes.ApprovalApproved && e.Ticket == id);
    }

    [Fact]
    public void A_skipped_intent_sends_nothing_and_a_second_decision_is_refused()
    {
        var f = Ready();
        var id = AwaitOne(f);
        Assert.True(f.Agent.Approve(id, approve: false) >= 0);
        Assert.Empty(f.Poll());
        var before = Snapshot(f);
        Assert.Equal(AbiCodes.EState, f.Agent.Approve(id, approve: true));
        Assert.Contains("already skipped", f.Agent.LastError, StringComparison.Ordinal);
        Assert.Empty(f.Poll());
        Assert.Equal(before, Snapshot(f));
    }

    [Fact]
    public void Approving_twice_is_refused_and_hands_out_one_order()
    {
        var f = Ready();
        var id = AwaitOne(f);
        Assert.True(f.Agent.Approve(id, approve: true) > 0);
        Assert.Single(f.Poll());
        Assert.Equal(AbiCodes.EState, f.Agent.Approve(id, approve: true));
        Assert.Empty(f.Poll());
    }

    [Fact]
    public void An_intent_expires_after_its_bars_and_a_late_approval_is_refused()
    {
        var f = Ready(expiryBars: 2);
        var id = AwaitOne(f);
        f.Bar(1.1000, 1.1005, 1.0995, 1.1001);
        Assert.DoesNotContain(f.Events(), e => e.Kind == AbiCodes.EvtApproval && e.Code == AbiCodes.ApprovalExpired);
        f.Bar(1.1000, 1.1005, 1.0995, 1.1001);
        Assert.Contains(f.Events(), e => e.Kind == AbiCodes.EvtApproval && e.Code == AbiCodes.ApprovalExpired && e.Ticket == id);
        var before = Snapshot(f);
        Assert.Equal(AbiCodes.EExpired, f.Agent.Approve(id, approve: true));
        Assert.Contains("expired", f.Agent.LastError, StringComparison.Ordinal);
        Assert.Empty(f.Poll());
        Assert.Equal(before, Snapshot(f));
    }

    [Fact]
    public void An_unknown_id_is_refused()
    {
        var f = Ready();
        AwaitOne(f);
        Assert.Equal(AbiCodes.EUnknownIntent, f.Agent.Approve(123, approve: true));
        Assert.Empty(f.Poll());
    }

    [Fact]
    public void An_approved_intent_on_a_simulation_chart_is_recorded_not_sent()
    {
        var f = Ready(mode: AbiCodes.ModeSimulation);
        var id = AwaitOne(f);
        Assert.True(f.Agent.Approve(id, approve: true) >= 0);
        Assert.Empty(f.Poll());
        Assert.Contains(f.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == CodeNames.SimulationOnly);
    }

    [Fact]
    public void Below_the_minimum_nothing_waits_and_at_auto_the_order_goes_at_once()
    {
        var f = Ready();
        f.Agent.InjectIntent(AgentFixture.BuyIntent(hitProbability: 0.35, evidence: 100)); // confidence ≈ 0.64
        Assert.DoesNotContain(f.Events(), e => e.Kind == AbiCodes.EvtApproval);
        f.Agent.InjectIntent(AgentFixture.BuyIntent()); // hit rate 0.6 on 1000 observations: confidence ≈ 1
        Assert.Single(f.Poll());
    }

    [Fact]
    public void Detaching_the_chart_expires_what_waits()
    {
        var f = Ready();
        var id = AwaitOne(f);
        f.Agent.Destroy(1);
        Assert.Contains(f.Events(), e => e.Kind == AbiCodes.EvtApproval && e.Code == AbiCodes.ApprovalExpired && e.Ticket == id);
    }
}
