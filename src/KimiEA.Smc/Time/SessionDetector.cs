using KimiEA.Core.Market;
using KimiEA.Core.Time;

namespace KimiEA.Smc.Time;

/// <summary>The session state after one closed bar.</summary>
/// <param name="BarIndex">Index of the bar this state refers to (0-based, in feed order).</param>
/// <param name="KnownAtIndex">Index of the bar at whose close this state became known; always <paramref name="BarIndex"/> (sessions are causal).</param>
/// <param name="Active">The bar's open time lies in the session window.</param>
/// <param name="High">Running session high up to this bar (float32 like the reference); 0 when inactive.</param>
/// <param name="Low">Running session low up to this bar (float32); 0 when inactive.</param>
/// <param name="SessionStartIndex">First bar of the current session run, or −1 when inactive.</param>
/// <param name="ClosedSessionLastIndex">When this bar is the first inactive bar after a session, the index of that session's last bar (the session ended and its range is final); −1 otherwise.</param>
public readonly record struct SessionBar(int BarIndex, int KnownAtIndex, bool Active, float High, float Low, int SessionStartIndex, int ClosedSessionLastIndex)
{
    /// <summary>True on the first bar of a session run.</summary>
    public bool Opened => Active && SessionStartIndex == BarIndex;
}

/// <summary>
/// Streaming session / kill-zone detector (reference: <c>sessions</c>). Each bar's open time is converted from the
/// data's clock to UTC and then to the session's zone, with daylight saving computed per bar, and tested against the
/// window (seconds ignored). O(1), allocation-free per bar.
/// </summary>
public sealed class SessionDetector
{
    private float _high;
    private float _low;
    private bool _wasActive;
    private int _runStart = -1;
    private const int Hour = 3600;
    private readonly bool _cacheable;
    private long _lastTime = long.MinValue;
    private long _cachedHour = long.MinValue;
    private long _cachedShift;

    /// <summary>Creates a detector.</summary>
    /// <param name="window">The session window and the zone it is written in.</param>
    /// <param name="dataClock">The clock of the bar timestamps (broker server time); UTC when omitted. The reference's default treats the data as UTC.</param>
    public SessionDetector(SessionWindow window, MarketTimeZone? dataClock = null)
    {
        Window = window;
        DataClock = dataClock ?? MarketTimeZone.Utc;
        _cacheable = DataClock.StandardOffsetSeconds % Hour == 0 && window.Zone.StandardOffsetSeconds % Hour == 0;
    }

    /// <summary>The session window.</summary>
    public SessionWindow Window { get; }

    /// <summary>The clock of the bar timestamps.</summary>
    public MarketTimeZone DataClock { get; }

    /// <summary>Number of bars fed.</summary>
    public int BarCount { get; private set; }

    /// <summary>Session-local minute of day of a bar open time given in the data clock.</summary>
    public int LocalMinuteOfDay(long barTime)
    {
        long local;
        if (_cacheable)
        {
            // Every DST regime here switches on a whole UTC hour, so with whole-hour offsets the data→session shift is
            // constant within a data-clock hour: convert once per hour instead of once per bar.
            var hour = CivilTime.FloorDiv(barTime, Hour);
            if (hour != _cachedHour)
            {
                var start = hour * Hour;
                _cachedShift = Window.Zone.ToLocal(DataClock.ToUtc(start)) - start;
                _cachedHour = hour;
            }

            local = barTime + _cachedShift;
        }
        else
        {
            local = Window.Zone.ToLocal(DataClock.ToUtc(barTime));
        }

        return (int)(CivilTime.FloorMod(local, CivilTime.SecondsPerDay) / 60);
    }

    /// <summary>Feeds one closed bar.</summary>
    /// <exception cref="ArgumentException">The bar's time is not after the previous bar's, or its high/low is not finite.</exception>
    public SessionBar Update(in Bar bar)
    {
        TimeGuard.Check(bar, _lastTime, BarCount);
        _lastTime = bar.Time;
        var index = BarCount++;
        var active = Window.Contains(LocalMinuteOfDay(bar.Time));
        var closedLast = -1;
        if (active)
        {
            // Reference: High = max(H, previous High output), Low = min(L, previous Low output or +inf when it is 0),
            // stored in float32 arrays, so the running value is rounded to float32 at every bar.
            var prevHigh = _wasActive ? _high : 0f;
            var prevLow = _wasActive && _low != 0f ? (double)_low : double.PositiveInfinity;
            _high = (float)Math.Max(bar.High, prevHigh);
            _low = (float)Math.Min(bar.Low, prevLow);
            if (!_wasActive)
            {
                _runStart = index;
            }
        }
        else
        {
            if (_wasActive)
            {
                closedLast = index - 1;
            }

            _high = 0f;
            _low = 0f;
            _runStart = -1;
        }

        _wasActive = active;
        return new SessionBar(index, index, active, _high, _low, _runStart, closedLast);
    }
}
