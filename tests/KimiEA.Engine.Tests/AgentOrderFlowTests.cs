using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Engine.Events;
using KimiEA.Risk.Gate;
using Xunit;

namespace KimiEA.Engine.Tests;

/// <summary>
/// The order flow of one agent, scripted like a terminal: intents through the gate, instructions handed out once,
/// results accepted once, deals closing positions with the right exit reason, and the barriers that close positions
/// on the engine's side (vertical barrier, breaker, emergency stop).
/// </summary>
public sealed class AgentOrderFlowTests
{
    private static AgentFixture Ready(Action<KimiConfigBuilder>? configure = null)
    {
        var f = new AgentFixture(configure: configure);
        f.WarmUp();
        f.Tick(1.09990, 1.10000);
        return f;
    }

    private static KimiInstruction OpenAndFill(AgentFixture f, long ticket = 5001, int maxBars = 10)
    {
        Assert.Equal(1, AgentFixture.Instructions(f.Agent.InjectIntent(AgentFixture.BuyIntent(maxBars: maxBars))));
        var ins = Assert.Single(f.Poll());
        Assert.Equal(0, AgentFixture.Instructions(f.Fill(ins, ticket, 1.10000)));
        return ins;
    }

    [Fact]
    public void Approved_intent_is_handed_out_once_with_stop_and_target_attached()
    {
        var f = Ready();
        Assert.Equal(1, AgentFixture.Instructions(f.Agent.InjectIntent(AgentFixture.BuyIntent())));

        var ins = Assert.Single(f.Poll());
        Assert.Equal(AbiCodes.InstrOpen, ins.Kind);
        Assert.Equal(AbiCodes.Buy, ins.Direction);
        Assert.Equal(AgentFixture.Magic, ins.Magic);
        Assert.Equal(1.0980, ins.Sl, 10);
        Assert.Equal(1.1040, ins.Tp, 10);
        Assert.Equal(1.1000, ins.Price, 10); // a buy is priced at the ask
        Assert.True(ins.Volume >= 0.01, $"volume {ins.Volume}");
        // Money at risk = volume × (0.0020 / 0.00001 ticks) × 1 USD; the cap is 1 % of 10,000 USD and rounding may
        // never push it above 1.5 × that target.
        Assert.True(ins.Volume * 200 <= 150 + 1e-9, $"volume {ins.Volume} risks {ins.Volume * 200} USD");
        Assert.Empty(f.Poll());
    }

    [Fact]
    public void A_result_is_accepted_exactly_once()
    {
        var f = Ready();
        var ins = OpenAndFill(f);

        Assert.Equal(AbiCodes.EState, f.Fill(ins, 5001, 1.1));
        Assert.Contains("already reported", f.Agent.LastError, StringComparison.Ordinal);
        f.Agent.GetStatus(out var status);
        Assert.Equal(1, status.OpenPositions);
    }

