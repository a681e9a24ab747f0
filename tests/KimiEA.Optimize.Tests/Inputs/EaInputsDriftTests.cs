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
        string[] testerOwned = ["InpMode", "InpLiveOptIn", "InpMagic"];
        Assert.All(testerOwned, n => Assert.False(EaInputs.Find(n)!.IsEngineInput));
        Assert.Equal(read.Order(StringComparer.Ordinal), EaInputs.All.Where(i => i.IsEngineInput).Select(i => i.Name).Concat(testerOwned).Order(StringComparer.Ordinal));
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
