using System.CommandLine;
using System.Globalization;
using KimiEA.Journal;

namespace KimiEA.Cli.Commands;

/// <summary>
/// <c>kimi journal status|trades|export --db FILE</c>: read-only views of a journal. They open their own read-only
/// WAL connection, so they work while the terminal (or a backtest) is writing the same file.
/// </summary>
internal static class JournalCommand
{
    public static Command Create()
    {
        var cmd = new Command("journal", "Inspect a KimiEA trade journal (read-only; safe while the EA is writing it).");
        cmd.Subcommands.Add(Status());
        cmd.Subcommands.Add(Trades());
        cmd.Subcommands.Add(Export());
        return cmd;
    }

    internal static Option<string> DbOption() =>
        new("--db") { Description = "The journal file (the EA's journal path, or a backtest's journal).", Required = true };

    private static Command Status()
    {
        var db = DbOption();
        var cmd = new Command("status", "Schema version, row counts, open/closed trades, P&L and the kill-switch state.");
        cmd.Options.Add(db);
        cmd.SetAction(parse => Run(parse.GetValue(db)!, reader =>
        {
            var s = reader.ReadStatus();
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"journal        {s.Path}");
            Console.WriteLine($"schema         v{s.SchemaVersion}");
            Console.WriteLine($"events         {s.Events} (last seq {s.LastSequence}{(s.LastEventTime is { } t ? ", at " + Time(t) : "")})");
            foreach (var (kind, count) in s.CountsByKind)
                Console.WriteLine($"  {kind.ToCode(),-16}{count}");
            Console.WriteLine($"trades         {s.OpenTrades} open, {s.ClosedTrades} closed, P&L {s.TotalPnl.ToString("0.00", inv)}");
            Console.WriteLine(s.HaltRequested
                ? $"kill switch    HALTED ({s.HaltReason ?? "no reason given"}) — `kimi resume --db FILE` lifts it"
                : "kill switch    off");
        }));
        return cmd;
    }

    private static Command Trades()
    {
        var db = DbOption();
        var cmd = new Command("trades", "List the trades view: entry, exit, reason, lots, pips, P&L, status.");
        cmd.Options.Add(db);
        cmd.SetAction(parse => Run(parse.GetValue(db)!, reader =>
        {
            var trades = reader.ReadTrades();
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"{"ticket",10} {"mode",-8} {"symbol",-8} {"dir",-4} {"entry time",-19} {"entry",11} {"exit time",-19} {"exit",11} {"reason",-10} {"lots",6} {"pips",8} {"P&L",10} {"status",-6}");
            foreach (var t in trades)
            {
                var digits = t.Symbol is null ? null : SymbolDigits(t.Symbol);
                Console.WriteLine(string.Create(inv,
                    $"{t.Ticket,10} {t.ExecutionMode ?? "",-8} {t.Symbol ?? "",-8} {t.Direction,-4} {Time(t.EntryTime),-19} {JournalExport.Price(t.EntryPrice, digits),11} " +
                    $"{(t.ExitTime is { } x ? Time(x) : ""),-19} {JournalExport.Price(t.ExitPrice, digits),11} {t.ExitReason ?? "",-10} " +
                    $"{t.Lots,6:0.##} {(t.Pips is { } p ? p.ToString("0.0", inv) : ""),8} {(t.Pnl is { } m ? m.ToString("0.00", inv) : ""),10} {t.Status,-6}"));
            }
            Console.WriteLine($"{trades.Count} trade(s)");
        }));
        return cmd;
    }

    private static Command Export()
    {
        var db = DbOption();
        var what = new Option<string>("--what") { Description = "trades (the trades view) or events (every journal row).", DefaultValueFactory = _ => "trades" };
        what.AcceptOnlyFromAmong("trades", "events");
        var output = new Option<string?>("--out") { Description = "CSV file to write (default: standard output). Written to a temporary file first, so no partial file is left behind." };
        var cmd = new Command("export", "Export trades or events as CSV.");
        cmd.Options.Add(db);
        cmd.Options.Add(what);
        cmd.Options.Add(output);
        cmd.SetAction(parse => Run(parse.GetValue(db)!, reader =>
        {
            var events = string.Equals(parse.GetValue(what), "events", StringComparison.Ordinal);
            void Write(TextWriter w)
            {
                if (events)
                    JournalExport.WriteEventsCsv(reader.ReadEvents(), w, SymbolDigits);
                else
                    JournalExport.WriteTradesCsv(reader.ReadTrades(), w, SymbolDigits);
            }
            var path = parse.GetValue(output);
            if (path is null)
            {
                Write(Console.Out);
                return;
            }
            var tmp = path + ".tmp";
            try
            {
                using (var w = new StreamWriter(tmp))
                    Write(w);
                File.Move(tmp, path, overwrite: true);
            }
            finally
            {
                if (File.Exists(tmp))
                    File.Delete(tmp);
            }
            Console.Error.WriteLine($"wrote {path}");
        }));
        return cmd;
    }

    /// <summary>A journal time for the console (2014-05-07 07:45:00, see <see cref="JournalExport.ToUtc"/>); anything unprintable prints as the number.</summary>
    internal static string Time(long t) =>
        JournalExport.ToUtc(t) is { } utc ? utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : t.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The price digits of a journal's symbol from the tester's symbol specifications (the journal does not store
    /// them), or null: then <see cref="JournalExport"/> rounds to 10 significant digits.
    /// </summary>
    internal static int? SymbolDigits(string symbol) => KimiEA.Tester.Server.SymbolTable.TryGet(symbol)?.Digits;

    /// <summary>Opens the journal read-only and runs <paramref name="body"/>; journal and file errors become a message and exit code 1.</summary>
    private static int Run(string db, Action<JournalReader> body)
    {
        try
        {
            // A FIFO or a folder is refused before SQLite opens it (a FIFO would block the open forever).
            KimiEA.Data.InputFile.CheckExistingRegular(db);
            using var reader = JournalReader.Open(db);
            body(reader);
            return 0;
        }
        catch (Exception ex) when (ex is JournalException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"kimi journal: {ex.Message}");
            return 1;
        }
    }
}
