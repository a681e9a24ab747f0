namespace KimiEA.Optimize.Overfitting;

/// <summary>The first four moments of a return series, as the PSR needs them.</summary>
/// <param name="Count">Observations T.</param>
/// <param name="Mean">Mean return.</param>
/// <param name="StandardDeviation">Sample standard deviation (n − 1).</param>
/// <param name="Skewness">Skewness γ₃ (population moments: m₃ / m₂^1.5).</param>
/// <param name="Kurtosis">Kurtosis γ₄, not excess (normal: 3; population moments m₄ / m₂²).</param>
public readonly record struct ReturnMoments(int Count, double Mean, double StandardDeviation, double Skewness, double Kurtosis)
{
    /// <summary>The non-annualised Sharpe ratio mean / sd (0 without dispersion).</summary>
    public double Sharpe => StandardDeviation > 0 ? Mean / StandardDeviation : 0;

    /// <summary>The moments of a series (T ≥ 2; a series without dispersion has skewness 0 and kurtosis 3).</summary>
    public static ReturnMoments Of(ReadOnlySpan<double> r)
    {
        var n = r.Length;
        if (n < 2)
        {
            return new ReturnMoments(n, n == 1 ? r[0] : 0, 0, 0, 3);
        }

        var mean = 0.0;
        foreach (var x in r)
        {
            mean += x;
        }

        mean /= n;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var x in r)
        {
            var d = x - mean;
            var d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }

        var sd = Math.Sqrt(m2 / (n - 1));
        m2 /= n;
        m3 /= n;
        m4 /= n;
        return m2 > 0
            ? new ReturnMoments(n, mean, sd, m3 / Math.Pow(m2, 1.5), m4 / (m2 * m2))
            : new ReturnMoments(n, mean, 0, 0, 3);
    }
}

/// <summary>
/// The Probabilistic Sharpe Ratio and the Deflated Sharpe Ratio (Bailey &amp; López de Prado, "The Sharpe Ratio
/// Efficient Frontier", 2012, and "The Deflated Sharpe Ratio: Correcting for Selection Bias, Backtest Overfitting and
/// Non-Normality", Journal of Portfolio Management 40(5), 2014). Sharpe ratios are per observation (not annualised).
/// </summary>
public static class SharpeStatistics
{
    /// <summary>The Euler–Mascheroni constant γ.</summary>
    public const double EulerMascheroni = 0.57721566490153286;

    /// <summary>
    /// PSR(SR*) = Φ( (SR − SR*) √(T − 1) / √(1 − γ₃ SR + (γ₄ − 1)/4 SR²) ): the probability that the true Sharpe ratio
    /// exceeds <paramref name="benchmark"/>, given the observed one, the track length and the returns' skewness and
    /// kurtosis (γ₄ not excess).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">T &lt; 2, or moments for which the variance term is not positive.</exception>
    public static double Probabilistic(double sharpe, double benchmark, int observations, double skewness, double kurtosis)
    {
        if (observations < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(observations), observations, "The PSR needs at least two observations.");
        }

        var v = 1 - (skewness * sharpe) + ((kurtosis - 1) / 4 * sharpe * sharpe);
        if (!(v > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(kurtosis), kurtosis, $"1 − γ₃·SR + (γ₄ − 1)/4·SR² = {v} is not positive: the skewness and kurtosis do not belong to one distribution.");
        }

        return Normal.Cdf((sharpe - benchmark) * Math.Sqrt(observations - 1) / Math.Sqrt(v));
    }

    /// <summary>
    /// The expected maximum Sharpe ratio of <paramref name="trials"/> independent trials whose true Sharpe ratio is 0
    /// and whose estimates have variance <paramref name="varianceOfSharpe"/> (False Strategy theorem):
    /// √V · ((1 − γ) Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N e))). 0 for N ≤ 1. N may be fractional (an effective count).
    /// </summary>
    public static double ExpectedMaxSharpe(double trials, double varianceOfSharpe)
    {
        if (trials <= 1 || varianceOfSharpe <= 0)
        {
            return 0;
        }

        return Math.Sqrt(varianceOfSharpe)
            * (((1 - EulerMascheroni) * Normal.InverseCdf(1 - (1 / trials))) + (EulerMascheroni * Normal.InverseCdf(1 - (1 / (trials * Math.E)))));
    }

    /// <summary>DSR = PSR(SR₀) with SR₀ the expected maximum Sharpe ratio of N independent trials (<see cref="ExpectedMaxSharpe"/>).</summary>
    public static double Deflated(double sharpe, int observations, double skewness, double kurtosis, double trials, double varianceOfSharpe) =>
        Probabilistic(sharpe, ExpectedMaxSharpe(trials, varianceOfSharpe), observations, skewness, kurtosis);

    /// <summary>
    /// The effective number of independent trials among N correlated trials:
    /// N_eff = ρ̄ + (1 − ρ̄) N, with ρ̄ the mean pairwise correlation of the trials' returns (clamped to [0, 1]). It is
    /// N when the trials are uncorrelated and 1 when they are all the same strategy; a trial without dispersion (no
    /// trade) has no correlation and is left out of ρ̄.
    /// </summary>
    /// <param name="returns">trials × observations.</param>
    public static double EffectiveTrials(IReadOnlyList<double[]> returns)
    {
        ArgumentNullException.ThrowIfNull(returns);
        var n = returns.Count;
        if (n <= 1)
        {
            return n;
        }

        // Σ_{i≠j} corr(i, j) = |Σ zᵢ|² − Σ |zᵢ|² with zᵢ the centred, unit-length returns of trial i: O(N·T), not O(N²·T).
        var t = returns[0].Length;
        var total = new double[t];
        var m = 0;
        foreach (var r in returns)
        {
            if (r.Length != t)
            {
                throw new ArgumentException($"Every trial needs the same observations ({t}); one has {r.Length}.", nameof(returns));
            }

            var mean = 0.0;
            foreach (var x in r)
            {
                mean += x;
            }

            mean /= Math.Max(1, t);
            var ss = 0.0;
            foreach (var x in r)
            {
                ss += (x - mean) * (x - mean);
            }

            if (ss <= 0)
            {
                continue;
            }

            var norm = Math.Sqrt(ss);
            for (var k = 0; k < t; k++)
            {
                total[k] += (r[k] - mean) / norm;
            }

            m++;
        }

        var sumSquares = 0.0;
        foreach (var x in total)
        {
            sumSquares += x * x;
        }

        var rho = m > 1 ? Math.Clamp((sumSquares - m) / ((double)m * (m - 1)), 0, 1) : 1;
        return rho + ((1 - rho) * n);
    }
}
