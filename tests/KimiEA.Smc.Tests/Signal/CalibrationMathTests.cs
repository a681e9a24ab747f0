using Xunit;
using FsCheck;
using FsCheck.Fluent;
using KimiEA.Smc.Signal;

namespace KimiEA.Smc.Tests.Signal;

/// <summary>Isotonic calibration, Wilson intervals, Brier score and the confluence score, against hand computations and properties.</summary>
public sealed class CalibrationMathTests
{
    [Fact]
    public void Fit_WithoutPrior_PoolsTheViolatingBlocks()
    {
        // per score: 0.1 → 1/2 = 0.5, 0.5 → 0/2 = 0 (violates), 0.9 → 1/1.
        // PAV pools 0.1 and 0.5: (0.5·2 + 0·2)/4 = 0.25; knots {0.1, 0.9}, probabilities {0.25, 1}.
        var c = ConfidenceCalibration.Fit([0.1, 0.5, 0.1, 0.9, 0.5], [true, false, false, true, false], 0);
        Assert.Equal([0.1, 0.9], c.Knots.ToArray());
        Assert.Equal([0.25, 1.0], c.Probabilities.ToArray());
        Assert.Equal([4, 1], c.Trials.ToArray()); // the pooled knot holds the 4 intents of scores 0.1 and 0.5
        Assert.Equal(4, c.Evidence(0.3));
        Assert.Equal(0.25, c.Map(0.0)); // below the first knot
        Assert.Equal(0.25, c.Map(0.5));
        Assert.Equal(1.0, c.Map(0.95));
    }

    [Fact]
    public void Fit_WithPrior_ShrinksTowardsTheBaseRate()
    {
        // base rate 2/5 = 0.4, s = 2 → 0.8 pseudo-hits in 2 pseudo-trials per score:
        // 0.1 → (1 + 0.8)/4 = 0.45, 0.5 → 0.8/4 = 0.2 → pooled (0.45·4 + 0.2·4)/8 = 0.325, 0.9 → 1.8/3 = 0.6.
        var c = ConfidenceCalibration.Fit([0.1, 0.5, 0.1, 0.9, 0.5], [true, false, false, true, false], 2);
        Assert.Equal([0.1, 0.9], c.Knots.ToArray());
        Assert.Equal(0.325, c.Probabilities[0], 12);
        Assert.Equal(0.6, c.Probabilities[1], 12);
        Assert.Equal(4 + 2, c.Evidence(0.5), 12); // 4 intents plus the prior, counted once for the pooled knot
        Assert.Equal(1 + 2, c.Evidence(0.9), 12);
    }

