using KimiEA.Core.Time;
using KimiEA.Core.Abi;
using KimiEA.Smc.Structure;
using KimiEA.Smc.Time;

namespace KimiEA.Smc.Signal;

/// <summary>
/// Every parameter of <see cref="SmcSignal"/>. Defaults are the documented setup of docs/signal.md, the
/// configuration <see cref="ConfidenceCalibration.Default"/> was fitted with. The parameters that are EA inputs
/// (swing length, liquidity range percent, max holding bars, minimum reward/risk) take their defaults from the EA's
/// input defaults, <see cref="KimiConfig.Defaults"/>: one source for the EA, the tester, <c>kimi calibrate</c> and the
/// shipped calibration. <see cref="FromInputs"/> maps a chart's inputs. <see cref="ChartPeriodSeconds"/> has no default: it is
/// the chart's own, and the default bias source needs it.
/// </summary>
public sealed record SmcSignalOptions
{
    // The EA's input defaults: the single source of the defaults of the signal's EA inputs.
    private static readonly KimiConfig EaDefaults = KimiConfig.Defaults(magic: 0, timeframeSeconds: 0);

    /// <summary>
    /// The structure detectors' parameters (swing length, close break, liquidity range percent, ...); swing length
    /// and range percent default to the EA's inputs. Liquidity tolerance must stay causal (NaN).
    /// </summary>
    public StructureOptions Structure { get; init; } = new() { SwingLength = (int)EaDefaults.SwingLength, RangePercent = EaDefaults.RangePercent };

    /// <summary>ATR period (Wilder) for the stop buffer, the stop-size limits and displacement.</summary>
    public int AtrPeriod { get; init; } = 14;

    /// <summary>The stop sits this many ATR beyond the zone (or the signal bar's extreme, whichever is further).</summary>
    public double StopBufferAtr { get; init; } = 0.25;

    /// <summary>Setups whose stop distance is below this many ATR are skipped (a stop inside the noise).</summary>
    public double MinStopAtr { get; init; } = 0.5;

    /// <summary>Setups whose stop distance is above this many ATR are skipped (the zone is too wide to trade).</summary>
    public double MaxStopAtr { get; init; } = 4.0;

    /// <summary>Minimum reward/risk: a liquidity target nearer than this is passed over for the next one.</summary>
    public double MinRewardRisk { get; init; } = EaDefaults.MinRewardRisk;

    /// <summary>Reward/risk cap: the take-profit is never further than this many R (and is exactly this when no liquidity qualifies).</summary>
    public double MaxRewardRisk { get; init; } = 3.0;

    /// <summary>Vertical barrier: bars of the signal's time frame after which the trade times out.</summary>
    public int MaxHoldingBars { get; init; } = (int)EaDefaults.MaxHoldingBars;

    /// <summary>
    /// The chart's bar period in seconds (MT5 PeriodSeconds()); it picks the <see cref="HigherTimeframe"/> of the
    /// structure bias. 0 = not given: then there is no structure bias (<see cref="SignalFactor.HtfStructure"/> is
    /// never set), which <see cref="Validate"/> refuses when <see cref="HtfBiasSource"/> is Structure.
    /// </summary>
    public long ChartPeriodSeconds { get; init; }

    /// <summary>Where <see cref="SignalFactor.HtfBias"/> comes from (docs/signal.md compares both on real data).</summary>
    public HtfBiasSource HtfBiasSource { get; init; } = HtfBiasSource.Structure;

    /// <summary>Structure parameters on the higher timeframe; null = the chart's <see cref="Structure"/>.</summary>
    public StructureOptions? HtfStructure { get; init; }

    /// <summary>Period of the slow EMA of closes (<see cref="SignalFactor.EmaTrend"/>, and the bias when <see cref="HtfBiasSource"/> is Ema).</summary>
    public int HtfEmaPeriod { get; init; } = 200;

    /// <summary>Require the higher-timeframe bias to agree (otherwise it is only a confluence factor).</summary>
    public bool RequireHtfBias { get; init; }

    /// <summary>
    /// Use a BOS/CHoCH only once it is <see cref="StructureBreak.Confirmed"/> (no later pattern can clear it). Off by
    /// default: a broken level is already a fact at its bar (causal either way); clearing is the reference's
    /// de-duplication when a later break supersedes it, and waiting for it delays about a third of the setups.
    /// </summary>
    public bool RequireConfirmedBreak { get; init; }

    /// <summary>A zone older than this many bars (since it became known) no longer arms a setup.</summary>
    public int MaxZoneAgeBars { get; init; } = 120;

    /// <summary>A breaking bar whose range is at least this many ATR counts as displacement.</summary>
    public double DisplacementAtr { get; init; } = 1.5;

    /// <summary>How many bars before the zone's own bar a liquidity sweep may lie and still count.</summary>
    public int SweepLookbackBars { get; init; } = 24;

    /// <summary>Kill zones (London open and New York by default, UTC windows).</summary>
    public IReadOnlyList<SessionWindow> KillZones { get; init; } = [SessionWindow.LondonOpenKillZone, SessionWindow.NewYorkKillZone];

    /// <summary>The clock of the bar timestamps (broker server time); UTC for the shipped samples.</summary>
    public MarketTimeZone DataClock { get; init; } = MarketTimeZone.Utc;

    /// <summary>The setup id stamped on every intent (per-setup statistics in the risk core).</summary>
    public int SetupId { get; init; } = 1;

