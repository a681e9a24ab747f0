using MathNet.Numerics.Distributions;

namespace KimiEA.Risk.Sizing;

/// <summary>
/// Beta posterior of an agent's win probability for one (symbol, setup). The prior is centred on the signal's
/// calibrated confidence c with a strength of k pseudo-trades, Beta(c·k, (1−c)·k); the agent's wins and losses
/// update it to Beta(c·k + wins, (1−c)·k + losses). Its mean is therefore the confidence shrunk towards the
/// observed win rate as trades accumulate (equivalently: the observed rate shrunk towards the confidence).
/// </summary>
public readonly record struct BetaPosterior(double Alpha, double Beta)
{
    // Beta(0, x) is improper; a confidence of exactly 0 or 1 still gives a proper posterior with this floor.
    private const double MinShape = 1e-6;

    /// <summary>The posterior for a confidence, a prior strength and a closed-trade record.</summary>
    public static BetaPosterior From(double confidence, double priorStrength, int wins, int losses)
    {
        var c = confidence < 0 ? 0 : confidence > 1 ? 1 : confidence;
        var a = (c * priorStrength) + wins;
        var b = ((1 - c) * priorStrength) + losses;
        return new BetaPosterior(a > MinShape ? a : MinShape, b > MinShape ? b : MinShape);
    }

    /// <summary>Posterior mean α/(α+β): the win probability Kelly uses (equal to MathNet's <c>Beta.Mean</c>, computed without allocating).</summary>
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
