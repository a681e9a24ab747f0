using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Tester.Server;
using Xunit;

namespace KimiEA.Tester.Tests.Server;

/// <summary>
/// Fill, stop, retcode and money rules of the simulated trade server, each with a hand-computed expectation.
/// EURUSD from the built-in table: tick 0.00001 worth 1 USD per lot, so 1 point × 0.1 lot = 0.10 USD.
/// </summary>
public sealed class TradeServerTests
{
    private static readonly TesterSymbol EurUsd = SymbolTable.Get("EURUSD");

    private static TradeServer Server(double balance = 10_000, bool hedging = true, double commission = 0, SameBarRule rule = SameBarRule.StopFirst, TesterSymbol? symbol = null, int slippage = 0, int seed = 1) =>
        new(new AccountSettings { InitialBalance = balance, Hedging = hedging },
            [symbol ?? EurUsd],
            new ExecutionSettings { CommissionPerLot = commission, SameBar = rule, MaxSlippagePoints = slippage, Seed = seed });

    [Fact]
    public void Buy_FillsAtAsk_AndSlGapFillsAtFirstBidBeyondTheLevel()
    {
        var s = Server();
        s.SetPrice(0, 1_000, 1.10000, 1.10010, continuous: false);
        var r = s.MarketOrder(0, 1, 0.10, 1.09900, 1.10200, 7, 1);
        Assert.Equal(TradeRetcode.Done, r.Retcode);
        Assert.Equal(1.10010, r.Price, 10);
        s.SetPrice(0, 2_000, 1.09950, 1.09960, false);
        Assert.Single(s.Positions);
        // The bid jumps from 1.09950 to 1.09880, through the SL at 1.09900: filled at 1.09880, not at the level.
        s.SetPrice(0, 3_000, 1.09880, 1.09890, false);
        Assert.Empty(s.Positions);
        var t = Assert.Single(s.Trades);
        Assert.Equal("SL", t.ExitReason);
        Assert.Equal(1.09880, t.ExitPrice, 10);
        // (1.09880 − 1.10010) / 0.00001 = −130 points × 1 USD × 0.1 lot = −13.00 USD.
        Assert.Equal(-1300, t.PnlCents);
        Assert.Equal(9_987.00, s.Balance, 10);
    }

    [Fact]
    public void Buy_SlReachedOnAContinuousPath_FillsAtTheLevel()
    {
        var s = Server();
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        s.MarketOrder(0, 1, 0.10, 1.09900, 1.10200, 7, 1);
        s.SetPrice(0, 2_000, 1.09880, 1.09890, continuous: true);
        var t = Assert.Single(s.Trades);
        // The generated path passes through 1.09900: (1.09900 − 1.10010) = −110 points × 0.1 = −11.00 USD.
        Assert.Equal(1.09900, t.ExitPrice, 10);
        Assert.Equal(-1100, t.PnlCents);
    }

    [Fact]
    public void Sell_TpIsCheckedAgainstTheAsk_AndFillsAtTheGapPrice()
    {
        var s = Server();
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        var r = s.MarketOrder(0, -1, 0.10, 1.10300, 1.09800, 7, 1);
        Assert.Equal(1.10000, r.Price, 10);
        // Bid 1.09795 is below the TP but the ask 1.09805 is not: a sell buys back at the ask, so nothing happens.
        s.SetPrice(0, 2_000, 1.09795, 1.09805, false);
        Assert.Single(s.Positions);
        s.SetPrice(0, 3_000, 1.09785, 1.09795, false);
        var t = Assert.Single(s.Trades);
        Assert.Equal("TP", t.ExitReason);
        Assert.Equal(1.09795, t.ExitPrice, 10);
        // (1.10000 − 1.09795) = 205 points × 0.1 = 20.50 USD.
        Assert.Equal(2050, t.PnlCents);
    }

    [Theory]
    [InlineData(0.001)] // below volume min 0.01
    [InlineData(0.015)] // not a multiple of the step 0.01
    [InlineData(100.01)] // above volume max 100
    [InlineData(0.0)]
    public void BadVolume_Is10014(double lots)
    {
        var s = Server();
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        Assert.Equal(TradeRetcode.InvalidVolume, s.MarketOrder(0, 1, lots, 1.09, 1.11, 7, 1).Retcode);
        Assert.Empty(s.Positions);
        Assert.Equal(0, s.DealCount);
    }

    [Theory]
    [InlineData(1, 1.10000, 1.10100, TradeRetcode.InvalidStops)] // buy SL at the bid itself
    [InlineData(1, 1.10010, 1.10100, TradeRetcode.InvalidStops)] // buy SL above the bid
    [InlineData(1, 1.09900, 1.09990, TradeRetcode.InvalidStops)] // buy TP below the bid
    [InlineData(-1, 1.10005, 1.09900, TradeRetcode.InvalidStops)] // sell SL below the ask
    [InlineData(-1, 1.10100, 1.10020, TradeRetcode.InvalidStops)] // sell TP above the ask
    [InlineData(1, 1.09999, 1.10001, TradeRetcode.Done)] // one point each side is enough without a stops level
    [InlineData(-1, 1.10011, 1.10009, TradeRetcode.Done)]
    public void StopsOnTheWrongSide_Are10016(int direction, double sl, double tp, int expected)
    {
        // No stops level here (the catalogue's EURUSD has the broker's 40 points): only the side is checked.
        var s = Server(symbol: EurUsd with { StopsLevelPoints = 0 });
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        Assert.Equal(expected, s.MarketOrder(0, direction, 0.1, sl, tp, 7, 1).Retcode);
    }

