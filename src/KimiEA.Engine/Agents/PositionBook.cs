using KimiEA.Core.Trading;
using KimiEA.Risk.Account;

namespace KimiEA.Engine.Agents;

/// <summary>
/// The engine's own state of one open position: what only the engine knows (barrier count, close retries, the account
/// reservation, money booked so far). The position's facts — direction, volume, entry price, stop-loss, take-profit,
/// setup, confidence and bar limit — are not copied here: they are the agent's ledger's (<see cref="Journal.AgentLedger"/>,
/// the fold of the journal rows the agent writes), read through <see cref="Agent"/>'s <c>Facts</c>, so the book is a
/// projection of the ledger and never a second truth to keep in step.
/// </summary>
internal struct OpenPosition
{
    /// <summary>Broker position ticket (POSITION_TICKET / DEAL_POSITION_ID); the key into the ledger.</summary>
    public long Ticket;
    /// <summary>Server time the engine learned of the position (its fill, or its adoption), milliseconds.</summary>
    public long OpenTimeMsc;
    /// <summary>Closed bars since the fill (vertical barrier).</summary>
    public int BarsHeld;
    /// <summary>Money at risk between entry and stop, account currency (released on close).</summary>
    public double RiskMoney;
    /// <summary>The account-wide exposure reservation held for this position (released on close).</summary>
    public Reservation Reservation;
    /// <summary>Commission charged so far (entry deal and partial exits), account currency.</summary>
    public double Commission;
    /// <summary>Net result of partial closes so far, account currency.</summary>
    public double RealizedSoFar;
    /// <summary>Why the engine asked to close it (set when a CLOSE instruction is created; None otherwise).</summary>
    public ExitReason PendingExit;
    /// <summary>CLOSE attempts the broker refused in a row (drives the retry back-off; 0 after none).</summary>
    public int RefusedCloses;
    /// <summary>Server time before which no new CLOSE is staged after a refusal (bounded exponential back-off).</summary>
    public long NextCloseMsc;
}

/// <summary>The open positions of one agent: a small preallocated array searched linearly (a handful at most).</summary>
internal sealed class PositionBook
{
    private readonly OpenPosition[] _items;

    /// <summary>Creates a book for at most <paramref name="capacity"/> open positions.</summary>
    public PositionBook(int capacity = 32) => _items = new OpenPosition[capacity];

    /// <summary>Open positions.</summary>
    public int Count { get; private set; }

    /// <summary>The i-th open position (0 ≤ i &lt; Count), by reference.</summary>
    public ref OpenPosition this[int i] => ref _items[i];

    /// <summary>Adds a position; false when the book is full.</summary>
    public bool Add(in OpenPosition p)
    {
        if (Count == _items.Length)
        {
            return false;
        }

        _items[Count++] = p;
        return true;
    }

    /// <summary>Index of the position with <paramref name="ticket"/>, or −1.</summary>
    public int IndexOf(long ticket)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_items[i].Ticket == ticket)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Removes the position at <paramref name="index"/> and returns it.</summary>
    public OpenPosition RemoveAt(int index)
    {
        var p = _items[index];
        _items[index] = _items[Count - 1];
        _items[Count - 1] = default;
        Count--;
        return p;
    }
}
