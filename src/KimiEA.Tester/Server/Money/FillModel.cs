namespace KimiEA.Tester.Server.Money;

/// <summary>
/// The price a market order fills at: the ask for a buy, the bid for a sell, moved against the trader by a seeded
/// slippage of 0…<see cref="ExecutionSettings.MaxSlippagePoints"/> whole points, then normalized to the tick size.
/// </summary>
public sealed class FillModel
{
    private readonly ExecutionSettings _execution;

    /// <summary>Creates the model of a run's execution settings.</summary>
    public FillModel(ExecutionSettings execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        _execution = execution;
    }

    /// <summary>The fill of the market order that gets ticket <paramref name="order"/>.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="bid">Its bid.</param>
    /// <param name="ask">Its ask.</param>
    /// <param name="direction">+1 buy, −1 sell.</param>
    /// <param name="order">The order ticket the slippage is drawn for.</param>
    public double MarketPrice(TesterSymbol symbol, double bid, double ask, int direction, long order)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        var price = direction > 0 ? ask : bid;
        if (_execution.MaxSlippagePoints > 0)
        {
            price += direction * SlippagePoints(order) * symbol.Point;
        }

        return symbol.Normalize(price);
    }

    /// <summary>
    /// The slippage of the market order that gets ticket <paramref name="order"/>: uniform in 0…max points, a pure
    /// function of the seed and the ticket (SplitMix64's mixer, then the high half of a 64×64-bit product). Tickets
    /// continue across a restart from the broker state, so a resumed run fills every order as the uninterrupted run
    /// does; a stream of draws would start over and fill them differently.
    /// </summary>
    public int SlippagePoints(long order)
    {
        var z = unchecked(((ulong)_execution.Seed * 0x9E3779B97F4A7C15UL) + (ulong)order);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)Math.BigMul(z, (ulong)(_execution.MaxSlippagePoints + 1), out _);
    }
}
