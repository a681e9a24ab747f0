namespace KimiEA.Core.Trading;

/// <summary>
/// What a signal wants to do, before sizing and risk checks: the horizontal barriers (stop, take-profit), the
/// vertical barrier (max holding bars) and a calibrated confidence in [0, 1]. Signals never create orders; the risk
/// core decides whether and how much.
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
    /// <summary>Calibrated probability that the take-profit is hit before the stop, in [0, 1].</summary>
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
