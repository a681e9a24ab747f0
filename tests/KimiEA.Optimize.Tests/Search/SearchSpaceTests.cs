using System.Text;
using KimiEA.Core.Abi;
using KimiEA.Optimize.Inputs;
using KimiEA.Optimize.Search;
using Xunit;

namespace KimiEA.Optimize.Tests.Search;

public class SearchSpaceTests
{
    private static SetFile Set(string text) => SetFile.Parse(Encoding.UTF8.GetBytes(text), "s.set");

    // 3 × 2 × 4 = 24 combinations; the last input varies fastest.
    private static readonly SetFile Three = Set(
        "InpSwingLength=10||5||5||15||Y\n" +
        "InpFlattenOnBreaker=true||false||0||true||Y\n" +
        "InpMinRewardRisk=1.5||1.0||0.5||2.5||Y\n" +
        "InpRiskPercent=2\n");

    [Fact]
    public void Grid_IndexToCombination_MixedRadix_LastFastest()
    {
        var space = new SearchSpace(Three);
        Assert.Equal(24, space.GridCount);
        Assert.Equal([5m, 0m, 1.0m], space.Combination(0));
        Assert.Equal([5m, 0m, 1.5m], space.Combination(1));
        Assert.Equal([5m, 1m, 1.0m], space.Combination(4));
        // 13 = 1·8 + 1·4 + 1 → (10, true, 1.5)
        Assert.Equal([10m, 1m, 1.5m], space.Combination(13));
        Assert.Equal([15m, 1m, 2.5m], space.Combination(23));
        Assert.Throws<ArgumentOutOfRangeException>(() => space.Combination(24));
    }

    [Fact]
    public void Grid_EveryCombinationOnce_AndIndexOfInvertsIt()
    {
        var space = new SearchSpace(Three);
        var seen = new HashSet<string>();
        for (long i = 0; i < space.GridCount; i++)
        {
            var c = space.Combination(i);
            Assert.True(seen.Add(string.Join(",", c)));
            var positions = c.Select((v, p) => (long)((v - space.Parameters[p].Start!.Value) / space.Parameters[p].Step!.Value)).ToList();
            Assert.Equal(i, space.IndexOf(positions));
        }
    }

    [Fact]
    public void Grid_CountsBeyondMemory_AreEnumeratedLazily()
    {
        // 10^4 values per input over 3 inputs = 10^12 combinations: only the count and one combination are computed.
        var space = new SearchSpace(Set("InpRangePercent=0.01||0.0001||0.0001||0.9999||Y\nInpPriceBandAtr=1||0.001||0.001||10||Y\nInpKellyFraction=0.5||0.0001||0.0001||1||Y\n"));
        Assert.Equal(9_999L * 10_000 * 10_000, space.GridCount);
        Assert.Equal([0.9999m, 10m, 1m], space.Combination(space.GridCount - 1));
        var message = space.TooManyMessage(100_000);
        Assert.Contains("999,900,000,000", message, StringComparison.Ordinal);
        Assert.Contains("--search genetic", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_FileValuesThenCombination()
    {
        var space = new SearchSpace(Three);
        var c = space.Apply(KimiConfig.Defaults(1, 900), space.Combination(13));
        Assert.Equal(10, c.SwingLength);
        Assert.Equal(1, c.FlattenOnBreaker);
        Assert.Equal(1.5, c.MinRewardRisk);
        Assert.Equal(0.02, c.RiskPerTrade); // the fixed line of the file
    }

    [Fact]
    public void Constraints_FilterCombinations()
    {
        var set = Set("InpMinConfidence=0.7||0.5||0.1||0.9||Y\nInpAutoConfidence=0.85||0.5||0.1||0.9||Y\n");
        var space = new SearchSpace(set, ["InpMinConfidence <= InpAutoConfidence"]);
        var admitted = Enumerable.Range(0, (int)space.GridCount).Select(i => space.Combination(i)).Where(space.Admits).ToList();
        // 5 values each: pairs with min ≤ auto = 5 + 4 + 3 + 2 + 1 = 15
        Assert.Equal(15, admitted.Count);
        Assert.All(admitted, c => Assert.True(c[0] <= c[1]));
        // A fixed input of the file and arithmetic take part too.
        var both = new SearchSpace(Set("InpMinConfidence=0.7||0.5||0.1||0.8||Y\nInpRiskPercent=2\n"), ["InpMinConfidence * 10 + InpRiskPercent >= 9 and InpMinConfidence < 0.85"]);
        Assert.Equal([0.7m, 0.8m], Enumerable.Range(0, 4).Select(i => both.Combination(i)).Where(both.Admits).Select(c => c[0]));
    }

    [Theory]
    [InlineData("InpNope <= 1", "unknown name 'InpNope'")]
    [InlineData("InpMagic <= 1", "unknown name 'InpMagic'")]
    [InlineData("InpSwingLength <= (3", "missing ')'")]
    [InlineData("InpSwingLength <=", "unexpected end")]
    public void Constraints_BadFormula_IsRefused(string formula, string problem)
    {
        var e = Assert.Throws<ExpressionException>(() => new SearchSpace(Three, [formula]));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingOptimised_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new SearchSpace(Set("InpRiskPercent=2\n")));
        Assert.Contains("optimises no input", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToSetFile_WritesTheCombinationsValues()
    {
        var space = new SearchSpace(Three);
        var text = space.ToSetFile(space.Combination(13)).ToText();
        Assert.Contains("InpSwingLength=10||5||5||15||Y", text, StringComparison.Ordinal);
        Assert.Contains("InpFlattenOnBreaker=true||", text, StringComparison.Ordinal);
        Assert.Contains("InpMinRewardRisk=1.5||1.0||0.5||2.5||Y", text, StringComparison.Ordinal);
        Assert.Contains("InpRiskPercent=2||2||0||2||N", text, StringComparison.Ordinal);
    }
}
