using KimiEA.Core.Time;
using KimiEA.Core.Market;
using KimiEA.Tester.Server;

namespace KimiEA.Tester.Feed;

/// <summary>One price of a <see cref="SymbolFeed"/>.</summary>
public struct FeedTick
{
    /// <summary>Server time, ms.</summary>
    public long TimeMsc { get; set; }
    /// <summary>Bid, normalized to the tick size.</summary>
    public double Bid { get; set; }
    /// <summary>Ask, normalized to the tick size.</summary>
    public double Ask { get; set; }
    /// <summary>Spread in symbol points.</summary>
    public int SpreadPoints { get; set; }
    /// <summary>−1 for a real tick; 0…3 for the open, first extreme, second extreme and close of a generated data bar.</summary>
    public int PathIndex { get; set; }

    /// <summary>True for generated ticks after the bar's open: the price moved here continuously.</summary>
    public readonly bool Continuous => PathIndex > 0;
}

/// <summary>
/// The prices of one symbol in the chosen <see cref="TickModel"/>: real ticks as recorded, or 4 ticks per bar of the
/// lowest timeframe the data has, as MT5's tester generates prices (M1 bars built out of tick data; else the data's own
/// bars, M1 … D1: open at the bar's open time, the first and second extremes a third and two thirds into the bar,
/// the close one second before its end). Spreads come from the data (ticks: ask − bid; bars: the spread column,
/// converted from the unit the file's format documents to the symbol's points — see <see cref="FeedSpread"/>) unless
/// a fixed spread is configured.
/// </summary>
public sealed class SymbolFeed : IDisposable
{
    // Generated path ticks sit at fixed offsets inside the bar: open, first extreme, second extreme, close.
    private readonly long[] _pathOffsetMs;
    private readonly IEnumerator<MqlTick>? _ticks;
    private readonly IEnumerator<MqlRates>? _bars;
    private readonly BarAggregator? _minuteBuilder;
    private readonly int? _fixedSpreadPoints;
    // The price of one unit of the bars' spread column; the symbol's point when the column is in symbol points.
    private readonly double _barSpreadPoint;
    private FeedTick _current;
    private MqlRates _m1;
    private int _path = 4;
    private bool _sourceDone;

    /// <summary>Creates the feed. Exactly one of <paramref name="ticks"/> and <paramref name="m1Bars"/> is given.</summary>
    /// <param name="symbol">The symbol (tick size, points).</param>
    /// <param name="model">The tick model; <see cref="TickModel.Ticks"/> needs tick data.</param>
    /// <param name="ticks">Recorded ticks, in time order.</param>
    /// <param name="m1Bars">Bars of <paramref name="barPeriodSeconds"/> (bid OHLC, spread in the data's points), in time order.</param>
    /// <param name="fixedSpreadPoints">A fixed spread in symbol points replacing the data's, or null.</param>
    /// <param name="barSpreadPoint">The price of one unit of the bars' spread column (<see cref="FeedSpread.DataPointSize"/>); null: the symbol's point.</param>
    /// <param name="barPeriodSeconds">The period of the bars (60 for M1 … 86,400 for D1); ticks always make M1 bars.</param>
    /// <exception cref="ArgumentException">Real ticks were asked for without tick data, the sources are ambiguous, or the period is not M1 … D1.</exception>
    public SymbolFeed(TesterSymbol symbol, TickModel model, IEnumerable<MqlTick>? ticks, IEnumerable<MqlRates>? m1Bars, int? fixedSpreadPoints = null, double? barSpreadPoint = null, long barPeriodSeconds = 60)
    {
        if (barPeriodSeconds is < 60 or > 86_400 || (ticks is not null && barPeriodSeconds != 60))
        {
            throw new ArgumentException($"{symbol?.Name}: the bar period must be 60 s (M1) to 86,400 s (D1), and 60 s for ticks; got {barPeriodSeconds} s.", nameof(barPeriodSeconds));
        }

        var periodMs = barPeriodSeconds * 1000;
        _pathOffsetMs = [0, periodMs / 3, periodMs * 2 / 3, periodMs - 1000];
        BarPeriodSeconds = barPeriodSeconds;
        ArgumentNullException.ThrowIfNull(symbol);
        if ((ticks is null) == (m1Bars is null))
        {
            throw new ArgumentException($"{symbol.Name}: give either tick data or M1 bars, not both or neither.", nameof(ticks));
        }

        if (model == TickModel.Ticks && ticks is null)
        {
            throw new ArgumentException($"{symbol.Name}: the real-ticks mode needs tick data; with M1 bars use --mode m1ohlc or --mode open.", nameof(model));
        }

        if (fixedSpreadPoints < 0)
        {
            throw new ArgumentException($"The spread cannot be negative, got {fixedSpreadPoints} points.", nameof(fixedSpreadPoints));
        }

        if (barSpreadPoint is { } unit && !(unit > 0 && double.IsFinite(unit)))
        {
            throw new ArgumentException($"{symbol.Name}: the spread column's point must be a positive number, got {unit}.", nameof(barSpreadPoint));
        }

        Symbol = symbol;
        Model = model;
        _fixedSpreadPoints = fixedSpreadPoints;
        _barSpreadPoint = barSpreadPoint ?? symbol.Point;
        _ticks = ticks?.GetEnumerator();
        _bars = m1Bars?.GetEnumerator();
        if (_ticks is not null && model != TickModel.Ticks)
        {
            _minuteBuilder = new BarAggregator(60);
        }
    }

