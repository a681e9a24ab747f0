namespace KimiEA.Risk.Sizing;

/// <summary>
/// Closed-trade record of one agent for one (symbol, setup): the sufficient statistics of its Beta posterior.
/// A plain struct so the journal can store and restore it.
/// </summary>
/// <param name="Symbol">Symbol name as the terminal spells it.</param>
/// <param name="SetupId">The intent's <see cref="KimiEA.Core.Trading.TradeIntent.SetupId"/>.</param>
/// <param name="Wins">Closed trades with a positive result.</param>
/// <param name="Losses">Closed trades with a zero or negative result.</param>
public readonly record struct SetupStats(string Symbol, int SetupId, int Wins, int Losses)
{
    /// <summary>Number of closed trades.</summary>
    public int Trades => Wins + Losses;
}