    [Theory]
    [InlineData(1.09951, TradeRetcode.InvalidStops)] // 49 points from the bid 1.10000, stops level 50
    [InlineData(1.09950, TradeRetcode.Done)] // exactly 50 points
    public void StopsLevel_IsEnforcedFromTheBidForBuys(double sl, int expected)
    {
        var s = Server(symbol: EurUsd with { StopsLevelPoints = 50 });
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        Assert.Equal(expected, s.MarketOrder(0, 1, 0.1, sl, 1.11, 7, 1).Retcode);
    }

    [Fact]
    public void NotEnoughMargin_Is10019()
    {
        // 1 lot at 1.10010 with 1:30 needs 100000 × 1.10010 / 30 = 3667.00 USD; the deposit is 1000.
        var s = Server(balance: 1_000);
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        Assert.Equal(TradeRetcode.NoMoney, s.MarketOrder(0, 1, 1.0, 1.09, 1.11, 7, 1).Retcode);
        // 0.2 lot needs 733.40 USD: accepted.
        Assert.Equal(TradeRetcode.Done, s.MarketOrder(0, 1, 0.2, 1.09, 1.11, 7, 1).Retcode);
        Assert.Equal(733.40, s.Margin, 6);
    }

    [Fact]
    public void NoPriceYet_Is10018_AndUnknownPositions_Are10036()
    {
        var s = Server();
        Assert.Equal(TradeRetcode.MarketClosed, s.MarketOrder(0, 1, 0.1, 1.09, 1.11, 7, 1).Retcode);
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        Assert.Equal(TradeRetcode.PositionClosed, s.Close(0, 12345, "TIMEOUT").Retcode);
        Assert.Equal(TradeRetcode.PositionClosed, s.Modify(12345, 1.09, 1.11).Retcode);
    }

    [Fact]
    public void Modify_ChecksNoChangeAndStops()
    {
        var s = Server();
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        var r = s.MarketOrder(0, 1, 0.1, 1.09900, 1.10200, 7, 1);
        Assert.Equal(TradeRetcode.NoChanges, s.Modify(r.Position, 1.09900, 1.10200).Retcode);
        Assert.Equal(TradeRetcode.InvalidStops, s.Modify(r.Position, 1.10050, 1.10200).Retcode);
        Assert.Equal(TradeRetcode.Done, s.Modify(r.Position, 1.09950, 1.10300).Retcode);
        Assert.Equal(1.09950, s.Positions[0].Sl, 10);
    }

    [Fact]
    public void Commission_IsHalfPerDeal_AndTheTradeCarriesBoth()
    {
        // 7 USD per lot round turn, 1 lot: −3.50 on the entry deal, −3.50 on the exit deal.
        var s = Server(commission: 7);
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        var r = s.MarketOrder(0, 1, 1.0, 1.09, 1.11, 7, 1);
        Assert.Equal(10_000 - 3.50, s.Balance, 10);
        s.SetPrice(0, 2_000, 1.10110, 1.10120, false);
        s.Close(0, r.Position, "TIMEOUT");
        var t = Assert.Single(s.Trades);
        Assert.Equal("TIMEOUT", t.ExitReason);
        Assert.Equal(-700, t.CommissionCents);
        // (1.10110 − 1.10010) = 100 points × 1 lot = 100.00 USD, minus 7.00 commission.
        Assert.Equal(10_000, t.ProfitCents);
        Assert.Equal(9_300, t.PnlCents);
        Assert.Equal(10_093.00, s.Balance, 10);
    }

    [Theory]
    [InlineData(SameBarRule.StopFirst, 1.09900, -1100)] // (1.09900 − 1.10010) × 0.1 lot = −11.00
    [InlineData(SameBarRule.TargetFirst, 1.10100, 900)] // (1.10100 − 1.10010) × 0.1 lot = +9.00
    public void SameBar_BothLevelsInside_TheRuleDecides_AndIsCounted(SameBarRule rule, double exit, long pnlCents)
    {
        var s = Server(rule: rule);
        s.SetPrice(0, 60_000, 1.10000, 1.10010, false);
        s.MarketOrder(0, 1, 0.1, 1.09900, 1.10100, 7, 1);
        Assert.Equal(1, s.ResolveSameBar(0, 80_000, new Bar(60, 1.10000, 1.10150, 1.09850, 1.10000, 0), spread: 0.00010));
        var t = Assert.Single(s.Trades);
        Assert.Equal(exit, t.ExitPrice, 10);
        Assert.Equal(pnlCents, t.PnlCents);
        Assert.Equal(1, s.AmbiguousExits);
    }

