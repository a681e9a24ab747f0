using System.Globalization;
using KimiEA.Core.Abi;
using KimiEA.Engine;
using KimiEA.Engine.Agents;
using KimiEA.Engine.Validation;
using KimiEA.Smc.Signal;

namespace KimiEA.Optimize.Inputs;

/// <summary>How an EA input's value is written in a .set file and what it may hold.</summary>
public enum EaInputKind
{
    /// <summary>MQL5 int/long: a whole number.</summary>
    WholeNumber,
    /// <summary>MQL5 double.</summary>
    Real,
    /// <summary>MQL5 bool: true/false (MetaEditor also writes 1/0 in ranges).</summary>
    Boolean,
    /// <summary>An MQL5 enum: its integer value, one of <see cref="EaInput.EnumValues"/>.</summary>
    Enumeration,
    /// <summary>MQL5 string: never optimised.</summary>
    Text,
}

/// <summary>Writes an input's numeric value into the engine config as the EA's BuildConfig does.</summary>
/// <param name="config">The config to change.</param>
/// <param name="value">The input's value (whole numbers, 0/1 for bools, enum values as numbers).</param>
public delegate void EaInputSetter(ref KimiConfig config, double value);

/// <summary>
/// One input of <c>mql5/Experts/KimiEA/KimiEA.mq5</c>: its name, kind, default and how the EA turns it into a
/// <see cref="KimiConfig"/> field (<see cref="Apply"/> null: the input drives the EA or the terminal, not the engine —
/// see <see cref="HostOnly"/>).
/// </summary>
/// <param name="Name">The MQL5 identifier (InpRiskPercent), as the .set file names it.</param>
/// <param name="Kind">Value kind.</param>
/// <param name="Default">The default as the EA declares it (text as a .set file writes it).</param>
/// <param name="Apply">How the EA maps it into the engine config, or null for host-only inputs.</param>
/// <param name="HostOnly">Why a host-only input does not reach the engine in <c>kimi backtest</c> (null for engine inputs).</param>
public sealed record EaInput(string Name, EaInputKind Kind, string Default, EaInputSetter? Apply, string? HostOnly = null)
{
    /// <summary>The values an enumeration input may take.</summary>
    public IReadOnlyList<long> EnumValues { get; init; } = [];

    /// <summary>True when the input reaches the engine's config (and can be optimised).</summary>
    public bool IsEngineInput => Apply is not null;
}

/// <summary>
/// THE mapping of the EA's inputs to the engine config: the C# twin of <c>BuildConfig</c> in KimiEA.mq5, used by
/// every .set file reader (<c>kimi backtest --set</c>, <c>kimi optimize</c>) so that a .set applies in the tester
/// exactly as the EA applies it. A drift test reads KimiEA.mq5 and checks that every input and every BuildConfig
/// assignment is here. Values are validated by the engine's own rules (<see cref="Problem"/>), so a .set value the
/// EA's kimi_create would refuse is refused when the file is read.
/// </summary>
public static class EaInputs
{
    private static readonly KimiConfig D = KimiConfig.Defaults(0, 0);

    private const string ServerClockOwnedByTester =
        "kimi backtest's simulated server keeps UTC time (its data are read into UTC), so it gives every chart a fixed UTC server clock";

