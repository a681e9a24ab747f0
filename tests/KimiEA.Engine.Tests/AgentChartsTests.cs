using KimiEA.Core.Abi;
using KimiEA.Engine.Events;
using KimiEA.Risk.Gate;
using Xunit;

namespace KimiEA.Engine.Tests;

/// <summary>
/// Several charts on one terminal (issues 10 and 11): each decides by its own inputs, account-wide limits are shared
/// and must agree, a detached chart's open positions keep their reservations, and the emergency stop flattens until flat.
/// </summary>
public class AgentChartsTests
{
    private static AgentFixture Chart(AgentHost host, long magic, Action<KimiConfigBuilder>? more = null)
    {
        var f = new AgentFixture(host, configure: b =>
        {
            b.Config.Magic = magic;
            more?.Invoke(b);
        });
        f.WarmUp();
        f.Tick(1.09990, 1.10000);
        return f;
    }

    private static KimiPosition Held(long magic, long ticket, long instructionId, double volume) => new()
    {
        Ticket = ticket, Type = 0, Magic = magic, TimeMsc = AgentFixture.T0 * 1000, InstructionId = instructionId,
        Volume = volume, PriceOpen = 1.1, Sl = 1.098, Tp = 1.104,
    };

    private static KimiInstruction OpenAndFill(AgentFixture f, long ticket)
    {
        Assert.Equal(1, AgentFixture.Instructions(f.Agent.InjectIntent(AgentFixture.BuyIntent())));
        var ins = Assert.Single(f.Poll());
        Assert.True(f.Fill(ins, ticket, 1.10000) >= 0, f.Agent.LastError);
        return ins;
    }

    [Fact]
    public void A_simulation_chart_attached_after_a_paper_chart_never_hands_out_an_order()
    {
        var host = new AgentHost();
        var paper = Chart(host, 1, b => b.Config.Mode = AbiCodes.ModePaper);
        var simulation = Chart(host, 2, b => b.Config.Mode = AbiCodes.ModeSimulation);

        simulation.Agent.InjectIntent(AgentFixture.BuyIntent());
        Assert.Empty(simulation.Poll());
        Assert.Contains(simulation.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == CodeNames.SimulationOnly);

        paper.Agent.InjectIntent(AgentFixture.BuyIntent());
        Assert.Single(paper.Poll());
    }

    [Fact]
    public void Each_chart_applies_its_own_confidence_gates()
    {
        var host = new AgentHost();
        Chart(host, 1);
        var strict = Chart(host, 2, b => { b.Config.MinConfidence = 0.95; b.Config.AutoExecuteConfidence = 0.95; });
        strict.Agent.InjectIntent(AgentFixture.BuyIntent(hitProbability: 0.395, evidence: 100)); // confidence ≈ 0.90
        Assert.Empty(strict.Poll());
        Assert.Contains(strict.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == (int)DenyReason.ConfidenceBelowMinimum);
    }

    [Fact]
    public void Each_chart_sizes_by_its_own_risk_and_lot_cap()
    {
        var host = new AgentHost();
        var big = Chart(host, 1);
        var small = Chart(host, 2, b => b.Config.MaxLot = 0.05);
        big.Agent.InjectIntent(AgentFixture.BuyIntent());
        small.Agent.InjectIntent(AgentFixture.BuyIntent());
        // 1 % of 10 000 over a 20-pip stop (1 USD per point per lot, 200 USD per lot) = 0.50 lot; the second chart caps at 0.05.
        Assert.Equal(0.50, Assert.Single(big.Poll()).Volume, 10);
        Assert.Equal(0.05, Assert.Single(small.Poll()).Volume, 10);
    }

    [Fact]
    public void A_chart_whose_account_limits_differ_is_refused_naming_each_input()
    {
        var host = new AgentHost();
        Chart(host, 1);
        var e = Assert.Throws<EngineException>(() => Chart(host, 2, b => { b.Config.DailyDrawdown = 0.05; b.Config.MaxOrdersPerMinute = 3; }));
        Assert.Equal(AbiCodes.EConfig, e.Code);
        Assert.Contains("daily_drawdown", e.Message, StringComparison.Ordinal);
        Assert.Contains("0.05 on this chart but 0.02 is in force", e.Message, StringComparison.Ordinal);
        Assert.Contains("max_orders_per_minute", e.Message, StringComparison.Ordinal);
        Assert.Contains("magic 1", e.Message, StringComparison.Ordinal); // the chart that set them
        Assert.Equal(10, host.Account.Book!.Limits.MaxOrdersPerMinute); // the refused chart changed nothing
    }

