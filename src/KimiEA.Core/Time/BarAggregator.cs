using KimiEA.Core.Market;

namespace KimiEA.Core.Time;

/// <summary>
/// The one bar aggregator of the product (the tester's chart bars and M1-from-ticks, the signal's higher timeframe,
/// calibration's resampling): builds bars of one <see cref="PeriodFrame"/> from ticks or from shorter bars.
/// </summary>
/// <remarks>
/// <para>
/// <b>Binning rule</b> (MT5's): bars are aligned to the <i>bin clock</i>, the server's wall clock. Times given and
/// bar times handed out are UTC instants; the bin of a time is taken on its local time in the bin clock. An intraday
/// period that divides a day (M1 … H12) starts at multiples of the period from the server's midnight (H4 at 00:00,
/// 04:00, … server time); D1 is the server day (00:00 server time: 17:00 New York with the
/// <see cref="MarketTimeZone.NewYorkClose"/> clock, so 22:00Z in New York's winter and 21:00Z in its summer); W1 starts
/// on Sunday 00:00 server time. A bar's time is the UTC instant its bin starts. With a UTC bin clock (the tester's
/// server clock today) every bar is a multiple of its period since 1970.
/// </para>
/// <para>
/// <b>Closing rule</b>: a bar is handed out only once it can receive no more prices — when the first price of a later
/// bin arrives (<see cref="AddTick"/>, <see cref="AddBar"/>, <see cref="Add"/>: MT5's new-bar event), or when the
/// caller says the clock reached the bin's end (<see cref="CloseIfComplete(long, out MqlRates)"/>: the shorter bar that completes the
/// period has closed). The forming bar is never visible (no look-ahead); <see cref="TakeForming"/> /
/// <see cref="Flush"/> hand it out at the end of the data.
/// </para>
/// <para>
/// Prices are bids. A bar's spread is the smallest spread seen in it (symbol points, as MT5 stores it); volumes add up.
/// Allocation-free per price.
/// </para>
/// </remarks>
public sealed class BarAggregator
{
    private readonly PeriodFrame _frame;
    private readonly MarketTimeZone _clock;
    private readonly bool _fixedClock;
    private MqlRates _bar;
    private double _volume;
    private double _emittedVolume;
    private long _key;
    private long _binEnd;
    private bool _open;
    private long _lastBarTime = long.MinValue;
    private long _closedKey = long.MinValue;

