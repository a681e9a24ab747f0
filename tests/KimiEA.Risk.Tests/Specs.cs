using KimiEA.Core.Trading;

namespace KimiEA.Risk.Tests;

/// <summary>
/// Realistic MT5 symbol specs for a USD account (values as a typical ECN broker reports them through SymbolInfo*).
/// </summary>
internal static class Specs
{
    /// <summary>
    /// EURUSD at 1.08000: 5 digits, tick 0.00001, 1 lot = 100 000 EUR, tick value = 100 000 × 0.00001 = 1.00 USD.
    /// Notional 1 lot = 108 000 USD; margin at 1:30 = 3 600 USD. Volume 0.01 … 100 step 0.01. Stops level 10 points.
    /// </summary>
    public static readonly SymbolSpec EurUsd = new()
    {
        Digits = 5, Point = 0.00001, TickSize = 0.00001, TickValueProfit = 1.0, TickValueLoss = 1.0, ContractSize = 100_000,
        VolumeMin = 0.01, VolumeStep = 0.01, VolumeMax = 100, StopsLevelPoints = 10, FreezeLevelPoints = 5,
        MarginPerLot = 3_600, NotionalPerLot = 108_000,
    };

    /// <summary>
    /// USDJPY at 150.000: 3 digits, tick 0.001, 1 lot = 100 000 USD, tick value = 100 000 × 0.001 / 150 = 2/3 USD.
    /// Notional 100 000 USD; margin at 1:30 = 3 333.33 USD. Volume 0.01 … 100 step 0.01.
    /// </summary>
    public static readonly SymbolSpec UsdJpy = new()
    {
        Digits = 3, Point = 0.001, TickSize = 0.001, TickValueProfit = 2.0 / 3.0, TickValueLoss = 2.0 / 3.0, ContractSize = 100_000,
        VolumeMin = 0.01, VolumeStep = 0.01, VolumeMax = 100, StopsLevelPoints = 0, MarginPerLot = 100_000 / 30.0,
        NotionalPerLot = 100_000,
    };

    /// <summary>
    /// XAUUSD at 2 000.00: 2 digits, tick 0.01, 1 lot = 100 oz, tick value = 100 × 0.01 = 1.00 USD. Notional
    /// 200 000 USD; margin at 1:20 = 10 000 USD. Volume 0.01 … 50 step 0.01.
    /// </summary>
    public static readonly SymbolSpec XauUsd = new()
    {
        Digits = 2, Point = 0.01, TickSize = 0.01, TickValueProfit = 1.0, TickValueLoss = 1.0, ContractSize = 100,
        VolumeMin = 0.01, VolumeStep = 0.01, VolumeMax = 50, StopsLevelPoints = 0, MarginPerLot = 10_000,
        NotionalPerLot = 200_000,
    };

    /// <summary>
    /// US500 cash index CFD at 5 000.00: 2 digits, tick 0.01, 1 lot = 1 × index, tick value = 1 × 0.01 = 0.01 USD.
    /// Notional 5 000 USD; margin at 1:20 = 250 USD. Volume 0.1 … 250 step 0.1.
    /// </summary>
    public static readonly SymbolSpec Us500 = new()
    {
        Digits = 2, Point = 0.01, TickSize = 0.01, TickValueProfit = 0.01, TickValueLoss = 0.01, ContractSize = 1,
        VolumeMin = 0.1, VolumeStep = 0.1, VolumeMax = 250, StopsLevelPoints = 0, MarginPerLot = 250,
        NotionalPerLot = 5_000,
    };

    public static SymbolSpec ByName(string name) => name switch
    {
        "EURUSD" => EurUsd,
        "USDJPY" => UsdJpy,
        "XAUUSD" => XauUsd,
        "US500" => Us500,
        _ => throw new ArgumentException($"no test spec named {name}", nameof(name)),
    };

    /// <summary>A demo hedging account with 10 000 USD equity and plenty of free margin.</summary>
    public static AccountFacts Demo(double equity = 10_000) => new()
    {
        Login = 5001, TradeMode = AccountTradeMode.Demo, MarginMode = AccountMarginMode.RetailHedging, Leverage = 30,
        Balance = equity, Equity = equity, Margin = 0, FreeMargin = equity * 10,
    };
}
