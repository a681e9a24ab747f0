using System.Text;
using KimiEA.Optimize.Inputs;
using KimiEA.Optimize.Search;
using Xunit;

namespace KimiEA.Optimize.Tests.Search;

public class GeneticSearchTests
{
    // 100 × 100 = 10,000 combinations; the fitness peaks at swing 37, warm-up 420.
    private static readonly SearchSpace Space = new(SetFile.Parse(Encoding.UTF8.GetBytes(
        "InpSwingLength=10||1||1||100||Y\nInpWarmupBars=500||10||10||1000||Y\n"), "g.set"));

    private static double Fitness(decimal[] c) => -(double)(((c[0] - 37) * (c[0] - 37)) + (((c[1] - 420) / 10) * ((c[1] - 420) / 10)));

    private static List<long> Run(ulong seed, long budget)
    {
        var g = new GeneticSearch(Space, seed, 16);
        var scores = new Dictionary<long, double>();
        while (g.Next(scores, budget) is { Count: > 0 } batch)
        {
            foreach (var i in batch)
            {
                scores[i] = Fitness(Space.Combination(i));
            }
        }

        return [.. g.Proposed];
    }

    [Fact]
    public void SameSeed_SameTrials_DifferentSeed_DifferentTrials()
    {
        var a = Run(7, 400);
        Assert.Equal(a, Run(7, 400));
        Assert.NotEqual(a, Run(8, 400));
    }

    [Fact]
    public void RespectsTheBudget_NeverRepeatsATrial_AndClimbs()
    {
        var trials = Run(3, 400);
        Assert.Equal(400, trials.Count);
        Assert.Equal(trials.Count, trials.Distinct().Count());
        // 4 % of the grid, and the best trial found is within a few steps of the peak.
        var best = trials.Max(i => Fitness(Space.Combination(i)));
        Assert.True(best >= -8, $"best fitness {best}");
    }

    [Fact]
    public void AGridSmallerThanTheBudget_IsExhaustedAndStops()
    {
        var small = new SearchSpace(SetFile.Parse(Encoding.UTF8.GetBytes("InpSwingLength=10||1||1||5||Y\n"), "g.set"));
        var g = new GeneticSearch(small, 1, 4);
        var scores = new Dictionary<long, double>();
        for (var gen = 0; gen < 50; gen++)
        {
            foreach (var i in g.Next(scores, 100))
            {
                scores[i] = i;
            }
        }

        Assert.Equal([0L, 1, 2, 3, 4], g.Proposed.Order());
    }
}
