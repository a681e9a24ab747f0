using KimiEA.Core.Trading;
using KimiEA.Journal;

namespace KimiEA.Engine.Agents;

/// <summary>
/// Intents in the chart's approval band (min ≤ confidence &lt; auto-execute) waiting for the trader, each with the
/// closed bars it may still wait, and the recent decisions (so a late, repeated or unknown approval is told apart).
/// Preallocated; allocation-free.
/// </summary>
internal sealed class ApprovalQueue
{
    /// <summary>One intent waiting for the trader.</summary>
    public struct Entry
    {
        /// <summary>Its id (becomes the OPEN instruction's id when approved).</summary>
        public long Id;
        /// <summary>The intent as the signal produced it.</summary>
        public TradeIntent Intent;
        /// <summary>Closed bars it may still wait.</summary>
        public int BarsLeft;
    }

    private readonly Entry[] _waiting;
    private readonly (long Id, ApprovalOutcome Outcome)[] _decided = new (long, ApprovalOutcome)[64];
    private int _decidedNext;

    /// <summary>Creates a queue for at most <paramref name="capacity"/> waiting intents.</summary>
    public ApprovalQueue(int capacity = 32) => _waiting = new Entry[capacity];

    /// <summary>Intents waiting.</summary>
    public int Count { get; private set; }

    /// <summary>The i-th waiting intent (0 ≤ i &lt; Count), by reference.</summary>
    public ref Entry this[int i] => ref _waiting[i];

    /// <summary>Adds a waiting intent; false when the queue is full.</summary>
    public bool Add(in Entry e)
    {
        if (Count == _waiting.Length)
        {
            return false;
        }

        _waiting[Count++] = e;
        return true;
    }

    /// <summary>Index of the waiting intent <paramref name="id"/>, or −1.</summary>
    public int IndexOf(long id)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_waiting[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Removes the i-th waiting intent, remembers how it ended and returns it.</summary>
    public Entry Decide(int i, ApprovalOutcome outcome)
    {
        var e = _waiting[i];
        Count--;
        for (var k = i; k < Count; k++)
        {
            _waiting[k] = _waiting[k + 1];
        }

        _waiting[Count] = default;
        _decided[_decidedNext] = (e.Id, outcome);
        _decidedNext = (_decidedNext + 1) % _decided.Length;
        return e;
    }

    /// <summary>How a recently decided intent ended; false when <paramref name="id"/> is not among the recent decisions.</summary>
    public bool TryGetDecided(long id, out ApprovalOutcome outcome)
    {
        foreach (var (decidedId, o) in _decided)
        {
            if (decidedId == id && id != 0)
            {
                outcome = o;
                return true;
            }
        }

        outcome = default;
        return false;
    }
}
