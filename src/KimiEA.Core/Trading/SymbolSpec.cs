namespace KimiEA.Core.Trading;

/// <summary>
/// Everything the engine needs to know about a symbol to turn a price distance into money and a money amount into
/// a valid volume. The EA fills it from <c>SymbolInfo*</c> and <c>OrderCalcProfit</c>/<c>OrderCalcMargin</c>; the
/// tester from its symbol table. Money is always in the account currency. Nothing here is ever hard-coded per pip.
/// </summary>
public readonly record struct SymbolSpec
{
    /// <summary>Number of decimal digits in prices (SYMBOL_DIGITS).</summary>
    public int Digits { get; init; }
    /// <summary>Point size, 10^-Digits (SYMBOL_POINT).</summary>
    public double Point { get; init; }
    /// <summary>Minimal price change (SYMBOL_TRADE_TICK_SIZE).</summary>
    public double TickSize { get; init; }
    /// <summary>Value of one <see cref="TickSize"/> move for 1 lot on a winning position, account currency (SYMBOL_TRADE_TICK_VALUE_PROFIT).</summary>
    public double TickValueProfit { get; init; }
    /// <summary>Value of one <see cref="TickSize"/> move for 1 lot on a losing position, account currency (SYMBOL_TRADE_TICK_VALUE_LOSS).</summary>
    public double TickValueLoss { get; init; }
    /// <summary>Contract size of 1 lot (SYMBOL_TRADE_CONTRACT_SIZE).</summary>
    public double ContractSize { get; init; }
    /// <summary>Minimal volume (SYMBOL_VOLUME_MIN).</summary>
    public double VolumeMin { get; init; }
    /// <summary>Volume step (SYMBOL_VOLUME_STEP).</summary>
    public double VolumeStep { get; init; }
    /// <summary>Maximal volume of one deal (SYMBOL_VOLUME_MAX).</summary>
    public double VolumeMax { get; init; }
    /// <summary>Maximal total volume in one direction, 0 = unlimited (SYMBOL_VOLUME_LIMIT).</summary>
    public double VolumeLimit { get; init; }
    /// <summary>Minimal SL/TP distance from the current price, in points (SYMBOL_TRADE_STOPS_LEVEL).</summary>
    public int StopsLevelPoints { get; init; }
    /// <summary>Distance from the price within which orders/positions cannot be modified, in points (SYMBOL_TRADE_FREEZE_LEVEL).</summary>
    public int FreezeLevelPoints { get; init; }
    /// <summary>Initial margin for 1 lot at the current price, account currency (OrderCalcMargin for 1.0 lot).</summary>
    public double MarginPerLot { get; init; }
    /// <summary>Notional value of 1 lot in the account currency (for exposure and leverage checks).</summary>
    public double NotionalPerLot { get; init; }

    /// <summary>Money (account currency) lost when a position of <paramref name="volume"/> lots moves <paramref name="priceDistance"/> against it.</summary>
    public double LossFor(double priceDistance, double volume) =>
        Math.Abs(priceDistance) / TickSize * TickValueLoss * volume;

    /// <summary>Money (account currency) won when a position of <paramref name="volume"/> lots moves <paramref name="priceDistance"/> in its favour.</summary>
    public double ProfitFor(double priceDistance, double volume) =>
        Math.Abs(priceDistance) / TickSize * TickValueProfit * volume;

    /// <summary>Rounds a price to the nearest multiple of <see cref="TickSize"/>.</summary>
    public double NormalizePrice(double price) =>
        TickSize > 0 ? Math.Round(Math.Round(price / TickSize) * TickSize, Digits) : Math.Round(price, Digits);
}
