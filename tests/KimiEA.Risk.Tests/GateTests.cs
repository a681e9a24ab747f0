using KimiEA.Core.Trading;
using KimiEA.Risk.Account;
using KimiEA.Risk.Gate;
using Xunit;
using static KimiEA.Risk.Tests.GateFixture;

namespace KimiEA.Risk.Tests;

public class GateTests
{
    private static (AccountRiskBook Book, int Eur) NewBook(GateConfig? config = null)
    {
        var book = GateFixture.Book(config ?? Paper);
        return (book, book.RegisterSymbol("EURUSD"));
    }

    [Fact]
    public void Approves_and_reserves_the_hand_computed_size()
    {
        var (book, eur) = NewBook();
        var d = Decide(book, eur, BuyEurUsd);

        Assert.Equal(DecisionOutcome.Approved, d.Outcome);
        Assert.Equal(DenyReason.None, d.Reason);
        Assert.Equal(0.50, d.Volume, 10);
        Assert.Equal(100.0, d.RiskMoney, 6);
        Assert.Equal(0.9, d.WinProbability, 12);
        Assert.True(d.Reservation.IsValid);
        Assert.Equal(1, book.OpenPositions);
        Assert.Equal(100.0, book.OpenRisk, 6);
        // notional 0.5 × 108 000
        Assert.Equal(54_000, book.OpenNotional, 6);
    }

    [Fact]
    public void Sell_is_sized_from_the_bid_and_checked_against_the_ask()
    {
        var (book, eur) = NewBook();
        var d = Decide(book, eur, SellEurUsd);

        // fills at the bid 1.08000; stop 1.08200 is 200 ticks away → 0.50 lot, 100 USD
        Assert.Equal(DecisionOutcome.Approved, d.Outcome);
        Assert.Equal(0.50, d.Volume, 10);
        Assert.Equal(100.0, d.RiskMoney, 6);
    }

    [Fact]
    public void Risk_is_measured_from_the_executable_price_not_the_signal_close()
    {
        var (book, eur) = NewBook();
        // ask 1.08050 (5 pips above the signal close): stop distance 250 ticks = 250 USD/lot → 100/250 = 0.40 lot
        var d = Decide(book, eur, BuyEurUsd, new MarketSnapshot(1.08048, 1.08050, 0.001, T0), Specs.Demo(), Specs.EurUsd);

        Assert.Equal(0.40, d.Volume, 10);
        Assert.Equal(100.0, d.RiskMoney, 6);
    }

