using KimiEA.Core.Market;
using KimiEA.Smc.Time;

namespace KimiEA.Smc.Signal;

/// <summary>
/// Streaming resampler of closed bars into a longer time frame (e.g. M1 → M15), binned by <see cref="PeriodFrame"/>
/// on the data's own clock: open of the first bar, highest high, lowest low, close of the last bar, summed volume,
/// time = the bin start. A bin is emitted when the first bar of a later bin arrives (only then is it known to be
/// complete); <see cref="Flush"/> emits the last, possibly partial, bin at the end of the data. Allocation-free.
/// </summary>
public sealed class TimeframeAggregator
{
    private readonly PeriodFrame _frame;
    private bool _open;
    private long _key;
    private Bar _acc;
    private long _lastTime = long.MinValue;

    /// <summary>Creates an aggregator into <paramref name="frame"/>.</summary>
    public TimeframeAggregator(PeriodFrame frame) => _frame = frame;

    /// <summary>The target frame.</summary>
    public PeriodFrame Frame => _frame;

    /// <summary>Adds a closed bar; returns true with the completed higher-frame bar when <paramref name="bar"/> starts a new bin.</summary>
    /// <exception cref="ArgumentException">The bar's time is not after the previous bar's.</exception>
    public bool Add(in Bar bar, out Bar completed)
    {
        if (bar.Time <= _lastTime)
        {
            throw new ArgumentException($"Bar time {bar.Time} is not after the previous bar's time {_lastTime}.", nameof(bar));
        }

        _lastTime = bar.Time;
        var key = _frame.BinKey(bar.Time);
        completed = default;
        var emitted = false;
        if (_open && key != _key)
        {
            completed = _acc;
            emitted = true;
            _open = false;
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
