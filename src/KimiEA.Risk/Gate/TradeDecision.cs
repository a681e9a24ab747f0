using KimiEA.Risk.Account;

namespace KimiEA.Risk.Gate;

/// <summary>
/// The result of sizing and gating one intent. A plain value: refusals carry a reason, never an exception.
/// </summary>
public readonly record struct TradeDecision
{
    /// <summary>Approved, signal-only, record-only or denied.</summary>
    public DecisionOutcome Outcome { get; init; }
    /// <summary>Why it was denied (<see cref="DenyReason.None"/> otherwise).</summary>
    public DenyReason Reason { get; init; }
    /// <summary>Volume in lots (rounded down to the step); 0 when denied before sizing.</summary>
    public double Volume { get; init; }
    /// <summary>Money at risk from the executable price to the stop at <see cref="Volume"/>, account currency.</summary>
    public double RiskMoney { get; init; }
    /// <summary>The win probability used for Kelly (posterior mean), or NaN when sizing was not reached.</summary>
    public double WinProbability { get; init; }
    /// <summary>Fraction of equity targeted for risk after fractional Kelly and caps.</summary>
    public double RiskFraction { get; init; }
    /// <summary>Exposure reservation to release when the order fails or the position closes (only when approved).</summary>
    public Reservation Reservation { get; init; }

    /// <summary>True when the engine should send the order.</summary>
    public bool IsApproved => Outcome == DecisionOutcome.Approved;

    /// <summary>A refusal.</summary>
    public static TradeDecision Deny(DenyReason reason) => new() { Outcome = DecisionOutcome.Denied, Reason = reason, WinProbability = double.NaN };
}
