using KimiEA.Core.Trading;

namespace KimiEA.Risk.Gate;

/// <summary>The per-intent rules of the gate, each a pure function returning a reason or <see cref="DenyReason.None"/>.</summary>
public static class IntentRules
{
    /// <summary>Direction present, prices finite, confidence and hit probability in [0, 1].</summary>
    public static DenyReason WellFormed(in TradeIntent intent)
    {
        if (intent.Direction is not (Direction.Buy or Direction.Sell))
        {
            return DenyReason.NoDirection;
        }

        return double.IsFinite(intent.Entry) && double.IsFinite(intent.StopLoss) && double.IsFinite(intent.TakeProfit) &&
               intent.Entry > 0 && intent.Confidence >= 0 && intent.Confidence <= 1 &&
               intent.HitProbability >= 0 && intent.HitProbability <= 1
            ? DenyReason.None
            : DenyReason.InvalidIntent;
    }

    /// <summary>Stop and take-profit present and on the correct side of the intent's entry.</summary>
    public static DenyReason BarriersOnCorrectSide(in TradeIntent intent)
    {
        if (intent.StopLoss <= 0)
        {
            return DenyReason.StopMissing;
        }

        var sign = (int)intent.Direction;
        if ((intent.Entry - intent.StopLoss) * sign <= 0)
        {
            return DenyReason.StopWrongSide;
        }

        if (intent.TakeProfit <= 0)
        {
            return DenyReason.TakeProfitMissing;
        }

        return (intent.TakeProfit - intent.Entry) * sign <= 0 ? DenyReason.TakeProfitWrongSide : DenyReason.None;
    }

    /// <summary>
    /// Stops level: SL and TP of a buy are checked against the bid, of a sell against the ask (MT5's rule); each must
    /// be on its side of that price and at least SYMBOL_TRADE_STOPS_LEVEL points away.
    /// </summary>
    public static DenyReason StopsLevel(Direction direction, double stopLoss, double takeProfit, double bid, double ask, in SymbolSpec spec)
    {
        var reference = direction == Direction.Buy ? bid : ask;
        var sign = (int)direction;
        // half a point of slack: prices are normalised to the tick, distances are not exact in binary
        var min = (spec.StopsLevelPoints * spec.Point) - (spec.Point * 0.5);
        var stopGap = (reference - stopLoss) * sign;
        if (stopGap <= 0 || stopGap < min)
        {
            return DenyReason.StopTooClose;
        }

        var targetGap = (takeProfit - reference) * sign;
        return targetGap <= 0 || targetGap < min ? DenyReason.TakeProfitTooClose : DenyReason.None;
    }

    /// <summary>Bid and ask positive and finite, ask ≥ bid.</summary>
    public static DenyReason Quote(double bid, double ask) =>
        bid > 0 && ask >= bid && double.IsFinite(ask) ? DenyReason.None : DenyReason.InvalidQuote;

    /// <summary>The intent's entry lies within <paramref name="bandAtr"/> × ATR of the executable price.</summary>
    public static DenyReason PriceBand(double entry, double executablePrice, double atr, double bandAtr)
    {
        if (!(atr > 0) || !double.IsFinite(atr))
        {
            return DenyReason.AtrUnavailable;
        }

        return Math.Abs(entry - executablePrice) <= bandAtr * atr ? DenyReason.None : DenyReason.OutsidePriceBand;
    }
}