    /// <summary>The symbol.</summary>
    public TesterSymbol Symbol { get; }
    /// <summary>The tick model.</summary>
    public TickModel Model { get; }
    /// <summary>The current price (valid after <see cref="MoveNext"/> returned true).</summary>
    public ref readonly FeedTick Current => ref _current;
    /// <summary>The period of the bars the generated ticks come from (60: M1, also when built out of ticks).</summary>
    public long BarPeriodSeconds { get; }
    /// <summary>The data bar the current generated tick belongs to (spread in symbol points); undefined for real ticks.</summary>
    public ref readonly MqlRates CurrentBar => ref _m1;
    /// <summary>Records read from the source (ticks or bars).</summary>
    public long RecordsRead { get; private set; }

    /// <summary>Advances to the next price; false at the end of the data.</summary>
    public bool MoveNext()
    {
        if (_path < 3)
        {
            _path++;
            EmitPath();
            return true;
        }

        if (_ticks is not null && _minuteBuilder is null)
        {
            if (NextTick(out var time, out var bid, out var ask))
            {
                _current = new FeedTick
                {
                    TimeMsc = time,
                    Bid = bid,
                    Ask = ask,
                    SpreadPoints = (int)Math.Round((ask - bid) / Symbol.Point),
                    PathIndex = -1,
                };
                return true;
            }

            return false;
        }

        if (!NextMinute(out var bar))
        {
            return false;
        }

        _m1 = bar;
        _path = 0;
        EmitPath();
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ticks?.Dispose();
        _bars?.Dispose();
    }

    private bool NextMinute(out MqlRates bar)
    {
        if (_bars is not null)
        {
            if (_bars.MoveNext())
            {
                RecordsRead++;
                bar = _bars.Current;
                if (!(bar.Low > 0) || !(bar.High >= bar.Low) || !double.IsFinite(bar.High))
                {
                    throw Unusable(bar.Time * 1000, FormattableString.Invariant($"low {bar.Low}, high {bar.High}"));
                }

                bar.Open = Symbol.Normalize(bar.Open);
                bar.High = Symbol.Normalize(bar.High);
                bar.Low = Symbol.Normalize(bar.Low);
                bar.Close = Symbol.Normalize(bar.Close);
                bar.Spread = _fixedSpreadPoints ?? (_barSpreadPoint == Symbol.Point ? bar.Spread : (int)Math.Round(bar.Spread * _barSpreadPoint / Symbol.Point));
                return true;
            }

            bar = default;
            return false;
        }

        // M1 bars built from ticks for the OHLC and open-price models.
        while (!_sourceDone)
        {
            if (!NextTick(out var time, out var bid, out var ask))
            {
                _sourceDone = true;
                return _minuteBuilder!.TakeForming(out bar);
            }

            if (_minuteBuilder!.AddTick(time, bid, (int)Math.Round((ask - bid) / Symbol.Point), out bar))
            {
                return true;
            }
        }

        bar = default;
        return false;
    }

    /// <summary>The next usable tick, normalized (ask from the fixed spread when one is set); an unusable one throws.</summary>
    private bool NextTick(out long timeMsc, out double bid, out double ask)
    {
        if (_ticks!.MoveNext())
        {
            RecordsRead++;
            var t = _ticks.Current;
            if (!(t.Bid > 0) || !(t.Ask >= t.Bid) || double.IsInfinity(t.Ask))
            {
                throw Unusable(t.Millis, FormattableString.Invariant($"bid {t.Bid}, ask {t.Ask}"));
            }

            timeMsc = t.Millis;
            bid = Symbol.Normalize(t.Bid);
            ask = _fixedSpreadPoints is { } fixedSpread ? Symbol.Normalize(bid + fixedSpread * Symbol.Point) : Symbol.Normalize(t.Ask);
            return true;
        }

        timeMsc = 0;
        bid = ask = 0;
        return false;
    }

    /// <summary>
    /// A record no market quotes. The data readers (KimiEA.Data) refuse such rows — or skip and count them under
    /// --skip-bad-rows — before they reach a feed, so this is a source that bypassed them; it is never dropped silently.
    /// </summary>
    private InvalidDataException Unusable(long timeMsc, string prices) =>
        new(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Symbol.Name}: the record at {timeMsc} ms has unusable prices ({prices}); feeds take validated data only."));

    private void EmitPath()
    {
        ref readonly var b = ref _m1;
        var bullish = b.Close >= b.Open;
        var price = _path switch
        {
            0 => b.Open,
            1 => bullish ? b.Low : b.High,
            2 => bullish ? b.High : b.Low,
            _ => b.Close,
        };
        _current = new FeedTick
        {
            TimeMsc = b.Time * 1000 + _pathOffsetMs[_path],
            Bid = price,
            Ask = Symbol.AddPoints(price, b.Spread),
            SpreadPoints = b.Spread,
            PathIndex = _path,
        };
    }
}
