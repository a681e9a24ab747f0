using KimiEA.Risk.Sizing;
using KimiEA.Smc.Signal;
using Xunit;
using Xunit.Abstractions;

namespace KimiEA.Engine.Tests.Decision;

/// <summary>
/// A seeded simulation study of the confidence (docs/signal.md, "Is the confidence honest?"). Each planted edge is a
/// setup whose true hit rate rises with its raw score; the study draws a calibration sample from it, fits the
/// calibration exactly as <c>kimi calibrate --fit</c> does (<see cref="ConfidenceCalibration.Fit"/>), gives the agent
/// a closed-trade record from the same edge, and then scores new trades with random payoffs and commissions through
/// <see cref="TradeWorthiness.Confidence"/>. The truth is known: a trade truly has positive expectancy when
/// p·b − (1 − p) − c &gt; 0 for its planted p. The claim checked: of the trades passed at ≥ 0.70 at least 70 % truly
/// have positive expectancy, and at least 85 % of those at ≥ 0.85.
/// </summary>
public sealed class ConfidenceHonestyStudy(ITestOutputHelper output)
{
    private static readonly double[] Scores = [0, 0.3, 0.6, 0.9];

    [Theory]
    // broad: base hit rates 0.15..0.50, lifts up to 0.06 per level, 30..1500 calibration intents
    [InlineData(20261206, false)]
    [InlineData(11, false)]
    [InlineData(4242, false)]
    // knife-edge: every level within ±0.06 of the break-even of a 2.25 R trade, only 30..300 calibration intents,
    // where an over-confident map (too much evidence claimed, costs or the agent's losses ignored) shows at once
    [InlineData(20261206, true)]
    [InlineData(77, true)]
    [InlineData(9001, true)]
    public void Of_the_trades_passed_at_a_threshold_at_least_that_share_truly_have_positive_expectancy(int seed, bool knifeEdge)
    {
        var rng = new Random(seed);
        var study = new Tally();
        for (var edge = 0; edge < 600; edge++)
        {
            // the planted edge: a base hit rate and a non-negative lift per score level (monotone in the score)
            var truth = new double[Scores.Length];
            truth[0] = knifeEdge ? (1 / 3.25) - 0.06 + (0.06 * rng.NextDouble()) : 0.15 + (0.35 * rng.NextDouble());
            for (var k = 1; k < truth.Length; k++)
            {
                truth[k] = Math.Min(0.85, truth[k - 1] + ((knifeEdge ? 0.04 : 0.06) * rng.NextDouble()));
            }

            // its calibration sample, fitted with prior strength 20
            var n = knifeEdge ? 30 + rng.Next(271) : 30 + rng.Next(1471);
            var scores = new double[n];
            var hits = new bool[n];
            for (var i = 0; i < n; i++)
            {
                var k = rng.Next(Scores.Length);
                scores[i] = Scores[k];
                hits[i] = rng.NextDouble() < truth[k];
            }

            var calibration = ConfidenceCalibration.Fit(scores, hits, priorStrength: 20);

            // new trades of this setup: random level, payoff 1.5..3 R, commission 0..0.1 R, and the agent's record
            // of its own closed trades of the setup (same edge, 0..60 trades; it mixes the levels it drew)
            var closed = rng.Next(61);
            int wins = 0;
            for (var t = 0; t < closed; t++)
            {
                wins += rng.NextDouble() < truth[rng.Next(Scores.Length)] ? 1 : 0;
            }

            for (var trade = 0; trade < 10; trade++)
            {
                var k = rng.Next(Scores.Length);
                var b = 1.5 + (1.5 * rng.NextDouble());
                var c = 0.1 * rng.NextDouble();
                var confidence = TradeWorthiness.Confidence(calibration.Map(Scores[k]), calibration.Evidence(Scores[k]), wins, closed - wins, b, c);
                var positive = (truth[k] * b) - (1 - truth[k]) - c > 0;
                study.Add(confidence, positive);
            }
        }

        output.WriteLine(study.ToString());

        // not vacuous: the study passes a real number of trades at each threshold (and, on broad edges, finds most)
        Assert.True(study.Passed70 >= 100 && study.Passed85 >= 50, study.ToString());
        Assert.True(study.Positive70 >= 0.70 * study.Passed70, study.ToString());
        Assert.True(study.Positive85 >= 0.85 * study.Passed85, study.ToString());
        Assert.True(knifeEdge || study.TrulyPositivePassed70 >= 0.5 * study.TrulyPositive, study.ToString());
    }

    private sealed class Tally
    {
        public int Trades;
        public int TrulyPositive;
        public int Passed70;
        public int Positive70;
        public int Passed85;
        public int Positive85;
        public int TrulyPositivePassed70;

        public void Add(double confidence, bool positive)
        {
            Trades++;
            TrulyPositive += positive ? 1 : 0;
            if (confidence >= 0.70)
            {
                Passed70++;
                Positive70 += positive ? 1 : 0;
                TrulyPositivePassed70 += positive ? 1 : 0;
            }

            if (confidence >= 0.85)
            {
                Passed85++;
                Positive85 += positive ? 1 : 0;
            }
        }

        public override string ToString() =>
            $"{Trades} trades, {TrulyPositive} truly positive; ≥ 0.70: {Passed70} passed, {Positive70} positive ({(double)Positive70 / Math.Max(1, Passed70):0.000}); " +
            $"≥ 0.85: {Passed85} passed, {Positive85} positive ({(double)Positive85 / Math.Max(1, Passed85):0.000}); " +
            $"positive trades passed at ≥ 0.70: {TrulyPositivePassed70} of {TrulyPositive}";
    }
}
