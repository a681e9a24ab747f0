namespace KimiEA.Risk.Account;

/// <summary>
/// At most N orders in any rolling 60 s of server time: a ring of the last N order times. Not thread-safe by
/// itself (<see cref="AccountRiskBook"/> locks). Times from different charts (threads) may arrive slightly out of
/// order, so the limiter's clock is the latest server time it has seen: a late caller's older time is read as "now".
/// </summary>
internal sealed class OrderRateLimiter
{
    /// <summary>Length of the window, milliseconds.</summary>
    public const long WindowMs = 60_000;

    private readonly long[] _times;
    private int _head;
    private int _count;
    private long _latest = long.MinValue;

    public OrderRateLimiter(int maxPerMinute) => _times = new long[maxPerMinute];

    /// <summary>A limiter for a new limit that keeps the order times of <paramref name="previous"/> (the newest first).</summary>
    public OrderRateLimiter(int maxPerMinute, OrderRateLimiter previous)
        : this(maxPerMinute)
    {
        ArgumentNullException.ThrowIfNull(previous);
        _latest = previous._latest;
        var keep = Math.Min(maxPerMinute, previous._count);
        for (var k = keep; k > 0; k--)
        {
            // the k-th newest order time of the previous ring, oldest of the kept ones first
            var idx = previous._count < previous._times.Length
                ? previous._count - k
                : (previous._head - k + previous._times.Length) % previous._times.Length;
            _times[_count++] = previous._times[idx];
        }
    }

    /// <summary>True when an order at <paramref name="nowMs"/> stays within the limit.</summary>
    public bool CanAcquire(long nowMs) => _count < _times.Length || Math.Max(nowMs, _latest) - _times[_head] >= WindowMs;

    /// <summary>Records an order at <paramref name="nowMs"/>; call only after <see cref="CanAcquire"/>.</summary>
    public void Acquire(long nowMs)
    {
        _latest = Math.Max(nowMs, _latest);
        nowMs = _latest;
        // the head only moves once the ring is full, so while filling the next slot is simply _count
        if (_count < _times.Length)
        {
            _times[_count] = nowMs;
            _count++;
        }
        else
        {
            _times[_head] = nowMs;
            _head = _head + 1 == _times.Length ? 0 : _head + 1;
        }
    }
}
