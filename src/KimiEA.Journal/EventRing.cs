namespace KimiEA.Journal;

/// <summary>
/// Bounded multi-producer / single-consumer queue of <see cref="JournalEvent"/> (Dmitry Vyukov's bounded queue:
/// every cell carries a sequence stamp, producers claim a position with one CAS). The claimed position is the
/// event's place in the journal, so rows reach the writer in sequence order no matter which thread appended.
/// Preallocated; enqueue and dequeue allocate nothing.
/// </summary>
internal sealed class EventRing
{
    private struct Cell
    {
        public long Stamp;
        public JournalEvent Event;
    }

    private readonly Cell[] _cells;
    private readonly long _mask;
    private long _enqueuePos;
    private long _dequeuePos;

    public EventRing(int capacity)
    {
        _cells = new Cell[capacity];
        _mask = capacity - 1;
        for (var i = 0; i < capacity; i++)
            _cells[i].Stamp = i;
    }

    public int Capacity => _cells.Length;

    /// <summary>Position the next successful enqueue will claim (an upper bound on everything appended so far).</summary>
    public long ClaimedCount => Volatile.Read(ref _enqueuePos);

    /// <summary>Copies <paramref name="e"/> in; false when the queue is full. <paramref name="position"/> is 0-based.</summary>
    public bool TryEnqueue(in JournalEvent e, out long position)
    {
        var pos = Volatile.Read(ref _enqueuePos);
        while (true)
        {
            ref var cell = ref _cells[pos & _mask];
            var stamp = Volatile.Read(ref cell.Stamp);
            var diff = stamp - pos;
            if (diff == 0)
            {
                if (Interlocked.CompareExchange(ref _enqueuePos, pos + 1, pos) == pos)
                {
                    cell.Event = e;
                    Volatile.Write(ref cell.Stamp, pos + 1);
                    position = pos;
                    return true;
                }
                pos = Volatile.Read(ref _enqueuePos);
            }
            else if (diff < 0)
            {
                position = -1;
                return false;
            }
            else
            {
                pos = Volatile.Read(ref _enqueuePos);
            }
        }
    }

    /// <summary>Single consumer: takes the next published event, false when none is ready.</summary>
    public bool TryDequeue(out JournalEvent e, out long position)
    {
        var pos = _dequeuePos;
        ref var cell = ref _cells[pos & _mask];
        if (Volatile.Read(ref cell.Stamp) != pos + 1)
        {
            e = default;
            position = -1;
            return false;
        }
        e = cell.Event;
        cell.Event = default; // drop references (symbol, text, blob) so the ring does not keep them alive
        Volatile.Write(ref cell.Stamp, pos + _mask + 1);
        _dequeuePos = pos + 1;
        position = pos;
        return true;
    }

    /// <summary>True when every claimed position has been dequeued.</summary>
    public bool IsDrained => _dequeuePos == Volatile.Read(ref _enqueuePos);
}