    [Fact]
    public void Fit_IsMonotoneAndBounded_ForAnySample()
    {
        Prop.ForAll(
            Gen.Choose(0, 20).Select(i => i / 20.0).Zip(ArbMap.Default.GeneratorFor<bool>()).NonEmptyListOf().ToArbitrary(),
            Gen.Choose(0, 50).ToArbitrary(),
            (sample, prior) =>
            {
                var scores = sample.Select(s => s.Item1).ToArray();
                var hits = sample.Select(s => s.Item2).ToArray();
                var c = ConfidenceCalibration.Fit(scores, hits, prior);
                var last = -1.0;
                for (var s = 0.0; s <= 1.0; s += 0.01)
                {
                    var p = c.Map(s);
                    if (p < last || p < 0 || p > 1)
                    {
                        return false;
                    }

                    last = p;
                }

                // with no prior, isotonic regression preserves the total: Σ fitted = Σ hits
                var fittedSum = prior == 0 ? scores.Sum(c.Map) : hits.Count(h => h);
                return Math.Abs(fittedSum - hits.Count(h => h)) < 1e-9;
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Constructor_RejectsDecreasingProbabilities()
    {
        Assert.Throws<ArgumentException>(() => new ConfidenceCalibration([0.0, 0.5], [0.6, 0.5], [1, 1], 0));
        Assert.Throws<ArgumentException>(() => new ConfidenceCalibration([0.5, 0.5], [0.1, 0.2], [1, 1], 0));
        Assert.Throws<ArgumentException>(() => new ConfidenceCalibration([0.0], [1.5], [1], 0));
        Assert.Throws<ArgumentException>(() => new ConfidenceCalibration([0.0], [0.5], [-1], 0));
        Assert.Throws<ArgumentException>(() => new ConfidenceCalibration([0.0], [0.5], [1], -1));
        Assert.Throws<ArgumentException>(() => new ConfidenceCalibration([0.0, 0.5], [0.5, 0.6], [1], 0));
    }

    [Fact]
    public void Default_IsMonotoneInUnitInterval()
    {
        var d = ConfidenceCalibration.Default;
        for (var i = 0; i < d.Knots.Length; i++)
        {
            Assert.InRange(d.Probabilities[i], 0, 1);
            Assert.True(i == 0 || d.Probabilities[i] >= d.Probabilities[i - 1]);
        }
    }

    [Fact]
    public void Wilson_FiveOfTen_MatchesHandComputation()
    {
        // p = 0.5, z² = 3.8415, denom = 1.38415, centre = 0.5,
        // half = 1.96/1.38415 · √(0.025 + 3.8415/400) = 1.41601 · 0.186021 = 0.263408
        var (lo, hi) = CalibrationReport.Wilson(5, 10, CalibrationReport.Z95);
        Assert.Equal(0.236592, lo, 5);
        Assert.Equal(0.763408, hi, 5);
    }

    [Fact]
    public void Wilson_ZeroOfTwenty_StartsAtZero()
    {
        // k = 0: centre = (z²/2n)/denom, half = z/denom · z/(2n) → low = 0; high = z²/n / (1 + z²/n) = 0.19208/1.19208 = 0.16113
        var (lo, hi) = CalibrationReport.Wilson(0, 20, CalibrationReport.Z95);
        Assert.Equal(0, lo, 12);
        Assert.Equal(0.16113, hi, 4);
    }

    [Fact]
    public void Report_BucketsAndBrier_MatchHandComputation()
    {
        // confidences 0.8 (hit), 0.2 (miss), 0.25 (hit), 0.85 (miss); 4 buckets of width 0.25.
        // Brier = (0.04 + 0.04 + 0.5625 + 0.7225)/4 = 0.34125; base rate 0.5 → base-rate Brier 0.25.
        var r = CalibrationReport.Build([0.8, 0.2, 0.25, 0.85], [true, false, true, false], 4);
        Assert.Equal(4, r.Buckets.Count);
        Assert.Equal((1, 0, 0.2), (r.Buckets[0].Count, r.Buckets[0].Hits, r.Buckets[0].MeanConfidence));
        Assert.Equal((1, 1, 0.25), (r.Buckets[1].Count, r.Buckets[1].Hits, r.Buckets[1].MeanConfidence));
        Assert.Equal(0, r.Buckets[2].Count);
        Assert.Equal(2, r.Buckets[3].Count);
        Assert.Equal(1, r.Buckets[3].Hits);
        Assert.Equal(0.825, r.Buckets[3].MeanConfidence, 12);
        Assert.Equal(0.34125, r.BrierScore, 12);
        Assert.Equal(0.25, r.BaseRateBrierScore, 12);
        Assert.Equal(0.5, r.BaseRate);
        Assert.Equal(0.525, r.MeanConfidence, 12); // (0.8 + 0.2 + 0.25 + 0.85)/4
    }

    [Fact]
    public void ConfluenceScore_IsPresentWeightOverTotalWeight()
    {
        // weights in bit order 2, 0.5, 1, 1, 1, 1.5, 1, 0.5, 1, 2 → total 11.5; HtfBias + OrderBlock = 3 → 3/11.5
        var m = new ConfluenceModel(new ConfluenceWeights
        {
            HtfBias = 2, ChangeOfCharacter = 0.5, OrderBlock = 1, ZoneOverlap = 1, KillZone = 1,
            LiquiditySweep = 1.5, DeepDiscount = 1, LiquidityTarget = 0.5, Displacement = 1, ModestTarget = 2,
        });
        Assert.Equal(3 / 11.5, m.Score(SignalFactor.HtfBias | SignalFactor.OrderBlock), 12);
        Assert.Equal(0, m.Score(SignalFactor.None));
        Assert.Equal(1, m.Score((SignalFactor)((1u << ConfluenceWeights.FactorCount) - 1)), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfluenceModel(new ConfluenceWeights { KillZone = -1 }));

        // zero-weight factors do not move the score
        var d = new ConfluenceModel(new ConfluenceWeights { HtfBias = 1 });
        Assert.Equal(d.Score(SignalFactor.HtfBias), d.Score(SignalFactor.HtfBias | SignalFactor.OrderBlock));
    }

    [Fact]
    public void Weights_are_four_times_the_log_odds_lift_rounded_to_a_quarter()
    {
        // bit 0: with it 3 hits of 4, without it 1 of 4; shrunk by half an observation: (3.5/5) and (1.5/5).
        // odds 3.5/1.5 against 1.5/3.5 → ln(49/9) = 1.6946 → × 4 = 6.778 → 6.75.
        // bit 1 is on every intent (no contrast) → 0; bit 2 is on the misses only (negative lift) → 0.
        uint[] factors = [0b011, 0b011, 0b011, 0b111, 0b010, 0b010, 0b110, 0b110];
        bool[] hits = [true, true, true, false, true, false, false, false];
        var w = ConfluenceWeights.Fit(factors, hits);
        Assert.Equal(6.75, w.HtfBias);
        Assert.Equal(0, w.ChangeOfCharacter);
        Assert.Equal(0, w.OrderBlock);
        Assert.Throws<ArgumentException>(() => ConfluenceWeights.Fit([0b1u, 0b1u], [true, false])); // nothing to weigh
    }
}