    [Fact]
    public void When_every_chart_has_left_new_account_limits_take_effect_and_the_breaker_day_is_kept()
    {
        var host = new AgentHost();
        var first = Chart(host, 1);
        first.Tick(1.0999, 1.1000, equity: 9_700); // −3 %: the 2 % breaker trips
        Assert.NotEqual(Risk.Account.BreakerStatus.Active, host.Account.Book!.BreakerState.Status);
        first.Agent.Destroy(1);
        Chart(host, 2, b => b.Config.DailyDrawdown = 0.05);
        Assert.Equal(0.05, host.Account.Book.Limits.DailyDrawdown);
        Assert.NotEqual(Risk.Account.BreakerStatus.Active, host.Account.Book.BreakerState.Status);
    }

    [Fact]
    public void Two_live_charts_with_the_same_magic_on_one_symbol_are_refused()
    {
        var host = new AgentHost();
        Chart(host, 7);
        var e = Assert.Throws<EngineException>(() => Chart(host, 7));
        Assert.Equal(AbiCodes.EConfig, e.Code);
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_detached_chart_keeps_its_positions_reserved_and_a_readoption_never_counts_twice()
    {
        var host = new AgentHost();
        var book = () => host.Account.Book!;
        var first = Chart(host, 1);
        var ins = OpenAndFill(first, 5001);
        Assert.Equal(1, book().OpenPositions);
        var risk = book().OpenRisk;
        first.Agent.Destroy(1);
        Assert.Equal(1, book().OpenPositions); // the position is still open at the broker
        Assert.Equal(risk, book().OpenRisk, 9);

        var again = Chart(host, 1);
        Assert.True(again.Agent.SyncPositions([Held(1, 5001, ins.Id, ins.Volume)], again.NowMsc) >= 0, again.Agent.LastError);
        Assert.Equal(1, book().OpenPositions); // taken over, not added
        again.Agent.InjectIntent(AgentFixture.BuyIntent());
        Assert.Empty(again.Poll()); // max_positions 1 of this chart is in use
        Assert.Contains(again.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == (int)DenyReason.MaxPositionsOfChart);

        Assert.True(again.Agent.SyncPositions([], again.NowMsc) >= 0);
        Assert.Equal(0, book().OpenPositions); // closed while away: released once
        Assert.Equal(0, book().OpenRisk);
    }

    [Fact]
    public void The_closing_deal_of_a_position_a_detached_chart_left_releases_its_reservation()
    {
        var host = new AgentHost();
        var first = Chart(host, 1);
        var ins = OpenAndFill(first, 5001);
        first.Agent.Destroy(1);
        var again = Chart(host, 1); // re-attached, the position not yet adopted
        Assert.True(again.Agent.OnTradeTransaction(new KimiDeal
        {
            DealTicket = 9002, OrderTicket = 9002, PositionTicket = 5001, TimeMsc = again.NowMsc, Entry = AbiCodes.DealEntryOut,
            Type = AbiCodes.DealTypeSell, Reason = AbiCodes.DealReasonSl, Magic = 1, Volume = ins.Volume, Price = 1.0980, Profit = -100,
        }) >= 0, again.Agent.LastError);
        Assert.Equal(0, host.Account.Book!.OpenPositions);
    }

    [Fact]
    public void A_detached_chart_with_positions_keeps_other_charts_within_the_total()
    {
        var host = new AgentHost();
        var a = Chart(host, 1, b => b.Config.MaxPositionsTotal = 1);
        OpenAndFill(a, 5001);
        a.Agent.Destroy(1);
        var b = Chart(host, 2, c => c.Config.MaxPositionsTotal = 1);
        b.Agent.InjectIntent(AgentFixture.BuyIntent());
        Assert.Empty(b.Poll());
        Assert.Contains(b.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == (int)DenyReason.MaxPositionsTotal);
    }

    [Fact]
    public void The_emergency_stop_retries_a_refused_close_with_a_bounded_back_off_until_the_position_is_gone()
    {
        var host = new AgentHost();
        var f = Chart(host, 1);
        OpenAndFill(f, 5001);
        host.Account.SetEmergency(true, "test");
        f.Tick(1.0999, 1.1000);
        var delays = new List<long>();
        var lastSent = f.NowMsc;
        for (var attempt = 0; attempt < 9; attempt++)
        {
            var close = Array.Find(f.Poll(), i => i.Kind == AbiCodes.InstrClose);
            while (close.Id == 0)
            {
                f.Tick(1.0999, 1.1000); // one tick a second
                close = Array.Find(f.Poll(), i => i.Kind == AbiCodes.InstrClose);
                Assert.True(f.NowMsc - lastSent < 120_000, "no CLOSE retried within two minutes");
            }

            Assert.Equal(5001, close.PositionTicket);
            Assert.Equal(AbiCodes.ExitEmergency, close.Reason);
            if (attempt > 0)
            {
                delays.Add(f.NowMsc - lastSent);
            }

            lastSent = f.NowMsc;
            Assert.True(f.Agent.ReportResult(new KimiOrderResult { InstructionId = close.Id, Retcode = 10006, TimeMsc = f.NowMsc }) >= 0); // REJECT
        }

        // 1 s, 2 s, 4 s ... doubling, bounded at 60 s (ticks arrive once a second, so each wait is the delay rounded up)
        long[] expected = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000];
        Assert.Equal(expected, delays.Select(d => (d + 999) / 1000 * 1000).ToArray());

        // The broker finally closes it: no more CLOSE instructions.
        Assert.True(f.Agent.OnTradeTransaction(new KimiDeal
        {
            DealTicket = 9001, OrderTicket = 9001, PositionTicket = 5001, TimeMsc = f.NowMsc, Entry = AbiCodes.DealEntryOut,
            Type = AbiCodes.DealTypeSell, Reason = AbiCodes.DealReasonExpert, Magic = 1, Volume = 0.5, Price = 1.0990, Profit = -50,
        }) >= 0, f.Agent.LastError);
        for (var i = 0; i < 120; i++)
        {
            f.Tick(1.0999, 1.1000);
        }

        Assert.DoesNotContain(f.Poll(), i => i.Kind == AbiCodes.InstrClose);
        Assert.Equal(0, host.Account.Book!.OpenPositions);
    }

