using KimiEA.Tester.Server;

namespace KimiEA.Tester.Stats;

/// <summary>One bucket of a breakdown: how many trades, how many won, their net result (cents, so buckets add up exactly).</summary>
/// <param name="Label">The bucket's name (an hour "07", a weekday "Wed", a symbol, or "account").</param>
/// <param name="Trades">Closed trades in the bucket.</param>
/// <param name="Wins">Of them, trades with a net result &gt; 0.</param>
/// <param name="PnlCents">Σ net result (profit + commission), cents.</param>
/// <param name="HoldingMsc">Σ holding time (exit − entry), ms.</param>
public readonly record struct TradeBucket(string Label, int Trades, int Wins, long PnlCents, long HoldingMsc)
{
    /// <summary>Net result, account currency.</summary>
    public double Pnl => PnlCents / 100.0;

    /// <summary>Mean holding time, ms (0 without trades).</summary>
    public long AverageHoldingMsc => Trades > 0 ? HoldingMsc / Trades : 0;

    internal TradeBucket Add(ClosedTrade t) =>
        new(Label, Trades + 1, Wins + (t.PnlCents > 0 ? 1 : 0), PnlCents + t.PnlCents, HoldingMsc + (t.ExitTimeMsc - t.EntryTimeMsc));
}

/// <summary>
/// The closed trades split by when they were opened (hour of day, weekday; server time, as the data's timestamps
/// are) and by symbol. Every breakdown partitions the trades, so its buckets add up to the run's totals.
/// </summary>
public static class TradeBreakdown
{
    /// <summary>Weekday names, Monday first (the trading week).</summary>
    public static readonly string[] WeekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    /// <summary>24 buckets, hour 00 to 23 of the entry time.</summary>
    public static TradeBucket[] ByEntryHour(IReadOnlyList<ClosedTrade> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        var buckets = new TradeBucket[24];
        for (var h = 0; h < 24; h++)
        {
            buckets[h] = new TradeBucket(h.ToString("00", System.Globalization.CultureInfo.InvariantCulture), 0, 0, 0, 0);
        }

        foreach (var t in trades)
        {
            var h = DateTime.UnixEpoch.AddMilliseconds(t.EntryTimeMsc).Hour;
            buckets[h] = buckets[h].Add(t);
        }

        return buckets;
    }

    /// <summary>7 buckets, Monday to Sunday, of the entry time.</summary>
    public static TradeBucket[] ByEntryWeekday(IReadOnlyList<ClosedTrade> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        var buckets = WeekdayNames.Select(n => new TradeBucket(n, 0, 0, 0, 0)).ToArray();
        foreach (var t in trades)
        {
            var d = ((int)DateTime.UnixEpoch.AddMilliseconds(t.EntryTimeMsc).DayOfWeek + 6) % 7;
            buckets[d] = buckets[d].Add(t);
        }

        return buckets;
    }

    /// <summary>One bucket per symbol, in <paramref name="symbols"/> order (a symbol without trades has an empty bucket; a trade's symbol not listed gets its own bucket at the end).</summary>
    public static TradeBucket[] BySymbol(IReadOnlyList<ClosedTrade> trades, IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(symbols);
        var buckets = symbols.Select(s => new TradeBucket(s, 0, 0, 0, 0)).ToList();
        foreach (var t in trades)
        {
            var i = buckets.FindIndex(b => string.Equals(b.Label, t.Symbol, StringComparison.Ordinal));
            if (i < 0)
            {
                buckets.Add(new TradeBucket(t.Symbol, 0, 0, 0, 0));
                i = buckets.Count - 1;
            }

            buckets[i] = buckets[i].Add(t);
        }

        return [.. buckets];
    }

    /// <summary>All trades in one bucket labelled "account".</summary>
    public static TradeBucket Total(IReadOnlyList<ClosedTrade> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        var total = new TradeBucket("account", 0, 0, 0, 0);
        foreach (var t in trades)
        {
            total = total.Add(t);
        }

        return total;
    }
}