    [Fact]
    public void A_result_for_an_unknown_instruction_is_a_state_error()
    {
        var f = Ready();
        var rc = f.Agent.ReportResult(new KimiOrderResult { InstructionId = 123456, Retcode = 10009 });
        Assert.Equal(AbiCodes.EState, rc);
        Assert.Contains("123456", f.Agent.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_entry_is_refused_while_the_first_is_in_flight()
    {
        var f = Ready();
        f.Agent.InjectIntent(AgentFixture.BuyIntent());
        f.Agent.InjectIntent(AgentFixture.BuyIntent());
        var denied = f.Events().Where(e => e.Kind == AbiCodes.EvtDenied).ToList();
        Assert.Single(denied);
        Assert.Equal(CodeNames.EntryInFlight, denied[0].Code);
        Assert.Single(f.Poll());
    }

    [Fact]
    public void Stop_loss_deal_closes_with_reason_SL_and_a_repeated_deal_changes_nothing()
    {
        var f = Ready();
        OpenAndFill(f);
        f.Events();

        Assert.True(f.Deal(9001, 5001, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, AbiCodes.DealReasonSl, 0.5, 1.0980, -100, -3.5) >= 0);
        Assert.True(f.Deal(9001, 5001, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, AbiCodes.DealReasonSl, 0.5, 1.0980, -100, -3.5) >= 0);

        var closes = f.Events().Where(e => e.Kind == AbiCodes.EvtClose).ToList();
        var close = Assert.Single(closes);
        Assert.Equal((long)ExitReason.StopLoss, close.Code);
        Assert.Equal(-103.5, close.Value, 9); // profit + commission of the exit deal
        f.Agent.GetStatus(out var s);
        Assert.Equal(0, s.OpenPositions);
        Assert.Equal(1, s.TradesClosed);
        Assert.Equal(0, s.OpenRisk, 9);
    }

    [Fact]
    public void Take_profit_deal_closes_with_reason_TP()
    {
        var f = Ready();
        OpenAndFill(f);
        f.Deal(9002, 5001, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, AbiCodes.DealReasonTp, 0.5, 1.1040, 200);
        var close = Assert.Single(f.Events(), e => e.Kind == AbiCodes.EvtClose);
        Assert.Equal((long)ExitReason.TakeProfit, close.Code);
    }

    [Fact]
    public void Vertical_barrier_closes_after_max_holding_bars()
    {
        var f = Ready();
        OpenAndFill(f, maxBars: 3);
        f.Bar(1.1, 1.1005, 1.0995, 1.1);
        f.Bar(1.1, 1.1005, 1.0995, 1.1);
        Assert.Empty(f.Poll());
        f.Bar(1.1, 1.1005, 1.0995, 1.1);

        var close = Assert.Single(f.Poll());
        Assert.Equal(AbiCodes.InstrClose, close.Kind);
        Assert.Equal(AbiCodes.Sell, close.Direction);
        Assert.Equal(5001, close.PositionTicket);
        Assert.Equal(AbiCodes.ExitTimeout, close.Reason);

        // The broker fills the close (an EXPERT deal): the exit reason is the engine's TIMEOUT.
        f.Agent.ReportResult(new KimiOrderResult { InstructionId = close.Id, Retcode = 10009, PositionTicket = 5001, Price = 1.1, Volume = close.Volume });
        f.Deal(9003, 5001, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, AbiCodes.DealReasonExpert, close.Volume, 1.1, -5);
        Assert.Equal((long)ExitReason.Timeout, Assert.Single(f.Events(), e => e.Kind == AbiCodes.EvtClose).Code);
    }

    [Fact]
    public void Breaker_trips_at_two_percent_below_day_start_equity_and_flattens()
    {
        var f = Ready();
        OpenAndFill(f);
        f.Events();

        f.Tick(1.0985, 1.0986, equity: 9_801); // −1.99 %: still active
        Assert.Empty(f.Poll());
        f.Tick(1.0984, 1.0985, equity: 9_800); // −2.00 %: trips

        var close = Assert.Single(f.Poll());
        Assert.Equal(AbiCodes.ExitBreaker, close.Reason);
        var breaker = Assert.Single(f.Events(), e => e.Kind == AbiCodes.EvtBreaker);
        Assert.Equal(AbiCodes.BreakerReducingOnly, breaker.Code);

        f.Agent.InjectIntent(AgentFixture.BuyIntent(entry: 1.0985));
        var denial = Assert.Single(f.Events(), e => e.Kind == AbiCodes.EvtDenied);
        Assert.True(denial.Code == (int)DenyReason.BreakerTripped, $"denied with {CodeNames.Of(AbiCodes.EvtDenied, denial.Code)}");
    }

    [Fact]
    public void Breaker_is_shared_by_every_agent_of_the_account()
    {
        var host = new AgentHost();
        var a = new AgentFixture(host);
        a.WarmUp();
        var b = new AgentFixture(host, configure: c => c.Config.Magic = 777);
        b.WarmUp();
        a.Tick(1.0999, 1.1000);
        b.Tick(1.0999, 1.1000);

        a.Tick(1.0950, 1.0951, equity: 9_700); // agent A sees the loss
        b.Agent.InjectIntent(AgentFixture.BuyIntent());

        Assert.Contains(b.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == (int)DenyReason.BreakerTripped);
        Assert.Empty(b.Poll());
    }

    [Fact]
    public void Emergency_stop_closes_every_position_and_blocks_new_risk_until_reset()
    {
        var f = Ready();
        OpenAndFill(f);
        f.Host.Account.SetEmergency(true, "test");
        f.Tick(1.0999, 1.1000);

        var close = Assert.Single(f.Poll());
        Assert.Equal(AbiCodes.ExitEmergency, close.Reason);
        f.Agent.InjectIntent(AgentFixture.BuyIntent());
        Assert.Contains(f.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == (int)DenyReason.EmergencyStop);

        f.Agent.ReportResult(new KimiOrderResult { InstructionId = close.Id, Retcode = 10009, PositionTicket = 5001, Price = 1.0999, Volume = close.Volume });
        f.Deal(9004, 5001, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, AbiCodes.DealReasonExpert, close.Volume, 1.0999, -1);
        f.Host.Account.SetEmergency(false, "reset");
        f.Tick(1.0999, 1.1000);
        Assert.Equal(1, AgentFixture.Instructions(f.Agent.InjectIntent(AgentFixture.BuyIntent())));
    }

    [Fact]
    public void Simulation_mode_records_decisions_but_never_hands_out_orders()
    {
        var f = Ready(c => c.Config.Mode = AbiCodes.ModeSimulation);
        f.Agent.InjectIntent(AgentFixture.BuyIntent());
        Assert.Empty(f.Poll());
        Assert.Contains(f.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == CodeNames.SimulationOnly);
    }

    [Fact]
    public void Below_auto_execute_confidence_an_intent_waits_for_approval_and_nothing_is_sent()
    {
        var f = Ready();
        // 2 R at the ask, break-even 1/3; hit rate ~ Beta(37, 63): P(p > 1/3) ≈ Φ((0.37 − 0.3333) / 0.048) ≈ 0.78
        f.Agent.InjectIntent(AgentFixture.BuyIntent(hitProbability: 0.37, evidence: 100));
        Assert.Empty(f.Poll());
        var awaiting = Assert.Single(f.Events(), e => e.Kind == AbiCodes.EvtApproval);
        Assert.Equal(AbiCodes.ApprovalAwaiting, awaiting.Code);
        Assert.InRange(awaiting.Value, 0.75, 0.81);
        Assert.Equal(0.37, awaiting.HitProbability, 9); // no closed trades yet: the posterior mean is the calibration's
        Assert.True(awaiting.Ticket > 0);
        Assert.Equal(0, f.Host.Account.Book!.OpenPositions); // nothing reserved while it waits
    }

    [Fact]
    public void Paper_mode_refuses_a_real_account()
    {
        var f = new AgentFixture();
        f.WarmUp();
        f.Account.TradeMode = 2;
        f.Tick(1.0999, 1.1000);
        f.Agent.InjectIntent(AgentFixture.BuyIntent());
        Assert.Empty(f.Poll());
        Assert.Contains(f.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == (int)DenyReason.PaperRequiresDemo);
    }

    [Fact]
    public void Bars_out_of_order_are_rejected_with_the_times_in_the_message()
    {
        var f = Ready();
        Assert.Equal(AbiCodes.EInvalidArgument, f.Agent.OnBar(new Core.Market.MqlRates(AgentFixture.T0, 1, 1, 1, 1)));
        Assert.Contains("is not after the previous bar", f.Agent.LastError, StringComparison.Ordinal);
    }
}
