namespace KimiEA.Risk.Gate;

/// <summary>
/// Why an intent was not traded. The numeric values are journaled and part of the C ABI; never renumber.
/// 1–29: the intent or the market ("cannot"); 30–59: sizing; 60–99: account-level limits and modes ("shouldn't").
/// </summary>
public enum DenyReason
{
    /// <summary>Not denied.</summary>
    None = 0,
    /// <summary>The intent has no direction.</summary>
    NoDirection = 1,
    /// <summary>A price or the confidence of the intent is not a finite number.</summary>
    InvalidIntent = 2,
    /// <summary>Confidence below <see cref="AgentPolicy.MinConfidence"/> of the chart.</summary>
    ConfidenceBelowMinimum = 3,
    /// <summary>The intent has no stop-loss.</summary>
    StopMissing = 4,
    /// <summary>The stop-loss is not on the losing side of the entry.</summary>
    StopWrongSide = 5,
    /// <summary>The intent has no take-profit (Kelly needs the payoff ratio).</summary>
    TakeProfitMissing = 6,
    /// <summary>The take-profit is not on the winning side of the entry.</summary>
    TakeProfitWrongSide = 7,
    /// <summary>The stop-loss is closer to the current price than the symbol's stops level (or on the wrong side of it).</summary>
    StopTooClose = 8,
    /// <summary>The take-profit is closer to the current price than the symbol's stops level (or on the wrong side of it).</summary>
    TakeProfitTooClose = 9,
    /// <summary>Bid/ask not positive, not finite, or ask below bid.</summary>
    InvalidQuote = 10,
    /// <summary>ATR not positive (indicator not warmed up): the price band cannot be checked.</summary>
    AtrUnavailable = 11,
    /// <summary>The intent's entry is more than N×ATR away from the executable price.</summary>
    OutsidePriceBand = 12,
    /// <summary>The symbol spec is unusable (tick size/value, volume step/min/max, notional or margin not positive).</summary>
    InvalidSymbolSpec = 13,

    /// <summary>Equity not positive.</summary>
    NoEquity = 30,
    /// <summary>Kelly fraction f* ≤ 0: no edge.</summary>
    NoEdge = 31,
    /// <summary>
    /// Retired: the credibility of the edge is now the intent's confidence itself (<see cref="Sizing.TradeWorthiness"/>),
    /// refused as <see cref="ConfidenceBelowMinimum"/>. No longer produced; the value stays reserved so that journals
    /// written by older builds still read.
    /// </summary>
    EdgeNotCredible = 32,
    /// <summary>The risk-based volume rounds down below the symbol's minimum volume.</summary>
    VolumeBelowMinimum = 33,
    /// <summary>The money at risk after rounding exceeds the cap or <see cref="AgentPolicy.MaxRiskOvershoot"/> × target.</summary>
    RiskAboveCap = 34,
    /// <summary>Free margin is not enough for the order.</summary>
    InsufficientMargin = 35,

    /// <summary>The process-wide emergency stop is engaged.</summary>
    EmergencyStop = 60,
    /// <summary>The daily drawdown breaker has tripped; no new risk until the next trading day.</summary>
    BreakerTripped = 61,
    /// <summary>Paper mode on an account that is not a demo account.</summary>
    PaperRequiresDemo = 62,
    /// <summary>Live mode without <see cref="AgentPolicy.LiveOptIn"/>.</summary>
    LiveNotOptedIn = 63,
    /// <summary>Live mode on an account not in <see cref="AgentPolicy.LiveAccountAllowList"/>.</summary>
    AccountNotAllowed = 64,
    /// <summary>The chart's own maximum of open positions (<see cref="AgentPolicy.MaxPositions"/>) is reached.</summary>
    MaxPositionsOfChart = 65,
    /// <summary>Maximum open positions overall reached.</summary>
    MaxPositionsTotal = 66,
    /// <summary>Netting account with an open position of the opposite direction on this symbol: the order would reduce or reverse it.</summary>
    NettingOppositePosition = 67,
    /// <summary>The symbol's volume limit in one direction (SYMBOL_VOLUME_LIMIT) would be exceeded.</summary>
    SymbolVolumeLimit = 68,
    /// <summary>Total open risk across all agents would exceed <see cref="AccountLimits.MaxOpenRisk"/> of equity.</summary>
    OpenRiskLimit = 69,
    /// <summary>Total notional / equity would exceed <see cref="AccountLimits.MaxLeverage"/>.</summary>
    LeverageLimit = 70,
    /// <summary>Order rate limit per minute reached.</summary>
    RateLimited = 71,
}

/// <summary>What the engine should do with an evaluated intent.</summary>
public enum DecisionOutcome
{
    /// <summary>Refused; see <see cref="TradeDecision.Reason"/>.</summary>
    Denied = 0,
    /// <summary>
    /// Valid and sized, with a confidence in the chart's approval band (min ≤ confidence &lt; auto-execute): it waits
    /// for the trader's approval; nothing is reserved until the approved intent passes the gate again.
    /// </summary>
    AwaitsApproval = 1,
    /// <summary>Simulation mode: record the sized decision, send nothing (no exposure reserved).</summary>
    RecordOnly = 2,
    /// <summary>Send the order with <see cref="TradeDecision.Volume"/>; exposure is reserved under <see cref="TradeDecision.Reservation"/>.</summary>
    Approved = 3,
}
