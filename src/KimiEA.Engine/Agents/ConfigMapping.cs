using System.Globalization;
using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Risk;
using KimiEA.Risk.Barriers;
using KimiEA.Risk.Sizing;

namespace KimiEA.Engine.Agents;

/// <summary>Translates the ABI's POD structs (the EA's inputs and MT5 facts) into the engine libraries' types.</summary>
public static class ConfigMapping
{
    /// <summary>The risk configuration of the EA's inputs, validated.</summary>
    /// <exception cref="EngineException">KIMI_E_CONFIG with the reason when an input is out of range.</exception>
    public static RiskConfig ToRiskConfig(in KimiConfig c, string? liveAllowlist)
    {
        if (c.Mode is < AbiCodes.ModeSimulation or > AbiCodes.ModeLive)
        {
            throw new EngineException(AbiCodes.EConfig, $"mode {c.Mode} is not simulation (0), paper (1) or live (2).");
        }

        if (c.TimeframeSeconds <= 0)
        {
            throw new EngineException(AbiCodes.EConfig, $"timeframe_seconds must be positive (PeriodSeconds()), got {c.TimeframeSeconds}.");
        }

        if (c.SwingLength is < 1 or > 500)
        {
            throw new EngineException(AbiCodes.EConfig, $"swing_length must be in [1, 500], got {c.SwingLength}.");
        }

        if (c.MaxHoldingBars < 0)
        {
            throw new EngineException(AbiCodes.EConfig, $"max_holding_bars must not be negative, got {c.MaxHoldingBars}.");
        }

        if (c.AmbiguityRule is < AbiCodes.AmbiguityStopFirst or > AbiCodes.AmbiguityTargetFirst)
        {
            throw new EngineException(AbiCodes.EConfig, $"ambiguity_rule must be stop-first (0) or target-first (1), got {c.AmbiguityRule}.");
        }

        var config = new RiskConfig
        {
            MinConfidence = c.MinConfidence,
            AutoExecuteConfidence = c.AutoExecuteConfidence,
            SizingMode = c.SizingMode == AbiCodes.SizingFixedFraction ? SizingMode.FixedFraction : SizingMode.Kelly,
            RiskPerTrade = c.RiskPerTrade,
            KellyFraction = c.KellyFraction,
            MaxLot = c.MaxLot,
            DailyDrawdown = c.DailyDrawdown,
            TradingDayResetHour = (int)c.BreakerResetHour,
            FlattenOnTrip = c.FlattenOnBreaker != 0,
            MaxOpenRisk = c.MaxTotalRisk,
            MaxLeverage = c.MaxLeverage,
            MaxPositionsPerSymbol = (int)c.MaxPositionsPerSymbol,
            MaxPositionsTotal = (int)c.MaxPositionsTotal,
            PriceBandAtr = c.PriceBandAtr,
            MaxOrdersPerMinute = (int)c.MaxOrdersPerMinute,
            Mode = (TradingMode)c.Mode,
            LiveOptIn = c.LiveOptIn != 0,
            LiveAccountAllowList = ParseAllowList(liveAllowlist),
            SameBarRule = c.AmbiguityRule == AbiCodes.AmbiguityTargetFirst ? SameBarRule.TargetFirst : SameBarRule.StopFirst,
        };
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new EngineException(AbiCodes.EConfig, "invalid input: " + e.Message);
        }

        return config;
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