    /// <summary>Creates an aggregator of <paramref name="frame"/> bars on the bin clock <paramref name="binClock"/> (UTC when omitted).</summary>
    public BarAggregator(PeriodFrame frame, MarketTimeZone binClock = default)
    {
        if (frame.Seconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), frame, "The bar period must be positive.");
        }

        _frame = frame;
        _clock = binClock;
        _fixedClock = binClock.Kind == TimeZoneKind.Fixed;
    }

    /// <summary>Creates an aggregator of <paramref name="periodSeconds"/>-second bars (M1 … D1: the period must divide a day).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The period is below a minute, above a day or does not divide a day.</exception>
    public BarAggregator(long periodSeconds, MarketTimeZone binClock = default)
        : this(PeriodFrame.OfSeconds(periodSeconds), binClock)
    {
    }

    /// <summary>The bar period.</summary>
    public PeriodFrame Frame => _frame;

    /// <summary>The bar period in seconds.</summary>
    public long PeriodSeconds => _frame.Seconds;

    /// <summary>The clock bars are aligned to.</summary>
    public MarketTimeZone BinClock => _clock;

    /// <summary>The open time (UTC) of the bar a UTC time (seconds) belongs to.</summary>
    public long BarTime(long timeSeconds) => BinStartUtc(_frame.BinKey(Local(timeSeconds)));

    /// <summary>Adds a tick; returns true and the closed bar when the tick opens a new bar.</summary>
    /// <exception cref="InvalidOperationException">The tick belongs to a bar earlier than the forming one (data out of order).</exception>
    public bool AddTick(long timeMsc, double bid, int spreadPoints, out MqlRates closed)
    {
        var key = _frame.BinKey(Local(CivilTime.FloorDiv(timeMsc, 1000)));
        if (_open && key == _key)
        {
            if (bid > _bar.High)
            {
                _bar.High = bid;
            }

            if (bid < _bar.Low)
            {
                _bar.Low = bid;
            }

            _bar.Close = bid;
            _bar.TickVolume++;
            _volume++;
            if (spreadPoints < _bar.Spread)
            {
                _bar.Spread = spreadPoints;
            }

            closed = default;
            return false;
        }

        if (_open && key < _key)
        {
            throw new InvalidOperationException($"Data out of order: a price at {timeMsc} ms belongs to a bar before the one forming at {_bar.Time} s.");
        }

        var had = Emit(out closed);
        Open(key, new MqlRates(0, bid, bid, bid, bid, 1, spreadPoints), 1);
        return had;
    }

    /// <summary>Adds a shorter bar (its open time decides its bin); returns true and the closed bar when it opens a new one.</summary>
    /// <exception cref="ArgumentException">The bar's time is not after the previous bar's, or it falls into a bin already closed.</exception>
    public bool AddBar(in MqlRates bar, out MqlRates closed) => Accumulate(bar, bar.TickVolume, out closed);

    /// <summary>
    /// The <see cref="Bar"/> flavour of <see cref="AddBar(in MqlRates, out MqlRates)"/> (the signal's bars carry one
    /// volume); returns true and the closed bar when <paramref name="bar"/> opens a new one.
    /// </summary>
    /// <exception cref="ArgumentException">The bar's time is not after the previous bar's, or it falls into a bin already closed.</exception>
    public bool Add(in Bar bar, out Bar completed)
    {
        var had = Accumulate(new MqlRates(bar.Time, bar.Open, bar.High, bar.Low, bar.Close, 0, 0), bar.Volume, out var closed);
        completed = had ? ToBar(closed) : default;
        return had;
    }

    /// <summary>
    /// Hands out the forming bar when <paramref name="timeSeconds"/> (UTC; the close time of the bar just added, its
    /// open time plus its period) has reached the bin's end: that bar completed the period, so no later bar can belong to it.
    /// </summary>
    public bool CloseIfComplete(long timeSeconds, out MqlRates completed)
    {
        if (!_open || timeSeconds < _binEnd)
        {
            completed = default;
            return false;
        }

        _closedKey = _key;
        return Emit(out completed);
    }

    /// <summary>The <see cref="Bar"/> flavour of <see cref="CloseIfComplete(long, out MqlRates)"/>.</summary>
    public bool CloseIfComplete(long timeSeconds, out Bar completed)
    {
        var had = CloseIfComplete(timeSeconds, out MqlRates closed);
        completed = had ? ToBar(closed) : default;
        return had;
    }

    /// <summary>End of the data: hands out the forming bar (complete when the data ended with it, e.g. M1 built from ticks) and forgets it.</summary>
    public bool TakeForming(out MqlRates bar) => Emit(out bar);

    /// <summary>The <see cref="Bar"/> flavour of <see cref="TakeForming"/>.</summary>
    public bool Flush(out Bar completed)
    {
        var had = Emit(out MqlRates closed);
        completed = had ? ToBar(closed) : default;
        return had;
    }

    /// <summary>Resamples a whole series (a fold over <see cref="Add"/> and <see cref="Flush"/>).</summary>
    public static Bar[] Resample(ReadOnlySpan<Bar> bars, PeriodFrame frame, MarketTimeZone binClock = default)
    {
        var agg = new BarAggregator(frame, binClock);
        var result = new List<Bar>((bars.Length / 4) + 1);
        foreach (ref readonly var b in bars)
        {
            if (agg.Add(b, out var done))
            {
                result.Add(done);
            }
        }

        if (agg.Flush(out var last))
        {
            result.Add(last);
        }

        return [.. result];
    }

    private bool Accumulate(in MqlRates bar, double volume, out MqlRates closed)
    {
        if (bar.Time <= _lastBarTime)
        {
            throw new ArgumentException($"Bar time {bar.Time} is not after the previous bar's time {_lastBarTime}.", nameof(bar));
        }

        var key = _frame.BinKey(Local(bar.Time));
        if (key <= _closedKey)
        {
            throw new ArgumentException(
                $"Bar time {bar.Time} falls into the {_frame} bar starting {BinStartUtc(key)}, which an earlier bar already completed: the bar times do not match the bar period given.",
                nameof(bar));
        }

        _lastBarTime = bar.Time;
        if (_open && key == _key)
        {
            _bar.High = Math.Max(_bar.High, bar.High);
            _bar.Low = Math.Min(_bar.Low, bar.Low);
            _bar.Close = bar.Close;
            _bar.TickVolume += bar.TickVolume;
            _bar.RealVolume += bar.RealVolume;
            _bar.Spread = Math.Min(_bar.Spread, bar.Spread);
            _volume += volume;
            closed = default;
            return false;
        }

        var had = Emit(out closed);
        Open(key, bar, volume);
        return had;
    }

    private void Open(long key, in MqlRates first, double volume)
    {
        _bar = first;
        _bar.Time = BinStartUtc(key);
        _volume = volume;
        _key = key;
        _binEnd = BinStartUtc(key + 1);
        _open = true;
    }

    private bool Emit(out MqlRates closed)
    {
        closed = _bar;
        _emittedVolume = _volume;
        var had = _open;
        _open = false;
        return had;
    }

    private Bar ToBar(in MqlRates r) => new(r.Time, r.Open, r.High, r.Low, r.Close, _emittedVolume);

    private long Local(long utcSeconds) => _fixedClock ? utcSeconds + _clock.StandardOffsetSeconds : _clock.ToLocal(utcSeconds);

    private long BinStartUtc(long key)
    {
        var local = _frame.BinStart(key);
        return _fixedClock ? local - _clock.StandardOffsetSeconds : _clock.ToUtc(local);
    }
}
