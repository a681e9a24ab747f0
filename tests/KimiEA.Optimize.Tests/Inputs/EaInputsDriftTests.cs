using System.Globalization;
using System.Text.RegularExpressions;
using KimiEA.Core.Abi;
using KimiEA.Optimize.Inputs;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Optimize.Tests.Inputs;

/// <summary>EaInputs is the C# twin of KimiEA.mq5's inputs and BuildConfig: these read the EA and catch drift.</summary>
public partial class EaInputsDriftTests
{
    private static readonly string Ea = File.ReadAllText(RepoPaths.Path("mql5", "Experts", "KimiEA", "KimiEA.mq5"));

    [GeneratedRegex(@"^input\s+(\w+)\s+(Inp\w+)\s*=\s*([^;]*);", RegexOptions.Multiline)]
    private static partial Regex InputLine();

    [GeneratedRegex(@"^\s*config\.\w+\s*=\s*(?:\(\w+\))?\s*(Inp\w+)", RegexOptions.Multiline)]
    private static partial Regex BuildConfigLine();

    [Fact]
    public void EveryEaInput_IsInTheTable_InDeclarationOrder()
    {
        var names = InputLine().Matches(Ea).Select(m => m.Groups[2].Value).ToList();
        Assert.NotEmpty(names);
        Assert.Equal(names, EaInputs.All.Select(i => i.Name));
    }

    [Fact]
    public void EngineInputs_AreExactlyTheInputsBuildConfigReads()
    {
        var read = BuildConfigLine().Matches(Ea).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(read);
        // The EA also writes its mode, live opt-in and magic into the config; the tester sets those itself (paper mode
        // on a demo account, a magic per chart), so they are the host-only inputs BuildConfig reads.
        // The server clock is the simulated server's (UTC), so the tester sets it too.
        string[] testerOwned = ["InpMode", "InpLiveOptIn", "InpMagic", "InpServerTimeZone", "InpServerUtcOffsetMinutes"];
        Assert.All(testerOwned, n => Assert.False(EaInputs.Find(n)!.IsEngineInput));
        Assert.Equal(read.Order(StringComparer.Ordinal), EaInputs.All.Where(i => i.IsEngineInput).Select(i => i.Name).Concat(testerOwned).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OnTesterCriteria_AreKimiOptimizesCodes()
    {
        // KimiTester.mqh's KIMI_CRITERION_* and the EA's input enum carry OptimizationCriterion's codes, name for name
        var mqh = File.ReadAllText(RepoPaths.Path("mql5", "Include", "KimiEA", "KimiTester.mqh"));
        var defines = Regex.Matches(mqh, @"#define KIMI_CRITERION_(\w+)\s+(\d+)").ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var members = Regex.Matches(Ea, @"^\s+KIMI_CRIT_(\w+)\s*=\s*(\d+)", RegexOptions.Multiline).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        var expected = Enum.GetValues<KimiEA.Optimize.Search.OptimizationCriterion>()
            .Where(c => c != KimiEA.Optimize.Search.OptimizationCriterion.Custom)
            .ToDictionary(c => KimiEA.Optimize.Search.CriterionSpec.Name(c).Replace('-', '_').ToUpperInvariant(), c => (int)c);
        Assert.Equal(expected.OrderBy(p => p.Key), defines.OrderBy(p => p.Key));
        Assert.Equal(expected.OrderBy(p => p.Key), members.OrderBy(p => p.Key));
        Assert.Equal(expected.Values.Select(v => (long)v).Order(), EaInputs.Find("InpTesterCriterion")!.EnumValues.Order());
    }

    [Fact]
    public void EaDefaults_MapToTheEngineDefaults()
    {
        // Applying the EA's declared default of every engine input to KimiConfig.Defaults changes nothing: the scale
        // (a percent input / 100) and the field of each mapping agree with the EA.
        var defaults = KimiConfig.Defaults(7, 900);
        foreach (Match m in InputLine().Matches(Ea))
        {
            var input = EaInputs.Find(m.Groups[2].Value)!;
            if (!input.IsEngineInput)
            {
                continue;
            }

            var text = m.Groups[3].Value.Trim();
            var value = text switch
            {
                "true" => 1,
                "false" => 0,
                "KIMI_SIZE_KELLY" => AbiCodes.SizingKelly,
                _ => double.Parse(text, CultureInfo.InvariantCulture),
            };
            var c = defaults;
            input.Apply!(ref c, value);
            Assert.True(c.Equals(defaults), $"{input.Name}={text} does not map to the engine default");
        }
    }
}
