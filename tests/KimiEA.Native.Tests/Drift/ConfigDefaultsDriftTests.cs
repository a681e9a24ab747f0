using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using KimiEA.Core.Abi;
using Xunit;

namespace KimiEA.Native.Tests.Drift;

/// <summary>
/// kimiea.h writes the EA's input defaults in brackets beside each KimiConfig field ("[0.01]", "[SIMULATION]").
/// The EA (KimiEA.mq5: its inputs and BuildConfig) and the C# defaults (KimiConfig.Defaults, used by the tester) must
/// mean the same run: every field is filled by BuildConfig exactly once, and the default input values, after the
/// EA's conversion (percent → fraction, bool → 0/1, enum → value), equal the header's.
/// </summary>
public sealed partial class ConfigDefaultsDriftTests
{
    private static string Mq5Path => Testing.RepoPaths.Path("mql5", "Experts", "KimiEA", "KimiEA.mq5");

    [Fact]
    public void Header_documents_a_default_for_every_config_field_but_magic_and_timeframe()
    {
        var defaults = HeaderDefaults();
        var fields = AbiSources.ParseHeader(File.ReadAllText(AbiSources.HeaderPath)).Structs["KimiConfig"].Select(f => f.Name);
        Assert.Equal(fields.Where(f => f is not ("magic" or "timeframe_seconds")), defaults.Keys);
    }