    /// <summary>Every input of the EA, in its declaration order.</summary>
    public static IReadOnlyList<EaInput> All { get; } =
    [
        new("InpMode", EaInputKind.Enumeration, "0", null, "kimi backtest runs the engine in paper mode on its simulated demo account") { EnumValues = [0, 1, 2] },
        new("InpLiveOptIn", EaInputKind.Boolean, "false", null, "live trading does not exist in the tester"),
        new("InpLiveAllowList", EaInputKind.Text, string.Empty, null, "live trading does not exist in the tester"),
        new("InpRiskPercent", EaInputKind.Real, Text(D.RiskPerTrade * 100), (ref KimiConfig c, double v) => c.RiskPerTrade = v / 100.0),
        new("InpSizing", EaInputKind.Enumeration, Text(D.SizingMode), (ref KimiConfig c, double v) => c.SizingMode = (long)v) { EnumValues = [AbiCodes.SizingKelly, AbiCodes.SizingFixedFraction] },
        new("InpKellyFraction", EaInputKind.Real, Text(D.KellyFraction), (ref KimiConfig c, double v) => c.KellyFraction = v),
        new("InpMinConfidence", EaInputKind.Real, Text(D.MinConfidence), (ref KimiConfig c, double v) => c.MinConfidence = v),
        new("InpAutoConfidence", EaInputKind.Real, Text(D.AutoExecuteConfidence), (ref KimiConfig c, double v) => c.AutoExecuteConfidence = v),
        new("InpApprovalExpiryBars", EaInputKind.WholeNumber, Text(D.ApprovalExpiryBars), (ref KimiConfig c, double v) => c.ApprovalExpiryBars = (long)v),
        new("InpMaxLot", EaInputKind.Real, Text(D.MaxLot), (ref KimiConfig c, double v) => c.MaxLot = v),
        new("InpMaxTotalRiskPercent", EaInputKind.Real, Text(D.MaxTotalRisk * 100), (ref KimiConfig c, double v) => c.MaxTotalRisk = v / 100.0),
        new("InpMaxLeverage", EaInputKind.Real, Text(D.MaxLeverage), (ref KimiConfig c, double v) => c.MaxLeverage = v),
        new("InpMinRewardRisk", EaInputKind.Real, Text(D.MinRewardRisk), (ref KimiConfig c, double v) => c.MinRewardRisk = v),
        new("InpCommissionPerLot", EaInputKind.Real, Text(D.CommissionPerLot), (ref KimiConfig c, double v) => c.CommissionPerLot = v),
        new("InpDailyDrawdownPercent", EaInputKind.Real, Text(D.DailyDrawdown * 100), (ref KimiConfig c, double v) => c.DailyDrawdown = v / 100.0),
        new("InpBreakerResetHour", EaInputKind.WholeNumber, Text(D.BreakerResetHour), (ref KimiConfig c, double v) => c.BreakerResetHour = (long)v),
        new("InpFlattenOnBreaker", EaInputKind.Boolean, "true", (ref KimiConfig c, double v) => c.FlattenOnBreaker = v != 0 ? 1 : 0),
        new("InpMagic", EaInputKind.WholeNumber, "20260401", null, "the tester gives each chart its own magic number"),
        new("InpMaxPositions", EaInputKind.WholeNumber, Text(D.MaxPositions), (ref KimiConfig c, double v) => c.MaxPositions = (long)v),
        new("InpMaxPositionsTotal", EaInputKind.WholeNumber, Text(D.MaxPositionsTotal), (ref KimiConfig c, double v) => c.MaxPositionsTotal = (long)v),
        new("InpOrdersPerMinute", EaInputKind.WholeNumber, Text(D.MaxOrdersPerMinute), (ref KimiConfig c, double v) => c.MaxOrdersPerMinute = (long)v),
        new("InpDeviationPoints", EaInputKind.WholeNumber, Text(D.DeviationPoints), (ref KimiConfig c, double v) => c.DeviationPoints = (long)v),
        new("InpMaxRetries", EaInputKind.WholeNumber, "3", null, "the simulated server never requotes, so the EA's retry count has nothing to retry"),
        new("InpMaxHoldingBars", EaInputKind.WholeNumber, Text(D.MaxHoldingBars), (ref KimiConfig c, double v) => c.MaxHoldingBars = (long)v),
        new("InpSwingLength", EaInputKind.WholeNumber, Text(D.SwingLength), (ref KimiConfig c, double v) => c.SwingLength = (long)v),
        new("InpRangePercent", EaInputKind.Real, Text(D.RangePercent), (ref KimiConfig c, double v) => c.RangePercent = v),
        new("InpPriceBandAtr", EaInputKind.Real, Text(D.PriceBandAtr), (ref KimiConfig c, double v) => c.PriceBandAtr = v),
        new("InpWarmupBars", EaInputKind.WholeNumber, Text(D.WarmupBars), (ref KimiConfig c, double v) => c.WarmupBars = (long)v),
        new("InpServerTimeZone", EaInputKind.Enumeration, Text(D.ServerTimeZone), null, ServerClockOwnedByTester) { EnumValues = [AbiCodes.TzFixed, AbiCodes.TzNewYorkClose] },
        new("InpServerUtcOffsetMinutes", EaInputKind.WholeNumber, Text(D.ServerUtcOffsetMinutes), null, ServerClockOwnedByTester),
        new("InpJournalPath", EaInputKind.Text, string.Empty, null, "kimi backtest takes the journal from --journal"),
        new("InpCalibrationFile", EaInputKind.Text, string.Empty, null, "kimi backtest takes the calibration file from --calibration"),
        new("InpPrintEvents", EaInputKind.Boolean, "false", null, "printing events changes no decision"),
        new("InpDrawZones", EaInputKind.Boolean, "true", null, "drawing zones changes no decision (kimi backtest's report draws them)"),
        new("InpMaxZoneObjects", EaInputKind.WholeNumber, "40", null, "drawing zones changes no decision"),
        new("InpCloseOnRemove", EaInputKind.Boolean, "false", null, "nobody removes the EA from a chart of kimi backtest: every position closes at the end of the data"),
        new("InpShowPanel", EaInputKind.Boolean, "true", null, "the panel changes no decision"),
        new("InpAlertPopup", EaInputKind.WholeNumber, "59", null, "the EA's alerts are silent in the tester"),
        new("InpAlertPush", EaInputKind.WholeNumber, "19", null, "the EA's alerts are silent in the tester"),
        new("InpAlertMail", EaInputKind.WholeNumber, "0", null, "the EA's alerts are silent in the tester"),
        new("InpTesterCriterion", EaInputKind.Enumeration, "0", null, "kimi optimize takes the criterion from --criterion (the same codes)") { EnumValues = [0, 1, 2, 3, 4, 5] },
    ];

    private static readonly Dictionary<string, EaInput> ByName = All.ToDictionary(i => i.Name, StringComparer.Ordinal);

    /// <summary>The input of that name (case-sensitive, as MQL5 identifiers are), or null.</summary>
    public static EaInput? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>
    /// Why the engine would refuse this config (kimi_create's KIMI_E_CONFIG text), or null when it accepts it: the
    /// field checks of the ABI, the chart's policy, the account limits and the signal's options — the engine's rules,
    /// not a copy of them.
    /// </summary>
    public static string? Problem(in KimiConfig config)
    {
        var field = AbiInput.Config(config);
        if (!field.IsNone)
        {
            return field.Describe("invalid input");
        }

        try
        {
            ConfigMapping.ToPolicy(config, liveAllowlist: null);
            ConfigMapping.ToAccountLimits(config);
            SmcSignalOptions.FromInputs(config).Validate();
            return null;
        }
        catch (EngineException e)
        {
            return e.Message;
        }
        catch (ArgumentException e)
        {
            return "invalid signal input: " + e.Message;
        }
    }

    /// <summary>A value as the .set file writes it: true/false for bools, the shortest round-trip text otherwise.</summary>
    public static string Format(EaInputKind kind, double value) => kind == EaInputKind.Boolean ? (value != 0 ? "true" : "false") : Text(value);

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
