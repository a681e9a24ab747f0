using KimiEA.Optimize.Overfitting;
using Xunit;

namespace KimiEA.Optimize.Tests.Overfitting;

public class SharpeStatisticsTests
{
    [Fact]
    public void Deflated_ThePapersNumericalExample()
    {
        // Bailey & López de Prado (2014), "The Deflated Sharpe Ratio", numerical example: an annualised SR of 2.5 over
        // 5 years of daily returns (T = 1250, 250 days a year), skewness −3, kurtosis 10, selected among N = 100
        // independent trials whose annualised Sharpe ratios have variance 1/2. The paper finds SR₀ ≈ 0.1132 (per day)
        // and DSR ≈ 0.9004.
        var sr = 2.5 / Math.Sqrt(250);
        var v = 0.5 / 250;
        Assert.Equal(0.1132, SharpeStatistics.ExpectedMaxSharpe(100, v), 4);
        Assert.Equal(0.9004, SharpeStatistics.Deflated(sr, 1250, -3, 10, 100, v), 4);
    }

    [Fact]
    public void Probabilistic_HandComputed()
    {
        // SR 0.1, SR* 0, T 101, normal returns: z = 0.1·√100 / √(1 + 2/4·0.01) = 1/√1.005 = 0.997509…, Φ(z) = 0.840741…
        Assert.Equal(0.8407413278013518, SharpeStatistics.Probabilistic(0.1, 0, 101, 0, 3), 12);
        // SR 0.15, SR* 0.05, T 252, skew −1, kurtosis 6: z = 0.1·√251 / √(1 + 0.15 + 5/4·0.0225) = 1.4594…, Φ = 0.927803…
        Assert.Equal(0.9278033630028577, SharpeStatistics.Probabilistic(0.15, 0.05, 252, -1, 6), 12);
        // The benchmark equal to the observed ratio: exactly one half.
        Assert.Equal(0.5, SharpeStatistics.Probabilistic(0.2, 0.2, 30, 0.5, 4), 15);
    }

    [Fact]
    public void ExpectedMaxSharpe_OneTrialIsZero_AndGrowsWithN()
    {
        Assert.Equal(0, SharpeStatistics.ExpectedMaxSharpe(1, 1));
        // N = 2, V = 1: (1−γ)Φ⁻¹(1/2) + γΦ⁻¹(1 − 1/(2e)) = 0.57722·Φ⁻¹(0.816060) = 0.57722·0.900524 = 0.519800
        Assert.Equal(0.5198, SharpeStatistics.ExpectedMaxSharpe(2, 1), 4);
        Assert.True(SharpeStatistics.ExpectedMaxSharpe(1000, 1) > SharpeStatistics.ExpectedMaxSharpe(100, 1));
    }

    [Fact]
    public void Moments_HandComputed()
    {
        // r = 1, 2, 3, 10: mean 4, deviations −3 −2 −1 6; m2 = 50/4 = 12.5, m3 = (−27 −8 −1 +216)/4 = 45,
        // m4 = (81 + 16 + 1 + 1296)/4 = 348.5; sd = √(50/3); skew = 45 / 12.5^1.5; kurt = 348.5 / 156.25.
        var m = ReturnMoments.Of([1, 2, 3, 10]);
        Assert.Equal(4, m.Mean, 15);
        Assert.Equal(Math.Sqrt(50.0 / 3), m.StandardDeviation, 14);
        Assert.Equal(45 / Math.Pow(12.5, 1.5), m.Skewness, 14);
        Assert.Equal(348.5 / 156.25, m.Kurtosis, 14);
        Assert.Equal(4 / Math.Sqrt(50.0 / 3), m.Sharpe, 14);
    }

    [Fact]
    public void EffectiveTrials_FromCorrelation()
    {
        double[] a = [1, -1, 1, -1];
        double[] b = [1, 1, -1, -1];
        double[] c = [1, -1, -1, 1];
        // Orthogonal (uncorrelated) trials are independent: N_eff = N.
        Assert.Equal(3, SharpeStatistics.EffectiveTrials([a, b, c]), 12);
        // The same strategy three times (scaled): one trial.
        Assert.Equal(1, SharpeStatistics.EffectiveTrials([a, [.. a.Select(x => 2 * x)], [.. a.Select(x => x + 5)]]), 12);
        // Pairwise correlations 1/2 (x, x+y, ... built by hand): a, a+b have corr 1/√2; mean of {1/√2} for N = 2 →
        // N_eff = ρ + (1 − ρ)·2 = 2 − 1/√2.
        Assert.Equal(2 - (1 / Math.Sqrt(2)), SharpeStatistics.EffectiveTrials([a, [.. a.Zip(b, (x, y) => x + y)]]), 12);
        // A trial without trades (no dispersion) has no correlation: left out of ρ̄, still counted in N.
        Assert.Equal(3, SharpeStatistics.EffectiveTrials([a, b, [0, 0, 0, 0]]), 12);
    }
}
