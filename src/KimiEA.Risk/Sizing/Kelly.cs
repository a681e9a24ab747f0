namespace KimiEA.Risk.Sizing;

/// <summary>Kelly criterion for a binary bet that wins b units with probability p and loses 1 unit otherwise.</summary>
public static class Kelly
{
    /// <summary>
    /// Full Kelly fraction f* = p − (1−p)/b. Negative or zero means no edge. Returns 0 when b is not positive
    /// (no payoff, no bet).
    /// </summary>
    public static double Fraction(double winProbability, double payoffRatio) =>
        payoffRatio > 0 ? winProbability - ((1 - winProbability) / payoffRatio) : 0;

    /// <summary>The win probability at which f* = 0: 1/(1+b).</summary>
    public static double BreakEvenProbability(double payoffRatio) => 1 / (1 + payoffRatio);
}
