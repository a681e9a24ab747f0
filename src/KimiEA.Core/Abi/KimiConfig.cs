using System.Runtime.InteropServices;

namespace KimiEA.Core.Abi;

/// <summary>The EA's inputs for one chart (C: <c>KimiConfig</c>). Defaults are the EA's input defaults.</summary>
/// <remarks>Mirror of include/kimiea.h: only 8-byte fields, so the layout is the same under every packing.</remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public partial struct KimiConfig
{
    /// <summary>magic number of this agent's orders</summary>
    public long Magic;
    /// <summary>chart period (PeriodSeconds())</summary>
    public long TimeframeSeconds;
    /// <summary>KIMI_MODE_* [SIMULATION]</summary>
    public long Mode;
    /// <summary>1 = the trader explicitly allows live trading [0]</summary>
    public long LiveOptIn;
    /// <summary>KIMI_SIZING_* [KELLY]</summary>
    public long SizingMode;
    /// <summary>open positions (and entries in flight) of this chart's agent at most [1]</summary>
    public long MaxPositions;
    /// <summary>across all agents [5]</summary>
    public long MaxPositionsTotal;
    /// <summary>account-wide order rate limit [10]</summary>
    public long MaxOrdersPerMinute;
    /// <summary>vertical barrier in bars of the chart timeframe [48]</summary>
    public long MaxHoldingBars;
    /// <summary>SMC swing length [10]</summary>
    public long SwingLength;
    /// <summary>server hour at which the trading day starts [0]</summary>
    public long BreakerResetHour;
    /// <summary>1 = close all positions when the breaker trips [1]</summary>
    public long FlattenOnBreaker;
    /// <summary>closed bars an intent in the approval band (min ≤ confidence &lt; auto) waits for kimi_approve [3]</summary>
    public long ApprovalExpiryBars;
    /// <summary>server time minus UTC outside daylight saving, minutes, -840 to 840 [120]</summary>
    public long ServerUtcOffsetMinutes;
    /// <summary>KIMI_TZ_*: the server clock's daylight rule, for sessions/kill zones; account-wide [NEW_YORK_CLOSE]</summary>
    public long ServerTimeZone;
    /// <summary>max slippage for market orders [10]</summary>
    public long DeviationPoints;
    /// <summary>bars the EA feeds through kimi_warmup [500]</summary>
    public long WarmupBars;
    /// <summary>fraction of equity at risk per trade [0.01]</summary>
    public double RiskPerTrade;
    /// <summary>fractional Kelly multiplier [0.5]</summary>
    public double KellyFraction;
    /// <summary>below: intent ignored [0.70]</summary>
    public double MinConfidence;
    /// <summary>at or above: executed; between min and this: waits for the trader's approval [0.85]</summary>
    public double AutoExecuteConfidence;
    /// <summary>hard lot cap per order [1.0]</summary>
    public double MaxLot;
    /// <summary>breaker trip level, fraction of day-start equity [0.02]</summary>
    public double DailyDrawdown;
    /// <summary>open risk + exposure cap across agents, fraction of equity [0.10]</summary>
    public double MaxTotalRisk;
    /// <summary>total notional / equity cap [30]</summary>
    public double MaxLeverage;
    /// <summary>entry must be within N x ATR of bid/ask [1.0]</summary>
    public double PriceBandAtr;
    /// <summary>SMC liquidity tolerance [0.01]</summary>
    public double RangePercent;
    /// <summary>minimum take-profit / stop distance ratio [1.5]</summary>
    public double MinRewardRisk;
    /// <summary>round-turn commission per lot in account currency, for sizing [0]</summary>
    public double CommissionPerLot;

    /// <summary>sizeof(KimiConfig) in bytes.</summary>
    public const int Size = 232;
}
