using System.Globalization;
using KimiEA.Core.Trading;

namespace KimiEA.Journal;

/// <summary>
/// CSV export of trades and events (RFC 4180 quoting, invariant culture, empty cell for null/NaN). Values are written
/// for people and spreadsheets alike: times in ISO-8601 UTC with milliseconds, prices in the symbol's digits when the
/// caller knows them (else to 10 significant digits, which drops binary noise such as 1.1000000000000001 and keeps
/// every real digit of a quote), money with 2 decimals, lots and probabilities without noise.
/// </summary>
public static class JournalExport
{
    /// <summary>Header of <see cref="WriteTradesCsv"/>.</summary>
    public const string TradesHeader =
        "ticket,execution_mode,broker,symbol,magic,intent_id,setup,direction,entry_price,entry_time,exit_price,exit_time,exit_reason,lots,confidence,hit_probability,sl,tp,pips,pnl,is_winner,status";

    /// <summary>Header of <see cref="WriteEventsCsv"/>.</summary>
    public const string EventsHeader =
        "seq,kind,time,magic,symbol,intent_id,ticket,deal,direction,price,volume,sl,tp,confidence,hit_probability,profit,equity,pip_size,setup,code,exit_reason,mode,text,blob_hex";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the trades as CSV with <see cref="TradesHeader"/>.</summary>
    /// <param name="trades">The rows of the trades view.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="digitsOf">The price digits of a symbol, or null when unknown (then prices get 10 significant digits).</param>
    public static void WriteTradesCsv(IReadOnlyList<TradeRow> trades, TextWriter output, Func<string, int?>? digitsOf = null)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(TradesHeader);
        foreach (var t in trades)
        {
            var d = Digits(digitsOf, t.Symbol);
            output.WriteLine(string.Join(',',
                I(t.Ticket), S(t.ExecutionMode), S(t.Broker), S(t.Symbol), I(t.Magic), I(t.IntentId), I(t.SetupId), S(t.Direction),
                Price(t.EntryPrice, d), Time(t.EntryTime), Price(t.ExitPrice, d), t.ExitTime is { } xt ? Time(xt) : "", S(t.ExitReason), Lots(t.Lots),
                Ratio(t.Confidence), Ratio(t.HitProbability), Price(t.StopLoss, d), Price(t.TakeProfit, d), Fixed(t.Pips, 1), Fixed(t.Pnl, 2),
                t.IsWinner is { } w ? (w ? "1" : "0") : "", S(t.Status)));
        }
    }

    /// <summary>Writes the events as CSV with <see cref="EventsHeader"/> (kinds and exit reasons by name, blobs in hex).</summary>
    /// <param name="events">The journal rows.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="digitsOf">The price digits of a symbol, or null when unknown (then prices get 10 significant digits).</param>
    public static void WriteEventsCsv(IReadOnlyList<JournalRecord> events, TextWriter output, Func<string, int?>? digitsOf = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(EventsHeader);
        foreach (var (seq, e) in events)
        {
            var d = Digits(digitsOf, e.Symbol);
            output.WriteLine(string.Join(',',
                I(seq), e.Kind.ToCode(), Time(e.Time), I(e.Magic), S(e.Symbol), I(e.IntentId), I(e.Ticket), I(e.Deal), I((int)e.Direction),
                Price(e.Price, d), Lots(e.Volume), Price(e.StopLoss, d), Price(e.TakeProfit, d), Ratio(e.Confidence), Ratio(e.HitProbability),
                Fixed(e.Profit, 2), Fixed(e.Equity, 2), Price(e.PipSize, null),
                I(e.SetupId), I(e.Code), e.Kind == JournalEventKind.Close ? e.ExitReason.ToCode() : "", S(e.Mode), S(e.Text),
                e.Blob is null ? "" : Convert.ToHexString(e.Blob)));
        }
    }

    /// <summary>
    /// A journal time as UTC. The journal stores the caller's clock as given: the engine writes MT5 milliseconds
    /// (time_msc), older or foreign rows may hold seconds. 10^11 separates the two unambiguously (as seconds it is the
    /// year 5138, as milliseconds March 1973). Null when the value is outside what a date can hold.
    /// </summary>
    public static DateTime? ToUtc(long time)
    {
        const long MillisecondThreshold = 100_000_000_000;
        var ms = Math.Abs(time) >= MillisecondThreshold ? time : time * 1000;
        return ms >= -62_135_596_800_000 && ms <= 253_402_300_799_999 ? DateTime.UnixEpoch.AddMilliseconds(ms) : null;
    }

    /// <summary>ISO-8601 UTC with milliseconds (2014-05-07T07:45:00.000Z); a value no date can hold stays the number.</summary>
    public static string Time(long time) =>
        ToUtc(time) is { } t ? t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", Inv) : I(time);

    /// <summary>A price in <paramref name="digits"/> decimals, or to 10 significant digits when the digits are unknown.</summary>
    public static string Price(double? v, int? digits)
    {
        if (v is not { } p || !double.IsFinite(p))
            return "";
        if (digits is { } d)
            return p.ToString("F" + Math.Clamp(d, 0, 15).ToString(Inv), Inv);
        if (p == 0)
            return "0";
        var decimals = Math.Clamp(10 - (int)Math.Floor(Math.Log10(Math.Abs(p))) - 1, 0, 15);
        return Math.Round(p, decimals, MidpointRounding.AwayFromZero).ToString("0.###############", Inv);
    }

    private static int? Digits(Func<string, int?>? digitsOf, string? symbol) =>
        digitsOf is not null && !string.IsNullOrEmpty(symbol) ? digitsOf(symbol) : null;

    private static string I(long v) => v.ToString(Inv);

    private static string Fixed(double? v, int decimals) =>
        v is { } d && double.IsFinite(d) ? (Math.Round(d, decimals, MidpointRounding.AwayFromZero) + 0.0).ToString("F" + decimals.ToString(Inv), Inv) : ""; // + 0.0: no "-0.00"

    // Lots to the smallest step any broker uses (0.00000001); probabilities to 6 decimals: both without binary noise.
    private static string Lots(double? v) => v is { } d && double.IsFinite(d) ? Math.Round(d, 8).ToString("0.########", Inv) : "";

    private static string Ratio(double? v) => v is { } d && double.IsFinite(d) ? Math.Round(d, 6).ToString("0.######", Inv) : "";

    private static string S(string? s)
    {
        if (string.IsNullOrEmpty(s))
            return "";
        return s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