    [Fact]
    public void SameBar_SellLevelsAreJudgedOnTheAskRange()
    {
        var s = Server();
        s.SetPrice(0, 60_000, 1.10000, 1.10010, false);
        s.MarketOrder(0, -1, 0.1, 1.10100, 1.09900, 7, 1);
        // Bid range 1.09850–1.10050 covers both levels, but the ask range (+10 points) is 1.09860–1.10060: the SL at
        // 1.10100 is outside, so this is not ambiguous.
        Assert.Equal(0, s.ResolveSameBar(0, 80_000, new Bar(60, 1.10000, 1.10050, 1.09850, 1.10000, 0), 0.00010));
        Assert.Single(s.Positions);
        Assert.Equal(0, s.AmbiguousExits);
    }

    [Fact]
    public void Netting_OppositeOrderReversesThePositionWithOneInOutDeal()
    {
        var s = Server(hedging: false);
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        var first = s.MarketOrder(0, 1, 0.1, 1.09, 1.11, 7, 1);
        s.SetPrice(0, 2_000, 1.10100, 1.10110, false);
        var deals = new List<ServerDeal>();
        s.TakeNewDeals(deals);
        var r = s.MarketOrder(0, -1, 0.3, 1.12, 1.08, 7, 2);
        Assert.Equal(first.Position, r.Position);
        var t = Assert.Single(s.Trades);
        Assert.Equal("NETTED", t.ExitReason);
        Assert.Equal(0.1, t.Lots, 10);
        // (1.10100 − 1.10010) = 90 points × 0.1 = 9.00 USD.
        Assert.Equal(900, t.ProfitCents);
        var p = Assert.Single(s.Positions);
        Assert.Equal(-1, p.Direction);
        Assert.Equal(0.2, p.Volume, 10);
        deals.Clear();
        s.TakeNewDeals(deals);
        var inOut = Assert.Single(deals);
        Assert.Equal(AbiCodes.DealEntryInout, inOut.Entry);
        Assert.Equal(0.3, inOut.Volume, 10);
    }

    [Fact]
    public void Netting_PartialCloses_SplitTheEntryCommissionExactly()
    {
        // 10 USD per lot round turn: entry of 0.3 lot costs −1.50; closing 0.1 costs −0.50 and takes a third of the
        // entry (−0.50); closing the last 0.2 costs −1.00 and takes the remaining −1.00 of the entry.
        var s = Server(hedging: false, commission: 10);
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        s.MarketOrder(0, 1, 0.3, 1.09, 1.11, 7, 1);
        s.MarketOrder(0, -1, 0.1, 0, 0, 7, 2);
        s.MarketOrder(0, -1, 0.2, 0, 0, 7, 3);
        Assert.Equal(2, s.Trades.Count);
        Assert.Equal(-100, s.Trades[0].CommissionCents);
        Assert.Equal(-200, s.Trades[1].CommissionCents);
        Assert.Empty(s.Positions);
        Assert.Equal(s.BalanceCents, 1_000_000 + s.Trades.Sum(t => t.PnlCents));
    }

    [Fact]
    public void StopOut_ClosesTheLoserAtOrBelowFiftyPercentMarginLevel()
    {
        // Deposit 1000, 0.2 lot bought at 1.10010: margin 733.40. Bid 1.06900: floating (1.06900 − 1.10010) × 20000
        // = −622.00, equity 378.00, level 51.5 % (kept). Bid 1.06800: −642.00, equity 358.00, level 48.8 % (stop-out).
        var s = Server(balance: 1_000);
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        s.MarketOrder(0, 1, 0.2, 0, 0, 7, 1);
        s.SetPrice(0, 2_000, 1.06900, 1.06910, false);
        Assert.Single(s.Positions);
        s.SetPrice(0, 3_000, 1.06800, 1.06810, false);
        Assert.Empty(s.Positions);
        var t = Assert.Single(s.Trades);
        Assert.Equal("SO", t.ExitReason);
        Assert.Equal(-64_200, t.PnlCents);
        Assert.Equal(1, s.StopOuts);
        var deals = new List<ServerDeal>();
        s.TakeNewDeals(deals);
        Assert.Equal(AbiCodes.DealReasonSo, deals[^1].Reason);
    }

    [Fact]
    public void Slippage_IsSeeded_AdverseAndBounded()
    {
        static double[] Fills(int seed)
        {
            var s = Server(slippage: 3, seed: seed);
            s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
            var fills = new double[50];
            for (var i = 0; i < fills.Length; i++)
            {
                var r = s.MarketOrder(0, 1, 0.01, 0, 0, 7, i + 1);
                fills[i] = r.Price;
            }

            return fills;
        }

        var a = Fills(42);
        Assert.Equal(a, Fills(42));
        Assert.All(a, f => Assert.InRange(f, 1.10010 - 1e-9, 1.10013 + 1e-9));
        // 50 draws from {0,1,2,3} points: not all equal (a seed that only ever gave 0 would mean no slippage model).
        Assert.True(a.Distinct().Count() > 1);
    }
}
