namespace KimiEA.Smc.Structure;

/// <summary>Fixed-capacity ordered list of structs (no allocation after construction). Adding to a full list drops the oldest item.</summary>
internal sealed class SlotList<T>
    where T : struct
{
    private readonly T[] _items;

    public SlotList(int capacity) => _items = new T[capacity];

    public int Count { get; private set; }

    /// <summary>How many items were dropped because the list was full.</summary>
    public long Dropped { get; private set; }

    public ref T this[int i] => ref _items[i];

    public void Add(in T item)
    {
        if (Count == _items.Length)
        {
            RemoveAt(0);
            Dropped++;
        }

        _items[Count++] = item;
    }

    public void Clear() => Count = 0;

    public void RemoveAt(int i)
    {
        Array.Copy(_items, i + 1, _items, i, Count - i - 1);
        Count--;
    }
}
