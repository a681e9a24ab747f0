namespace KimiEA.Smc.Indicators;

/// <summary>
/// What every streaming indicator shares: a look-back period, a count of inputs, the current value (NaN during
/// warm-up) and a reset. Updates are O(1) and allocate nothing.
/// </summary>
public abstract class StreamingIndicator
{
    private readonly int _warmUp;

    /// <summary>Creates the indicator; <paramref name="warmUp"/> inputs are needed before the first value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">period is less than 1.</exception>
    protected StreamingIndicator(int period, int warmUp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _warmUp = warmUp;
        Value = double.NaN;
    }

    /// <summary>The look-back period.</summary>
    public int Period { get; }

    /// <summary>Number of inputs seen so far.</summary>
    public long Count { get; protected set; }

    /// <summary>True once the first value exists.</summary>
    public bool IsReady => Count >= _warmUp;

    /// <summary>The current value, NaN during warm-up.</summary>
    public double Value { get; protected set; }

    /// <summary>Forgets every input seen.</summary>
    public void Reset()
    {
        Count = 0;
        Value = double.NaN;
        ResetState();
    }

    /// <summary>Clears the indicator's own state (called by <see cref="Reset"/>).</summary>
    protected abstract void ResetState();
}
