namespace KimiEA.Core.Trading;

/// <summary>
/// What a signal wants to do, before sizing and risk checks: the horizontal barriers (stop, take-profit), the
/// vertical barrier (max holding bars), the calibrated probability that the take-profit comes first with the evidence
/// behind it, and the confidence that the trade is worth taking. Signals never create orders; the risk core decides
/// whether and how much (docs/signal.md, "From hit probability to confidence").
/// </summary>
public readonly record struct TradeIntent
{
    /// <summary>Buy or sell.</summary>
    public Direction Direction { get; init; }
    /// <summary>Intended entry price (the price at which the signal was evaluated, e.g. the signal bar's close).</summary>
    public double Entry { get; init; }
    /// <summary>Stop-loss price (beyond the invalidating swing or zone).</summary>
    public double StopLoss { get; init; }
    /// <summary>Take-profit price (opposing liquidity or an R multiple).</summary>
    public double TakeProfit { get; init; }
    /// <summary>Vertical barrier: the position is closed after this many bars of the signal's time frame.</summary>
    public int MaxHoldingBars { get; init; }
    /// <summary>
    /// Calibrated probability that the take-profit is touched before the stop and the vertical barrier, in [0, 1]:
    /// the mean of the Beta posterior of the hit rate. The signal sets it from its calibration; the risk core updates
    /// it with the agent's own closed trades at decision time. Kelly sizes with it.
    /// </summary>
    public double HitProbability { get; init; }
    /// <summary>
    /// Weight of the evidence behind <see cref="HitProbability"/>, in observations: the concentration α + β of its
    /// Beta posterior (calibration intents with this score plus the prior's pseudo-observations, plus the agent's
    /// closed trades once assessed). 0 means no evidence: the trade is never worth taking.
    /// </summary>
    public double HitEvidence { get; init; }
    /// <summary>
    /// Trade-worthiness in [0, 1]: the posterior probability that the trade's expectancy in R, at the executable
    /// price and after commission, is positive. The gates compare it with min / auto-execute confidence. A signal
    /// leaves it 0; the risk core's <c>TradeWorthiness.Assess</c> sets it at decision time.
    /// </summary>
    public double Confidence { get; init; }
    /// <summary>Identifies the setup (signal family) for per-setup statistics; stable numeric code.</summary>
    public int SetupId { get; init; }
    /// <summary>Bit set of the confluence factors that were present (meaning defined by the signal).</summary>
    public uint Factors { get; init; }
    /// <summary>Open time of the bar whose close produced the intent (server seconds).</summary>
    public long SignalBarTime { get; init; }

    /// <summary>Distance entry→stop (always ≥ 0).</summary>
    public double StopDistance => Math.Abs(Entry - StopLoss);
    /// <summary>Distance entry→take-profit (always ≥ 0).</summary>
    public double TargetDistance => Math.Abs(TakeProfit - Entry);
    /// <summary>Payoff ratio b = target distance / stop distance (0 if the stop distance is 0).</summary>
    public double RewardRisk => StopDistance > 0 ? TargetDistance / StopDistance : 0;
}
