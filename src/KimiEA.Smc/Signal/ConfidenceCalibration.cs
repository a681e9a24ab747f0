namespace KimiEA.Smc.Signal;

/// <summary>
/// Maps a raw confluence score in [0, 1] to a calibrated probability that the intent's take-profit is reached before
/// its stop and before its vertical barrier (the hit probability), and to the evidence behind it. The map is a
/// non-decreasing step function: knot <c>i</c> covers scores from <see cref="Knots"/>[i] up to the next knot; a score
/// below the first knot takes the first knot. It is fitted by <see cref="Fit"/> (per-score hit frequencies shrunk by a
/// Beta prior, then isotonic regression by pool adjacent violators); each knot keeps how many labelled intents were
/// pooled into it (<see cref="Trials"/>), so that the hit rate of a score is Beta(p·n, (1−p)·n) with n = trials +
/// prior strength (<see cref="Evidence"/>), which the risk core turns into the confidence (docs/signal.md).
/// </summary>
public sealed class ConfidenceCalibration
{
    private readonly double[] _knots;
    private readonly double[] _probabilities;
    private readonly int[] _trials;

    /// <summary>Creates a calibration from its knots (strictly increasing scores), their probabilities (non-decreasing, in [0, 1]), the labelled intents behind each knot and the prior strength of the fit.</summary>
    /// <exception cref="ArgumentException">The arrays are empty, of different lengths, not ordered, a probability is outside [0, 1], a count is negative or the prior strength is negative or not finite.</exception>
    public ConfidenceCalibration(ReadOnlySpan<double> knots, ReadOnlySpan<double> probabilities, ReadOnlySpan<int> trials, double priorStrength)
    {
        if (knots.Length == 0 || knots.Length != probabilities.Length || knots.Length != trials.Length)
        {
            throw new ArgumentException($"A calibration needs the same positive number of knots, probabilities and trial counts, got {knots.Length}, {probabilities.Length} and {trials.Length}.", nameof(knots));
        }

        if (!(priorStrength >= 0) || double.IsInfinity(priorStrength))
        {
            throw new ArgumentException($"The prior strength must be a finite number ≥ 0, got {priorStrength}.", nameof(priorStrength));
        }

        for (var i = 0; i < knots.Length; i++)
        {
            if (!double.IsFinite(knots[i]) || !(probabilities[i] >= 0 && probabilities[i] <= 1) || trials[i] < 0)
            {
                throw new ArgumentException($"Knot {i}: score {knots[i]} must be finite, probability {probabilities[i]} must be in [0, 1] and trials {trials[i]} must not be negative.", nameof(probabilities));
            }

            if (i > 0 && (knots[i] <= knots[i - 1] || probabilities[i] < probabilities[i - 1]))
            {
                throw new ArgumentException($"Knot {i}: scores must increase strictly and probabilities must not decrease (score {knots[i - 1]} → {knots[i]}, probability {probabilities[i - 1]} → {probabilities[i]}).", nameof(knots));
            }
        }

        _knots = knots.ToArray();
        _probabilities = probabilities.ToArray();
        _trials = trials.ToArray();
        PriorStrength = priorStrength;
    }

    /// <summary>The knot scores, strictly increasing.</summary>
    public ReadOnlySpan<double> Knots => _knots;

    /// <summary>The probability of each knot, non-decreasing.</summary>
    public ReadOnlySpan<double> Probabilities => _probabilities;

    /// <summary>Labelled intents pooled into each knot by the fit.</summary>
    public ReadOnlySpan<int> Trials => _trials;

    /// <summary>The Beta prior strength of the fit, in pseudo-observations (added once to each knot's evidence).</summary>
    public double PriorStrength { get; }

    /// <summary>
    /// The calibration shipped with the signal (<see cref="ShippedCalibration"/>: fitted by the command documented in
    /// docs/signal.md at the EA's default inputs on EURUSD H1 2007-01..2012-12, prior strength 20).
    /// </summary>
    public static ConfidenceCalibration Default => ShippedCalibration.Value;

    /// <summary>The calibrated probability of a raw score (allocation-free).</summary>
    public double Map(double rawScore) => _probabilities[KnotOf(rawScore)];

    /// <summary>
    /// The evidence behind <see cref="Map"/> of a raw score, in observations: the knot's labelled intents plus the
    /// prior strength (the concentration of the score's Beta; allocation-free).
    /// </summary>
    public double Evidence(double rawScore) => _trials[KnotOf(rawScore)] + PriorStrength;

    private int KnotOf(double rawScore)
    {
        var k = _knots;
        var i = 0;
        // Few knots (at most one per distinct score): a linear scan beats a binary search and is branch-predictable.
        while (i + 1 < k.Length && rawScore >= k[i + 1])
        {
            i++;
        }

        return i;
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
        var blockTrials = new List<int>();
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
            blockTrials.Add(n);
            start = end;
        }

        // pool adjacent violators: merge a block into its left neighbour while it is lower
        var count = 0;
        for (var i = 0; i < blockScore.Count; i++)
        {
            blockScore[count] = blockScore[i];
            blockRate[count] = blockRate[i];
            blockWeight[count] = blockWeight[i];
            blockTrials[count] = blockTrials[i];
            count++;
            while (count > 1 && blockRate[count - 1] < blockRate[count - 2])
            {
                var w = blockWeight[count - 2] + blockWeight[count - 1];
                blockRate[count - 2] = ((blockRate[count - 2] * blockWeight[count - 2]) + (blockRate[count - 1] * blockWeight[count - 1])) / w;
                blockWeight[count - 2] = w;
                blockTrials[count - 2] += blockTrials[count - 1];
                count--;
            }
        }

        var knots = new double[count];
        var probs = new double[count];
        var trials = new int[count];
        for (var i = 0; i < count; i++)
        {
            knots[i] = blockScore[i];
            probs[i] = Math.Clamp(blockRate[i], 0, 1);
            trials[i] = blockTrials[i];
        }

        return new ConfidenceCalibration(knots, probs, trials, priorStrength);
    }
}
