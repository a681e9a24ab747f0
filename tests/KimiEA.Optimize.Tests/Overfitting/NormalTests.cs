using KimiEA.Optimize.Overfitting;
using Xunit;

namespace KimiEA.Optimize.Tests.Overfitting;

public class NormalTests
{
    // Reference values of the standard normal CDF (tables; e.g. Φ(1.96) = 0.9750021048517795).
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-1.0, 0.15865525393145705)]
    [InlineData(1.96, 0.9750021048517795)]
    [InlineData(2.5, 0.9937903346742238)]
    [InlineData(-3.0, 0.0013498980316300946)]
    [InlineData(-6.0, 9.865876450376946e-10)]
    [InlineData(-10.0, 7.619853024160527e-24)]
    [InlineData(-2.8, 0.0025551303304279312)]
    public void Cdf_MatchesReferenceValues_WithRelativePrecision(double x, double expected)
    {
        Assert.Equal(expected, Normal.Cdf(x), expected * 1e-13);
    }

    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.99, 2.3263478740408408)]
    [InlineData(0.01, -2.3263478740408408)]
    [InlineData(1e-10, -6.361340902404056)]
    [InlineData(0.8413447460685429, 1.0)]
    public void InverseCdf_MatchesReferenceValues(double p, double expected)
    {
        Assert.Equal(expected, Normal.InverseCdf(p), 1e-12);
    }

    [Fact]
    public void InverseCdf_IsTheInverseOfCdf_OverTheWholeRange()
    {
        // The lower tail keeps its relative precision, so the round trip is exact to ~1e-12 down to −8; above the
        // centre a p close to 1 has only absolute precision, so the upper half is checked by symmetry.
        for (var x = -8.0; x <= 2.0; x += 0.0625)
        {
            Assert.Equal(x, Normal.InverseCdf(Normal.Cdf(x)), 1e-11);
        }

        foreach (var p in new[] { 1e-9, 0.001, 0.2, 0.4999 })
        {
            Assert.Equal(-Normal.InverseCdf(p), Normal.InverseCdf(1 - p), 1e-6);
        }
    }

    [Fact]
    public void InverseCdf_Limits()
    {
        Assert.Equal(double.NegativeInfinity, Normal.InverseCdf(0));
        Assert.Equal(double.PositiveInfinity, Normal.InverseCdf(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Normal.InverseCdf(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Normal.InverseCdf(double.NaN));
    }
}