    [Fact]
    public void BuildConfig_fills_every_config_field_exactly_once()
    {
        var assigned = BuildConfigAssignments().Select(a => a.Field).ToList();
        var fields = AbiSources.ParseHeader(File.ReadAllText(AbiSources.HeaderPath)).Structs["KimiConfig"].Select(f => f.Name).ToList();
        Assert.Equal(fields.Order(StringComparer.Ordinal), assigned.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ea_input_defaults_equal_the_header_defaults()
    {
        var header = HeaderDefaults();
        var inputs = InputDefaults();
        var problems = new List<string>();
        foreach (var (field, expression) in BuildConfigAssignments())
        {
            if (!header.TryGetValue(field, out var expected))
            {
                continue; // magic and timeframe: no documented default
            }

            var actual = Evaluate(expression, inputs);
            if (actual is null)
            {
                problems.Add($"{field}: cannot evaluate the EA's expression '{expression}'");
            }
            else if (Math.Abs(actual.Value - expected) > 1e-12)
            {
                problems.Add($"{field}: kimiea.h default {expected.ToString(CultureInfo.InvariantCulture)}, the EA's inputs give {actual.Value.ToString(CultureInfo.InvariantCulture)} ('{expression}')");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void CSharp_defaults_equal_the_header_defaults()
    {
        var config = KimiConfig.Defaults(magic: 1, timeframeSeconds: 900);
        var problems = new List<string>();
        foreach (var (field, expected) in HeaderDefaults())
        {
            var value = Convert.ToDouble(typeof(KimiConfig).GetField(AbiSources.Pascal(field), BindingFlags.Public | BindingFlags.Instance)!.GetValue(config), CultureInfo.InvariantCulture);
            if (Math.Abs(value - expected) > 1e-12)
            {
                problems.Add($"{field}: kimiea.h default {expected.ToString(CultureInfo.InvariantCulture)}, KimiConfig.Defaults {value.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Signal_option_defaults_equal_the_header_defaults()
    {
        // the signal kimi calibrate, the shipped calibration and a default chart run is the EA's: its EA-input options
        // default to the header's values (SmcSignalOptions takes them from KimiConfig.Defaults)
        var header = HeaderDefaults();
        var signal = new KimiEA.Smc.Signal.SmcSignalOptions();
        Assert.Equal(header["swing_length"], signal.Structure.SwingLength);
        Assert.Equal(header["range_percent"], signal.Structure.RangePercent);
        Assert.Equal(header["max_holding_bars"], signal.MaxHoldingBars);
        Assert.Equal(header["min_reward_risk"], signal.MinRewardRisk);
        KimiEA.Smc.Signal.ShippedCalibration.File.EnsureMatches(signal); // and the shipped fit was made for them
    }

    [Fact]
    public void Ea_enum_inputs_use_the_header_values()
    {
        // The EA's enums are cast to long into KimiConfig, so each member must carry the value of its KIMI_* define.
        var defines = AbiSources.ParseHeader(File.ReadAllText(AbiSources.HeaderPath)).Defines;
        var members = EnumMembers();
        var pairs = new (string Member, string Define)[]
        {
            ("KIMI_RUN_SIMULATION", "KIMI_MODE_SIMULATION"), ("KIMI_RUN_PAPER", "KIMI_MODE_PAPER"), ("KIMI_RUN_LIVE", "KIMI_MODE_LIVE"),
            ("KIMI_SIZE_KELLY", "KIMI_SIZING_KELLY"), ("KIMI_SIZE_FIXED_FRACTION", "KIMI_SIZING_FIXED_FRACTION"),
            ("KIMI_CLOCK_FIXED", "KIMI_TZ_FIXED"), ("KIMI_CLOCK_NY_CLOSE", "KIMI_TZ_NEW_YORK_CLOSE"),
        };
        // KIMI_CRIT_* (OnTester's criterion) are kimi optimize's codes, not header defines: EaInputsDriftTests checks them
        Assert.Equal(pairs.Length, members.Count(m => !m.Key.StartsWith("KIMI_CRIT_", StringComparison.Ordinal)));
        Assert.All(pairs, p => Assert.True(members[p.Member] == defines[p.Define], $"{p.Member} = {members[p.Member]}, {p.Define} = {defines[p.Define]}"));
    }

    /// <summary>field → default, from the "[...]" in the comment of each KimiConfig field of kimiea.h.</summary>
    private static Dictionary<string, double> HeaderDefaults()
    {
        var text = File.ReadAllText(AbiSources.HeaderPath);
        var body = Regex.Match(text, @"typedef struct KimiConfig \{(.*?)\} KimiConfig;", RegexOptions.Singleline).Groups[1].Value;
        var defines = AbiSources.ParseHeader(text).Defines;
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in HeaderDefault().Matches(body))
        {
            var token = m.Groups[2].Value.Trim();
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                result.Add(m.Groups[1].Value, number);
                continue;
            }

            var define = defines.Keys.Where(k => k.EndsWith("_" + token, StringComparison.Ordinal)).ToList();
            Assert.True(define.Count == 1, $"KimiConfig.{m.Groups[1].Value}: default [{token}] names {define.Count} KIMI_* defines");
            result.Add(m.Groups[1].Value, defines[define[0]]);
        }

        return result;
    }

    /// <summary>The assignments <c>config.field = expression;</c> of the EA's BuildConfig.</summary>
    private static List<(string Field, string Expression)> BuildConfigAssignments()
    {
        var text = File.ReadAllText(Mq5Path);
        var body = Regex.Match(text, @"void BuildConfig\(KimiConfig &config\)\s*\{(.*?)\n  \}", RegexOptions.Singleline);
        Assert.True(body.Success, "KimiEA.mq5 has no BuildConfig(KimiConfig &config)");
        return ConfigAssignment().Matches(body.Groups[1].Value).Select(m => (m.Groups[1].Value, m.Groups[2].Value.Trim())).ToList();
    }

    /// <summary>input name → default value (numbers, true/false, enum members).</summary>
    private static Dictionary<string, double> InputDefaults()
    {
        var members = EnumMembers();
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in InputDeclaration().Matches(File.ReadAllText(Mq5Path)))
        {
            var raw = m.Groups[2].Value.Trim();
            if (raw.StartsWith('"'))
            {
                continue; // strings (allow-list, journal path) are not KimiConfig fields
            }

            result.Add(m.Groups[1].Value, raw switch
            {
                "true" => 1,
                "false" => 0,
                _ when members.TryGetValue(raw, out var v) => v,
                _ => double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture),
            });
        }

        return result;
    }

    private static Dictionary<string, long> EnumMembers() =>
        EnumMember().Matches(File.ReadAllText(Mq5Path))
            .ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);

    /// <summary>The value of one BuildConfig expression over the input defaults; null for a form it does not know.</summary>
    private static double? Evaluate(string expression, Dictionary<string, double> inputs)
    {
        var m = Expression().Match(expression);
        if (!m.Success || !inputs.TryGetValue(m.Groups[1].Value, out var value))
        {
            return null;
        }

        if (m.Groups[2].Success)
        {
            return value != 0 ? 1 : 0; // InpX ? 1 : 0
        }

        return m.Groups[3].Success ? value / double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : value;
    }

    [GeneratedRegex(@"^\s*(?:int64_t|double)\s+(\w+);\s*/\*[^\[\n]*\[([^\]]+)\]", RegexOptions.Multiline)]
    private static partial Regex HeaderDefault();

    [GeneratedRegex(@"config\.(\w+)\s*=\s*([^;]+);")]
    private static partial Regex ConfigAssignment();

    [GeneratedRegex(@"^input\s+\w+\s+(\w+)\s*=\s*([^;]+);", RegexOptions.Multiline)]
    private static partial Regex InputDeclaration();

    [GeneratedRegex(@"^\s+(KIMI_(?:RUN|SIZE|AMB|CLOCK|CRIT)_\w+)\s*=\s*(\d+)", RegexOptions.Multiline)]
    private static partial Regex EnumMember();

    [GeneratedRegex(@"^(?:\(long\))?(Inp\w+)(\s*\?\s*1\s*:\s*0)?(?:\s*/\s*([0-9.]+))?$")]
    private static partial Regex Expression();
}
