using KimiEA.Tester.Server;
using KimiEA.Tester.Server.Money;
using Xunit;

namespace KimiEA.Tester.Tests.Server;

/// <summary>
/// Account currency, conversion, margin by calc mode and swaps, each against numbers worked out by hand in the
/// comments. Conversion sides: a profit converts at the pair's bid (FROM/ACCOUNT) or is divided by its ask
/// (ACCOUNT/FROM); a loss, a charge and the margin the other way round.
/// </summary>
public sealed class MoneyTests
{
    // 2024-01-09 is a Tuesday.
    private static readonly long Tue = new DateTimeOffset(2024, 1, 9, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private const long Hour = 3_600_000;

    private static TesterSymbol EurJpy => new()
    {
        Name = "EURJPY", Digits = 3, Point = 0.001, TickSize = 0.001, TickValue = 100, ContractSize = 100_000, NormalizedSpreadPoint = 0.001,
        BaseCurrency = "EUR", ProfitCurrency = "JPY", MarginCurrency = "EUR",
    };

    private static TesterSymbol De40 => new()
    {
        Name = "DE40", Digits = 1, Point = 0.1, TickSize = 0.1, TickValue = 0.1, ContractSize = 1, NormalizedSpreadPoint = 0.1,
        CalcMode = SymbolCalcMode.Cfd, MarginRate = 0.05, BaseCurrency = "EUR", ProfitCurrency = "EUR", MarginCurrency = "EUR",
        VolumeMin = 0.1, VolumeStep = 0.1,
    };

    private static TesterSymbol EurGbp => new()
    {
        Name = "EURGBP", Digits = 5, Point = 0.00001, TickSize = 0.00001, TickValue = 1, ContractSize = 100_000, NormalizedSpreadPoint = 0.00001,
        BaseCurrency = "EUR", ProfitCurrency = "GBP", MarginCurrency = "EUR",
        SwapMode = SwapMode.Points, SwapLong = -4.5, SwapShort = 1.2, TripleSwapDay = DayOfWeek.Wednesday,
    };

    private static ConversionSeries Constant(string pair, double bid, double ask) =>
        new(CurrencyPair.Parse(pair), pair + " test prices", [new PricePoint(0, bid, ask)]);

    private static TradeServer Server(TesterSymbol symbol, string currency, MoneySettings? money = null, double balance = 10_000) =>
        new(new AccountSettings { InitialBalance = balance, Currency = currency }, [symbol], new ExecutionSettings(), money: money);

    [Fact]
    public void JpyCross_OnAUsdAccount_ProfitLossMarginAndSpec()
    {
        // USDJPY 100.000 / 100.020 from data, EURUSD fixed at 1.25.
        var money = new MoneySettings
        {
            Series = [Constant("USDJPY", 100.000, 100.020)],
            FixedRates = new Dictionary<string, double> { ["EURUSD"] = 1.25 },
        };
        var s = Server(EurJpy, "USD", money);
        s.SetPrice(0, Tue + Hour, 125.000, 125.010, false);

        // Spec at bid 125.000: a tick is 100 JPY per lot; a profit is JPY sold for USD at USDJPY's ask,
        // 100 / 100.020 = 0.99980004 USD; a loss bought at its bid, 100 / 100.000 = 1 USD. Margin of one lot:
        // 100,000 EUR / 30 × 1.25 = 4,166.67 USD. Notional: 100,000 × 125.000 JPY / 100.020 = 124,975.005 USD.
        var spec = s.SymbolSpec(0, 125.000);
        Assert.Equal(0.99980004, spec.TickValueProfit, 8);
        Assert.Equal(1.0, spec.TickValueLoss, 12);
        Assert.Equal(4_166.666667, spec.MarginPerLot, 6);
        Assert.Equal(124_975.004999, spec.NotionalPerLot, 6);

        // Buy 0.1 lot at the ask 125.010: margin 0.1 × 100,000 / 30 EUR × 1.25 = 416.67 USD.
        var buy = s.MarketOrder(0, 1, 0.10, 0, 0, 7, 1);
        Assert.True(buy.Done);
        Assert.Equal(416.666667, s.Margin, 6);
        // Sell 0.1 lot at the bid 125.000.
        var sell = s.MarketOrder(0, -1, 0.10, 0, 0, 7, 2);
        Assert.True(sell.Done);

        s.SetPrice(0, Tue + (2 * Hour), 125.500, 125.510, false);
        // The buy closes at the bid 125.500: (125.500 − 125.010) × 100,000 × 0.1 = 4,900 JPY of profit,
        // / 100.020 = 48.990202 → 48.99 USD.
        s.Close(0, buy.Position, "MANUAL");
        Assert.Equal(4_899, s.Trades[^1].ProfitCents);
        // The sell closes at the ask 125.510: (125.000 − 125.510) × 10,000 = −5,100 JPY, / 100.000 = −51.00 USD.
        s.Close(0, sell.Position, "MANUAL");
        Assert.Equal(-5_100, s.Trades[^1].ProfitCents);
        Assert.Equal(1_000_000 + 4_899 - 5_100, s.BalanceCents);
    }

    [Fact]
    public void EurCfd_OnAUsdAccount_ProfitLossAndMargin()
    {
        // DE40: CFD, contract 1, tick 0.1 worth 0.1 EUR, margin rate 5 %. EURUSD 1.10000 / 1.10010 from data.
        var money = new MoneySettings { Series = [Constant("EURUSD", 1.10000, 1.10010)] };
        var s = Server(De40, "USD", money);
        s.SetPrice(0, Tue + Hour, 16_000.0, 16_000.5, false);
        var buy = s.MarketOrder(0, 1, 2, 0, 0, 7, 1);
        // CFD margin: 2 × 1 × 16,000.5 × 0.05 = 1,600.05 EUR, a charge converted at EURUSD's ask: × 1.10010 = 1,760.215005 USD.
        Assert.Equal(1_760.215005, s.Margin, 6);
        // Spec: a tick of one lot is 0.1 EUR: 0.11 USD for a profit (bid), 0.11001 for a loss (ask).
        var spec = s.SymbolSpec(0, 16_000.0);
        Assert.Equal(0.11, spec.TickValueProfit, 10);
        Assert.Equal(0.11001, spec.TickValueLoss, 10);

        s.SetPrice(0, Tue + (2 * Hour), 16_050.0, 16_050.5, false);
        // (16,050.0 − 16,000.5) / 0.1 × 0.1 × 2 = 99 EUR of profit × 1.10000 = 108.90 USD.
        s.Close(0, buy.Position, "MANUAL");
        Assert.Equal(10_890, s.Trades[^1].ProfitCents);

        var again = s.MarketOrder(0, 1, 2, 0, 0, 7, 2);
        Assert.Equal(16_050.5, again.Price, 10);
        s.SetPrice(0, Tue + (3 * Hour), 16_000.0, 16_000.5, false);
        // (16,000.0 − 16,050.5) × 2 = −101 EUR of loss × 1.10010 = −111.1101 → −111.11 USD.
        s.Close(0, again.Position, "MANUAL");
        Assert.Equal(-11_111, s.Trades[^1].ProfitCents);
    }

    [Fact]
    public void EurGbp_OnAEurAccount_ProfitMarginSwapAndTripleDay()
    {
        // EURGBP converts its own GBP profit into EUR (÷ its ask for a profit, ÷ its bid for a loss); its margin is
        // already in EUR. Swap in points: long −4.5, short +1.2, triple on Wednesday; rollover at 00:00 UTC.
        var s = Server(EurGbp, "EUR");
        s.SetPrice(0, Tue + (12 * Hour), 0.85000, 0.85010, false);
        var buy = s.MarketOrder(0, 1, 1, 0, 0, 7, 1);
        // Margin: 1 × 100,000 / 30 = 3,333.33 EUR, no conversion.
        Assert.Equal(3_333.333333, s.Margin, 6);
        var sell = s.MarketOrder(0, -1, 0.5, 0, 0, 7, 2);
        Assert.Equal(3_333.333333 + 1_666.666667, s.Margin, 5);

        // The last prices before the Tuesday rollover: 0.90000 / 0.90010.
        s.SetPrice(0, Tue + (23 * Hour), 0.90000, 0.90010, false);
        s.SetPrice(0, Tue + (24 * Hour) + 1_000, 0.90000, 0.90010, false);
        // Tuesday ends (1 day). Long: −4.5 points × 1 GBP × 1 lot = −4.5 GBP, a charge: ÷ bid 0.90000 = −5.00 EUR.
        // Short: +1.2 × 0.5 = 0.6 GBP received: ÷ ask 0.90010 = 0.666593 → 0.67 EUR.
        var pBuy = s.Positions.Single(p => p.Ticket == buy.Position);
        var pSell = s.Positions.Single(p => p.Ticket == sell.Position);
        Assert.Equal(-500, pBuy.SwapCents);
        Assert.Equal(67, pSell.SwapCents);
        // Swaps are in the equity, not in the balance, until the positions close.
        Assert.Equal(1_000_000, s.BalanceCents);

        s.SetPrice(0, Tue + (47 * Hour), 0.90000, 0.90010, false);
        s.SetPrice(0, Tue + (48 * Hour) + 1_000, 0.90000, 0.90010, false);
        // Wednesday ends: three days. Long: −13.5 GBP ÷ 0.90000 = −15.00 EUR; short: 1.8 GBP ÷ 0.90010 = 1.999778 → 2.00.
        Assert.Equal(-2_000, pBuy.SwapCents);
        Assert.Equal(267, pSell.SwapCents);

        s.SetPrice(0, Tue + (60 * Hour), 0.90500, 0.90500, false);
        s.Close(0, buy.Position, "MANUAL");
        var tb = s.Trades[^1];
        // (0.90500 − 0.85010) × 100,000 = 5,490 GBP ÷ 0.90500 = 6,066.298343 → 6,066.30 EUR; swap −20.00 paid with the deal.
        Assert.Equal(606_630, tb.ProfitCents);
        Assert.Equal(-2_000, tb.SwapCents);
        Assert.Equal(606_630 - 2_000, tb.PnlCents);
        s.Close(0, sell.Position, "MANUAL");
        var ts = s.Trades[^1];
        // (0.85000 − 0.90500) × 50,000 = −2,750 GBP ÷ 0.90500 = −3,038.674033 → −3,038.67 EUR; swap +2.67.
        Assert.Equal(-303_867, ts.ProfitCents);
        Assert.Equal(267, ts.SwapCents);
        // The identity: deposit + Σ profit + Σ commission + Σ swap = balance.
        Assert.Equal(1_000_000 + 606_630 - 2_000 - 303_867 + 267, s.BalanceCents);
        Assert.Equal(1_000_000 + s.Trades.Sum(t => t.PnlCents), s.BalanceCents);
    }

    [Fact]
    public void Swap_OverAWeekendGap_ChargesFridayOnly()
    {
        // −2 EUR per lot and day in the deposit currency. Friday 2024-01-12 20:00 → Monday 00:05: three rollovers
        // (the ends of Friday, Saturday, Sunday), only Friday's charges: −2 × 1 lot = −2.00.
        var sym = EurGbp with { SwapMode = SwapMode.CurrencyDeposit, SwapLong = -2, SwapShort = 0 };
        var s = Server(sym, "EUR");
        var fri = Tue + (3 * 24 * Hour) + (20 * Hour);
        s.SetPrice(0, fri, 0.85000, 0.85000, false);
        s.MarketOrder(0, 1, 1, 0, 0, 7, 1);
        s.SetPrice(0, fri + (52 * Hour) + 300_000, 0.85000, 0.85000, false);
        var p = Assert.Single(s.Positions);
        Assert.Equal(-200, p.SwapCents);
        s.Close(0, p.Ticket, "MANUAL");
        Assert.Empty(s.Positions);
        Assert.Equal(-200, s.Trades[^1].SwapCents);
        Assert.Equal(1_000_000 - 200, s.BalanceCents);
    }

    [Fact]
    public void PartialClose_PaysItsShareOfTheSwap()
    {
        var sym = EurGbp with { SwapMode = SwapMode.CurrencyDeposit, SwapLong = -2, SwapShort = 0 };
        var s = new TradeServer(new AccountSettings { Currency = "EUR", Hedging = false }, [sym], new ExecutionSettings());
        s.SetPrice(0, Tue + Hour, 0.85000, 0.85000, false);
        s.MarketOrder(0, 1, 1, 0, 0, 7, 1);
        s.SetPrice(0, Tue + (25 * Hour), 0.85000, 0.85000, false);
        Assert.Equal(-200, s.Positions[0].SwapCents);
        // Netting: selling 0.4 closes 0.4 of the buy and pays 0.4 × −2.00 = −0.80 with that deal.
        s.MarketOrder(0, -1, 0.4, 0, 0, 7, 2);
        Assert.Equal(-80, s.Trades[^1].SwapCents);
        Assert.Equal(-120, s.Positions[0].SwapCents);
        Assert.Equal(1_000_000 - 80, s.BalanceCents);
    }

    [Fact]
    public void InterestModes_UseTheOpenOrTheCurrentPrice_Over360Days()
    {
        // EURUSD on USD, −3 % a year on 0.1 lot: InterestOpen at 1.20000: 10,000 × 1.2 × −3 / 100 / 360 = −1.00 USD;
        // InterestCurrent at the bid 1.08000 of the rollover: 10,000 × 1.08 × −3 / 100 / 360 = −0.90 USD.
        var eurusd = SymbolTable.Get("EURUSD");
        foreach (var (mode, cents) in new[] { (SwapMode.InterestOpen, -100L), (SwapMode.InterestCurrent, -90L) })
        {
            var s = Server(eurusd with { SwapMode = mode, SwapLong = -3 }, "USD");
            s.SetPrice(0, Tue + Hour, 1.20000, 1.20000, false);
            s.MarketOrder(0, 1, 0.1, 0, 0, 7, 1);
            s.SetPrice(0, Tue + (23 * Hour), 1.08000, 1.08010, false);
            s.SetPrice(0, Tue + (25 * Hour), 1.08000, 1.08010, false);
            Assert.Equal(cents, s.Positions[0].SwapCents);
        }
    }

    [Fact]
    public void CurrencySymbolSwap_IsInTheBaseCurrency_Converted()
    {
        // EURJPY, −2 EUR per lot and day; on a USD account the EUR is bought at EURUSD's ask 1.25010: −2.5002 → −2.50.
        var money = new MoneySettings
        {
            Series = [Constant("EURUSD", 1.25000, 1.25010)],
            FixedRates = new Dictionary<string, double> { ["USDJPY"] = 100 },
        };
        var s = Server(EurJpy with { SwapMode = SwapMode.CurrencySymbol, SwapLong = -2 }, "USD", money);
        s.SetPrice(0, Tue + Hour, 125.000, 125.000, false);
        s.MarketOrder(0, 1, 1, 0, 0, 7, 1);
        s.SetPrice(0, Tue + (25 * Hour), 125.000, 125.000, false);
        Assert.Equal(-250, s.Positions[0].SwapCents);
    }

    [Fact]
    public void MissingConversion_RefusesTheServer_NamingEveryPair()
    {
        var e = Assert.Throws<MissingConversionException>(() => Server(EurJpy, "USD"));
        Assert.Contains("USDJPY or JPYUSD", e.Message, StringComparison.Ordinal);
        Assert.Contains("USDEUR or EURUSD", e.Message, StringComparison.Ordinal);
        Assert.Contains("--rate", e.Message, StringComparison.Ordinal);
        // The same check the runner makes before it replays anything.
        Assert.Throws<MissingConversionException>(() => CurrencyConverter.Check("USD", [EurJpy], [new CurrencyPair("USD", "JPY")], new Dictionary<string, double>()));
        CurrencyConverter.Check("USD", [EurJpy], [new CurrencyPair("USD", "JPY")], new Dictionary<string, double> { ["EURUSD"] = 1.1 });
    }

    [Fact]
    public void ReopenSwapModes_AreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Server(EurGbp with { SwapMode = SwapMode.ReopenBid }, "EUR"));
        Assert.Contains("ReopenBid", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UsdSymbol_OnAUsdAccount_KeepsTheSingleCurrencyNumbers()
    {
        // EURUSD on USD: tick value 1 both ways, margin 100,000 × 1.20000 / 30 = 4,000, notional 120,000 — unconverted.
        var s = Server(SymbolTable.Get("EURUSD"), "USD");
        var spec = s.SymbolSpec(0, 1.20000);
        Assert.Equal(1.0, spec.TickValueProfit);
        Assert.Equal(1.0, spec.TickValueLoss);
        Assert.Equal(100_000 * 1.20000 / 30, spec.MarginPerLot);
        Assert.Equal(100_000 * 1.20000, spec.NotionalPerLot);
    }

    [Fact]
    public void Rollover_DefaultIsServerMidnight_AndItsDays()
    {
        var r = RolloverSchedule.ServerMidnight;
        Assert.Equal(Tue + (24 * Hour), r.NextAfter(Tue));
        Assert.Equal(Tue + (24 * Hour), r.NextAfter(Tue + 1));
        Assert.Equal(DayOfWeek.Tuesday, r.DayEndedBy(Tue + (24 * Hour)));
        Assert.Equal(3, RolloverSchedule.SwapDays(DayOfWeek.Wednesday, DayOfWeek.Wednesday));
        Assert.Equal(0, RolloverSchedule.SwapDays(DayOfWeek.Saturday, DayOfWeek.Wednesday));
        Assert.Equal(1, RolloverSchedule.SwapDays(DayOfWeek.Friday, DayOfWeek.Wednesday));
        // 1970-01-01 was a Thursday; 1969-12-31 a Wednesday.
        Assert.Equal(DayOfWeek.Wednesday, r.DayEndedBy(0));
    }

    [Theory]
    // 2 lots, contract 10, price 1,500, leverage 20, margin rate 0.5, tick 0.25 worth 0.5, all in USD on a USD account:
    [InlineData(SymbolCalcMode.Forex, 0.5)] // 2 × 10 / 20 × 0.5
    [InlineData(SymbolCalcMode.ForexNoLeverage, 10.0)] // 2 × 10 × 0.5
    [InlineData(SymbolCalcMode.Cfd, 15_000.0)] // 2 × 10 × 1,500 × 0.5
    [InlineData(SymbolCalcMode.CfdIndex, 30_000.0)] // 2 × 10 × 1,500 × 0.5 / 0.25 × 0.5
    [InlineData(SymbolCalcMode.CfdLeverage, 750.0)] // 2 × 10 × 1,500 / 20 × 0.5
    public void Margin_FollowsTheCalcModeFormula(SymbolCalcMode mode, double expected)
    {
        var sym = new TesterSymbol
        {
            Name = "TEST", Digits = 2, Point = 0.01, TickSize = 0.25, TickValue = 0.5, ContractSize = 10, NormalizedSpreadPoint = 0.01,
            CalcMode = mode, Leverage = 20, MarginRate = 0.5,
        };
        var margin = new MarginModel([sym], new CurrencyConverter("USD", [sym], new MoneySettings()));
        Assert.Equal(expected, margin.Of(0, 2, 1_500), 9);
    }

    [Fact]
    public void Commission_AddsTheSpecsPerSideCommissionToTheRuns()
    {
        // Run: 7 per lot round turn (3.50 a side); spec: 2.50 a side. A deal of 0.3 lot: (3.50 + 2.50) × 0.3 = 1.80.
        var sym = SymbolTable.Get("EURUSD") with { CommissionPerLotPerSide = 2.5 };
        var s = new TradeServer(new AccountSettings(), [sym], new ExecutionSettings { CommissionPerLot = 7 });
        Assert.Equal(12.0, s.RoundTurnCommissionPerLot(0));
        s.SetPrice(0, Tue, 1.10000, 1.10000, false);
        var r = s.MarketOrder(0, 1, 0.3, 0, 0, 7, 1);
        s.Close(0, r.Position, "MANUAL");
        Assert.Equal(-360, s.Trades[^1].CommissionCents);
        Assert.Equal(1_000_000 - 360, s.BalanceCents);
    }

    [Fact]
    public void Rollover_IsInjectable_AServerTwoHoursAheadRollsAt2200Utc()
    {
        // A server at UTC+2: its midnight is 22:00 UTC, and the day it ends is its own (UTC+2) weekday.
        const long offset = 2 * Hour;
        var plus2 = new RolloverSchedule(
            t => RolloverSchedule.ServerMidnight.NextAfter(t + offset) - offset,
            t => DateTimeOffset.FromUnixTimeMilliseconds(t + offset).DayOfWeek,
            "00:00 server time (UTC+2)");
        var sym = EurGbp with { SwapMode = SwapMode.CurrencyDeposit, SwapLong = -2, SwapShort = 0 };
        var s = new TradeServer(new AccountSettings { Currency = "EUR" }, [sym], new ExecutionSettings(), money: new MoneySettings { Rollover = plus2 });
        s.SetPrice(0, Tue + (12 * Hour), 0.85000, 0.85000, false);
        s.MarketOrder(0, 1, 1, 0, 0, 7, 1);
        s.SetPrice(0, Tue + (21 * Hour) + (59 * 60_000), 0.85000, 0.85000, false);
        Assert.Equal(0, s.Positions[0].SwapCents);
        // 22:01 UTC Tuesday: the server's Tuesday has ended (one day, −2.00).
        s.SetPrice(0, Tue + (22 * Hour) + 60_000, 0.85000, 0.85000, false);
        Assert.Equal(-200, s.Positions[0].SwapCents);
        // 22:01 UTC Wednesday: the server's Wednesday, the triple day: −6.00 more.
        s.SetPrice(0, Tue + (46 * Hour) + 60_000, 0.85000, 0.85000, false);
        Assert.Equal(-800, s.Positions[0].SwapCents);
    }
}
