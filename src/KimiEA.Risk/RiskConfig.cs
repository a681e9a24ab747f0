using KimiEA.Risk.Account;
using KimiEA.Risk.Barriers;
using KimiEA.Risk.Sizing;

namespace KimiEA.Risk;

/// <summary>How the engine is allowed to act on approved intents.</summary>
public enum TradingMode
{
    /// <summary>Decisions are made and recorded; no order is ever sent and no exposure is reserved.</summary>
    Simulation = 0,
    /// <summary>Orders are sent, but only when the account is a demo account.</summary>
    Paper = 1,
    /// <summary>Orders are sent on a real account; requires <see cref="RiskConfig.LiveOptIn"/> and the login in <see cref="RiskConfig.LiveAccountAllowList"/>.</summary>
    Live = 2,
}

/// <summary>
/// Every risk setting of the engine, with the documented defaults. The EA's inputs map one to one onto these
/// properties. Fractions are plain fractions (0.01 = 1 %). Call <see cref="Validate"/> once when the configuration
/// is built; the hot path assumes a valid configuration.
/// </summary>
public sealed record RiskConfig
{
    /// <summary>Intents below this confidence (posterior probability that the trade's expectancy is positive) are refused. Default 0.70.</summary>
    public double MinConfidence { get; init; } = 0.70;

    /// <summary>Intents at or above <see cref="MinConfidence"/> but below this are only signalled, never traded. Default 0.85.</summary>
    public double AutoExecuteConfidence { get; init; } = 0.85;

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

    /// <summary>Daily drawdown (fraction of the trading day's starting equity) that trips the breaker. Default 0.02.</summary>
    public double DailyDrawdown { get; init; } = 0.02;

    /// <summary>Hour (0–23, broker server time) at which a new trading day starts and the breaker resets. Default 0.</summary>
    public int TradingDayResetHour { get; init; }

    /// <summary>When true the breaker asks the engine to close every position on a trip. Default false.</summary>
    public bool FlattenOnTrip { get; init; }

    /// <summary>Total money at risk (to the stops) of all open positions of all agents, as a fraction of equity. Default 0.10.</summary>
    public double MaxOpenRisk { get; init; } = 0.10;

    /// <summary>Maximum effective leverage: total notional of all open positions / equity. Default 30.</summary>
    public double MaxLeverage { get; init; } = 30;

    /// <summary>Maximum open positions on one symbol across all agents. Default 2.</summary>
    public int MaxPositionsPerSymbol { get; init; } = 2;

    /// <summary>Maximum open positions across all agents. Default 10.</summary>
    public int MaxPositionsTotal { get; init; } = 10;

    /// <summary>The intent's entry must lie within this many ATRs of the executable price (ask for buys, bid for sells). Default 1.0.</summary>
    public double PriceBandAtr { get; init; } = 1.0;

    /// <summary>Maximum new orders per rolling minute of server time, account-wide. Default 10.</summary>
    public int MaxOrdersPerMinute { get; init; } = 10;

    /// <summary>Simulation (default), paper or live.</summary>
    public TradingMode Mode { get; init; } = TradingMode.Simulation;

    /// <summary>Explicit opt-in required for <see cref="TradingMode.Live"/>. Default false.</summary>
    public bool LiveOptIn { get; init; }

    /// <summary>Account numbers (ACCOUNT_LOGIN) on which live trading is allowed. Default empty.</summary>
    public IReadOnlyList<long> LiveAccountAllowList { get; init; } = [];

    /// <summary>Rule for bars in which both the stop and the take-profit were touched. Default stop first.</summary>
    public SameBarRule SameBarRule { get; init; } = SameBarRule.StopFirst;

    /// <summary>Vertical barrier by time in seconds, in addition to the intent's bar count; 0 (default) = bars only.</summary>
    public long MaxHoldingSeconds { get; init; }

    /// <summary>Throws when a setting is out of range, naming the setting and the value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        Fraction(MinConfidence, nameof(MinConfidence));
        Fraction(AutoExecuteConfidence, nameof(AutoExecuteConfidence));
        if (AutoExecuteConfidence < MinConfidence)
        {
            throw new ArgumentOutOfRangeException(nameof(AutoExecuteConfidence), AutoExecuteConfidence, $"must be at least MinConfidence ({MinConfidence}).");
        }

        Positive(RiskPerTrade, nameof(RiskPerTrade));
        if (RiskPerTrade > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RiskPerTrade), RiskPerTrade, "must be a fraction of equity in (0, 1].");
        }

        Positive(KellyFraction, nameof(KellyFraction));
        if (KellyFraction > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(KellyFraction), KellyFraction, "must be in (0, 1] (fractional Kelly).");
        }

        if (!(MaxLot >= 0) || double.IsInfinity(MaxLot))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLot), MaxLot, "must be 0 (symbol maximum) or a positive lot size.");
        }

        if (!(MaxRiskOvershoot >= 1) || double.IsInfinity(MaxRiskOvershoot))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRiskOvershoot), MaxRiskOvershoot, "must be at least 1.");
        }

        Positive(DailyDrawdown, nameof(DailyDrawdown));
        if (DailyDrawdown >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DailyDrawdown), DailyDrawdown, "must be a fraction of equity in (0, 1).");
        }

        if (TradingDayResetHour is < 0 or > 23)
        {
            throw new ArgumentOutOfRangeException(nameof(TradingDayResetHour), TradingDayResetHour, "must be an hour 0–23 of broker server time.");
        }

        Positive(MaxOpenRisk, nameof(MaxOpenRisk));
        Positive(MaxLeverage, nameof(MaxLeverage));
        Positive(PriceBandAtr, nameof(PriceBandAtr));
        if (MaxPositionsPerSymbol < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPositionsPerSymbol), MaxPositionsPerSymbol, "must be at least 1.");
        }

        if (MaxPositionsTotal < 1 || MaxPositionsTotal > AccountRiskBook.MaxSlots)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPositionsTotal), MaxPositionsTotal, $"must be in [1, {AccountRiskBook.MaxSlots}].");
        }

        if (MaxOrdersPerMinute < 1 || MaxOrdersPerMinute > AccountRiskBook.MaxSlots)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOrdersPerMinute), MaxOrdersPerMinute, $"must be in [1, {AccountRiskBook.MaxSlots}].");
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "is not a trading mode.");
        }

        if (!Enum.IsDefined(SizingMode))
        {
            throw new ArgumentOutOfRangeException(nameof(SizingMode), SizingMode, "is not a sizing mode.");
        }

        if (!Enum.IsDefined(SameBarRule))
        {
            throw new ArgumentOutOfRangeException(nameof(SameBarRule), SameBarRule, "is not a same-bar rule.");
        }

        ArgumentNullException.ThrowIfNull(LiveAccountAllowList, nameof(LiveAccountAllowList));
        if (MaxHoldingSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxHoldingSeconds), MaxHoldingSeconds, "must be 0 (bars only) or a positive number of seconds.");
        }
    }

    private static void Fraction(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be a probability in [0, 1].");
        }
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be a positive finite number.");
        }
    }
}
