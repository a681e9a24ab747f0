using KimiEA.Core.Market;

namespace KimiEA.Tester.Server.Money;

/// <summary>A price of a conversion pair from its data: bid and ask from a time on.</summary>
/// <param name="TimeMsc">Time the price is known from, ms.</param>
/// <param name="Bid">Bid.</param>
/// <param name="Ask">Ask (≥ bid).</param>
public readonly record struct PricePoint(long TimeMsc, double Bid, double Ask);

/// <summary>
/// A conversion pair replayed from data alongside the run, without a chart or an agent (the engine never trades it):
/// a forward-only cursor whose price at a time is the last record at or before that time. From ticks that is the
/// last tick; from bars it is the open of the bar that started last (its bid, its ask = open + spread), so no price
/// is known before it happened. Before the data's first record the first record stands in; the runner refuses data
/// that starts after the run's first traded price, so no deal is converted at a price from the future.
/// The prices are read a chunk at a time into one pooled buffer; advancing walks that buffer and allocates nothing.
/// </summary>
public sealed class ConversionSeries : IDisposable
{
    /// <summary>Fills <paramref name="into"/> with the next prices in time order; returns how many (0 at the end).</summary>
    public delegate int ChunkReader(PricePoint[] into);

    /// <summary>Reads the next chunk of records (the binary cache's reader); false at the end.</summary>
    public delegate bool SpanReader<T>(out ReadOnlySpan<T> chunk)
        where T : struct;

    /// <summary>Records per chunk: the binary cache's chunk (<c>CachedSeries.DefaultChunkRecords</c>).</summary>
    public const int ChunkSize = 16_384;
    private readonly ChunkReader _read;
    private readonly IDisposable? _owner;
    private PricePoint[] _buffer;
    private int _count;
    private int _index;
    private bool _ended;
    private PricePoint _current;

    /// <summary>Opens a series over <paramref name="prices"/> (in time order).</summary>
    /// <exception cref="ArgumentException">No price at all.</exception>
    public ConversionSeries(CurrencyPair pair, string source, IEnumerable<PricePoint> prices)
        : this(pair, source, FromEnumerable(prices))
    {
    }

    /// <summary>Opens a series over a chunk reader.</summary>
    /// <param name="pair">The pair the prices quote.</param>
    /// <param name="source">Where the prices come from (a file name), for messages.</param>
    /// <param name="read">Reads the prices, a chunk at a time.</param>
    /// <param name="owner">Disposed with the series (the data reader), or null.</param>
    /// <exception cref="ArgumentException">No price at all.</exception>
    public ConversionSeries(CurrencyPair pair, string source, ChunkReader read, IDisposable? owner = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        Pair = pair;
        Source = source;
        _read = read;
        _owner = owner;
        _buffer = System.Buffers.ArrayPool<PricePoint>.Shared.Rent(ChunkSize);
        _count = _read(_buffer);
        if (_count == 0)
        {
            Dispose();
            throw new ArgumentException($"{source}: the conversion data of {pair} holds no price.", nameof(read));
        }

        _current = _buffer[0];
        _index = 1;
        FirstTimeMsc = _current.TimeMsc;
    }

    /// <summary>The pair.</summary>
    public CurrencyPair Pair { get; }
    /// <summary>Where the prices come from.</summary>
    public string Source { get; }
    /// <summary>Time of the first record, ms.</summary>
    public long FirstTimeMsc { get; }
    /// <summary>Current bid.</summary>
    public double Bid => _current.Bid;
    /// <summary>Current ask.</summary>
    public double Ask => _current.Ask;

    /// <summary>
    /// The time of the next record <see cref="AdvanceTo"/> would move to: <see cref="long.MaxValue"/> at the end of the
    /// data, <see cref="long.MinValue"/> when the next chunk has not been read yet (so the caller advances).
    /// </summary>
    public long NextTimeMsc => _index < _count ? _buffer[_index].TimeMsc : _ended ? long.MaxValue : long.MinValue;

    /// <summary>Moves to the last record at or before <paramref name="timeMsc"/> (never backwards).</summary>
    /// <returns>True when the price changed.</returns>
    public bool AdvanceTo(long timeMsc)
    {
        var moved = false;
        while (true)
        {
            if (_index == _count)
            {
                // At the end of the data the last price stays (the reader is not asked again).
                if (_ended || (_count = _read(_buffer)) == 0)
                {
                    _ended = true;
                    _index = _count = 0;
                    return moved;
                }

                _index = 0;
            }

            // A whole chunk before the time (the first price of a run after years of data) is skipped in one step.
            ref readonly var last = ref _buffer[_count - 1];
            if (last.TimeMsc <= timeMsc)
            {
                _current = last;
                _index = _count;
                moved = true;
                continue;
            }

            ref readonly var next = ref _buffer[_index];
            if (next.TimeMsc > timeMsc)
            {
                return moved;
            }

            _current = next;
            _index++;
            moved = true;
        }
    }

    /// <summary>A chunk reader over M1 (or any) bars: the open as bid, open + spread × <paramref name="spreadPoint"/> as ask, from the bar's open time.</summary>
    /// <param name="read">The bar chunks (the binary cache's reader).</param>
    /// <param name="spreadPoint">The price of one unit of the bars' spread.</param>
    public static ChunkReader FromBars(SpanReader<MqlRates> read, double spreadPoint) => into =>
    {
        if (!read(out var chunk))
        {
            return 0;
        }

        var n = Fits(chunk.Length, into);
        for (var i = 0; i < n; i++)
        {
            ref readonly var b = ref chunk[i];
            // A crossed bar (negative spread in the vendor's data) is read as no spread, never as ask < bid.
            into[i] = new PricePoint(b.Time * 1000, b.Open, b.Open + (Math.Max(0, b.Spread) * spreadPoint));
        }

        return n;
    };

    /// <summary>A chunk reader over ticks.</summary>
    public static ChunkReader FromTicks(SpanReader<MqlTick> read) => into =>
    {
        if (!read(out var chunk))
        {
            return 0;
        }

        var n = Fits(chunk.Length, into);
        for (var i = 0; i < n; i++)
        {
            ref readonly var t = ref chunk[i];
            into[i] = new PricePoint(t.TimeMsc, t.Bid, Math.Max(t.Bid, t.Ask));
        }

        return n;
    };

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            System.Buffers.ArrayPool<PricePoint>.Shared.Return(_buffer);
            _buffer = [];
            _count = 0;
            _index = 0;
            _ended = true;
        }

        _owner?.Dispose();
    }

    private static int Fits(int records, PricePoint[] into) =>
        records <= into.Length ? records : throw new InvalidOperationException($"A data chunk of {records} records does not fit the conversion buffer of {into.Length}.");

    private static ChunkReader FromEnumerable(IEnumerable<PricePoint> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var e = prices.GetEnumerator();
        return into =>
        {
            var n = 0;
            while (n < into.Length && e.MoveNext())
            {
                into[n++] = e.Current;
            }

            return n;
        };
    }
}
