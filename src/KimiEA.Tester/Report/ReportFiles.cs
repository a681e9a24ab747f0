using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KimiEA.Tester.Server;
using KimiEA.Tester.Stats;
using KimiEA.Tester.Terminal;

namespace KimiEA.Tester.Report;

/// <summary>
/// Writes a run's outputs: <c>summary.json</c>, <c>trades.csv</c> and <c>report.html</c>. The first two are
/// deterministic (invariant culture, fixed formats, nothing about the machine or the time of the run), so the same
/// inputs and seed give byte-identical files. Files are written under temporary names and renamed at the end, so a
/// failure leaves no partial output behind.
/// </summary>
public static class ReportFiles
{
    /// <summary>The trades.csv header.</summary>
    public const string TradesHeader = "ticket,symbol,direction,lots,entry_time,entry_price,exit_time,exit_price,exit_reason,commission,pnl,swap";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] OutputNames = ["report.html", "summary.json", "trades.csv"];

    /// <summary>Writes the three files into <paramref name="directory"/> (created if needed).</summary>
    /// <returns>The paths of report.html, summary.json and trades.csv.</returns>
    public static (string Report, string Summary, string Trades) WriteAll(string directory, BacktestResult result, RunDescription run)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(run);
        Directory.CreateDirectory(directory);
        var trades = TradesCsv(result.Trades);
        var summary = SummaryJson(result, run, Sha256Hex(Encoding.UTF8.GetBytes(trades)));
        var html = HtmlReport.Render(result, run);
        var targets = OutputNames.Select(f => Path.Combine(directory, f)).ToArray();
        var contents = new[] { html, summary, trades };
        var temps = targets.Select(t => t + ".tmp").ToArray();
        try
        {
            var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
            for (var i = 0; i < targets.Length; i++)
            {
                File.WriteAllText(temps[i], contents[i], utf8);
            }

            for (var i = 0; i < targets.Length; i++)
            {
                File.Move(temps[i], targets[i], overwrite: true);
            }
        }
        finally
        {
            foreach (var t in temps)
            {
                File.Delete(t);
            }
        }

        return (targets[0], targets[1], targets[2]);
    }

    /// <summary>
    /// Checks, before a run, that <see cref="WriteAll"/> will be able to write into <paramref name="directory"/>: it is
    /// a folder (or can be created as one) that this process may write. Leaves nothing behind: a folder it had to
    /// create for the check and the probe file are removed again, so a run refused later has written nothing.
    /// </summary>
    /// <param name="directory">The output folder.</param>
    /// <param name="option">The command-line option that named it (e.g. --out), to start the error message with.</param>
    /// <exception cref="IOException">Naming the option, the path and what is wrong.</exception>
    public static void CheckOutputFolder(string directory, string? option = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        var name = option is null ? directory : $"{option} {directory}";
        if (File.Exists(full))
        {
            throw new IOException($"{name}: is a file, not a folder");
        }

        // The first part of the path that exists must be a folder; what is missing below it gets created for the probe.
        var existing = full;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                throw new IOException($"{name}: {existing} is a file, not a folder");
            }

            existing = Path.GetDirectoryName(existing) ?? throw new IOException($"{name}: no part of the path exists");
        }

        var created = existing == full ? null : Path.Combine(existing, Path.GetRelativePath(existing, full).Split(Path.DirectorySeparatorChar)[0]);
        try
        {
            Directory.CreateDirectory(full);
            using var probe = new FileStream(Path.Combine(full, $".kimi-write-check-{Environment.ProcessId}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{name}: cannot write the report files there: {e.Message}", e);
        }
        finally
        {
            if (created is not null && Directory.Exists(created))
            {
                Directory.Delete(created, recursive: true);
            }
        }
    }

    /// <summary>Lower-case hex SHA-256.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>UTC ISO-8601 with milliseconds, e.g. 2014-05-07T13:45:00.250Z.</summary>
    public static string Time(long timeMsc) =>
        DateTime.UnixEpoch.AddMilliseconds(timeMsc).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", Inv);

    /// <summary>
    /// A time for people (the HTML report): 2014-05-07 07:45, with seconds only when the time has them
    /// (2014-05-07 07:45:12); the machine-read files keep <see cref="Time"/>.
    /// </summary>
    public static string DisplayTime(long timeMsc)
    {
        var t = DateTime.UnixEpoch.AddMilliseconds(timeMsc);
        return t.ToString(t.Second == 0 && t.Millisecond == 0 ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd HH:mm:ss", Inv);
    }

    /// <summary>A duration for people: 45 s, 12 min, 3 h 05 min, 2 d 04 h (two units at most; negative as 0 s).</summary>
    public static string Duration(long msc)
    {
        var t = TimeSpan.FromMilliseconds(Math.Max(0, msc));
        return t.TotalDays >= 1 ? string.Create(Inv, $"{(int)t.TotalDays} d {t.Hours:00} h")
            : t.TotalHours >= 1 ? string.Create(Inv, $"{t.Hours} h {t.Minutes:00} min")
            : t.TotalMinutes >= 1 ? string.Create(Inv, $"{t.Minutes} min")
            : string.Create(Inv, $"{t.Seconds} s");
    }

    /// <summary>A price in the symbol's <paramref name="digits"/> (as the terminal shows it).</summary>
    public static string Price(double p, int digits) => p.ToString("F" + Math.Clamp(digits, 0, 10).ToString(Inv), Inv);

    /// <summary>A price with up to 8 decimals and no trailing zeros (netting averages can have more digits than the symbol).</summary>
    public static string Price(double p) => p.ToString("0.########", Inv);

    /// <summary>Money with 2 decimals.</summary>
    public static string Money(double m) => m.ToString("0.00", Inv);

    /// <summary>trades.csv: one row per closed trade, in closing order; pnl is net of commission and swap (the swap the closed lots accrued, paid with the exit deal).</summary>
    public static string TradesCsv(IReadOnlyList<ClosedTrade> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        var sb = new StringBuilder(TradesHeader.Length + 2 + trades.Count * 128);
        sb.Append(TradesHeader).Append('\n');
        foreach (var t in trades)
        {
            sb.Append(t.Ticket.ToString(Inv)).Append(',')
              .Append(t.Symbol).Append(',')
              .Append(t.Direction > 0 ? "buy" : "sell").Append(',')
              .Append(t.Lots.ToString("0.########", Inv)).Append(',')
              .Append(Time(t.EntryTimeMsc)).Append(',')
              .Append(Price(t.EntryPrice)).Append(',')
              .Append(Time(t.ExitTimeMsc)).Append(',')
              .Append(Price(t.ExitPrice)).Append(',')
              .Append(t.ExitReason).Append(',')
              .Append(Money(t.Commission)).Append(',')
              .Append(Money(t.Pnl)).Append(',')
              .Append(Money(t.Swap)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>summary.json: the statistics (snake_case) and the run's parameters.</summary>
    public static string SummaryJson(BacktestResult result, RunDescription run, string tradesSha256)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(run);
        var s = result.Statistics;
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            Num(w, "initial_balance", s.InitialBalance, 2);
            Num(w, "final_balance", s.FinalBalance, 2);
            Num(w, "net_profit", s.NetProfit, 2);
            Num(w, "gross_profit", s.GrossProfit, 2);
            Num(w, "gross_loss", s.GrossLoss, 2);
            Num(w, "profit_factor", s.ProfitFactor, 6);
            Num(w, "expected_payoff", s.ExpectedPayoff, 6);
            Num(w, "recovery_factor", s.RecoveryFactor, 6);
            Num(w, "sharpe", s.Sharpe, 6);
            Num(w, "sortino", s.Sortino, 6);
            Num(w, "max_drawdown_pct", s.EquityDrawdownRelativePercent, 6);
            Num(w, "max_drawdown", s.EquityDrawdownMaximal, 2);
            Num(w, "equity_drawdown_absolute", s.EquityDrawdownAbsolute, 2);
            Num(w, "equity_drawdown_maximal", s.EquityDrawdownMaximal, 2);
            Num(w, "equity_drawdown_maximal_pct", s.EquityDrawdownMaximalPercent, 6);
            Num(w, "equity_drawdown_relative_pct", s.EquityDrawdownRelativePercent, 6);
            Num(w, "balance_drawdown_absolute", s.BalanceDrawdownAbsolute, 2);
            Num(w, "balance_drawdown_maximal", s.BalanceDrawdownMaximal, 2);
            Num(w, "balance_drawdown_maximal_pct", s.BalanceDrawdownMaximalPercent, 6);
            Num(w, "balance_drawdown_relative_pct", s.BalanceDrawdownRelativePercent, 6);
            w.WriteNumber("trades", s.Trades);
            w.WriteNumber("wins", s.Wins);
            w.WriteNumber("losses", s.Losses);
            Num(w, "win_rate_pct", s.WinRatePercent, 6);
            Num(w, "average_win", s.AverageWin, 2);
            Num(w, "average_loss", s.AverageLoss, 2);
            Num(w, "largest_win", s.LargestWin, 2);
            Num(w, "largest_loss", s.LargestLoss, 2);
            w.WriteNumber("max_consecutive_wins", s.MaxConsecutiveWins);
            w.WriteNumber("max_consecutive_losses", s.MaxConsecutiveLosses);
            w.WriteNumber("long_trades", s.LongTrades);
            w.WriteNumber("long_wins", s.LongWins);
            w.WriteNumber("short_trades", s.ShortTrades);
            w.WriteNumber("short_wins", s.ShortWins);
            Num(w, "commission_total", s.CommissionTotal, 2);
            Num(w, "swap_total", s.SwapTotal, 2);
            var c = result.Counters;
            w.WriteNumber("ticks", c.Ticks);
            w.WriteNumber("engine_ticks", c.EngineTicks);
            w.WriteNumber("bars", c.Bars);
            w.WriteNumber("warmup_bars", c.WarmupBars);
            w.WriteNumber("warmup_bars_wanted", c.WarmupBarsWanted);
            w.WriteNumber("signals", c.Signals);
            w.WriteNumber("instructions", c.Instructions);
            w.WriteNumber("ambiguous_exits", c.AmbiguousExits);
            w.WriteNumber("stop_outs", c.StopOuts);
            w.WriteNumber("skipped_records", run.DataFiles.Sum(f => f.Quality.RowsSkipped));
            w.WriteString("first_time", c.Ticks > 0 ? Time(c.FirstTimeMsc) : string.Empty);
            w.WriteString("last_time", c.Ticks > 0 ? Time(c.LastTimeMsc) : string.Empty);
            w.WriteString("mode", run.Mode);
            w.WriteString("data_timeframe", run.DataTimeframe);
            w.WriteString("price_model", run.PriceModel);
            w.WriteString("timeframe", run.Timeframe);
            w.WriteNumber("seed", run.Seed);
            w.WriteString("currency", run.Currency);
            w.WriteString("fill_policy", run.FillPolicy);
            w.WriteString("same_bar", Core.Trading.SameBarRuleNames.ToCode(run.SameBar));
            w.WriteStartArray("symbols");
            foreach (var sym in run.Symbols)
            {
                w.WriteStringValue(sym);
            }

            w.WriteEndArray();
            w.WriteStartArray("data_files");
            foreach (var f in run.DataFiles)
            {
                w.WriteStartObject();
                w.WriteString("file", Path.GetFileName(f.Path));
                w.WriteString("symbol", f.Symbol);
                w.WriteString("sha256", f.Sha256);
                w.WriteNumber("records", f.Records);
                w.WriteString("spread_source", f.SpreadSource);
                w.WriteString("spread", f.Spread);
                w.WriteNumber("rows_read", f.Quality.RowsRead);
                w.WriteNumber("rows_skipped", f.Quality.RowsSkipped);
                w.WriteStartObject("skipped_by_problem");
                foreach (var (problem, count) in f.Quality.SkippedByProblem)
                {
                    w.WriteNumber(KimiEA.Data.DataQualityReport.ProblemName(problem), count);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("denials_by_reason");
            foreach (var kv in result.DenialsByReason)
            {
                w.WriteNumber(kv.Key, kv.Value);
            }

            w.WriteEndObject();
            // what became of the signals, with their confidence (the listed ones: all up to the signal log's capacity)
            w.WriteStartObject("signals_by_outcome");
            foreach (var g in result.SignalLog.GroupBy(x => x.Outcome, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(g.Key);
                w.WriteNumber("count", g.Count());
                w.WriteNumber("min_confidence", Math.Round(g.Min(x => x.Confidence), 4));
                w.WriteNumber("mean_confidence", Math.Round(g.Average(x => x.Confidence), 4));
                w.WriteNumber("max_confidence", Math.Round(g.Max(x => x.Confidence), 4));
                w.WriteNumber("mean_hit_probability", Math.Round(g.Average(x => x.HitProbability), 4));
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartObject("results_by_retcode");
            foreach (var kv in result.ResultsByRetcode)
            {
                w.WriteNumber(kv.Key, kv.Value);
            }

            w.WriteEndObject();
            w.WriteNumber("breaker_events", result.BreakerEvents.Count);
            if (run.BrokerState is { } b)
            {
                WriteBrokerState(w, b);
            }

            w.WriteString("trades_csv_sha256", tradesSha256);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    /// <summary>
    /// The run's durable broker state. For a resumed run initial_balance is the balance its trades started from:
    /// deposit + restored_deals; broker_balance_at_end = final_balance + open_entry_commission_at_end.
    /// </summary>
    private static void WriteBrokerState(Utf8JsonWriter w, BrokerStateDescription b)
    {
        w.WriteStartObject("broker_state");
        w.WriteString("file", Path.GetFileName(b.Path));
        w.WriteBoolean("resumed", b.Resumed);
        w.WriteString("resumed_from", b.Resumed && b.ResumedFromMsc > 0 ? Time(b.ResumedFromMsc) : string.Empty);
        w.WriteString("broker_last_time", b.BrokerLastTimeMsc > 0 ? Time(b.BrokerLastTimeMsc) : string.Empty);
        w.WriteString("journal_last_time", b.JournalLastTimeMsc > 0 ? Time(b.JournalLastTimeMsc) : string.Empty);
        Num(w, "deposit", b.Deposit, 2);
        Num(w, "restored_deals", b.RestoredDeals, 2);
        w.WriteNumber("restored_deal_count", b.RestoredDealCount);
        w.WriteNumber("restored_positions", b.RestoredPositions);
        w.WriteStartArray("agent_starts");
        foreach (var a in b.AgentStarts)
        {
            w.WriteStartObject();
            w.WriteString("symbol", a.Symbol);
            w.WriteString("breaker", a.Breaker);
            Num(w, "day_start_equity", a.DayStartEquity, 2);
            w.WriteNumber("open_positions", a.OpenPositions);
            w.WriteNumber("halted", a.Halted);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("open_positions_at_end", b.OpenPositionsAtEnd);
        Num(w, "open_entry_commission_at_end", b.OpenEntryCommissionAtEnd, 2);
        Num(w, "broker_balance_at_end", b.BalanceAtEnd, 2);
        w.WriteEndObject();
    }

    private static void Num(Utf8JsonWriter w, string name, double? value, int decimals)
    {
        if (value is not { } v || !double.IsFinite(v))
        {
            w.WriteNull(name);
            return;
        }

        // Rounded and written through decimal so the text is fixed (no binary noise such as 0.30000000000000004).
        w.WriteNumber(name, Math.Round((decimal)v, decimals, MidpointRounding.AwayFromZero));
    }

    /// <summary>The report's chart data as JSON (curve, candles, SMC zones and breaks, trades with their excursions, signals).</summary>
    internal static string ChartDataJson(BacktestResult result, RunDescription run)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteNumber("timeframe", run.TimeframeSeconds);
            w.WriteStartArray("curve");
            foreach (var p in result.Curve)
            {
                w.WriteStartArray();
                w.WriteNumberValue(p.Time);
                w.WriteNumberValue(Math.Round(p.Balance, 2));
                w.WriteNumberValue(Math.Round(p.Equity, 2));
                w.WriteNumberValue(Math.Round(p.DrawdownPercent, 4));
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteStartArray("charts");
            foreach (var c in result.Charts)
            {
                w.WriteStartObject();
                w.WriteString("symbol", c.Symbol);
                w.WriteNumber("digits", c.Digits);
                w.WriteStartArray("bars");
                foreach (var b in c.Bars)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(b.Time);
                    w.WriteNumberValue(b.Open);
                    w.WriteNumberValue(b.High);
                    w.WriteNumberValue(b.Low);
                    w.WriteNumberValue(b.Close);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteStartArray("signals");
                foreach (var s in c.Signals)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(s.TimeMsc / 1000);
                    w.WriteNumberValue(s.Direction);
                    w.WriteNumberValue(s.Price);
                    w.WriteNumberValue(Math.Round(s.Confidence, 4));
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                var overlay = SmcOverlay.Compute(c.Bars);
                w.WriteStartArray("zones");
                foreach (var z in overlay.Zones)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(z.From);
                    w.WriteNumberValue(z.To);
                    w.WriteNumberValue(z.Top);
                    w.WriteNumberValue(z.Bottom);
                    w.WriteNumberValue((int)z.Direction);
                    w.WriteNumberValue(z.IsOrderBlock ? 1 : 0);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteStartArray("breaks");
                foreach (var k in overlay.Breaks)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(k.From);
                    w.WriteNumberValue(k.To);
                    w.WriteNumberValue(k.Level);
                    w.WriteNumberValue((int)k.Direction);
                    w.WriteNumberValue(k.IsChoch ? 1 : 0);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("trades");
            foreach (var t in result.Trades)
            {
                w.WriteStartObject();
                w.WriteNumber("ticket", t.Ticket);
                w.WriteString("symbol", t.Symbol);
                w.WriteNumber("dir", t.Direction);
                w.WriteNumber("lots", t.Lots);
                w.WriteNumber("entry_time", t.EntryTimeMsc / 1000);
                w.WriteNumber("exit_time", t.ExitTimeMsc / 1000);
                w.WriteString("reason", t.ExitReason);
                w.WriteNumber("pnl", t.Pnl);
                w.WriteNumber("entry_price", t.EntryPrice);
                w.WriteNumber("exit_price", t.ExitPrice);
                w.WriteNumber("mfe", t.MfePrice);
                w.WriteNumber("mae", t.MaePrice);
                w.WriteNumber("risk", t.RiskPrice);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        // Inside <script type="application/json"> the only sequence that could end the element early is "</".
        return Encoding.UTF8.GetString(ms.ToArray()).Replace("</", "<\\/", StringComparison.Ordinal);
    }
}
