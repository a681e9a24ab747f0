namespace KimiEA.Smc.Signal;

/// <summary>One confidence bucket of a <see cref="CalibrationReport"/>.</summary>
/// <param name="Lower">Inclusive lower edge of the bucket's confidence range.</param>
/// <param name="Upper">Exclusive upper edge (inclusive for the last bucket).</param>
/// <param name="Count">Labelled intents whose confidence fell in the bucket.</param>
/// <param name="Hits">Of those, how many reached the take-profit first.</param>
/// <param name="MeanConfidence">Mean confidence of the bucket's intents (NaN when empty).</param>
/// <param name="WilsonLow">Lower end of the 95 % Wilson score interval of the hit rate (NaN when empty).</param>
/// <param name="WilsonHigh">Upper end of the 95 % Wilson score interval of the hit rate (NaN when empty).</param>
public readonly record struct CalibrationBucket(double Lower, double Upper, int Count, int Hits, double MeanConfidence, double WilsonLow, double WilsonHigh)
{
    /// <summary>Realised hit rate (NaN when empty).</summary>
    public double HitRate => Count > 0 ? (double)Hits / Count : double.NaN;

    /// <summary>True when the bucket's mean confidence lies inside the Wilson interval of its realised hit rate.</summary>
    public bool IsConsistent => Count > 0 && MeanConfidence >= WilsonLow && MeanConfidence <= WilsonHigh;
}

/// <summary>
/// Reliability table of labelled intents: confidence buckets against the realised hit rate of the intents' own
/// barriers, the Brier score, and the Brier score of always predicting the sample's base rate (a calibrated,
/// informative confidence scores at or below it).
/// </summary>
public sealed class CalibrationReport
{
    /// <summary>z of a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    private CalibrationReport(CalibrationBucket[] buckets, int count, int hits, double meanConfidence, double brier, double baseRateBrier)
    {
        MeanConfidence = meanConfidence;
        Buckets = buckets;
        Count = count;
        Hits = hits;
        BrierScore = brier;
        BaseRateBrierScore = baseRateBrier;
    }

    /// <summary>The buckets, in increasing confidence.</summary>
    public IReadOnlyList<CalibrationBucket> Buckets { get; }

    /// <summary>Labelled intents.</summary>
    public int Count { get; }

    /// <summary>Intents that reached the take-profit first.</summary>
    public int Hits { get; }

    /// <summary>Mean confidence over all intents (NaN when empty); calibration in the large compares it with <see cref="BaseRate"/>.</summary>
    public double MeanConfidence { get; }

    /// <summary>Realised hit rate over all intents (NaN when empty).</summary>
    public double BaseRate => Count > 0 ? (double)Hits / Count : double.NaN;

    /// <summary>Mean of (confidence − outcome)², outcome 1 for a hit and 0 otherwise (NaN when empty).</summary>
    public double BrierScore { get; }

    /// <summary>Brier score of predicting <see cref="BaseRate"/> for every intent: p̄(1 − p̄).</summary>
    public double BaseRateBrierScore { get; }

    /// <summary>Builds the report for equal-width buckets over [0, 1].</summary>
    /// <param name="confidences">Confidence of each labelled intent, in [0, 1].</param>
    /// <param name="hits">Whether each intent's take-profit came first.</param>
    /// <param name="bucketCount">Number of equal-width buckets (≥ 1).</param>
    /// <exception cref="ArgumentException">The spans differ in length or a confidence is outside [0, 1].</exception>
    public static CalibrationReport Build(ReadOnlySpan<double> confidences, ReadOnlySpan<bool> hits, int bucketCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCount, 1);
        if (confidences.Length != hits.Length)
        {
            throw new ArgumentException($"Got {confidences.Length} confidences but {hits.Length} labels.", nameof(hits));
        }

        var n = new int[bucketCount];
        var h = new int[bucketCount];
        var sum = new double[bucketCount];
        double brier = 0;
        double confSum = 0;
        var totalHits = 0;
        for (var i = 0; i < confidences.Length; i++)
        {
            var c = confidences[i];
            if (!(c >= 0 && c <= 1))
            {
                throw new ArgumentException($"Confidence {i} is {c}, outside [0, 1].", nameof(confidences));
            }

            var b = Math.Min((int)(c * bucketCount), bucketCount - 1);
            var y = hits[i] ? 1.0 : 0.0;
            n[b]++;
            h[b] += hits[i] ? 1 : 0;
            sum[b] += c;
            brier += (c - y) * (c - y);
            confSum += c;
            totalHits += hits[i] ? 1 : 0;
        }

        var buckets = new CalibrationBucket[bucketCount];
        for (var b = 0; b < bucketCount; b++)
        {
            var (lo, hi) = n[b] > 0 ? Wilson(h[b], n[b], Z95) : (double.NaN, double.NaN);
            buckets[b] = new CalibrationBucket((double)b / bucketCount, (double)(b + 1) / bucketCount, n[b], h[b], n[b] > 0 ? sum[b] / n[b] : double.NaN, lo, hi);
        }

        var count = confidences.Length;
        var p = count > 0 ? (double)totalHits / count : double.NaN;
        return new CalibrationReport(buckets, count, totalHits, count > 0 ? confSum / count : double.NaN, count > 0 ? brier / count : double.NaN, p * (1 - p));
    }

    /// <summary>Wilson score interval of a binomial proportion.</summary>
    /// <param name="successes">Successes k (0 ≤ k ≤ n).</param>
    /// <param name="trials">Trials n (≥ 1).</param>
    /// <param name="z">Standard normal quantile of the interval (1.96 for 95 %).</param>
    /// <returns>(low, high), both in [0, 1].</returns>
    public static (double Low, double High) Wilson(int successes, int trials, double z)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        var n = (double)trials;
        var p = successes / n;
        var z2 = z * z;
        var denom = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denom;
        var half = z / denom * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n)));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