    /// <summary>Weights of the confluence factors; default: the shipped calibration's.</summary>
    public ConfluenceWeights Weights { get; init; } = ShippedCalibration.File.Weights;

    /// <summary>Maps the raw score to the hit probability and its evidence; default: the shipped calibration.</summary>
    public ConfidenceCalibration Calibration { get; init; } = ConfidenceCalibration.Default;

    /// <summary>
    /// The signal options of a chart's EA inputs: swing length, liquidity range percent, max holding bars (0 = the
    /// default), minimum reward/risk (0 = the default; the cap is raised to it when it is larger) and the server's clock
    /// (<see cref="KimiConfig.ServerClock"/>: its rule and offset) for the kill zones; every other option keeps its default. Not validated (call <see cref="Validate"/>).
    /// </summary>
    public static SmcSignalOptions FromInputs(in KimiConfig config)
    {
        var defaults = new SmcSignalOptions();
        var minRr = config.MinRewardRisk > 0 ? config.MinRewardRisk : defaults.MinRewardRisk;
        return defaults with
        {
            Structure = defaults.Structure with { SwingLength = (int)Math.Clamp(config.SwingLength, int.MinValue, int.MaxValue), RangePercent = config.RangePercent },
            MaxHoldingBars = config.MaxHoldingBars > 0 ? (int)Math.Min(config.MaxHoldingBars, int.MaxValue) : defaults.MaxHoldingBars,
            MinRewardRisk = minRr,
            MaxRewardRisk = Math.Max(minRr, defaults.MaxRewardRisk),
            DataClock = config.ServerClock, // bar times are server times: New York close moves them an hour with US daylight saving
            ChartPeriodSeconds = config.TimeframeSeconds, // picks the higher timeframe of the structure bias
        };
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid parameter.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Structure);
        ArgumentNullException.ThrowIfNull(KillZones);
        ArgumentNullException.ThrowIfNull(Weights);
        ArgumentNullException.ThrowIfNull(Calibration);
        Structure.Validate();
        Weights.Validate();
        if (!double.IsNaN(Structure.LiquidityTolerance))
        {
            // a fixed tolerance is allowed (it is known up front); only a whole-series one would look ahead, and the engine never computes that
            Check(Structure.LiquidityTolerance >= 0, nameof(Structure), Structure.LiquidityTolerance, "Structure.LiquidityTolerance must be NaN (causal) or ≥ 0.");
        }

        Check(AtrPeriod >= 1, nameof(AtrPeriod), AtrPeriod, "AtrPeriod must be at least 1.");
        Check(HtfEmaPeriod >= 1, nameof(HtfEmaPeriod), HtfEmaPeriod, "HtfEmaPeriod must be at least 1.");
        Check(Enum.IsDefined(HtfBiasSource), nameof(HtfBiasSource), HtfBiasSource, "HtfBiasSource must be Structure or Ema.");
        Check(ChartPeriodSeconds >= 0, nameof(ChartPeriodSeconds), ChartPeriodSeconds, "ChartPeriodSeconds must be ≥ 0 (0 = not given).");
        if (HtfBiasSource == HtfBiasSource.Structure)
        {
            Check(ChartPeriodSeconds > 0, nameof(ChartPeriodSeconds), ChartPeriodSeconds, "The structure bias (HtfBiasSource.Structure) needs ChartPeriodSeconds, the chart's bar period, to pick its higher timeframe.");
            Check(
                !RequireHtfBias || HigherTimeframe.For(ChartPeriodSeconds, out _),
                nameof(RequireHtfBias),
                RequireHtfBias,
                $"RequireHtfBias with the structure bias needs a higher timeframe, and a chart period of {ChartPeriodSeconds} s has none (W1 and above, or a period that does not divide a day): no setup could ever pass.");
        }

        HtfStructure?.Validate();
        Check(MaxHoldingBars >= 1, nameof(MaxHoldingBars), MaxHoldingBars, "MaxHoldingBars must be at least 1.");
        Check(MaxZoneAgeBars >= 1, nameof(MaxZoneAgeBars), MaxZoneAgeBars, "MaxZoneAgeBars must be at least 1.");
        Check(SweepLookbackBars >= 0, nameof(SweepLookbackBars), SweepLookbackBars, "SweepLookbackBars must be ≥ 0.");
        Check(StopBufferAtr >= 0 && double.IsFinite(StopBufferAtr), nameof(StopBufferAtr), StopBufferAtr, "StopBufferAtr must be a finite number ≥ 0.");
        Check(MinStopAtr >= 0 && MaxStopAtr > MinStopAtr && double.IsFinite(MaxStopAtr), nameof(MaxStopAtr), MaxStopAtr, "Need 0 ≤ MinStopAtr < MaxStopAtr < ∞.");
        Check(MinRewardRisk > 0 && MaxRewardRisk >= MinRewardRisk && double.IsFinite(MaxRewardRisk), nameof(MaxRewardRisk), MaxRewardRisk, "Need 0 < MinRewardRisk ≤ MaxRewardRisk < ∞.");
        Check(DisplacementAtr >= 0 && double.IsFinite(DisplacementAtr), nameof(DisplacementAtr), DisplacementAtr, "DisplacementAtr must be a finite number ≥ 0.");
    }

    private static void Check(bool ok, string name, object value, string message)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, message);
        }
    }
}
