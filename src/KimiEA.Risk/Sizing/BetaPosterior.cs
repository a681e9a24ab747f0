using MathNet.Numerics.Distributions;

namespace KimiEA.Risk.Sizing;

/// <summary>
/// Beta posterior of the hit rate of one (symbol, setup). The signal's calibration gives a mean p̂ and the evidence n
/// behind it (calibration intents with that score plus its prior's pseudo-observations), Beta(p̂·n, (1−p̂)·n); the
/// agent's wins and losses update it to Beta(p̂·n + wins, (1−p̂)·n + losses). Its mean is therefore the calibrated hit
/// probability shrunk towards the agent's observed win rate as its trades accumulate.
/// </summary>
public readonly record struct BetaPosterior(double Alpha, double Beta)
{
    // Beta(0, x) is improper; a confidence of exactly 0 or 1 still gives a proper posterior with this floor.
    private const double MinShape = 1e-6;

    /// <summary>The posterior for a calibrated hit probability, the evidence behind it and a closed-trade record.</summary>
    /// <param name="hitProbability">p̂, the calibrated mean (clamped to [0, 1]).</param>
    /// <param name="evidence">n, the concentration of the calibration's Beta (observations, ≥ 0).</param>
    /// <param name="wins">The agent's closed wins.</param>
    /// <param name="losses">The agent's closed losses.</param>
    public static BetaPosterior From(double hitProbability, double evidence, int wins, int losses)
    {
        var c = hitProbability < 0 ? 0 : hitProbability > 1 ? 1 : hitProbability;
        var a = (c * evidence) + wins;
        var b = ((1 - c) * evidence) + losses;
        return new BetaPosterior(a > MinShape ? a : MinShape, b > MinShape ? b : MinShape);
    }

    /// <summary>Posterior mean α/(α+β): the hit probability Kelly sizes with (equal to MathNet's <c>Beta.Mean</c>, computed without allocating).</summary>
    public double Mean => Alpha / (Alpha + Beta);

    /// <summary>Posterior probability that the true win rate exceeds <paramref name="threshold"/>, via MathNet's regularised incomplete beta.</summary>
    public double ProbabilityAbove(double threshold)
    {
        if (threshold <= 0)
        {
            return 1;
        }

        if (threshold >= 1)
        {
            return 0;
        }

        return 1 - MathNet.Numerics.Distributions.Beta.CDF(Alpha, Beta, threshold);
    }

    /// <summary>The MathNet distribution object (allocates; for reporting and tests, not the hot path).</summary>
    public MathNet.Numerics.Distributions.Beta ToDistribution() => new(Alpha, Beta);
}
