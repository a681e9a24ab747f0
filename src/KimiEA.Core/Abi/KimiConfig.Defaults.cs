namespace KimiEA.Core.Abi;

public partial struct KimiConfig
{
    /// <summary>
    /// The EA's input defaults (the values in brackets in include/kimiea.h). The EA, the tester and the tests start
    /// from these so that a default run means the same thing everywhere.
    /// </summary>
    public static KimiConfig Defaults(long magic, long timeframeSeconds) => new()
    {
        Magic = magic,
        TimeframeSeconds = timeframeSeconds,
        Mode = AbiCodes.ModeSimulation,
        LiveOptIn = 0,
        SizingMode = AbiCodes.SizingKelly,
        MaxPositions = 1,
        MaxPositionsTotal = 5,
        MaxOrdersPerMinute = 10,
        MaxHoldingBars = 48,
        SwingLength = 10,
        BreakerResetHour = 0,
        FlattenOnBreaker = 1,
        ApprovalExpiryBars = 3,
        ServerUtcOffsetMinutes = 120,
        ServerTimeZone = AbiCodes.TzNewYorkClose,
        DeviationPoints = 10,
        WarmupBars = 500,
        RiskPerTrade = 0.01,
        KellyFraction = 0.5,
        MinConfidence = 0.70,
        AutoExecuteConfidence = 0.85,
        MaxLot = 1.0,
        DailyDrawdown = 0.02,
        MaxTotalRisk = 0.10,
        MaxLeverage = 30,
        PriceBandAtr = 1.0,
        RangePercent = 0.01,
        MinRewardRisk = 1.5,
        CommissionPerLot = 0,
    };
}
