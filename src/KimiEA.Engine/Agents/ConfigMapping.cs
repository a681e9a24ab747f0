using System.Globalization;
using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Risk;
using KimiEA.Risk.Sizing;

namespace KimiEA.Engine.Agents;

/// <summary>Translates the ABI's POD structs (the EA's inputs and MT5 facts) into the engine libraries' types.</summary>
public static class ConfigMapping
{
    /// <summary>
    /// The chart's own decision settings from the EA's inputs, validated: mode, confidence gates, approval expiry,
    /// sizing and the chart's position count. Call after <see cref="Validation.AbiInput.Config"/>, which checks every
    /// field's type range (integers that must fit in int, enumeration values, finite numbers); this adds what only the
    /// settings know.
    /// </summary>
    /// <exception cref="EngineException">KIMI_E_CONFIG with the reason when an input is out of range.</exception>
    public static AgentPolicy ToPolicy(in KimiConfig c, string? liveAllowlist)
    {
        if (c.Mode is < AbiCodes.ModeSimulation or > AbiCodes.ModeLive)
        {
            throw new EngineException(AbiCodes.EConfig, $"mode {c.Mode} is not simulation (0), paper (1) or live (2).");
        }

        if (c.SwingLength is < 1 or > 500)
        {
            throw new EngineException(AbiCodes.EConfig, $"swing_length must be in [1, 500], got {c.SwingLength}.");
        }

        var policy = new AgentPolicy
        {
            Mode = (TradingMode)c.Mode,
            LiveOptIn = c.LiveOptIn != 0,
            LiveAccountAllowList = ParseAllowList(liveAllowlist),
            MinConfidence = c.MinConfidence,
            AutoExecuteConfidence = c.AutoExecuteConfidence,
            ApprovalExpiryBars = (int)c.ApprovalExpiryBars,
            SizingMode = c.SizingMode == AbiCodes.SizingFixedFraction ? SizingMode.FixedFraction : SizingMode.Kelly,
            RiskPerTrade = c.RiskPerTrade,
            KellyFraction = c.KellyFraction,
            MaxLot = c.MaxLot,
            PriceBandAtr = c.PriceBandAtr,
            MaxPositions = (int)c.MaxPositions,
        };
        return Validated(policy.Validate, policy);
    }

    /// <summary>
    /// The account-wide limits from the EA's inputs, validated: the server clock, the breaker (daily drawdown, reset hour, flatten),
    /// total open risk, leverage, positions across charts and the order rate. Every chart attached at the same time
    /// must bring the same values (<see cref="Account.AccountHub.Attach"/>). Call after
    /// <see cref="Validation.AbiInput.Config"/> (it checks that the counts and the hour fit their types).
    /// </summary>
    /// <exception cref="EngineException">KIMI_E_CONFIG with the reason when an input is out of range.</exception>
    public static AccountLimits ToAccountLimits(in KimiConfig c)
    {
        var limits = new AccountLimits
        {
            DailyDrawdown = c.DailyDrawdown,
            TradingDayResetHour = (int)c.BreakerResetHour,
            ServerClock = c.ServerClock,
            FlattenOnTrip = c.FlattenOnBreaker != 0,
            MaxOpenRisk = c.MaxTotalRisk,
            MaxLeverage = c.MaxLeverage,
            MaxPositionsTotal = (int)c.MaxPositionsTotal,
            MaxOrdersPerMinute = (int)c.MaxOrdersPerMinute,
        };
        return Validated(limits.Validate, limits);
    }

    /// <summary>
    /// The KimiConfig field and the EA input behind an <see cref="AccountLimits"/> property, for messages that tell
    /// the trader which input to change.
    /// </summary>
    public static string AccountInputName(string property) => property switch
    {
        nameof(AccountLimits.DailyDrawdown) => "daily_drawdown (EA input \"Daily drawdown limit, %\")",
        nameof(AccountLimits.ServerClock) => "server_time_zone and server_utc_offset_minutes (EA inputs \"Server clock rule\" and \"Server time minus UTC outside US daylight saving, minutes\")",
        nameof(AccountLimits.TradingDayResetHour) => "breaker_reset_hour (EA input \"Server hour the trading day starts\")",
        nameof(AccountLimits.FlattenOnTrip) => "flatten_on_breaker (EA input \"Close all positions when the breaker trips\")",
        nameof(AccountLimits.MaxOpenRisk) => "max_total_risk (EA input \"Open risk cap across charts, %\")",
        nameof(AccountLimits.MaxLeverage) => "max_leverage (EA input \"Total notional / equity cap\")",
        nameof(AccountLimits.MaxPositionsTotal) => "max_positions_total (EA input \"Max open positions across charts\")",
        nameof(AccountLimits.MaxOrdersPerMinute) => "max_orders_per_minute (EA input \"Max orders per minute (account-wide)\")",
        _ => property,
    };

    private static T Validated<T>(Action validate, T value)
    {
        try
        {
            validate();
        }
        catch (ArgumentException e)
        {
            throw new EngineException(AbiCodes.EConfig, "invalid input: " + e.Message);
        }

        return value;
    }

    /// <summary>Parses "123, 456;789" into account numbers.</summary>
    /// <exception cref="EngineException">An entry is not an account number.</exception>
    public static long[] ParseAllowList(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var parts = text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out result[i]) || result[i] <= 0)
            {
                throw new EngineException(AbiCodes.EConfig, $"live account allow-list entry '{parts[i]}' is not an account number.");
            }
        }

        return result;
    }

    /// <summary>Checks every field of the symbol facts (<see cref="Validation.AbiInput.Spec"/>).</summary>
    /// <exception cref="EngineException">KIMI_E_INVALID_ARGUMENT naming the bad field.</exception>
    public static void ValidateSpec(in KimiSymbolSpec s, string symbol)
    {
        var problem = Validation.AbiInput.Spec(s);
        if (!problem.IsNone)
        {
            throw new EngineException(AbiCodes.EInvalidArgument, problem.Describe($"symbol spec of {symbol}"));
        }
    }

    /// <summary>The Core symbol spec of the ABI struct.</summary>
    public static SymbolSpec ToSpec(in KimiSymbolSpec s) => new()
    {
        Digits = (int)s.Digits,
        Point = s.Point,
        TickSize = s.TickSize,
        TickValueProfit = s.TickValueProfit,
        TickValueLoss = s.TickValueLoss,
        ContractSize = s.ContractSize,
        VolumeMin = s.VolumeMin,
        VolumeStep = s.VolumeStep,
        VolumeMax = s.VolumeMax,
        VolumeLimit = s.VolumeLimit,
        StopsLevelPoints = (int)s.StopsLevelPoints,
        FreezeLevelPoints = (int)s.FreezeLevelPoints,
        MarginPerLot = s.MarginPerLot,
        NotionalPerLot = s.NotionalPerLot,
    };

    /// <summary>The Core account facts of the ABI struct.</summary>
    public static AccountFacts ToAccount(in KimiAccount a) => new()
    {
        Login = a.Login,
        TradeMode = (AccountTradeMode)a.TradeMode,
        MarginMode = (AccountMarginMode)a.MarginMode,
        Leverage = (int)a.Leverage,
        Balance = a.Balance,
        Equity = a.Equity,
        Margin = a.Margin,
        FreeMargin = a.FreeMargin,
    };

    /// <summary>The journal's name of an execution mode.</summary>
    public static string ModeName(long mode) => mode switch
    {
        AbiCodes.ModePaper => "paper",
        AbiCodes.ModeLive => "live",
        _ => "simulation",
    };
}
