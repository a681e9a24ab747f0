namespace KimiEA.Risk;

/// <summary>How one chart's agent is allowed to act on approved intents.</summary>
public enum TradingMode
{
    /// <summary>Decisions are made and recorded; no order is ever sent and no exposure is reserved.</summary>
    Simulation = 0,
    /// <summary>Orders are sent, but only when the account is a demo account.</summary>
    Paper = 1,
    /// <summary>Orders are sent on a real account; requires <see cref="AgentPolicy.LiveOptIn"/> and the login in <see cref="AgentPolicy.LiveAccountAllowList"/>.</summary>
    Live = 2,
}