    [Fact]
    public void A_close_handed_out_and_never_answered_is_replaced_after_a_minute()
    {
        var host = new AgentHost();
        var f = Chart(host, 1);
        OpenAndFill(f, 5001);
        host.Account.SetEmergency(true, "test");
        f.Tick(1.0999, 1.1000);
        var first = Assert.Single(f.Poll(), i => i.Kind == AbiCodes.InstrClose);
        for (var i = 0; i < 59; i++)
        {
            f.Tick(1.0999, 1.1000);
            Assert.DoesNotContain(f.Poll(), x => x.Kind == AbiCodes.InstrClose);
        }

        f.Tick(1.0999, 1.1000);
        f.Tick(1.0999, 1.1000);
        var second = Assert.Single(f.Poll(), i => i.Kind == AbiCodes.InstrClose);
        Assert.NotEqual(first.Id, second.Id);
        // the first one's late answer is accepted and changes nothing
        Assert.True(f.Agent.ReportResult(new KimiOrderResult { InstructionId = first.Id, Retcode = 10006, TimeMsc = f.NowMsc }) >= 0, f.Agent.LastError);
    }

    [Fact]
    public void After_a_partial_close_the_emergency_close_asks_for_what_the_ledger_says_is_left()
    {
        // the position book is a projection of the ledger: the partial close row is the only record of the new volume
        var host = new AgentHost();
        var f = Chart(host, 1);
        var ins = OpenAndFill(f, 5001);
        Assert.Equal(0.5, ins.Volume, 10);
        Assert.True(f.Agent.OnTradeTransaction(new KimiDeal
        {
            DealTicket = 9003, OrderTicket = 9003, PositionTicket = 5001, TimeMsc = f.NowMsc, Entry = AbiCodes.DealEntryOut,
            Type = AbiCodes.DealTypeSell, Reason = AbiCodes.DealReasonClient, Magic = 1, Volume = 0.2, Price = 1.1010, Profit = 20,
        }) >= 0, f.Agent.LastError);
        host.Account.SetEmergency(true, "test");
        f.Tick(1.0999, 1.1000);
        var close = Assert.Single(f.Poll(), i => i.Kind == AbiCodes.InstrClose);
        Assert.Equal(0.3, close.Volume, 10);
    }

    [Fact]
    public void A_chart_attached_while_the_emergency_stop_is_engaged_closes_what_it_adopts()
    {
        var host = new AgentHost();
        host.Account.SetEmergency(true, "engaged before the chart");
        var f = Chart(host, 1);
        Assert.True(f.Agent.SyncPositions([Held(1, 6001, 0, 0.2)], f.NowMsc) >= 0, f.Agent.LastError);
        f.Tick(1.0999, 1.1000);
        var close = Assert.Single(f.Poll(), i => i.Kind == AbiCodes.InstrClose);
        Assert.Equal(6001, close.PositionTicket);
        Assert.Equal(0.2, close.Volume, 10);
    }
}
