namespace KimiEA.Smc.Signal;

/// <summary>
/// Weights of the confluence factors (0 unless set). The signal's default weights are the shipped calibration's
/// (<see cref="ShippedCalibration"/>), fitted by <see cref="Fit"/>: 4 × the factor's marginal log-odds lift of the hit
/// rate (ln(odds with / odds without)) on the fitting period, rounded to 0.25; a factor whose lift is not positive
/// weighs 0: it stays in the intent's factor bits for the journal and per-setup statistics but does not raise the
/// score (docs/signal.md has the table). The raw score of a factor set is <c>Σ wᵢ·[factor i present] / Σ wᵢ</c>, in
/// [0, 1]; <see cref="ConfidenceCalibration"/> turns it into a hit probability. Weights are non-negative and not all
/// zero.
/// </summary>
public sealed record ConfluenceWeights
{
    /// <summary>Number of factors (bits 0..FactorCount−1 of <see cref="SignalFactor"/>).</summary>
    public const int FactorCount = 12;

    /// <summary>
    /// Factors a fit may weigh: bits 0..9. Bits 10 and 11 (<see cref="SignalFactor.HtfStructure"/>,
    /// <see cref="SignalFactor.EmaTrend"/>) record both bias sources for the lift report; the bias is scored once, as
    /// <see cref="SignalFactor.HtfBias"/> (the source the options choose).
    /// </summary>
    public const int ScoredFactorCount = 10;

