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

    public static readonly GateConfig Paper = new() { Mode = TradingMode.Paper };

    // The policy each test book decides with (a chart's own settings), keyed by the book a test created.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AccountRiskBook, AgentPolicy> Policies = new();

    /// <summary>A book enforcing the config's account limits; <see cref="Decide(AccountRiskBook, int, in TradeIntent, long)"/> then uses its chart policy.</summary>
    public static AccountRiskBook Book(GateConfig config)
    {
        var book = new AccountRiskBook(config.Limits);
        Policies.AddOrUpdate(book, config.Policy);
        return book;
    }

    /// <summary>The chart policy a test book decides with.</summary>
    public static AgentPolicy PolicyOf(AccountRiskBook book) => Policies.TryGetValue(book, out var p) ? p : Paper.Policy;

    /// <summary>One test chart per symbol: the owner under which the gate counts the chart's positions.</summary>
    public static int OwnerFor(AccountRiskBook book, int symbolId) => book.RegisterOwner("test-chart-" + symbolId);

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
        PreTradeGate.Decide(intent, market, spec, account, symbolId, OwnerFor(book, symbolId), PolicyOf(book), book);

    public static TradeDecision Decide(AccountRiskBook book, int symbolId, in TradeIntent intent, long timeMs = T0) =>
        PreTradeGate.Decide(intent, intent.Direction == Direction.Sell ? SellMarket(timeMs) : Market(timeMs), Specs.EurUsd, Specs.Demo(), symbolId, OwnerFor(book, symbolId), PolicyOf(book), book);
}

/// <summary>
/// The tests' flat view of a chart's policy and the account limits together (the product keeps them apart:
/// <see cref="AgentPolicy"/> per chart, <see cref="AccountLimits"/> per account), so a test states a scenario in one
/// place. Defaults are the product's.
/// </summary>
internal sealed record GateConfig
{
    private static readonly AgentPolicy P = new();
    private static readonly AccountLimits L = new();

    public TradingMode Mode { get; init; } = P.Mode;
    public bool LiveOptIn { get; init; } = P.LiveOptIn;
    public IReadOnlyList<long> LiveAccountAllowList { get; init; } = P.LiveAccountAllowList;
    public double MinConfidence { get; init; } = P.MinConfidence;
    public double AutoExecuteConfidence { get; init; } = P.AutoExecuteConfidence;
    public SizingMode SizingMode { get; init; } = P.SizingMode;
    public double RiskPerTrade { get; init; } = P.RiskPerTrade;
    public double KellyFraction { get; init; } = P.KellyFraction;
    public double MaxLot { get; init; } = P.MaxLot;
    public double PriceBandAtr { get; init; } = P.PriceBandAtr;
    public int MaxPositions { get; init; } = P.MaxPositions;
    public double DailyDrawdown { get; init; } = L.DailyDrawdown;
    public bool FlattenOnTrip { get; init; } = L.FlattenOnTrip;
    public double MaxOpenRisk { get; init; } = L.MaxOpenRisk;
    public double MaxLeverage { get; init; } = L.MaxLeverage;
    public int MaxPositionsTotal { get; init; } = L.MaxPositionsTotal;
    public int MaxOrdersPerMinute { get; init; } = L.MaxOrdersPerMinute;

    public AgentPolicy Policy => new()
    {
        Mode = Mode, LiveOptIn = LiveOptIn, LiveAccountAllowList = LiveAccountAllowList, MinConfidence = MinConfidence,
        AutoExecuteConfidence = AutoExecuteConfidence, SizingMode = SizingMode, RiskPerTrade = RiskPerTrade,
        KellyFraction = KellyFraction, MaxLot = MaxLot,
        PriceBandAtr = PriceBandAtr, MaxPositions = MaxPositions,
    };

    public AccountLimits Limits => new()
    {
        DailyDrawdown = DailyDrawdown, FlattenOnTrip = FlattenOnTrip, MaxOpenRisk = MaxOpenRisk, MaxLeverage = MaxLeverage,
        MaxPositionsTotal = MaxPositionsTotal, MaxOrdersPerMinute = MaxOrdersPerMinute,
    };
}
