using KimiEA.Core.Trading;
using KimiEA.Risk.Account;
using KimiEA.Risk.Gate;
using KimiEA.Risk.Sizing;

namespace KimiEA.Risk.Tests;

/// <summary>
/// A standard EURUSD situation: buy at 1.08000, stop 1.07800 (20 pips), target 1.08400 (b = 2), confidence 0.9 and hit probability 0.9,
/// bid/ask 1.07998/1.08000, ATR 10 pips, demo account with 10 000 USD in paper mode.
/// Expected sizing: p = 0.9, f* = 0.9 − 0.1/2 = 0.85, half = 0.425 → capped at 1 % = 100 USD;
/// 200 ticks × 1.00 = 200 USD/lot → 0.50 lot, risk 100.
/// </summary>
internal static class GateFixture
{
    public const long T0 = 1_700_000_000_000; // 2023-11-14 22:13:20 server time, ms

    public static readonly RiskConfig Paper = new() { Mode = TradingMode.Paper };

    public static TradeIntent BuyEurUsd => new()
    {
        Direction = Direction.Buy, Entry = 1.08000, StopLoss = 1.07800, TakeProfit = 1.08400, MaxHoldingBars = 20,
        Confidence = 0.9, HitProbability = 0.9, HitEvidence = 1000, SetupId = 1, SignalBarTime = T0 / 1000,
    };

    public static TradeIntent SellEurUsd => new()
    {
        Direction = Direction.Sell, Entry = 1.08000, StopLoss = 1.08200, TakeProfit = 1.07600, MaxHoldingBars = 20,
        Confidence = 0.9, HitProbability = 0.9, HitEvidence = 1000, SetupId = 1, SignalBarTime = T0 / 1000,
    };

    public static MarketSnapshot Market(long timeMs = T0) => new(1.07998, 1.08000, 0.00100, timeMs);

    public static MarketSnapshot SellMarket(long timeMs = T0) => new(1.08000, 1.08002, 0.00100, timeMs);

    public static TradeDecision Decide(AccountRiskBook book, int symbolId, in TradeIntent intent, in MarketSnapshot market, in AccountFacts account, in SymbolSpec spec) =>
        PreTradeGate.Decide(intent, market, spec, account, symbolId, book);

    public static TradeDecision Decide(AccountRiskBook book, int symbolId, in TradeIntent intent, long timeMs = T0) =>
        PreTradeGate.Decide(intent, intent.Direction == Direction.Sell ? SellMarket(timeMs) : Market(timeMs), Specs.EurUsd, Specs.Demo(), symbolId, book);
}
