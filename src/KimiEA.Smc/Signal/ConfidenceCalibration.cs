namespace KimiEA.Smc.Signal;

/// <summary>
/// Maps a raw confluence score in [0, 1] to a calibrated probability that the intent's take-profit is reached before
/// its stop and before its vertical barrier. The map is a non-decreasing step function: knot <c>i</c> covers scores
/// from <see cref="Knots"/>[i] up to the next knot; a score below the first knot takes the first probability. It is
/// fitted by <see cref="Fit"/> (per-score hit frequencies shrunk by a Beta prior, then isotonic regression by pool
/// adjacent violators) and the fitted knots are checked into <see cref="Default"/>.
/// </summary>
public sealed class ConfidenceCalibration
{
    private readonly double[] _knots;
    private readonly double[] _probabilities;

    /// <summary>Creates a calibration from its knots (strictly increasing scores) and their probabilities (non-decreasing, in [0, 1]).</summary>
    /// <exception cref="ArgumentException">The arrays are empty, of different lengths, not ordered, or a probability is outside [0, 1].</exception>
    public ConfidenceCalibration(ReadOnlySpan<double> knots, ReadOnlySpan<double> probabilities)
    {
        if (knots.Length == 0 || knots.Length != probabilities.Length)
        {
            throw new ArgumentException($"A calibration needs the same positive number of knots and probabilities, got {knots.Length} and {probabilities.Length}.", nameof(knots));
        }

        for (var i = 0; i < knots.Length; i++)
        {
            if (!double.IsFinite(knots[i]) || !(probabilities[i] >= 0 && probabilities[i] <= 1))
            {
                throw new ArgumentException($"Knot {i}: score {knots[i]} must be finite and probability {probabilities[i]} must be in [0, 1].", nameof(probabilities));
            }

            if (i > 0 && (knots[i] <= knots[i - 1] || probabilities[i] < probabilities[i - 1]))
            {
                throw new ArgumentException($"Knot {i}: scores must increase strictly and probabilities must not decrease (score {knots[i - 1]} → {knots[i]}, probability {probabilities[i - 1]} → {probabilities[i]}).", nameof(knots));
            }
        }

        _knots = knots.ToArray();
        _probabilities = probabilities.ToArray();
    }

    /// <summary>The knot scores, strictly increasing.</summary>
    public ReadOnlySpan<double> Knots => _knots;

    /// <summary>The probability of each knot, non-decreasing.</summary>
    public ReadOnlySpan<double> Probabilities => _probabilities;

    /// <summary>
    /// The calibration shipped with the signal: fitted by <c>kimi calibrate --fit</c> with the default (H1 chart)
    /// <see cref="SmcSignalOptions"/> on EURUSD H1 2007-01..2012-12 (data/samples/lean-oanda), prior strength 20; it is
    /// reported on the held-out 2013-2018 part of the same file and on the EURUSD M15 fixture (docs/signal.md).
    /// </summary>
    public static ConfidenceCalibration Default { get; } = new(
        [0, 0.21052631578947367, 0.3157894736842105, 0.3684210526315789, 0.5263157894736842, 0.7894736842105263],
        [0.265, 0.2655, 0.2655, 0.3226, 0.3544, 0.3695]);

    /// <summary>The calibrated probability of a raw score (allocation-free).</summary>
    public double Map(double rawScore)
    {
        var k = _knots;
        var i = 0;
        // Few knots (at most one per distinct score): a linear scan beats a binary search and is branch-predictable.
        while (i + 1 < k.Length && rawScore >= k[i + 1])
        {
            i++;
        }

        return _probabilities[i];
    }

    /// <summary>
    /// Fits a calibration: groups the samples by distinct raw score, turns each group's hit count into a posterior
    /// mean under a Beta prior centred on the overall hit rate (<c>(hits + s·p̄) / (n + s)</c>, which keeps rare
    /// scores from claiming 0 or 1), then enforces monotonicity with weighted pool-adjacent-violators (weights
    /// <c>n + s</c>). Deterministic.
    /// </summary>
    /// <param name="rawScores">Raw score of each labelled intent.</param>
    /// <param name="hits">Whether each intent's take-profit came first.</param>
    /// <param name="priorStrength">Beta prior strength <c>s</c> in pseudo-observations (≥ 0).</param>
    /// <exception cref="ArgumentException">The spans differ in length or are empty, or a score is not finite.</exception>
    public static ConfidenceCalibration Fit(ReadOnlySpan<double> rawScores, ReadOnlySpan<bool> hits, double priorStrength)
    {
        if (rawScores.Length == 0 || rawScores.Length != hits.Length)
        {
            throw new ArgumentException($"Fitting needs the same positive number of scores and labels, got {rawScores.Length} and {hits.Length}.", nameof(rawScores));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(priorStrength);
        var order = new int[rawScores.Length];
        var totalHits = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (!double.IsFinite(rawScores[i]))
            {
                throw new ArgumentException($"Score {i} is not finite: {rawScores[i]}.", nameof(rawScores));
            }

            order[i] = i;
            totalHits += hits[i] ? 1 : 0;
        }

        var scores = rawScores.ToArray();
        Array.Sort(scores, order);
        var baseRate = (double)totalHits / order.Length;

        // one block per distinct score: (first score, smoothed rate, weight)
        var blockScore = new List<double>();
        var blockRate = new List<double>();
        var blockWeight = new List<double>();
        for (var start = 0; start < scores.Length;)
        {
            var end = start;
            var h = 0;
            while (end < scores.Length && scores[end] == scores[start])
            {
                h += hits[order[end]] ? 1 : 0;
                end++;
            }

            var n = end - start;
            blockScore.Add(scores[start]);
            blockRate.Add((h + (priorStrength * baseRate)) / (n + priorStrength));
            blockWeight.Add(n + priorStrength);
            start = end;
        }

        // pool adjacent violators: merge a block into its left neighbour while it is lower
        var count = 0;
        for (var i = 0; i < blockScore.Count; i++)
        {
            blockScore[count] = blockScore[i];
            blockRate[count] = blockRate[i];
            blockWeight[count] = blockWeight[i];
            count++;
            while (count > 1 && blockRate[count - 1] < blockRate[count - 2])
            {
                var w = blockWeight[count - 2] + blockWeight[count - 1];
                blockRate[count - 2] = ((blockRate[count - 2] * blockWeight[count - 2]) + (blockRate[count - 1] * blockWeight[count - 1])) / w;
                blockWeight[count - 2] = w;
                count--;
            }
        }

        var knots = new double[count];
        var probs = new double[count];
        for (var i = 0; i < count; i++)
        {
            knots[i] = blockScore[i];
            probs[i] = Math.Clamp(blockRate[i], 0, 1);
        }

        return new ConfidenceCalibration(knots, probs);
    }
}
