using KimiEA.Core.Abi;

namespace KimiEA.Engine.Events;

/// <summary>
/// A fixed-capacity FIFO of <see cref="KimiEvent"/> records that the host drains with kimi_poll_events /
/// kimi_poll_log. Preallocated; when the host does not drain it, the oldest events are dropped (the journal keeps
/// the full record), so a forgetful host never makes the engine allocate or block.
/// </summary>
public sealed class EventRing
{
    private readonly KimiEvent[] _items;
    private int _head;
    private int _count;
    private long _nextSeq = 1;

    /// <summary>Creates a ring holding at most <paramref name="capacity"/> undrained events.</summary>
    public EventRing(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new KimiEvent[capacity];
    }

    /// <summary>True when nothing waits to be drained.</summary>
    public bool IsEmpty => _count == 0;

    /// <summary>Appends an event, stamping its sequence number, and returns that number.</summary>
    public long Push(KimiEvent e)
    {
        e.Seq = _nextSeq++;
        if (_count == _items.Length)
        {
            _head = (_head + 1) % _items.Length;
            _count--;
        }

        _items[(_head + _count) % _items.Length] = e;
        _count++;
        return e.Seq;
    }

    /// <summary>Removes the oldest event.</summary>
    public bool TryPop(out KimiEvent e)
    {
        if (_count == 0)
        {
            e = default;
            return false;
        }

        e = _items[_head];
        _head = (_head + 1) % _items.Length;
        _count--;
        return true;
    }

    /// <summary>Copies and removes up to <c>out.Length</c> oldest events; returns how many.</summary>
    public int Drain(Span<KimiEvent> output)
    {
        var n = 0;
        while (n < output.Length && TryPop(out var e))
        {
            output[n++] = e;
        }

        return n;
    }
}
