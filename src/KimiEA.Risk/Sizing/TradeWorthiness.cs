using KimiEA.Core.Trading;
using KimiEA.Risk.Money;

namespace KimiEA.Risk.Sizing;

/// <summary>
/// Turns a signal's calibrated hit probability into the confidence the gates use: the posterior probability that the
/// trade's expectancy in R is positive at the price it will fill at, after commission (docs/signal.md, "From hit
/// probability to confidence").
/// <list type="bullet">
/// <item>The hit rate p of the intent's setup is Beta distributed: the signal's calibration gives its mean p̂ and the
/// evidence n behind it (Beta(p̂·n, (1−p̂)·n)); the agent's own closed trades of that symbol and setup update it to
/// Beta(p̂·n + wins, (1−p̂)·n + losses). The posterior mean is the hit probability Kelly sizes with.</item>
/// <item>At the executable price (ask for buys, bid for sells) a hit pays b = |TP − price| / |price − SL| R, a miss
/// loses 1 R, and the round-turn commission costs c = commission per lot / money lost per lot at the stop R. The
/// expectancy p·b − (1 − p) − c is positive exactly when p &gt; p* = (1 + c) / (1 + b).</item>
/// <item>Confidence = P(p &gt; p*) under the posterior = 1 − I_{p*}(α, β).</item>
/// </list>
/// Pure and allocation-free.
/// </summary>
public static class TradeWorthiness
{
    /// <summary>The hit rate above which the expectancy in R is positive: (1 + cost) / (1 + payoff); ≥ 1 means never.</summary>
    /// <param name="payoffRatio">b: R won on a hit (&gt; 0).</param>
    /// <param name="costR">c: the round-turn cost in R (≥ 0).</param>
    public static double BreakEvenHitRate(double payoffRatio, double costR) => (1 + costR) / (1 + payoffRatio);

    /// <summary>The round-turn commission of a trade in R: commission per lot / money lost per lot at the stop.</summary>
    /// <param name="spec">The symbol's spec (tick size and loss tick value).</param>
    /// <param name="commissionPerLot">Round-turn commission per lot, account currency (≥ 0).</param>
    /// <param name="stopDistance">Executable price to stop, price units (&gt; 0).</param>
    /// <returns>c ≥ 0; +∞ when the stop distance is not positive.</returns>
    public static double CostInR(in SymbolSpec spec, double commissionPerLot, double stopDistance)
    {
        if (!(commissionPerLot > 0))
        {
            return 0;
        }

        var lossPerLot = MoneyMath.LossPerLot(spec, stopDistance);
        return lossPerLot > 0 ? commissionPerLot / lossPerLot : double.PositiveInfinity;
    }

    /// <summary>
    /// The confidence that a trade is worth taking: P(p &gt; <see cref="BreakEvenHitRate"/>) for p ~
    /// Beta(p̂·n + wins, (1−p̂)·n + losses). 0 when there is no evidence (n + wins + losses = 0), when the payoff is not
    /// positive or when the break-even rate is 1 or more.
    /// </summary>
    public static double Confidence(double hitProbability, double evidence, int wins, int losses, double payoffRatio, double costR)
    {
        if (!(evidence + wins + losses > 0) || !(payoffRatio > 0) || !(costR >= 0))
        {
            return 0;
        }

        var posterior = BetaPosterior.From(hitProbability, evidence, wins, losses);
        return posterior.ProbabilityAbove(BreakEvenHitRate(payoffRatio, costR));
    }

    /// <summary>
    /// The intent as the gate sees it: <see cref="TradeIntent.HitProbability"/> and <see cref="TradeIntent.HitEvidence"/>
    /// updated with the agent's closed trades, <see cref="TradeIntent.Confidence"/> set for the executable price
    /// (ask for a buy, bid for a sell) and the commission. An intent whose barriers are not on the correct side of that
    /// price gets confidence 0 (it is not worth taking there).
    /// </summary>
    /// <param name="intent">The signal's intent (its HitProbability and HitEvidence from the calibration).</param>
    /// <param name="bid">Current bid.</param>
    /// <param name="ask">Current ask.</param>
    /// <param name="spec">The symbol's spec.</param>
    /// <param name="commissionPerLot">Round-turn commission per lot, account currency (the EA input).</param>
    /// <param name="stats">The agent's closed-trade record for the intent's symbol and setup.</param>
    public static TradeIntent Assess(in TradeIntent intent, double bid, double ask, in SymbolSpec spec, double commissionPerLot, in SetupStats stats)
    {
        if (!(intent.HitProbability >= 0 && intent.HitProbability <= 1))
        {
            return intent with { Confidence = 0 }; // malformed: the gate's well-formedness rule refuses it as it stands
        }

        var price = intent.Direction == Direction.Sell ? bid : ask;
        var stopDistance = intent.Direction == Direction.Sell ? intent.StopLoss - price : price - intent.StopLoss;
        var targetDistance = intent.Direction == Direction.Sell ? price - intent.TakeProfit : intent.TakeProfit - price;
        var evidence = intent.HitEvidence > 0 ? intent.HitEvidence : 0;
        var posterior = BetaPosterior.From(intent.HitProbability, evidence, stats.Wins, stats.Losses);
        var hit = evidence + stats.Trades > 0 ? posterior.Mean : intent.HitProbability;
        double confidence = 0;
        if (stopDistance > 0 && targetDistance > 0 && double.IsFinite(price))
        {
            confidence = Confidence(intent.HitProbability, evidence, stats.Wins, stats.Losses, targetDistance / stopDistance, CostInR(spec, commissionPerLot, stopDistance));
        }

        return intent with { HitProbability = hit, HitEvidence = evidence + stats.Trades, Confidence = confidence };
    }
}
