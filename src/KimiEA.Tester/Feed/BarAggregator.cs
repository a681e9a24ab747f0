using KimiEA.Core.Market;

namespace KimiEA.Tester.Feed;

/// <summary>
/// Builds bars of one period from ticks or from shorter bars. A bar is handed out only once it has closed, which
/// is when the first price of a later period arrives; the bar still forming is never visible (no look-ahead).
/// Bars are aligned to multiples of the period since 1970 (M1…D1 in the data's clock). Prices are bids; the
/// spread of a bar is the smallest spread seen in it, in symbol points (as MT5 stores it).
/// </summary>
public sealed class BarAggregator
{
    private readonly long _period;
    private MqlRates _bar;
    private bool _open;

    /// <summary>Creates an aggregator of <paramref name="periodSeconds"/>-second bars.</summary>
    public BarAggregator(long periodSeconds)
    {
        if (periodSeconds < 60 || periodSeconds > 86_400 || 86_400 % periodSeconds != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(periodSeconds), periodSeconds, "The bar period must divide a day and be between 1 minute and 1 day (M1 … D1).");
        }

        _period = periodSeconds;
    }

    /// <summary>The bar period in seconds.</summary>
    public long PeriodSeconds => _period;

    /// <summary>The open time of the bar a time (seconds) belongs to.</summary>
    public long BarTime(long timeSeconds) => timeSeconds - (((timeSeconds % _period) + _period) % _period);

    /// <summary>Adds a tick; returns true and the closed bar when the tick opens a new bar.</summary>
    public bool AddTick(long timeMsc, double bid, int spreadPoints, out MqlRates closed)
    {
        var t = BarTime(timeMsc >= 0 ? timeMsc / 1000 : (timeMsc - 999) / 1000);
        if (_open && t == _bar.Time)
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
            if (spreadPoints < _bar.Spread)
            {
                _bar.Spread = spreadPoints;
            }

            closed = default;
            return false;
        }

        var had = CheckOrder(t);
        closed = _bar;
        _bar = new MqlRates(t, bid, bid, bid, bid, 1, spreadPoints);
        _open = true;
        return had;
    }

    private bool CheckOrder(long barTime)
    {
        if (_open && barTime < _bar.Time)
        {
            throw new InvalidOperationException($"Data out of order: a price of the bar at {barTime} s arrived after the bar at {_bar.Time} s.");
        }

        return _open;
    }

    /// <summary>Adds a shorter bar (its open time decides its period); returns true and the closed bar when it opens a new one.</summary>
    public bool AddBar(in MqlRates bar, out MqlRates closed)
    {
        var t = BarTime(bar.Time);
        if (_open && t == _bar.Time)
        {
            _bar.High = Math.Max(_bar.High, bar.High);
            _bar.Low = Math.Min(_bar.Low, bar.Low);
            _bar.Close = bar.Close;
            _bar.TickVolume += bar.TickVolume;
            _bar.RealVolume += bar.RealVolume;
            _bar.Spread = Math.Min(_bar.Spread, bar.Spread);
            closed = default;
            return false;
        }

        var had = CheckOrder(t);
        closed = _bar;
        _bar = new MqlRates(t, bar.Open, bar.High, bar.Low, bar.Close, bar.TickVolume, bar.Spread, bar.RealVolume);
        _open = true;
        return had;
    }

    /// <summary>
    /// Hands out the bar still forming and forgets it (the end of the data: used when M1 bars are built from
    /// ticks, whose last minute is complete once the data ends).
    /// </summary>
    public bool TakeForming(out MqlRates bar)
    {
        bar = _bar;
        var had = _open;
        _open = false;
        return had;
    }
}