    public static TheoryData<string, DenyReason> Refusals => new()
    {
        { "no direction", DenyReason.NoDirection },
        { "NaN entry", DenyReason.InvalidIntent },
        { "confidence 0.69", DenyReason.ConfidenceBelowMinimum },
        { "no stop", DenyReason.StopMissing },
        { "stop above a buy", DenyReason.StopWrongSide },
        { "no target", DenyReason.TakeProfitMissing },
        { "target below a buy", DenyReason.TakeProfitWrongSide },
        { "ask below bid", DenyReason.InvalidQuote },
        { "stop inside stops level", DenyReason.StopTooClose },
        { "target inside stops level", DenyReason.TakeProfitTooClose },
        { "ATR not warmed up", DenyReason.AtrUnavailable },
        { "entry 2 ATR from the ask", DenyReason.OutsidePriceBand },
        { "tick value 0", DenyReason.InvalidSymbolSpec },
        { "zero equity", DenyReason.NoEquity },
        { "no edge", DenyReason.NoEdge },
        { "tiny account", DenyReason.VolumeBelowMinimum },
        { "free margin 1 000", DenyReason.InsufficientMargin },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_rule_refuses_with_its_reason(string scenario, DenyReason expected)
    {
        var (book, eur) = NewBook();
        var intent = BuyEurUsd;
        var market = Market();
        var account = Specs.Demo();
        var spec = Specs.EurUsd;
        switch (scenario)
        {
            case "no direction": intent = intent with { Direction = Direction.None }; break;
            case "NaN entry": intent = intent with { Entry = double.NaN }; break;
            case "confidence 0.69": intent = intent with { Confidence = 0.69 }; break;
            case "no stop": intent = intent with { StopLoss = 0 }; break;
            case "stop above a buy": intent = intent with { StopLoss = 1.08100 }; break;
            case "no target": intent = intent with { TakeProfit = 0 }; break;
            case "target below a buy": intent = intent with { TakeProfit = 1.07900 }; break;
            case "ask below bid": market = market with { Ask = 1.07990 }; break;
            // stops level 10 points = 0.00010; a buy's stop is checked against the bid 1.07998: 1.07990 is 8 points away
            case "stop inside stops level": intent = intent with { StopLoss = 1.07990 }; break;
            // target 1.08005 is 7 points above the bid
            case "target inside stops level": intent = intent with { TakeProfit = 1.08005 }; break;
            case "ATR not warmed up": market = market with { Atr = 0 }; break;
            // ask 1.08200, entry 1.08000: 0.00200 > 1 × ATR 0.00100 (the stop, 1.07800, is still valid)
            case "entry 2 ATR from the ask": market = market with { Bid = 1.08198, Ask = 1.08200 }; break;
            case "tick value 0": spec = spec with { TickValueLoss = 0 }; break;
            case "zero equity": account = account with { Equity = 0 }; break;
            // hit probability 0.70 and b = 0.4 (target 8 pips): f* = 0.7 − 0.3/0.4 = −0.05
            case "no edge": intent = intent with { Confidence = 0.70, HitProbability = 0.70, TakeProfit = 1.08080 }; break;
            // 40 USD equity → 0.40 USD of risk, 200 USD/lot → 0.002 lot < 0.01
            case "tiny account": account = Specs.Demo(40); break;
            // 0.50 lot needs 0.5 × 3 600 = 1 800 USD of margin
            case "free margin 1 000": account = account with { FreeMargin = 1_000 }; break;
            default: throw new ArgumentException(scenario);
        }

        var d = Decide(book, eur, intent, market, account, spec);

        Assert.Equal(DecisionOutcome.Denied, d.Outcome);
        Assert.Equal(expected, d.Reason);
        Assert.False(d.Reservation.IsValid);
        Assert.Equal(0, book.OpenPositions);
    }

    [Fact]
    public void Below_auto_execute_confidence_it_awaits_approval_sized_but_unreserved()
    {
        var (book, eur) = NewBook();
        var d = Decide(book, eur, BuyEurUsd with { Confidence = 0.80 });

        Assert.Equal(DecisionOutcome.AwaitsApproval, d.Outcome);
        Assert.True(d.Volume > 0);
        Assert.False(d.Reservation.IsValid);
        Assert.Equal(0, book.OpenPositions);
    }

    [Fact]
    public void Simulation_records_without_reserving()
    {
        var (book, eur) = NewBook(new GateConfig { Mode = TradingMode.Simulation });
        var real = Specs.Demo() with { TradeMode = AccountTradeMode.Real };
        var d = Decide(book, eur, BuyEurUsd, Market(), real, Specs.EurUsd);

        Assert.Equal(DecisionOutcome.RecordOnly, d.Outcome);
        Assert.Equal(0.50, d.Volume, 10);
        Assert.Equal(0, book.OpenPositions);
    }

    [Fact]
    public void Modes_paper_needs_demo_and_live_needs_opt_in_and_allow_list()
    {
        var real = Specs.Demo() with { TradeMode = AccountTradeMode.Real, Login = 777 };

        var (paper, e1) = NewBook();
        Assert.Equal(DenyReason.PaperRequiresDemo, Decide(paper, e1, BuyEurUsd, Market(), real, Specs.EurUsd).Reason);

        var (noOptIn, e2) = NewBook(new GateConfig { Mode = TradingMode.Live, LiveAccountAllowList = [777] });
        Assert.Equal(DenyReason.LiveNotOptedIn, Decide(noOptIn, e2, BuyEurUsd, Market(), real, Specs.EurUsd).Reason);

        var (notListed, e3) = NewBook(new GateConfig { Mode = TradingMode.Live, LiveOptIn = true, LiveAccountAllowList = [778] });
        Assert.Equal(DenyReason.AccountNotAllowed, Decide(notListed, e3, BuyEurUsd, Market(), real, Specs.EurUsd).Reason);

        var (live, e4) = NewBook(new GateConfig { Mode = TradingMode.Live, LiveOptIn = true, LiveAccountAllowList = [778, 777] });
        Assert.Equal(DecisionOutcome.Approved, Decide(live, e4, BuyEurUsd, Market(), real, Specs.EurUsd).Outcome);
    }

    [Fact]
    public void Positions_per_symbol_and_overall_are_limited()
    {
        var (book, eur) = NewBook(Paper with { MaxPositions = 1, MaxPositionsTotal = 2, MaxOrdersPerMinute = 100 });
        var jpy = book.RegisterSymbol("USDJPY");
        var gbp = book.RegisterSymbol("GBPUSD");

        Assert.True(Decide(book, eur, BuyEurUsd).IsApproved);
        Assert.Equal(DenyReason.MaxPositionsOfChart, Decide(book, eur, BuyEurUsd).Reason);
        Assert.True(Decide(book, jpy, BuyEurUsd).IsApproved);
        Assert.Equal(DenyReason.MaxPositionsTotal, Decide(book, gbp, BuyEurUsd).Reason);
        Assert.Equal(1, book.OpenPositionsOn(jpy));
    }

    [Fact]
    public void Netting_refuses_an_opposite_entry_hedging_allows_it()
    {
        var (book, eur) = NewBook();
        var netting = Specs.Demo() with { MarginMode = AccountMarginMode.RetailNetting };
        Assert.True(Decide(book, eur, BuyEurUsd, Market(), netting, Specs.EurUsd).IsApproved);
        Assert.Equal(DenyReason.NettingOppositePosition, Decide(book, eur, SellEurUsd, SellMarket(), netting, Specs.EurUsd).Reason);
        Assert.True(Decide(book, eur, SellEurUsd, SellMarket(), Specs.Demo(), Specs.EurUsd).IsApproved);
    }

    [Fact]
    public void Symbol_volume_limit_counts_one_direction()
    {
        var (book, eur) = NewBook();
        var limited = Specs.EurUsd with { VolumeLimit = 0.8 };
        // 0.50 + 0.50 = 1.00 lot long > 0.80
        Assert.True(Decide(book, eur, BuyEurUsd, Market(), Specs.Demo(), limited).IsApproved);
        Assert.Equal(DenyReason.SymbolVolumeLimit, Decide(book, eur, BuyEurUsd, Market(), Specs.Demo(), limited).Reason);
        // the short side is separate: 0.50 ≤ 0.80
        Assert.True(Decide(book, eur, SellEurUsd, SellMarket(), Specs.Demo(), limited).IsApproved);
    }

    [Fact]
    public void Open_risk_limit_is_account_wide()
    {
        // 2.5 % of 10 000 = 250 USD of open risk; each trade risks 100 → the third (300) is refused
        var (book, eur) = NewBook(Paper with { MaxOpenRisk = 0.025, MaxPositions = 10 });
        var jpy = book.RegisterSymbol("USDJPY");
        Assert.True(Decide(book, eur, BuyEurUsd).IsApproved);
        Assert.True(Decide(book, jpy, BuyEurUsd).IsApproved);
        Assert.Equal(DenyReason.OpenRiskLimit, Decide(book, eur, BuyEurUsd).Reason);
    }

    [Fact]
    public void Leverage_limit_counts_notional()
    {
        // max leverage 10 on 10 000 → 100 000 notional; one 0.50 lot = 54 000, two = 108 000
        var (book, eur) = NewBook(Paper with { MaxLeverage = 10, MaxPositions = 10 });
        Assert.True(Decide(book, eur, BuyEurUsd).IsApproved);
        Assert.Equal(DenyReason.LeverageLimit, Decide(book, eur, BuyEurUsd).Reason);
    }

    [Fact]
    public void Order_rate_is_limited_per_rolling_minute()
    {
        var (book, eur) = NewBook(Paper with { MaxOrdersPerMinute = 2 });
        var a = Decide(book, eur, BuyEurUsd, T0);
        Assert.True(book.Release(a.Reservation));
        var b = Decide(book, eur, BuyEurUsd, T0 + 1_000);
        Assert.True(book.Release(b.Reservation));
        Assert.Equal(DenyReason.RateLimited, Decide(book, eur, BuyEurUsd, T0 + 59_999).Reason);
        // 60 s after the first order one slot is free again, the second frees at T0 + 61 000
        Assert.True(Decide(book, eur, BuyEurUsd, T0 + 60_000).IsApproved);
        Assert.Equal(DenyReason.RateLimited, Decide(book, eur, BuyEurUsd, T0 + 60_500).Reason);
    }

    [Fact]
    public void Release_frees_the_exposure_once()
    {
        var (book, eur) = NewBook();
        var d = Decide(book, eur, BuyEurUsd);
        Assert.True(book.Release(d.Reservation));
        Assert.False(book.Release(d.Reservation));
        Assert.False(book.Release(default));
        Assert.Equal(0, book.OpenPositions);
        Assert.Equal(0, book.OpenRisk);
    }

    [Fact]
    public void Emergency_stop_halts_every_agent_until_reset()
    {
        var (book, eur) = NewBook(new GateConfig { Mode = TradingMode.Simulation });
        book.TriggerEmergencyStop(T0);
        Assert.True(book.IsEmergencyStopped);
        Assert.Equal(T0, book.EmergencyStoppedAtMs);
        Assert.Equal(DenyReason.EmergencyStop, Decide(book, eur, BuyEurUsd).Reason);
        // even a signal-only intent is refused
        Assert.Equal(DenyReason.EmergencyStop, Decide(book, eur, BuyEurUsd with { Confidence = 0.75 }).Reason);
        book.ResetEmergencyStop();
        Assert.Equal(DecisionOutcome.RecordOnly, Decide(book, eur, BuyEurUsd).Outcome);
    }

    [Fact]
    public void Tripped_breaker_denies_new_risk_in_paper_and_simulation()
    {
        foreach (var mode in new[] { TradingMode.Paper, TradingMode.Simulation })
        {
            var (book, eur) = NewBook(new GateConfig { Mode = mode });
            book.OnEquity(10_000, T0);
            // 2 % of 10 000 → trips at 9 800
            Assert.Equal(BreakerStatus.Halted, book.OnEquity(9_800, T0 + 1));
            Assert.Equal(DenyReason.BreakerTripped, Decide(book, eur, BuyEurUsd, Market(T0 + 2), Specs.Demo(9_800), Specs.EurUsd).Reason);
        }
    }

    [Fact]
    public void Unregistered_symbol_id_is_a_programming_error()
    {
        var (book, _) = NewBook();
        Assert.Throws<ArgumentOutOfRangeException>(() => Decide(book, 5, BuyEurUsd));
    }

    [Fact]
    public void Moving_the_stop_to_break_even_frees_open_risk_for_other_agents()
    {
        // limit 1.5 % = 150 USD: a second 100 USD trade does not fit until the first one's risk drops to 0
        var (book, eur) = NewBook(Paper with { MaxOpenRisk = 0.015, MaxPositions = 5 });
        var first = Decide(book, eur, BuyEurUsd);
        Assert.Equal(DenyReason.OpenRiskLimit, Decide(book, eur, BuyEurUsd).Reason);
        Assert.True(book.UpdateReservation(first.Reservation, 0.5, 0, 54_000));
        Assert.Equal(0, book.OpenRisk, 9);
        Assert.True(Decide(book, eur, BuyEurUsd).IsApproved);
        Assert.Equal(100, book.OpenRisk, 9);
        Assert.True(book.Release(first.Reservation));
        Assert.False(book.UpdateReservation(first.Reservation, 0.5, 0, 54_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => book.UpdateReservation(first.Reservation, 0.5, double.NaN, 0));
    }

    [Fact]
    public void Adopt_restores_a_reconciled_position()
    {
        var (book, eur) = NewBook(Paper with { MaxPositions = 1 });
        var r = book.Adopt(eur, OwnerFor(book, eur), 4001, Direction.Buy, 0.3, 60, 32_400, 10_000, out var over);
        Assert.True(r.IsValid);
        Assert.Equal(DenyReason.None, over);
        Assert.Equal(60, book.OpenRisk, 9);
        Assert.Equal(DenyReason.MaxPositionsOfChart, Decide(book, eur, BuyEurUsd).Reason);
    }

    [Fact]
    public void An_approved_intent_from_the_band_passes_the_auto_threshold_and_every_other_rule_still_applies()
    {
        var (book, eur) = NewBook(Paper with { MaxPositionsTotal = 1 });
        var band = BuyEurUsd with { Confidence = 0.80 };
        var owner = OwnerFor(book, eur);
        var approved = PreTradeGate.Decide(band, Market(), Specs.EurUsd, Specs.Demo(), eur, owner, PolicyOf(book), book, approvedByTrader: true);
        Assert.Equal(DecisionOutcome.Approved, approved.Outcome);
        var second = PreTradeGate.Decide(band, Market(T0 + 1_000), Specs.EurUsd, Specs.Demo(), eur, owner, PolicyOf(book), book, approvedByTrader: true);
        Assert.Equal(DenyReason.MaxPositionsTotal, second.Reason);
        var belowMin = PreTradeGate.Decide(band with { Confidence = 0.5 }, Market(), Specs.EurUsd, Specs.Demo(), eur, owner, PolicyOf(book), book, approvedByTrader: true);
        Assert.Equal(DenyReason.ConfidenceBelowMinimum, belowMin.Reason);
    }

    [Fact]
    public void Adopting_the_same_ticket_twice_counts_it_once_and_an_adoption_over_a_limit_is_said()
    {
        var (book, eur) = NewBook(Paper with { MaxPositionsTotal = 1 });
        var a = book.RegisterOwner("chart-a");
        var b = book.RegisterOwner("chart-b");
        var r1 = book.Adopt(eur, a, 4001, Direction.Buy, 0.3, 60, 32_400, 10_000, out _);
        var r2 = book.Adopt(eur, b, 4001, Direction.Buy, 0.3, 70, 32_400, 10_000, out var over);
        Assert.Equal(r1, r2);
        Assert.Equal(1, book.OpenPositions);
        Assert.Equal(70, book.OpenRisk, 9);
        Assert.Equal(0, book.OpenPositionsOf(a));
        Assert.Equal(1, book.OpenPositionsOf(b));
        Assert.Equal(DenyReason.None, over);
        book.Adopt(eur, b, 4002, Direction.Buy, 0.3, 60, 32_400, 10_000, out over);
        Assert.Equal(DenyReason.MaxPositionsTotal, over);
        Assert.Equal(2, book.OpenPositions); // the position exists: it is counted, and the excess is reported
    }

    [Fact]
    public void No_fixed_ceiling_on_symbols_owners_or_positions()
    {
        var (book, _) = NewBook(Paper with { MaxPositionsTotal = 1_000 });
        for (var i = 0; i < 500; i++)
        {
            var s = book.RegisterSymbol("SYM" + i);
            book.Adopt(s, book.RegisterOwner("owner" + i), 10_000 + i, Direction.Buy, 0.01, 1, 10, 1_000_000, out _);
        }

        Assert.Equal(500, book.OpenPositions);
        Assert.Equal(500, book.RegisterSymbol("SYM500") - book.RegisterSymbol("SYM0"));
    }
}
