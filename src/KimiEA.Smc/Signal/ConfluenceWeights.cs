namespace KimiEA.Smc.Signal;

/// <summary>
/// Weights of the confluence factors. The defaults are 4 × the factor's marginal log-odds lift of the hit rate
/// (ln(odds with / odds without)) on the fitting period, EURUSD H1 2007-2012, rounded to 0.25; factors whose lift was
/// negative there weigh 0: they stay in the intent's factor bits for the journal and per-setup statistics but do not
/// raise the confidence (docs/signal.md has the table). The raw score of a factor set is <c>Σ wᵢ·[factor i present] / Σ wᵢ</c>, in
/// [0, 1]; <see cref="ConfidenceCalibration"/> turns it into a probability. Weights are non-negative and not all zero.
/// </summary>
public sealed record ConfluenceWeights
{
    /// <summary>Weight of <see cref="SignalFactor.HtfBias"/>.</summary>
    public double HtfBias { get; init; } = 0.25;
    /// <summary>Weight of <see cref="SignalFactor.ChangeOfCharacter"/>; default 0 (no positive lift when fitted).</summary>
    public double ChangeOfCharacter { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.OrderBlock"/>; default 0 (no positive lift when fitted).</summary>
    public double OrderBlock { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.ZoneOverlap"/>; default 0 (no positive lift when fitted).</summary>
    public double ZoneOverlap { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.KillZone"/>.</summary>
    public double KillZone { get; init; } = 0.75;
    /// <summary>Weight of <see cref="SignalFactor.LiquiditySweep"/>; default 0 (no positive lift when fitted).</summary>
    public double LiquiditySweep { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.DeepDiscount"/>.</summary>
    public double DeepDiscount { get; init; } = 1.5;
    /// <summary>Weight of <see cref="SignalFactor.LiquidityTarget"/>.</summary>
    public double LiquidityTarget { get; init; } = 0.75;
    /// <summary>Weight of <see cref="SignalFactor.Displacement"/>; default 0 (no positive lift when fitted).</summary>
    public double Displacement { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.ModestTarget"/>.</summary>
    public double ModestTarget { get; init; } = 1.5;
    /// <summary>Weight of <see cref="SignalFactor.HtfStructure"/>; default 0: the bias counts once, through <see cref="HtfBias"/>.</summary>
    public double HtfStructure { get; init; }
    /// <summary>Weight of <see cref="SignalFactor.EmaTrend"/>; default 0: the bias counts once, through <see cref="HtfBias"/>.</summary>
    public double EmaTrend { get; init; }

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

    /// <summary>Number of factors (bits 0..FactorCount−1 of <see cref="SignalFactor"/>).</summary>
    public const int FactorCount = 12;

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
