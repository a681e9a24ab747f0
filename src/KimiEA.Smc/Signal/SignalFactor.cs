namespace KimiEA.Smc.Signal;

/// <summary>
/// The named confluence factors of the SMC setup; an intent's <see cref="Core.Trading.TradeIntent.Factors"/> is the
/// bit set of those present. Bit positions are stable (journal, per-setup statistics): never renumber.
/// The meaning of each factor and its weight are documented in docs/signal.md and <see cref="ConfluenceWeights"/>.
/// </summary>
[Flags]
public enum SignalFactor : uint
{
    /// <summary>No factor.</summary>
    None = 0,
    /// <summary>Higher-timeframe bias agrees with the trade, from the source <see cref="SmcSignalOptions.HtfBiasSource"/>
    /// selects: the same bit as <see cref="HtfStructure"/> or <see cref="EmaTrend"/>. This is the bias the score weighs
    /// and <see cref="SmcSignalOptions.RequireHtfBias"/> filters on.</summary>
    HtfBias = 1u << 0,
    /// <summary>The break that armed the setup was a change of character (the previous break went the other way).</summary>
    ChangeOfCharacter = 1u << 1,
    /// <summary>The zone is an order block (otherwise a fair value gap).</summary>
    OrderBlock = 1u << 2,
    /// <summary>An order block and a fair value gap of the trade's direction overlap where price touched.</summary>
    ZoneOverlap = 1u << 3,
    /// <summary>The signal bar opened inside a kill zone (London open or New York, see <see cref="SmcSignalOptions.KillZones"/>).</summary>
    KillZone = 1u << 4,
    /// <summary>Opposite-side liquidity was swept within the setup: a pool or the previous day's extreme against the trade was traded through since the zone formed.</summary>
    LiquiditySweep = 1u << 5,
    /// <summary>Entry in the deep discount (long, below 38.2 % of the dealing range) or deep premium (short, above 61.8 %).</summary>
    DeepDiscount = 1u << 6,
    /// <summary>The take-profit is opposing liquidity (a pool or a confirmed swing), not the reward/risk cap.</summary>
    LiquidityTarget = 1u << 7,
    /// <summary>The breaking bar's range was at least <see cref="SmcSignalOptions.DisplacementAtr"/> ATR (displacement).</summary>
    Displacement = 1u << 8,
    /// <summary>The reward/risk is at most 2 (a nearer target is reached more often).</summary>
    ModestTarget = 1u << 9,
    /// <summary>The higher timeframe's structure agrees: its latest broken BOS/CHoCH, on closed higher-timeframe bars,
    /// points the trade's way (<see cref="HtfStructureBias"/>). Recorded whatever the bias source, to measure it.</summary>
    HtfStructure = 1u << 10,
    /// <summary>The slow EMA agrees: the close is on the trade's side of EMA(<see cref="SmcSignalOptions.HtfEmaPeriod"/>)
    /// and the EMA slopes that way. Recorded whatever the bias source, to measure it.</summary>
    EmaTrend = 1u << 11,
}
