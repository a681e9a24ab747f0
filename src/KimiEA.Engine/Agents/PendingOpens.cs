using KimiEA.Core.Trading;
using KimiEA.Risk.Account;

namespace KimiEA.Engine.Agents;

/// <summary>
/// OPEN instructions between approval and their fill: the intent they came from and the exposure reserved for
/// them. An entry whose result was ambiguous (timeout, connection lost) stays here, still reserved, until a
/// position snapshot (kimi_sync_positions) tells whether it filled — it is never re-issued.
/// </summary>
internal sealed class PendingOpens
{
    internal struct Entry
    {
        public long InstructionId;
        public TradeIntent Intent;
        public double Volume;
        public double RiskMoney;
        public Reservation Reservation;
        public bool Ambiguous;
        public long CreatedMsc;
    }

    private readonly Entry[] _items = new Entry[16];

    public int Count { get; private set; }

    public ref Entry this[int i] => ref _items[i];

    public bool Add(in Entry e)
    {
        if (Count == _items.Length)
        {
            return false;
        }

        _items[Count++] = e;
        return true;
    }

    public int IndexOf(long instructionId)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_items[i].InstructionId == instructionId)
            {
                return i;
            }
        }

        return -1;
    }

    public Entry RemoveAt(int i)
    {
        var e = _items[i];
        _items[i] = _items[Count - 1];
        _items[Count - 1] = default;
        Count--;
        return e;
    }

    public bool AnyAmbiguous()
    {
        for (var i = 0; i < Count; i++)
        {
            if (_items[i].Ambiguous)
            {
                return true;
            }
        }

        return false;
    }

    public void ReleaseAll(AccountRiskBook book)
    {
        for (var i = 0; i < Count; i++)
        {
            book.Release(_items[i].Reservation);
            _items[i] = default;
        }

        Count = 0;
    }
}
