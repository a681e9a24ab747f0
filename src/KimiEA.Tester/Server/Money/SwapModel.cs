namespace KimiEA.Tester.Server.Money;

/// <summary>
/// The rollover charge of an open position, in the account currency, by the symbol's <see cref="SwapMode"/> (MT5's
/// SYMBOL_SWAP_MODE; <see cref="TesterSymbol.SwapLong"/> for buys, <see cref="TesterSymbol.SwapShort"/> for sells,
/// negative = charged):
/// <list type="bullet">
/// <item>Points: a price move of that many points — points × point / tick size × tick value × lots, in the profit currency</item>
/// <item>CurrencySymbol: that much of the base currency per lot</item>
/// <item>CurrencyMargin: that much of the margin currency per lot</item>
/// <item>CurrencyDeposit: that much of the account currency per lot</item>
/// <item>InterestCurrent: that annual percentage of lots × contract × the current closing price (bid for a buy, ask
/// for a sell), over 360 days, in the profit currency</item>
/// <item>InterestOpen: the same on the position's open price</item>
/// </list>
/// Each is converted to the account currency (<see cref="CurrencyConverter.ToAccount"/>) at that moment, multiplied by
/// the days the rollover charges (<see cref="RolloverSchedule.SwapDays"/>: triple on the triple-swap day) and rounded
/// to the cent. The Reopen modes (MT5 closes and reopens the position at a shifted price) are not implemented: a symbol
/// with one is refused when the server is made.
/// </summary>
public sealed class SwapModel
{
    private readonly TesterSymbol[] _symbols;
    private readonly CurrencyConverter _converter;

    /// <summary>Creates the model over the server's symbols and converter.</summary>
    /// <exception cref="ArgumentException">A symbol's swap mode is not implemented (the Reopen modes).</exception>
    public SwapModel(IReadOnlyList<TesterSymbol> symbols, CurrencyConverter converter)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(converter);
        _symbols = [.. symbols];
        _converter = converter;
        foreach (var s in _symbols)
        {
            if (s.SwapMode is SwapMode.ReopenCurrent or SwapMode.ReopenBid || !Enum.IsDefined(s.SwapMode))
            {
                throw new ArgumentException($"Symbol {s.Name}: swap mode {s.SwapMode} is not implemented by the tester (it reopens positions at a shifted price); use a spec with Points, CurrencySymbol, CurrencyMargin, CurrencyDeposit, InterestCurrent, InterestOpen or Disabled.", nameof(symbols));
            }
        }
    }

    /// <summary>True when some symbol charges swaps (otherwise the server skips the rollover bookkeeping).</summary>
    public bool Any => _symbols.Any(s => s.SwapMode != SwapMode.Disabled && (s.SwapLong != 0 || s.SwapShort != 0));

    /// <summary>The charge of one rollover of <paramref name="days"/> days on <paramref name="position"/>, cents (negative = paid by the trader).</summary>
    /// <param name="position">The open position.</param>
    /// <param name="days">Days the rollover charges (0, 1 or 3).</param>
    /// <param name="bid">The symbol's bid at the rollover.</param>
    /// <param name="ask">The symbol's ask at the rollover.</param>
    public long ChargeCents(ServerPosition position, int days, double bid, double ask)
    {
        ArgumentNullException.ThrowIfNull(position);
        return days == 0 ? 0 : Cents.Of(OneDay(position, bid, ask) * days);
    }

    /// <summary>One day's swap of <paramref name="position"/>, account currency, unrounded.</summary>
    public double OneDay(ServerPosition position, double bid, double ask)
    {
        ArgumentNullException.ThrowIfNull(position);
        var i = position.Symbol;
        var s = _symbols[i];
        var swap = position.Direction > 0 ? s.SwapLong : s.SwapShort;
        if (swap == 0)
        {
            return 0;
        }

        var lots = position.Volume;
        return s.SwapMode switch
        {
            SwapMode.Disabled => 0,
            SwapMode.Points => _converter.ToAccount(swap * s.Point / s.TickSize * s.TickValue * lots, _converter.ProfitRoute(i), bid, ask),
            SwapMode.CurrencySymbol => _converter.ToAccount(swap * lots, _converter.BaseRoute(i), bid, ask),
            SwapMode.CurrencyMargin => _converter.ToAccount(swap * lots, _converter.MarginRoute(i), bid, ask),
            SwapMode.CurrencyDeposit => swap * lots,
            SwapMode.InterestCurrent => _converter.ToAccount(Interest(s, lots, position.Direction > 0 ? bid : ask, swap), _converter.ProfitRoute(i), bid, ask),
            SwapMode.InterestOpen => _converter.ToAccount(Interest(s, lots, position.PriceOpen, swap), _converter.ProfitRoute(i), bid, ask),
            _ => throw new InvalidOperationException($"Symbol {s.Name}: swap mode {s.SwapMode} is not implemented."),
        };
    }

    private static double Interest(TesterSymbol s, double lots, double price, double percentPerYear) =>
        lots * s.ContractSize * price * percentPerYear / 100 / 360;
}
