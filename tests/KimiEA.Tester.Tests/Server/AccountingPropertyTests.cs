using FsCheck;
using FsCheck.Fluent;
using KimiEA.Core.Market;
using KimiEA.Tester.Server;
using Xunit;

namespace KimiEA.Tester.Tests.Server;

/// <summary>
/// The accounting identity as a property: whatever orders, prices, partial closes and stop-outs happen, once every
/// position is closed the balance equals the deposit plus the sum of the closed trades' pnl (net of commission).
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
}
