using System.Globalization;
using KimiEA.Core.Trading;

namespace KimiEA.Journal;

/// <summary>CSV export of trades and events (RFC 4180 quoting, invariant culture, empty cell for null/NaN).</summary>
public static class JournalExport
{
    /// <summary>Header of <see cref="WriteTradesCsv"/>.</summary>
    public const string TradesHeader =
        "ticket,execution_mode,broker,symbol,magic,intent_id,setup,direction,entry_price,entry_time,exit_price,exit_time,exit_reason,lots,confidence,hit_probability,sl,tp,pips,pnl,is_winner,status";

    /// <summary>Header of <see cref="WriteEventsCsv"/>.</summary>
    public const string EventsHeader =
        "seq,kind,time,magic,symbol,intent_id,ticket,deal,direction,price,volume,sl,tp,confidence,hit_probability,profit,equity,pip_size,setup,code,exit_reason,mode,text,blob_hex";

    /// <summary>Writes the trades as CSV with <see cref="TradesHeader"/>.</summary>
    public static void WriteTradesCsv(IReadOnlyList<TradeRow> trades, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(TradesHeader);
        foreach (var t in trades)
        {
            output.WriteLine(string.Join(',',
                I(t.Ticket), S(t.ExecutionMode), S(t.Broker), S(t.Symbol), I(t.Magic), I(t.IntentId), I(t.SetupId), S(t.Direction),
                D(t.EntryPrice), I(t.EntryTime), D(t.ExitPrice), t.ExitTime is { } xt ? I(xt) : "", S(t.ExitReason), D(t.Lots),
                D(t.Confidence), D(t.HitProbability), D(t.StopLoss), D(t.TakeProfit), D(t.Pips), D(t.Pnl),
                t.IsWinner is { } w ? (w ? "1" : "0") : "", S(t.Status)));
        }
    }

    /// <summary>Writes the events as CSV with <see cref="EventsHeader"/> (kinds and exit reasons by name, blobs in hex).</summary>
    public static void WriteEventsCsv(IReadOnlyList<JournalRecord> events, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(EventsHeader);
        foreach (var (seq, e) in events)
        {
            output.WriteLine(string.Join(',',
                I(seq), e.Kind.ToCode(), I(e.Time), I(e.Magic), S(e.Symbol), I(e.IntentId), I(e.Ticket), I(e.Deal), I((int)e.Direction),
                D(e.Price), D(e.Volume), D(e.StopLoss), D(e.TakeProfit), D(e.Confidence), D(e.HitProbability), D(e.Profit), D(e.Equity), D(e.PipSize),
                I(e.SetupId), I(e.Code), e.Kind == JournalEventKind.Close ? e.ExitReason.ToCode() : "", S(e.Mode), S(e.Text),
                e.Blob is null ? "" : Convert.ToHexString(e.Blob)));
        }
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string D(double? v) => v is { } d && double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string S(string? s)
    {
        if (string.IsNullOrEmpty(s))
            return "";
        return s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
