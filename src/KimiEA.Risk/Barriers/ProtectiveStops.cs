using KimiEA.Core.Trading;

namespace KimiEA.Risk.Barriers;

/// <summary>
/// Broker-side rules for the horizontal barriers of an open position: prices normalised to the tick size before
/// they are sent, and the freeze level (SYMBOL_TRADE_FREEZE_LEVEL) within which the server refuses to modify or
/// close (retcode 10029 FROZEN). Buys are checked against the bid, sells against the ask.
/// </summary>
public static class ProtectiveStops
{
    /// <summary>Stop and take-profit rounded to the nearest tick (0 stays 0: no barrier).</summary>
    public static (double StopLoss, double TakeProfit) Normalize(in SymbolSpec spec, double stopLoss, double takeProfit) =>
        (stopLoss > 0 ? spec.NormalizePrice(stopLoss) : 0, takeProfit > 0 ? spec.NormalizePrice(takeProfit) : 0);

    /// <summary>
    /// True when the market is within the freeze level of the position's stop or take-profit, so a modify request
    /// would be refused by the server; the engine should wait for the next tick instead of sending it.
    /// </summary>
    /// <param name="spec">The symbol's spec (freeze level in points).</param>
    /// <param name="direction">Position direction.</param>
    /// <param name="stopLoss">Current stop (0 = none).</param>
    /// <param name="takeProfit">Current take-profit (0 = none).</param>
    /// <param name="bid">Current bid.</param>
    /// <param name="ask">Current ask.</param>
    public static bool IsFrozen(in SymbolSpec spec, Direction direction, double stopLoss, double takeProfit, double bid, double ask)
    {
        if (spec.FreezeLevelPoints <= 0)
        {
            return false;
        }

        var price = direction == Direction.Buy ? bid : ask;
        // strict inequality as in MT5's tables: at exactly the freeze distance the operation is allowed
        var freeze = (spec.FreezeLevelPoints * spec.Point) - (spec.Point * 0.5);
        return (stopLoss > 0 && Math.Abs(price - stopLoss) < freeze) ||
               (takeProfit > 0 && Math.Abs(takeProfit - price) < freeze);
    }
}
