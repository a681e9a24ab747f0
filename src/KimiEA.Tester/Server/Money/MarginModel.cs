namespace KimiEA.Tester.Server.Money;

/// <summary>
/// Initial margin in the account currency, by MT5's formula for the symbol's <see cref="SymbolCalcMode"/> (in the
/// symbol's margin currency), converted at the margin pair's price (<see cref="CurrencyConverter.MarginRate"/>):
/// <list type="bullet">
/// <item>Forex: lots × contract / leverage × margin rate</item>
/// <item>Forex no leverage: lots × contract × margin rate</item>
/// <item>CFD: lots × contract × price × margin rate</item>
/// <item>CFD index: lots × contract × price × tick value / tick size × margin rate</item>
/// <item>CFD leverage: lots × contract × price / leverage × margin rate</item>
/// </list>
/// The price is the deal's (an order's fill, the bid for the engine's spec); when the margin currency reaches the
/// account through the symbol itself (EURUSD's EUR on a USD account) that same price is the rate, so EURUSD needs
/// lots × contract × price / leverage, as MT5 shows. The leverage is the symbol's (<see cref="TesterSymbol.Leverage"/>).
/// A position keeps the margin of its deals until it closes.
/// </summary>
public sealed class MarginModel
{
    private readonly TesterSymbol[] _symbols;
    private readonly CurrencyConverter _converter;

    /// <summary>Creates the model over the server's symbols and converter.</summary>
    public MarginModel(IReadOnlyList<TesterSymbol> symbols, CurrencyConverter converter)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(converter);
        _symbols = [.. symbols];
        _converter = converter;
    }

    /// <summary>The margin of <paramref name="lots"/> lots of symbol <paramref name="symbol"/> dealt at <paramref name="price"/>, account currency.</summary>
    public double Of(int symbol, double lots, double price)
    {
        var s = _symbols[symbol];
        // Multiplying by a rate of exactly 1 (the account currency) changes no bit, so a USD symbol on a USD account
        // gets the very numbers the single-currency tester computed.
        var rate = _converter.MarginRate(_converter.MarginRoute(symbol), price, price);
        return s.CalcMode switch
        {
            SymbolCalcMode.Forex => lots * s.ContractSize * rate / s.Leverage * s.MarginRate,
            SymbolCalcMode.ForexNoLeverage => lots * s.ContractSize * rate * s.MarginRate,
            SymbolCalcMode.Cfd => lots * s.ContractSize * price * rate * s.MarginRate,
            SymbolCalcMode.CfdIndex => lots * s.ContractSize * price * s.TickValue / s.TickSize * rate * s.MarginRate,
            SymbolCalcMode.CfdLeverage => lots * s.ContractSize * price / s.Leverage * rate * s.MarginRate,
            _ => throw new InvalidOperationException($"Symbol {s.Name}: unknown calc mode {s.CalcMode}."),
        };
    }
}