    /// <summary>Weight of <see cref="SignalFactor.HtfBias"/>.</summary>
    public double HtfBias { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.ChangeOfCharacter"/>.</summary>
    public double ChangeOfCharacter { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.OrderBlock"/>.</summary>
    public double OrderBlock { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.ZoneOverlap"/>.</summary>
    public double ZoneOverlap { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.KillZone"/>.</summary>
    public double KillZone { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.LiquiditySweep"/>.</summary>
    public double LiquiditySweep { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.DeepDiscount"/>.</summary>
    public double DeepDiscount { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.LiquidityTarget"/>.</summary>
    public double LiquidityTarget { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.Displacement"/>.</summary>
    public double Displacement { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.ModestTarget"/>.</summary>
    public double ModestTarget { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.HtfStructure"/>; 0: recorded for the lift report, the bias counts once, through <see cref="HtfBias"/>.</summary>
    public double HtfStructure { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.EmaTrend"/>; 0: recorded for the lift report, the bias counts once, through <see cref="HtfBias"/>.</summary>
    public double EmaTrend { get; init; }

    /// <summary>Every scored factor weighs 1 (the two bias-source records, bits 10 and 11, weigh 0): the neutral weights <c>kimi calibrate --fit</c> labels with before it fits (so a refit never depends on the weights it replaces).</summary>
    public static ConfluenceWeights Uniform { get; } = new()
    {
        HtfBias = 1, ChangeOfCharacter = 1, OrderBlock = 1, ZoneOverlap = 1, KillZone = 1,
        LiquiditySweep = 1, DeepDiscount = 1, LiquidityTarget = 1, Displacement = 1, ModestTarget = 1,
    };

    /// <summary>The weights in bit order (length <see cref="FactorCount"/>); not validated.</summary>
    /// <exception cref="ArgumentException">The span does not hold exactly <see cref="FactorCount"/> weights.</exception>
    public static ConfluenceWeights FromBitOrder(ReadOnlySpan<double> w)
    {
        if (w.Length != FactorCount)
        {
            throw new ArgumentException($"Need {FactorCount} weights in bit order, got {w.Length}.", nameof(w));
        }

        return new ConfluenceWeights
        {
            HtfBias = w[0], ChangeOfCharacter = w[1], OrderBlock = w[2], ZoneOverlap = w[3], KillZone = w[4],
            LiquiditySweep = w[5], DeepDiscount = w[6], LiquidityTarget = w[7], Displacement = w[8], ModestTarget = w[9],
            HtfStructure = w[10], EmaTrend = w[11],
        };
    }

    /// <summary>
    /// Fits the weights on labelled intents: wᵢ = 4 × ln(odds of a hit with factor i / odds without), rounded to the
    /// nearest 0.25, and 0 when that is not positive or when factor i is always or never present. Each group's odds
    /// use the hit frequency shrunk by half an observation ((h + ½) / (n + 1)) so that a group without hits or
    /// without misses has finite odds.
    /// </summary>
    /// <param name="factors">Factor bits of each intent.</param>
    /// <param name="hits">Whether each intent's take-profit came first.</param>
    /// <exception cref="ArgumentException">The spans differ in length or are empty, or no factor has a positive lift.</exception>
    public static ConfluenceWeights Fit(ReadOnlySpan<uint> factors, ReadOnlySpan<bool> hits)
    {
        if (factors.Length == 0 || factors.Length != hits.Length)
        {
            throw new ArgumentException($"Fitting weights needs the same positive number of factor sets and labels, got {factors.Length} and {hits.Length}.", nameof(factors));
        }

        Span<double> w = stackalloc double[FactorCount];
        double total = 0;
        for (var bit = 0; bit < ScoredFactorCount; bit++)
        {
            int nWith = 0, hWith = 0, nWithout = 0, hWithout = 0;
            for (var i = 0; i < factors.Length; i++)
            {
                var hit = hits[i] ? 1 : 0;
                if ((factors[i] & (1u << bit)) != 0)
                {
                    nWith++;
                    hWith += hit;
                }
                else
                {
                    nWithout++;
                    hWithout += hit;
                }
            }

            if (nWith == 0 || nWithout == 0)
            {
                continue;
            }

            var lift = 4 * (LogOdds(hWith, nWith) - LogOdds(hWithout, nWithout));
            w[bit] = lift > 0 ? Math.Round(lift * 4, MidpointRounding.AwayFromZero) / 4 : 0;
            total += w[bit];
        }

        if (!(total > 0))
        {
            throw new ArgumentException("No confluence factor raised the hit rate on these intents: there is nothing to weigh.", nameof(hits));
        }

        return FromBitOrder(w);
    }

    private static double LogOdds(int hits, int n)
    {
        var p = (hits + 0.5) / (n + 1.0);
        return Math.Log(p / (1 - p));
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first negative or non-finite weight, or when all are zero.</summary>
    public void Validate()
    {
        Span<double> w = stackalloc double[FactorCount];
        Fill(w);
        double total = 0;
        for (var i = 0; i < w.Length; i++)
        {
            if (!(w[i] >= 0) || double.IsInfinity(w[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(ConfluenceWeights), w[i], $"The weight of {(SignalFactor)(1u << i)} must be a finite number ≥ 0.");
            }

            total += w[i];
        }

        if (total <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ConfluenceWeights), total, "At least one confluence weight must be positive.");
        }
    }


    /// <summary>Writes the weights in bit order into <paramref name="destination"/> (length ≥ <see cref="FactorCount"/>).</summary>
    public void Fill(Span<double> destination)
    {
        destination[0] = HtfBias;
        destination[1] = ChangeOfCharacter;
        destination[2] = OrderBlock;
        destination[3] = ZoneOverlap;
        destination[4] = KillZone;
        destination[5] = LiquiditySweep;
        destination[6] = DeepDiscount;
        destination[7] = LiquidityTarget;
        destination[8] = Displacement;
        destination[9] = ModestTarget;
        destination[10] = HtfStructure;
        destination[11] = EmaTrend;
    }
}

/// <summary>The raw confluence score of a factor set under fixed weights (allocation-free).</summary>
public sealed class ConfluenceModel
{
    private readonly double[] _weights = new double[ConfluenceWeights.FactorCount];
    private readonly double _total;

    /// <summary>Creates the model.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A weight is invalid (see <see cref="ConfluenceWeights.Validate"/>).</exception>
    public ConfluenceModel(ConfluenceWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Validate();
        weights.Fill(_weights);
        foreach (var w in _weights)
        {
            _total += w;
        }

        Weights = weights;
    }

    /// <summary>The weights.</summary>
    public ConfluenceWeights Weights { get; }

    /// <summary>Raw score in [0, 1]: the weight of the present factors over the weight of all factors.</summary>
    public double Score(SignalFactor factors)
    {
        double s = 0;
        var bits = (uint)factors;
        for (var i = 0; i < _weights.Length; i++)
        {
            if ((bits & (1u << i)) != 0)
            {
                s += _weights[i];
            }
        }

        return Math.Min(1.0, s / _total);
    }
}
