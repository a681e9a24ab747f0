namespace KimiEA.Optimize.Overfitting;

/// <summary>
/// The standard normal distribution: CDF Φ and its inverse. Φ comes from erf by its everywhere-convergent series of
/// positive terms (no cancellation) near the centre and from the continued fraction of erfc in the tails, so both
/// tails keep their relative precision (about 1e-15); Φ⁻¹ starts from a rational guess and is polished by Halley steps
/// on that Φ, so Φ(Φ⁻¹(p)) = p to double precision.
/// </summary>
public static class Normal
{
    private const double SqrtTwo = 1.4142135623730951;
    private const double InvSqrtPi = 0.56418958354775628; // 1/√π
    private const double InvSqrtTwoPi = 0.3989422804014327; // 1/√(2π)

    /// <summary>The density φ(x).</summary>
    public static double Pdf(double x) => InvSqrtTwoPi * Math.Exp(-0.5 * x * x);

    /// <summary>Φ(x) = P(Z ≤ x).</summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        var z = Math.Abs(x) / SqrtTwo;
        // Below z = 2 the series is short and exact; beyond, the continued fraction converges fast.
        var upperTail = z < 2 ? 0.5 * (1 - Erf(z)) : 0.5 * Erfc(z);
        return x < 0 ? upperTail : 1 - upperTail;
    }

    /// <summary>Φ⁻¹(p) for p in (0, 1); −∞ at 0 and +∞ at 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">p outside [0, 1] or NaN.</exception>
    public static double InverseCdf(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must be in [0, 1].");
        }

        if (p == 0)
        {
            return double.NegativeInfinity;
        }

        if (p == 1)
        {
            return double.PositiveInfinity;
        }

        // Work in the lower tail (q ≤ 1/2) so that the small probability keeps its digits.
        var q = p < 0.5 ? p : 1 - p;
        // Starting point: the rational approximation of Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4).
        var t = Math.Sqrt(-2 * Math.Log(q));
        var x = -(t - ((2.515517 + (0.802853 * t) + (0.010328 * t * t)) / (1 + (1.432788 * t) + (0.189269 * t * t) + (0.001308 * t * t * t))));
        for (var i = 0; i < 4; i++)
        {
            // Halley's step on f(x) = Φ(x) − q: f' = φ, f'' = −xφ.
            var f = Cdf(x) - q;
            var d = Pdf(x);
            if (d == 0)
            {
                break;
            }

            var u = f / d;
            x -= u / (1 + (0.5 * x * u));
        }

        return p < 0.5 ? x : -x;
    }

    /// <summary>erf(z) for z ≥ 0 by erf(z) = (2/√π) e^(−z²) Σ 2ⁿ z^(2n+1) / (1·3·…·(2n+1)).</summary>
    private static double Erf(double z)
    {
        var term = z;
        var sum = z;
        for (var n = 1; n < 200; n++)
        {
            term *= 2 * z * z / ((2 * n) + 1);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return 2 * InvSqrtPi * Math.Exp(-z * z) * sum;
    }

    /// <summary>erfc(z) for z ≥ 2 by its continued fraction (e^(−z²)/√π) / (z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated from the tail.</summary>
    private static double Erfc(double z)
    {
        var f = z;
        for (var k = 120; k >= 1; k--)
        {
            f = z + (k / 2.0 / f);
        }

        return InvSqrtPi * Math.Exp(-z * z) / f;
    }
}
