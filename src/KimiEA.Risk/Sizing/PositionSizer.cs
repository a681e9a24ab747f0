using KimiEA.Core.Trading;
using KimiEA.Risk.Gate;
using KimiEA.Risk.Money;

namespace KimiEA.Risk.Sizing;

/// <summary>The outcome of sizing: a volume and its money at risk, or a reason why there is no trade.</summary>
/// <param name="Reason"><see cref="DenyReason.None"/> when a volume was found.</param>
/// <param name="Volume">Lots, a multiple of the volume step in [VolumeMin, cap]; 0 when refused.</param>
/// <param name="RiskMoney">Money lost at the stop with <paramref name="Volume"/>, account currency.</param>
/// <param name="TargetRiskMoney">Equity × <paramref name="RiskFraction"/>: what the sizing aimed to risk.</param>
/// <param name="WinProbability">The hit probability Kelly sized with (NaN when not reached).</param>
/// <param name="RiskFraction">Fraction of equity targeted: min(KellyFraction × f*, RiskPerTrade), or RiskPerTrade in fixed-fraction mode.</param>
public readonly record struct SizingResult(
    DenyReason Reason,
    double Volume,
    double RiskMoney,
    double TargetRiskMoney,
    double WinProbability,
    double RiskFraction)
{
    /// <summary>True when a tradable volume was found.</summary>
    public bool HasVolume => Reason == DenyReason.None;

    internal static SizingResult Refuse(DenyReason reason, double p = double.NaN, double fraction = 0) =>
        new(reason, 0, 0, 0, p, fraction);
}

/// <summary>
/// Pure position sizing. Kelly mode: p = the intent's hit probability (the posterior mean of its hit rate, with the
/// agent's closed trades, see <see cref="TradeWorthiness"/>), b = target distance / stop distance, f* = p − (1−p)/b;
/// no edge (f* ≤ 0) is no trade; the equity fraction at risk is
/// min(KellyFraction × f*, RiskPerTrade). Fixed-fraction mode risks RiskPerTrade. The volume is the one that loses
/// that money at the stop, capped by the max lot, rounded down to the step; below the minimum volume is no trade.
/// </summary>
public static class PositionSizer
{
    // Rounding the volume down never increases risk; this only absorbs the last-bit error of the division.
    private const double RiskTolerance = 1e-9;

    /// <summary>Sizes one trade.</summary>
    /// <param name="spec">The symbol's spec (tick size/value, volume min/step/max).</param>
    /// <param name="equity">Account equity, account currency.</param>
    /// <param name="stopDistance">Distance from the executable entry price to the stop, price units.</param>
    /// <param name="payoffRatio">b = take-profit distance / stop distance.</param>
    /// <param name="hitProbability">The intent's <see cref="TradeIntent.HitProbability"/> after <see cref="TradeWorthiness.Assess"/>.</param>
    /// <param name="config">The chart's decision settings.</param>
    public static SizingResult Size(
        in SymbolSpec spec,
        double equity,
        double stopDistance,
        double payoffRatio,
        double hitProbability,
        AgentPolicy config)
    {
        if (!(equity > 0))
        {
            return SizingResult.Refuse(DenyReason.NoEquity);
        }

        if (!(stopDistance > 0))
        {
            return SizingResult.Refuse(DenyReason.StopMissing);
        }

        var p = hitProbability;
        double fraction;
        if (config.SizingMode == SizingMode.FixedFraction)
        {
            fraction = config.RiskPerTrade;
        }
        else
        {
            var fStar = Kelly.Fraction(p, payoffRatio);
            if (!(fStar > 0))
            {
                return SizingResult.Refuse(DenyReason.NoEdge, p);
            }

            fraction = fStar * config.KellyFraction;
            if (fraction > config.RiskPerTrade)
            {
                fraction = config.RiskPerTrade;
            }
        }

        var target = equity * fraction;
        var raw = MoneyMath.VolumeForRisk(spec, target, stopDistance);
        var volume = VolumeRounding.RoundDown(spec, raw, config.MaxLot);
        if (volume <= 0)
        {
            return SizingResult.Refuse(DenyReason.VolumeBelowMinimum, p, fraction);
        }

        var risk = MoneyMath.RiskMoney(spec, stopDistance, volume);
        var cap = equity * config.RiskPerTrade;
        var limit = Math.Min(cap, target * config.MaxRiskOvershoot) * (1 + RiskTolerance);
        if (risk > limit)
        {
            return SizingResult.Refuse(DenyReason.RiskAboveCap, p, fraction);
        }

        return new SizingResult(DenyReason.None, volume, risk, target, p, fraction);
    }
}
