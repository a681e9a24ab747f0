using KimiEA.Core.Time;
using KimiEA.Core.Market;

namespace KimiEA.Smc.Time;

/// <summary>Which completed period a bar is compared with.</summary>
public enum PreviousPeriodRule
{
    /// <summary>The last completed period before the bar's own period (our default, the correct behaviour).</summary>
    LastCompleted = 0,

    /// <summary>
    /// The reference's behaviour, reproduced for parity checks: count the bin labels strictly before the bar's time
    /// and take the one before the last of them. This gives the bin before the previous one for a bar stamped exactly
    /// at its bin start (4h, 1D) and always the week before last for W (labels are week ends).
    /// See <see cref="TimePeerDeviations"/>.
    /// </summary>
    PeerCompatible = 1,
}

/// <summary>Previous-period levels and breaks after one closed bar.</summary>
/// <param name="BarIndex">The bar this state refers to.</param>
/// <param name="KnownAtIndex">The bar at whose close it became known; always <paramref name="BarIndex"/> (causal).</param>
/// <param name="HasLevels">False while no reference period exists yet (levels NaN, flags false).</param>
/// <param name="PreviousHigh">High of the reference period, rounded to float32 as in the reference.</param>
/// <param name="PreviousLow">Low of the reference period, float32.</param>
/// <param name="BrokenHigh">The highest high since the reference period became the reference is above <paramref name="PreviousHigh"/>.</param>
/// <param name="BrokenLow">The lowest low since then is below <paramref name="PreviousLow"/>.</param>
/// <param name="BrokenHighAt">Bar at which the high was first broken for this reference (an event: it refers to and is known at that bar), −1 if not broken.</param>
/// <param name="BrokenLowAt">Bar at which the low was first broken for this reference, −1 if not broken.</param>
/// <param name="ReferenceStart">Start time of the reference period (data clock), 0 without levels.</param>
/// <param name="ReferenceFirstBar">First bar of the reference period, −1 without levels.</param>
/// <param name="ReferenceLastBar">Last bar of the reference period, −1 without levels.</param>
/// <param name="ReferenceKnownAt">Bar at which the reference period was known complete (the first bar of a later period), −1 without levels.</param>
public readonly record struct PreviousHighLowBar(
    int BarIndex,
    int KnownAtIndex,
    bool HasLevels,
    float PreviousHigh,
    float PreviousLow,
    bool BrokenHigh,
    bool BrokenLow,
    int BrokenHighAt,
    int BrokenLowAt,
    long ReferenceStart,
    int ReferenceFirstBar,
    int ReferenceLastBar,
    int ReferenceKnownAt);

/// <summary>
/// Streaming previous-period high/low (reference: <c>previous_high_low</c>) for 4h, 1D, W or any intraday period
/// dividing a day. Periods with no bars do not exist (a weekend day is skipped, as pandas drops empty bins).
/// O(1) and allocation-free per bar.
/// </summary>
public sealed class PreviousHighLowDetector
{
    private Period _current;
    private Period _last;
    private Period _beforeLast;
    private long _runKey = long.MinValue;
    private double _runMax;
    private double _runMin;
    private int _brokenHighAt;
    private int _brokenLowAt;
    private long _lastTime = long.MinValue;

    /// <summary>Creates a detector.</summary>
    public PreviousHighLowDetector(PeriodFrame frame, PreviousPeriodRule rule = PreviousPeriodRule.LastCompleted)
    {
        if (frame.Seconds <= 0)
        {
            throw new ArgumentException("The period frame is not initialised; use PeriodFrame.Parse or a PeriodFrame preset.", nameof(frame));
        }

        Frame = frame;
        Rule = rule;
    }

    /// <summary>The resampling period.</summary>
    public PeriodFrame Frame { get; }

    /// <summary>Which completed period is the reference.</summary>
    public PreviousPeriodRule Rule { get; }

    /// <summary>Number of bars fed.</summary>
    public int BarCount { get; private set; }

    /// <summary>Feeds one closed bar.</summary>
    /// <exception cref="ArgumentException">The bar's time is not after the previous bar's, or its high/low is bad.</exception>
    public PreviousHighLowBar Update(in Bar bar)
    {
        TimeGuard.Check(bar, _lastTime, BarCount);
        _lastTime = bar.Time;
        var index = BarCount++;
        var key = Frame.BinKey(bar.Time);
        if (!_current.Exists || key != _current.Key)
        {
            if (_current.Exists)
            {
                _beforeLast = _last;
                _last = _current;
                _last.KnownAt = index;
            }

            _current = new Period { Exists = true, Key = key, High = bar.High, Low = bar.Low, FirstBar = index };
        }
        else
        {
            _current.High = Math.Max(_current.High, bar.High);
            _current.Low = Math.Min(_current.Low, bar.Low);
        }

        _current.LastBar = index;

        var reference = Rule == PreviousPeriodRule.PeerCompatible && Frame.BinLabel(_current.Key) >= bar.Time ? _beforeLast : _last;
        if (!reference.Exists)
        {
            _runKey = long.MinValue;
            return new PreviousHighLowBar(index, index, false, float.NaN, float.NaN, false, false, -1, -1, 0, -1, -1, -1);
        }

        if (reference.Key != _runKey)
        {
            _runKey = reference.Key;
            _runMax = double.NegativeInfinity;
            _runMin = double.PositiveInfinity;
            _brokenHighAt = -1;
            _brokenLowAt = -1;
        }

        _runMax = Math.Max(_runMax, bar.High);
        _runMin = Math.Min(_runMin, bar.Low);

        // The reference stores the levels in float32 and compares the float64 running extremes with them.
        var high = (float)reference.High;
        var low = (float)reference.Low;
        var brokenHigh = _runMax > high;
        var brokenLow = _runMin < low;
        if (brokenHigh && _brokenHighAt < 0)
        {
            _brokenHighAt = index;
        }

        if (brokenLow && _brokenLowAt < 0)
        {
            _brokenLowAt = index;
        }

        return new PreviousHighLowBar(
            index, index, true, high, low, brokenHigh, brokenLow, _brokenHighAt, _brokenLowAt,
            Frame.BinStart(reference.Key), reference.FirstBar, reference.LastBar, reference.KnownAt);
    }

    private struct Period
    {
        public bool Exists;
        public long Key;
        public double High;
        public double Low;
        public int FirstBar;
        public int LastBar;
        public int KnownAt;
    }
}
