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
/// Advancing reads the data in chunks and allocates nothing per record.
/// </summary>
public sealed class ConversionSeries : IDisposable
{
    private readonly IEnumerator<PricePoint> _prices;
    private readonly IDisposable? _owner;
    private PricePoint _current;
    private PricePoint _next;
    private bool _hasNext;

    /// <summary>Opens a series over <paramref name="prices"/> (in time order).</summary>
    /// <param name="pair">The pair the prices quote.</param>
    /// <param name="source">Where the prices come from (a file name), for messages.</param>
    /// <param name="prices">The prices.</param>
    /// <param name="owner">Disposed with the series (the data reader), or null.</param>
    /// <exception cref="ArgumentException">No price at all.</exception>
    public ConversionSeries(CurrencyPair pair, string source, IEnumerable<PricePoint> prices, IDisposable? owner = null)
    {
        ArgumentNullException.ThrowIfNull(prices);
        Pair = pair;
        Source = source;
        _owner = owner;
        _prices = prices.GetEnumerator();
        if (!_prices.MoveNext())
        {
            _prices.Dispose();
            throw new ArgumentException($"{source}: the conversion data of {pair} holds no price.", nameof(prices));
        }

        _current = _prices.Current;
        FirstTimeMsc = _current.TimeMsc;
        ReadNext();
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

    /// <summary>Moves to the last record at or before <paramref name="timeMsc"/> (never backwards).</summary>
    public void AdvanceTo(long timeMsc)
    {
        while (_hasNext && _next.TimeMsc <= timeMsc)
        {
            _current = _next;
            ReadNext();
        }
    }

    /// <summary>The prices of M1 (or any) bars: the open as bid, open + spread × <paramref name="spreadPoint"/> as ask, from the bar's open time.</summary>
    public static IEnumerable<PricePoint> FromBars(IEnumerable<MqlRates> bars, double spreadPoint)
    {
        ArgumentNullException.ThrowIfNull(bars);
        foreach (var b in bars)
        {
            // A crossed bar (negative spread in the vendor's data) is read as no spread, never as ask < bid.
            yield return new PricePoint(b.Time * 1000, b.Open, b.Open + (Math.Max(0, b.Spread) * spreadPoint));
        }
    }

    /// <summary>The prices of ticks.</summary>
    public static IEnumerable<PricePoint> FromTicks(IEnumerable<MqlTick> ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        foreach (var t in ticks)
        {
            yield return new PricePoint(t.TimeMsc, t.Bid, Math.Max(t.Bid, t.Ask));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _prices.Dispose();
        _owner?.Dispose();
    }

    private void ReadNext()
    {
        _hasNext = _prices.MoveNext();
        if (_hasNext)
        {
            _next = _prices.Current;
        }
    }
}
