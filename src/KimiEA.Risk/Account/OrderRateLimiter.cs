namespace KimiEA.Risk.Account;

/// <summary>
/// At most N orders in any rolling 60 s of server time: a ring of the last N order times. Not thread-safe by
/// itself (<see cref="AccountRiskBook"/> locks). Times from different charts may arrive slightly out of order;
/// the window is judged against the oldest recorded order.
/// </summary>
internal sealed class OrderRateLimiter
{
    /// <summary>Length of the window, milliseconds.</summary>
    public const long WindowMs = 60_000;

    private readonly long[] _times;
    private int _head;
    private int _count;

    public OrderRateLimiter(int maxPerMinute) => _times = new long[maxPerMinute];

    /// <summary>True when an order at <paramref name="nowMs"/> stays within the limit.</summary>
    public bool CanAcquire(long nowMs) => _count < _times.Length || nowMs - _times[_head] >= WindowMs;

    /// <summary>Records an order at <paramref name="nowMs"/>; call only after <see cref="CanAcquire"/>.</summary>
    public void Acquire(long nowMs)
    {
        if (_count < _times.Length)
        {
            _times[(_head + _count) % _times.Length] = nowMs;
            _count++;
        }
        else
        {
            _times[_head] = nowMs;
            _head = (_head + 1) % _times.Length;
        }
    }
}
