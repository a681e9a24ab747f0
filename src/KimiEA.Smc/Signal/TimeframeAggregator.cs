using KimiEA.Core.Market;
using KimiEA.Smc.Time;

namespace KimiEA.Smc.Signal;

/// <summary>
/// Streaming resampler of closed bars into a longer time frame (e.g. M1 → M15), binned by <see cref="PeriodFrame"/>
/// on the data's own clock: open of the first bar, highest high, lowest low, close of the last bar, summed volume,
/// time = the bin start. A bin is emitted either when the clock reaches its end (<see cref="CloseIfComplete"/>, called
/// with the close time of the bar just added: the bar that completes the period closes the bin) or, when the bars
/// that would complete it are missing (a gap), when the first bar of a later bin arrives (<see cref="Add"/>). Either
/// way a bin is emitted only once it can receive no more bars. <see cref="Flush"/> emits the last, possibly partial,
/// bin at the end of the data. Allocation-free.
/// </summary>
public sealed class TimeframeAggregator
{
    private readonly PeriodFrame _frame;
    private bool _open;
    private long _key;
    private Bar _acc;
    private long _lastTime = long.MinValue;
    private long _closedKey = long.MinValue;

    /// <summary>Creates an aggregator into <paramref name="frame"/>.</summary>
    public TimeframeAggregator(PeriodFrame frame) => _frame = frame;

    /// <summary>The target frame.</summary>
    public PeriodFrame Frame => _frame;

    /// <summary>Adds a closed bar; returns true with the still-open earlier bin when <paramref name="bar"/> starts a new bin.</summary>
    /// <exception cref="ArgumentException">The bar's time is not after the previous bar's, or it falls into a bin
    /// already emitted by <see cref="CloseIfComplete"/> (the bars are not aligned to the period they claim).</exception>
    public bool Add(in Bar bar, out Bar completed)
    {
        if (bar.Time <= _lastTime)
        {
            throw new ArgumentException($"Bar time {bar.Time} is not after the previous bar's time {_lastTime}.", nameof(bar));
        }

        var key = _frame.BinKey(bar.Time);
        if (key <= _closedKey)
        {
            throw new ArgumentException(
                $"Bar time {bar.Time} falls into the {_frame} bin starting {_frame.BinStart(key)}, which an earlier bar already completed: the bar times do not match the bar period given.",
                nameof(bar));
        }

        _lastTime = bar.Time;
        completed = default;
        var emitted = false;
        if (_open && key != _key)
        {
            completed = _acc;
            emitted = true;
            _open = false;
            _closedKey = _key;
        }

        if (!_open)
        {
            _open = true;
            _key = key;
            _acc = bar with { Time = _frame.BinStart(key) };
        }
        else
        {
            _acc = new Bar(_acc.Time, _acc.Open, Math.Max(_acc.High, bar.High), Math.Min(_acc.Low, bar.Low), bar.Close, _acc.Volume + bar.Volume);
        }

        return emitted;
    }

    /// <summary>
    /// Emits the open bin when <paramref name="time"/> — the close time of the bar just added (its open time plus the
    /// bar period) — has reached the bin's end: that bar completed the period, so no later bar can belong to it.
    /// </summary>
    /// <returns>True with the completed higher-frame bar; false while the open bin still runs (or none is open).</returns>
    public bool CloseIfComplete(long time, out Bar completed)
    {
        if (!_open || time < _frame.BinEnd(_key))
        {
            completed = default;
            return false;
        }

        completed = _acc;
        _open = false;
        _closedKey = _key;
        return true;
    }

    /// <summary>End of data: returns true with the bin still open (it may be incomplete) and forgets it.</summary>
    public bool Flush(out Bar completed)
    {
        completed = _acc;
        var had = _open;
        _open = false;
        return had;
    }

    /// <summary>Resamples a whole series (a fold over <see cref="Add"/> and <see cref="Flush"/>).</summary>
    public static Bar[] Resample(ReadOnlySpan<Bar> bars, PeriodFrame frame)
    {
        var agg = new TimeframeAggregator(frame);
        var result = new List<Bar>((bars.Length / 4) + 1);
        foreach (ref readonly var b in bars)
        {
            if (agg.Add(b, out var done))
            {
                result.Add(done);
            }
        }

        if (agg.Flush(out var last))
        {
            result.Add(last);
        }

        return [.. result];
    }
}
