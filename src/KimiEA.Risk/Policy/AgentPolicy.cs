using KimiEA.Risk.Sizing;

namespace KimiEA.Risk;

/// <summary>
/// The decision settings of ONE chart's agent: what it may do (mode), which intents it takes (confidence gates, price
/// band), how it sizes them and how many positions it may hold. Each chart has its own; nothing here is shared with
/// other charts. The account-wide limits every chart shares are <see cref="AccountLimits"/>. Fractions are plain
/// fractions (0.01 = 1 %). Call <see cref="Validate"/> once when the policy is built; the hot path assumes it is valid.
/// </summary>
public sealed record AgentPolicy
{
    /// <summary>Simulation (default), paper or live.</summary>
    public TradingMode Mode { get; init; } = TradingMode.Simulation;

    /// <summary>Explicit opt-in required for <see cref="TradingMode.Live"/>. Default false.</summary>
    public bool LiveOptIn { get; init; }

    /// <summary>Account numbers (ACCOUNT_LOGIN) on which live trading is allowed. Default empty.</summary>
    public IReadOnlyList<long> LiveAccountAllowList { get; init; } = [];

    /// <summary>Intents whose confidence (the posterior probability that the trade's expectancy is positive, see docs/signal.md) is below this are ignored. Default 0.70.</summary>
    public double MinConfidence { get; init; } = 0.70;

    /// <summary>
    /// Intents at or above this confidence are executed without asking; between <see cref="MinConfidence"/> and this
    /// they wait for the trader's approval. Default 0.85.
    /// </summary>
    public double AutoExecuteConfidence { get; init; } = 0.85;

    /// <summary>Closed bars an intent in the approval band waits for the trader before it expires. Default 3.</summary>
    public int ApprovalExpiryBars { get; init; } = 3;

    /// <summary>Kelly (default) or fixed-fraction sizing.</summary>
    public SizingMode SizingMode { get; init; } = SizingMode.Kelly;

    /// <summary>Maximum money at risk per trade as a fraction of equity; also the fixed fraction in fixed-fraction mode. Default 0.01.</summary>
    public double RiskPerTrade { get; init; } = 0.01;

    /// <summary>Multiplier applied to the full Kelly fraction f*. Default 0.5 (half Kelly).</summary>
    public double KellyFraction { get; init; } = 0.5;

    /// <summary>Maximum lot size of one order in addition to the symbol's own maximum; 0 (default) = symbol maximum only.</summary>
    public double MaxLot { get; init; }

    /// <summary>The money at risk after rounding may never exceed this multiple of the target risk. Default 1.5.</summary>
    public double MaxRiskOvershoot { get; init; } = 1.5;

    /// <summary>The intent's entry must lie within this many ATRs of the executable price (ask for buys, bid for sells). Default 1.0.</summary>
    public double PriceBandAtr { get; init; } = 1.0;

    /// <summary>Maximum open positions (and entries in flight) of this chart's agent. Default 2.</summary>
    public int MaxPositions { get; init; } = 2;

    /// <summary>Throws when a setting is out of range, naming the setting and the value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "is not a trading mode.");
        }

        ArgumentNullException.ThrowIfNull(LiveAccountAllowList, nameof(LiveAccountAllowList));
        Limits.Probability(MinConfidence, nameof(MinConfidence));
        Limits.Probability(AutoExecuteConfidence, nameof(AutoExecuteConfidence));
        if (AutoExecuteConfidence < MinConfidence)
        {
            throw new ArgumentOutOfRangeException(nameof(AutoExecuteConfidence), AutoExecuteConfidence, $"must be at least MinConfidence ({MinConfidence}).");
        }

        if (ApprovalExpiryBars is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(ApprovalExpiryBars), ApprovalExpiryBars, "must be 1–10000 bars.");
        }

        if (!Enum.IsDefined(SizingMode))
        {
            throw new ArgumentOutOfRangeException(nameof(SizingMode), SizingMode, "is not a sizing mode.");
        }

        Limits.FractionOfOne(RiskPerTrade, nameof(RiskPerTrade), "must be a fraction of equity in (0, 1].");
        Limits.FractionOfOne(KellyFraction, nameof(KellyFraction), "must be in (0, 1] (fractional Kelly).");
        if (!(MaxLot >= 0) || double.IsInfinity(MaxLot))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLot), MaxLot, "must be 0 (symbol maximum) or a positive lot size.");
        }

        if (!(MaxRiskOvershoot >= 1) || double.IsInfinity(MaxRiskOvershoot))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRiskOvershoot), MaxRiskOvershoot, "must be at least 1.");
        }

        Limits.Positive(PriceBandAtr, nameof(PriceBandAtr));
        if (MaxPositions is < 1 or > AccountLimits.MaxPositionsCeiling)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPositions), MaxPositions, $"must be in [1, {AccountLimits.MaxPositionsCeiling}].");
        }
    }
}
