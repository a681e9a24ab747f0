namespace KimiEA.Smc.Structure;

/// <summary>Ring of final swings addressed by sequence number (0 = first final swing), shared by the lagging detectors.</summary>
internal sealed class SwingLog
{
    private readonly Swing[] _items;

    public SwingLog(int capacity) => _items = new Swing[capacity];

    /// <summary>Number of swings appended so far (next sequence number).</summary>
    public long Count { get; private set; }

    public long Oldest => Count > _items.Length ? Count - _items.Length : 0;

    public ref readonly Swing this[long seq]
    {
        get
        {
            if (seq < Oldest || seq >= Count)
            {
                throw new ArgumentOutOfRangeException(nameof(seq), seq, $"Swing #{seq} is not held (held: {Oldest}..{Count - 1}).");
            }

            return ref _items[seq % _items.Length];
        }
    }

    public void Add(in Swing s)
    {
        _items[Count % _items.Length] = s;
        Count++;
    }
}
