using KimiEA.Core.Trading;

namespace KimiEA.Risk.Money;

/// <summary>
/// Money math from a <see cref="SymbolSpec"/>: risk money for a price distance and a volume, and its inverse.
/// Uses the symbol's loss tick value (SYMBOL_TRADE_TICK_VALUE_LOSS), never a hard-coded pip value.
/// </summary>
public static class MoneyMath
{
    /// <summary>Money lost by 1 lot over <paramref name="stopDistance"/> (price units), account currency.</summary>
    public static double LossPerLot(in SymbolSpec spec, double stopDistance) => spec.LossFor(stopDistance, 1.0);

    /// <summary>Money at risk for <paramref name="volume"/> lots over <paramref name="stopDistance"/>, account currency.</summary>
    public static double RiskMoney(in SymbolSpec spec, double stopDistance, double volume) => spec.LossFor(stopDistance, volume);

    /// <summary>
    /// Unrounded volume whose loss over <paramref name="stopDistance"/> equals <paramref name="riskMoney"/>:
    /// lots = risk × tick_size / (tick_value_loss × distance). 0 when the distance or the loss per lot is not positive.
    /// </summary>
    public static double VolumeForRisk(in SymbolSpec spec, double riskMoney, double stopDistance)
    {
        var perLot = LossPerLot(spec, stopDistance);
        return perLot > 0 && riskMoney > 0 ? riskMoney / perLot : 0;
    }

    /// <summary>Margin for <paramref name="volume"/> lots (linear in volume from OrderCalcMargin for 1 lot).</summary>
    public static double Margin(in SymbolSpec spec, double volume) => spec.MarginPerLot * volume;

    /// <summary>Notional value of <paramref name="volume"/> lots in the account currency.</summary>
    public static double Notional(in SymbolSpec spec, double volume) => spec.NotionalPerLot * volume;
}
