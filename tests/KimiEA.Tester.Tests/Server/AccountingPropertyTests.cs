using FsCheck;
using FsCheck.Fluent;
using KimiEA.Core.Market;
using KimiEA.Tester.Server;
using KimiEA.Tester.Server.Money;
using Xunit;

namespace KimiEA.Tester.Tests.Server;

/// <summary>
/// The accounting identity as a property: whatever orders, prices, partial closes and stop-outs happen, once every
/// position is closed the balance equals the deposit plus the sum of the closed trades' pnl (net of commission and
/// swap), and the deals' money adds up to the same.
/// </summary>
public sealed class AccountingPropertyTests
{
    [Fact]
    public void Balance_EqualsDepositPlusSumOfTradePnl_AfterAnySequence()
    {
        var step = Gen.Choose(0, 1_000_000).Three();
        Prop.ForAll(Gen.ListOf(step).ToArbitrary(), Arb.From(Gen.Elements(true, false)), (ops, hedging) =>
        {
            var s = new TradeServer(new AccountSettings { InitialBalance = 5_000, Hedging = hedging },
                [SymbolTable.Get("EURUSD")], new ExecutionSettings { CommissionPerLot = 7, MaxSlippagePoints = 2, Seed = 3 });
            var bid = 1.10000;
            long t = 0;
            foreach (var (a, b, c) in ops)
            {
                t += 1000;
                bid = Math.Round(Math.Max(0.5, bid + ((a % 201) - 100) * 0.00001), 5);
                s.SetPrice(0, t, bid, Math.Round(bid + (b % 20) * 0.00001, 5), continuous: c % 2 == 0);
                var lots = (1 + (c % 30)) / 100.0;
                switch (b % 4)
                {
                    case 0:
                        s.MarketOrder(0, 1, lots, Math.Round(bid - 0.0005, 5), Math.Round(bid + 0.0008, 5), 7, t);
                        break;
                    case 1:
                        s.MarketOrder(0, -1, lots, 0, 0, 7, t);
                        break;
                    case 2 when s.Positions.Count > 0:
                        s.Close(0, s.Positions[a % s.Positions.Count].Ticket, "TIMEOUT");
                        break;
                    default:
                        s.ResolveSameBar(0, t, new Bar(t / 1000, bid, bid + 0.001, bid - 0.001, bid, 0), 0.0001);
                        break;
                }
            }

            s.CloseAll("END");
            return s.Positions.Count == 0 && s.BalanceCents == 500_000 + s.Trades.Sum(x => x.PnlCents);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Identity_HoldsWithSwapsAndConversion_AfterAnySequence()
    {
        // EURJPY on a USD account: JPY through a USDJPY series that moves with every step, EUR margin at a fixed
        // EURUSD, swaps in points charged at every 00:00 UTC the steps (1 to 12 hours each) cross.
        var eurjpy = new TesterSymbol
        {
            Name = "EURJPY", Digits = 3, Point = 0.001, TickSize = 0.001, TickValue = 100, ContractSize = 100_000, NormalizedSpreadPoint = 0.001,
            BaseCurrency = "EUR", ProfitCurrency = "JPY", MarginCurrency = "EUR",
            SwapMode = SwapMode.Points, SwapLong = -7.3, SwapShort = 2.9, TripleSwapDay = DayOfWeek.Wednesday,
        };
        var step = Gen.Choose(0, 1_000_000).Three();
        Prop.ForAll(Gen.ListOf(step).ToArbitrary(), Arb.From(Gen.Elements(true, false)), (ops, hedging) =>
        {
            var times = new long[ops.Count];
            var usdjpy = new PricePoint[ops.Count + 1];
            usdjpy[0] = new PricePoint(0, 100.0, 100.02);
            long t = 0;
            for (var i = 0; i < ops.Count; i++)
            {
                t += (1 + (ops[i].Item1 % 12)) * 3_600_000L;
                times[i] = t;
                var u = 95.0 + (ops[i].Item2 % 1000) * 0.01;
                usdjpy[i + 1] = new PricePoint(t, u, u + 0.015);
            }

            var money = new MoneySettings
            {
                Series = [new ConversionSeries(new CurrencyPair("USD", "JPY"), "generated", usdjpy)],
                FixedRates = new Dictionary<string, double> { ["EURUSD"] = 1.21 },
            };
            var s = new TradeServer(new AccountSettings { InitialBalance = 5_000, Hedging = hedging }, [eurjpy],
                new ExecutionSettings { CommissionPerLot = 7, MaxSlippagePoints = 2, Seed = 3 }, money: money);
            var bid = 125.000;
            for (var i = 0; i < ops.Count; i++)
            {
                var (a, b, c) = ops[i];
                bid = Math.Round(Math.Max(60, bid + ((a % 201) - 100) * 0.003), 3);
                s.SetPrice(0, times[i], bid, Math.Round(bid + (b % 20) * 0.001, 3), continuous: c % 2 == 0);
                var lots = (1 + (c % 30)) / 100.0;
                switch (b % 4)
                {
                    case 0:
                        s.MarketOrder(0, 1, lots, Math.Round(bid - 0.5, 3), Math.Round(bid + 0.8, 3), 7, i);
                        break;
                    case 1:
                        s.MarketOrder(0, -1, lots, 0, 0, 7, i);
                        break;
                    case 2 when s.Positions.Count > 0:
                        s.Close(0, s.Positions[a % s.Positions.Count].Ticket, "TIMEOUT");
                        break;
                    default:
                        s.ResolveSameBar(0, times[i], new Bar(times[i] / 1000, bid, bid + 0.3, bid - 0.3, bid, 0), 0.02);
                        break;
                }
            }

            s.CloseAll("END");
            var deals = new List<ServerDeal>();
            s.TakeNewDeals(deals);
            var dealMoney = deals.Sum(d => d.ProfitCents + d.CommissionCents + d.SwapCents);
            return s.Positions.Count == 0
                && s.BalanceCents == 500_000 + s.Trades.Sum(x => x.PnlCents)
                && s.BalanceCents == 500_000 + dealMoney
                && deals.Sum(d => d.SwapCents) == s.Trades.Sum(x => x.SwapCents);
        }).QuickCheckThrowOnFailure();
    }
}
