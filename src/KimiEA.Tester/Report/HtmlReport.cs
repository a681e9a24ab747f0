using System.Globalization;
using System.Net;
using System.Text;
using KimiEA.Tester.Stats;
using KimiEA.Tester.Terminal;

namespace KimiEA.Tester.Report;

/// <summary>
/// Renders report.html: ONE self-contained file (no network) with the run header, the statistics, equity and
/// drawdown curves, a candlestick chart per symbol with the SMC structure and every trade's entry and exit, the trade
/// list (holding time, MFE/MAE), the net result by symbol (and the account), entry hour and weekday, breaker events
/// and denials. Times are written for people (2014-05-07 07:45); summary.json and trades.csv keep ISO-8601. Tables are rendered here; the charts are drawn by TradingView's lightweight-charts, embedded into
/// this assembly at build time and inlined into the file with its licence notice.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Lazy<string> Template = new(() => Resource("KimiEA.Tester.report-template.html"));
    private static readonly Lazy<string> ChartLibrary = new(() => Resource("KimiEA.Tester.lightweight-charts.js"));

    /// <summary>The embedded lightweight-charts bundle (with its licence header).</summary>
    public static string ChartLibraryScript => ChartLibrary.Value;

    /// <summary>Renders the whole document.</summary>
    public static string Render(BacktestResult result, RunDescription run)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(run);
        var title = $"KimiEA backtest — {string.Join(", ", run.Symbols)} {run.Timeframe} ({run.Mode})";
        // Placeholders are replaced in one pass from the template's own text, so data can never inject a placeholder.
        var template = Template.Value;
        var sb = new StringBuilder(template.Length + ChartLibrary.Value.Length + 65_536);
        var pos = 0;
        while (true)
        {
            var start = template.IndexOf("{{", pos, StringComparison.Ordinal);
            if (start < 0)
            {
                sb.Append(template, pos, template.Length - pos);
                break;
            }

            var end = template.IndexOf("}}", start, StringComparison.Ordinal);
            sb.Append(template, pos, start - pos);
            var key = template[(start + 2)..end];
            sb.Append(key switch
            {
                "TITLE" => Enc(title),
                "BODY" => Body(result, run, title),
                "DATA" => ReportFiles.ChartDataJson(result, run),
                "CHARTS_LIB" => ChartLibrary.Value,
                _ => throw new InvalidOperationException($"Unknown placeholder {{{{{key}}}}} in the report template."),
            });
            pos = end + 2;
        }

        return sb.ToString();
    }

    private static string Resource(string name)
    {
        using var s = typeof(HtmlReport).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The report resource {name} is missing from the assembly (the build embeds it).");
        using var r = new StreamReader(s, Encoding.UTF8);
        return r.ReadToEnd();
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private static string Body(BacktestResult result, RunDescription run, string title)
    {
        var s = result.Statistics;
        var c = result.Counters;
        var b = new StringBuilder();
        b.Append("<header><h1>").Append(Enc(title)).Append("</h1><div class=\"sub\">")
         .Append(c.Ticks > 0 ? $"{ReportFiles.DisplayTime(c.FirstTimeMsc)} → {ReportFiles.DisplayTime(c.LastTimeMsc)}" : "no prices in range")
         .Append(" · seed ").Append(run.Seed.ToString(Inv)).Append(" · commit <code>").Append(Enc(run.Commit)).Append("</code></div></header><main>");

        b.Append("<section><h2>Run</h2><div class=\"grid\"><table>");
        Row(b, "Symbols", string.Join(", ", run.Symbols));
        Row(b, "Mode", run.Mode);
        Row(b, "Timeframe", run.Timeframe);
        Row(b, "Seed", run.Seed.ToString(Inv));
        Row(b, "Commit", run.Commit);
        Row(b, "Fill policy", run.FillPolicy);
        Row(b, "Date range", c.Ticks > 0 ? $"{ReportFiles.DisplayTime(c.FirstTimeMsc)} – {ReportFiles.DisplayTime(c.LastTimeMsc)}" : "—");
        b.Append("</table><table>");
        foreach (var kv in run.Parameters)
        {
            Row(b, kv.Key, kv.Value);
        }

        b.Append("</table></div><h2>Data</h2><table><tr><th>file</th><th>symbol</th><th>kind</th><th class=\"num\">records</th><th>SHA-256</th><th>quality</th></tr>");
        foreach (var f in run.DataFiles)
        {
            b.Append("<tr><td class=\"mono\">").Append(Enc(f.Path)).Append("</td><td>").Append(Enc(f.Symbol)).Append("</td><td>").Append(Enc(f.Kind))
             .Append("</td><td class=\"num\">").Append(f.Records.ToString(Inv)).Append("</td><td class=\"mono\">").Append(Enc(f.Sha256))
             .Append("</td><td class=\"mono\">").Append(string.Join("<br>", f.QualityLines.Select(Enc))).Append("</td></tr>");
        }

        b.Append("</table></section>");

        if (run.BrokerState is { } bs)
        {
            BrokerStateSection(b, bs);
        }

        b.Append("<section><h2>Statistics</h2><div class=\"grid\"><table>");
        Row(b, run.BrokerState is { Resumed: true } ? "Balance at resume (deposit + restored deals)" : "Initial deposit", M(s.InitialBalance));
        Row(b, "Final balance", M(s.FinalBalance));
        Row(b, "Total net profit", M(s.NetProfit), s.NetProfit);
        Row(b, "Gross profit", M(s.GrossProfit));
        Row(b, "Gross loss", M(s.GrossLoss));
        Row(b, "Profit factor", R(s.ProfitFactor));
        Row(b, "Expected payoff", M(s.ExpectedPayoff));
        Row(b, "Recovery factor", R(s.RecoveryFactor));
        Row(b, "Sharpe ratio (per trade)", R(s.Sharpe));
        Row(b, "Sortino ratio (per trade)", R(s.Sortino));
        Row(b, "Commission", M(s.CommissionTotal));
        Row(b, "Swap", M(s.SwapTotal));
        b.Append("</table><table>");
        Row(b, "Balance drawdown absolute", M(s.BalanceDrawdownAbsolute));
        Row(b, "Balance drawdown maximal", $"{M(s.BalanceDrawdownMaximal)} ({P(s.BalanceDrawdownMaximalPercent)})");
        Row(b, "Balance drawdown relative", P(s.BalanceDrawdownRelativePercent));
        Row(b, "Equity drawdown absolute", M(s.EquityDrawdownAbsolute));
        Row(b, "Equity drawdown maximal", $"{M(s.EquityDrawdownMaximal)} ({P(s.EquityDrawdownMaximalPercent)})");
        Row(b, "Equity drawdown relative", P(s.EquityDrawdownRelativePercent));
        Row(b, "Same-bar SL/TP resolved by the rule", c.AmbiguousExits.ToString(Inv));
        Row(b, "Stop-outs", c.StopOuts.ToString(Inv));
        b.Append("</table><table>");
        Row(b, "Total trades", s.Trades.ToString(Inv));
        Row(b, "Profit trades (% of total)", $"{s.Wins} ({P(s.WinRatePercent)})");
        Row(b, "Loss trades", s.Losses.ToString(Inv));
        Row(b, "Long trades (won %)", $"{s.LongTrades} ({P(s.LongTrades > 0 ? 100.0 * s.LongWins / s.LongTrades : 0)})");
        Row(b, "Short trades (won %)", $"{s.ShortTrades} ({P(s.ShortTrades > 0 ? 100.0 * s.ShortWins / s.ShortTrades : 0)})");
        Row(b, "Average profit / loss trade", $"{M(s.AverageWin)} / {M(s.AverageLoss)}");
        Row(b, "Largest profit / loss trade", $"{M(s.LargestWin)} / {M(s.LargestLoss)}");
        Row(b, "Max consecutive wins / losses", $"{s.MaxConsecutiveWins} / {s.MaxConsecutiveLosses}");
        Row(b, "Prices / engine ticks / bars", $"{c.Ticks} / {c.EngineTicks} / {c.Bars} (+{c.WarmupBars} warm-up)");
        Row(b, "Signals / instructions", $"{c.Signals} / {c.Instructions}");
        b.Append("</table></div></section>");

        b.Append("<section><h2>Equity and balance</h2><div id=\"equity-chart\" class=\"chart\"></div>")
         .Append("<h2>Equity drawdown (%)</h2><div id=\"drawdown-chart\" class=\"chart small\"></div><div id=\"status\">charts loading…</div></section>");
        for (var i = 0; i < result.Charts.Count; i++)
        {
            var ch = result.Charts[i];
            b.Append("<section><h2>").Append(Enc(ch.Symbol)).Append(' ').Append(Enc(run.Timeframe)).Append(" — trades and signals (")
             .Append(ch.Bars.Count.ToString(Inv)).Append(" of ").Append(ch.BarCount.ToString(Inv)).Append(" bars shown)</h2><div id=\"candles-")
             .Append(i.ToString(Inv)).Append("\" class=\"chart tall\"></div></section>");
        }

        TradesSection(b, result, run);
        BreakdownSection(b, result, run);

        b.Append("<section><h2>Signals: confidence and what happened</h2><p>Hit probability: the calibrated probability that the take-profit comes before the stop (what Kelly sizes with). Confidence: the posterior probability that the trade's expectancy after costs is positive (docs/signal.md); below the minimum confidence a signal is ignored, between it and the auto-execute confidence it waits for the trader's approval, from the auto-execute confidence it trades.</p><div class=\"scroll\"><table><tr><th>time</th><th>symbol</th><th>dir</th><th class=\"num\">price</th><th class=\"num\">hit probability</th><th class=\"num\">confidence</th><th>outcome</th></tr>");
        foreach (var sig in result.SignalLog)
        {
            b.Append("<tr><td>").Append(ReportFiles.DisplayTime(sig.TimeMsc)).Append("</td><td>").Append(Enc(sig.Symbol)).Append("</td><td>")
             .Append(sig.Direction > 0 ? "buy" : "sell").Append("</td><td class=\"num\">").Append(ReportFiles.Price(sig.Price, Digits(result, sig.Symbol)))
             .Append("</td><td class=\"num\">").Append(sig.HitProbability.ToString("0.000", Inv))
             .Append("</td><td class=\"num\">").Append(sig.Confidence.ToString("0.000", Inv)).Append("</td><td>").Append(Enc(sig.Outcome)).Append("</td></tr>");
        }

        if (result.SignalLog.Count == 0)
        {
            b.Append("<tr><td colspan=\"7\">No signals: the setup never formed on this data.</td></tr>");
        }
        else if (result.SignalLog.Count < c.Signals)
        {
            b.Append("<tr><td colspan=\"7\">").Append((c.Signals - result.SignalLog.Count).ToString(Inv)).Append(" later signals not listed.</td></tr>");
        }

        b.Append("</table></div></section>");

        b.Append("<section class=\"grid\"><div><h2>Breaker events</h2><table><tr><th>time</th><th>agent</th><th>state</th><th class=\"num\">equity</th></tr>");
        foreach (var e in result.BreakerEvents)
        {
            b.Append("<tr><td>").Append(ReportFiles.DisplayTime(e.TimeMsc)).Append("</td><td>").Append(Enc(e.Symbol)).Append("</td><td>").Append(Enc(e.State))
             .Append("</td><td class=\"num\">").Append(M(e.Equity)).Append("</td></tr>");
        }

        if (result.BreakerEvents.Count == 0)
        {
            b.Append("<tr><td colspan=\"4\">The breaker never tripped.</td></tr>");
        }

        b.Append("</table></div><div><h2>Denials by reason</h2><table><tr><th>reason</th><th class=\"num\">count</th></tr>");
        foreach (var kv in result.DenialsByReason)
        {
            b.Append("<tr><td>").Append(Enc(kv.Key)).Append("</td><td class=\"num\">").Append(kv.Value.ToString(Inv)).Append("</td></tr>");
        }

        if (result.DenialsByReason.Count == 0)
        {
            b.Append("<tr><td colspan=\"2\">No denials.</td></tr>");
        }

        b.Append("</table><h2>Order results by retcode</h2><table><tr><th>retcode</th><th class=\"num\">count</th></tr>");
        foreach (var kv in result.ResultsByRetcode)
        {
            b.Append("<tr><td>").Append(Enc(kv.Key)).Append("</td><td class=\"num\">").Append(kv.Value.ToString(Inv)).Append("</td></tr>");
        }

        b.Append("</table></div></section>");
        if (result.LogLines.Count > 0)
        {
            b.Append("<section><h2>Engine log (first ").Append(result.LogLines.Count.ToString(Inv)).Append(" of ").Append(c.LogLines.ToString(Inv))
             .Append(" lines)</h2><div class=\"scroll mono\">").Append(string.Join("<br>", result.LogLines.Select(Enc))).Append("</div></section>");
        }

        b.Append("</main><footer>Charts: TradingView Lightweight Charts™ — Copyright (c) TradingView, Inc., https://www.tradingview.com/, ")
         .Append("licensed under the Apache License 2.0 (https://www.apache.org/licenses/LICENSE-2.0), bundled unmodified. ")
         .Append("Statistics follow the MetaTrader 5 Strategy Tester's definitions; Sharpe and Sortino are per-trade ratios.</footer>");
        return b.ToString();
    }

    /// <summary>The durable broker state: for a resumed run, what it continued from (a terminal restart) and each agent's restored state.</summary>
    private static void BrokerStateSection(StringBuilder b, BrokerStateDescription bs)
    {
        b.Append("<section><h2>").Append(bs.Resumed ? "Resumed run (terminal restart)" : "Broker state").Append("</h2><div class=\"grid\"><table>");
        Row(b, "Broker state file", bs.Path);
        if (bs.Resumed)
        {
            Row(b, "Replay continued at", bs.ResumedFromMsc > 0 ? ReportFiles.DisplayTime(bs.ResumedFromMsc) : "start of data");
            Row(b, "Last broker record / journal event", $"{(bs.BrokerLastTimeMsc > 0 ? ReportFiles.DisplayTime(bs.BrokerLastTimeMsc) : "—")} / {(bs.JournalLastTimeMsc > 0 ? ReportFiles.DisplayTime(bs.JournalLastTimeMsc) : "—")}");
            Row(b, "Deposit", M(bs.Deposit));
            Row(b, "Restored deals (not trades of this run)", $"{bs.RestoredDealCount} deals, {M(bs.RestoredDeals)}", bs.RestoredDeals);
            Row(b, "Positions open at the restart", bs.RestoredPositions.ToString(Inv));
        }
        else
        {
            Row(b, "Started", "fresh account (the file was written by this run)");
        }

        Row(b, "Positions left open at the broker", bs.OpenPositionsAtEnd.ToString(Inv));
        Row(b, "Broker balance at the end", bs.OpenPositionsAtEnd > 0
            ? $"{M(bs.BalanceAtEnd)} (final balance + {M(bs.OpenEntryCommissionAtEnd)} entry commission of the open positions)"
            : $"{M(bs.BalanceAtEnd)} (= final balance)");
        b.Append("</table>");
        if (bs.AgentStarts.Count > 0)
        {
            b.Append("<table><tr><th>agent</th><th>breaker at start</th><th class=\"num\">day-start equity</th><th class=\"num\">open positions</th></tr>");
            foreach (var a in bs.AgentStarts)
            {
                b.Append("<tr><td>").Append(Enc(a.Symbol)).Append("</td><td>").Append(Enc(a.Breaker)).Append("</td><td class=\"num\">")
                 .Append(M(a.DayStartEquity)).Append("</td><td class=\"num\">").Append(a.OpenPositions.ToString(Inv)).Append("</td></tr>");
            }

            b.Append("</table>");
        }

        b.Append("</div></section>");
    }

    /// <summary>
    /// The trade list: prices in the symbol's digits, the holding time, and each trade's maximum favourable and adverse
    /// excursions (MFE/MAE, from the replayed prices it could have closed at) in price, money and, when the position
    /// opened with a stop-loss, in R (multiples of that initial risk).
    /// </summary>
    private static void TradesSection(StringBuilder b, BacktestResult result, RunDescription run)
    {
        b.Append("<section><h2>Trades</h2><p>MFE / MAE: the largest move in the trade's favour / against it between entry and exit, at the prices it could have closed at (bid for a buy, ask for a sell), in price, money and R (multiples of the risk to the stop-loss it opened with). Times are server time.</p>")
         .Append("<div class=\"scroll\"><table><tr><th class=\"num\">ticket</th><th>symbol</th><th>dir</th><th class=\"num\">lots</th><th>entry time</th><th class=\"num\">entry</th><th>exit time</th><th class=\"num\">exit</th><th>held</th><th>reason</th><th class=\"num\">MFE</th><th class=\"num\">MAE</th><th class=\"num\">commission</th><th class=\"num\">pnl</th></tr>");
        foreach (var t in result.Trades)
        {
            var d = Digits(result, t.Symbol);
            b.Append("<tr><td class=\"num\">").Append(t.Ticket.ToString(Inv)).Append("</td><td>").Append(Enc(t.Symbol)).Append("</td><td>")
             .Append(t.Direction > 0 ? "buy" : "sell").Append("</td><td class=\"num\">").Append(t.Lots.ToString("0.##", Inv))
             .Append("</td><td>").Append(ReportFiles.DisplayTime(t.EntryTimeMsc)).Append("</td><td class=\"num\">").Append(ReportFiles.Price(t.EntryPrice, d))
             .Append("</td><td>").Append(ReportFiles.DisplayTime(t.ExitTimeMsc)).Append("</td><td class=\"num\">").Append(ReportFiles.Price(t.ExitPrice, d))
             .Append("</td><td>").Append(ReportFiles.Duration(t.ExitTimeMsc - t.EntryTimeMsc)).Append("</td><td>").Append(Enc(t.ExitReason))
             .Append("</td><td class=\"num\">").Append(Enc(Excursion(t.MfePrice, t.MfeMoney, t.RiskPrice, d)))
             .Append("</td><td class=\"num\">").Append(Enc(Excursion(t.MaePrice, t.MaeMoney, t.RiskPrice, d)))
             .Append("</td><td class=\"num\">").Append(M(t.Commission))
             .Append("</td><td class=\"num ").Append(t.Pnl >= 0 ? "pos" : "neg").Append("\">").Append(M(t.Pnl)).Append("</td></tr>");
        }

        if (result.Trades.Count == 0)
        {
            b.Append("<tr><td colspan=\"14\">No trades.</td></tr>");
        }

        b.Append("</table></div></section>");
    }

    /// <summary>An excursion as "price · money · R", R only when the trade had an initial risk.</summary>
    internal static string Excursion(double price, double money, double risk, int digits) =>
        $"{ReportFiles.Price(price, digits)} · {M(money)}{(risk > 0 ? " · " + (price / risk).ToString("0.00", Inv) + " R" : string.Empty)}";

    /// <summary>
    /// Net results by symbol with the account's total, and by the hour and weekday the trades were opened (server
    /// time). Each table partitions the trades: its rows add up to the account's net profit.
    /// </summary>
    private static void BreakdownSection(StringBuilder b, BacktestResult result, RunDescription run)
    {
        var total = TradeBreakdown.Total(result.Trades);
        b.Append("<section><h2>By symbol and account</h2>");
        Buckets(b, "symbol", TradeBreakdown.BySymbol(result.Trades, run.Symbols), total);
        b.Append("</section><section class=\"grid\"><div><h2>By hour of entry (server time)</h2>");
        Buckets(b, "hour", TradeBreakdown.ByEntryHour(result.Trades), total);
        b.Append("</div><div><h2>By weekday of entry (server time)</h2>");
        Buckets(b, "weekday", TradeBreakdown.ByEntryWeekday(result.Trades), total);
        b.Append("</div></section>");
    }

    private static void Buckets(StringBuilder b, string what, IEnumerable<TradeBucket> buckets, TradeBucket total)
    {
        b.Append("<table class=\"breakdown\" data-by=\"").Append(what).Append("\"><tr><th>").Append(what)
         .Append("</th><th class=\"num\">trades</th><th class=\"num\">won</th><th class=\"num\">avg. held</th><th class=\"num\">net profit</th></tr>");
        foreach (var k in buckets)
        {
            BucketRow(b, "<tr><td>", k.Label, "</td>", k);
        }

        BucketRow(b, "<tr class=\"total\"><th>", "total (account)", "</th>", total);
        b.Append("</table>");
    }

    private static void BucketRow(StringBuilder b, string open, string label, string close, TradeBucket k) =>
        b.Append(open).Append(Enc(label)).Append(close)
         .Append("<td class=\"num\">").Append(k.Trades.ToString(Inv))
         .Append("</td><td class=\"num\">").Append(k.Trades > 0 ? $"{k.Wins} ({P(100.0 * k.Wins / k.Trades)})" : "—")
         .Append("</td><td class=\"num\">").Append(k.Trades > 0 ? ReportFiles.Duration(k.AverageHoldingMsc) : "—")
         .Append("</td><td class=\"num ").Append(k.PnlCents >= 0 ? "pos" : "neg").Append("\">").Append(M(k.Pnl)).Append("</td></tr>");

    /// <summary>The price digits of a symbol of the run (its chart's), 5 when it has no chart.</summary>
    private static int Digits(BacktestResult result, string symbol) =>
        result.Charts.FirstOrDefault(c => string.Equals(c.Symbol, symbol, StringComparison.Ordinal))?.Digits ?? 5;

    private static void Row(StringBuilder b, string name, string value, double? sign = null)
    {
        b.Append("<tr><th>").Append(Enc(name)).Append("</th><td class=\"num");
        if (sign is { } v)
        {
            b.Append(v >= 0 ? " pos" : " neg");
        }

        b.Append("\">").Append(Enc(value)).Append("</td></tr>");
    }

    private static string M(double v) => v.ToString("#,0.00", Inv);

    private static string P(double v) => v.ToString("0.00", Inv) + " %";

    private static string R(double? v) => v is { } x ? x.ToString("0.000", Inv) : "—";
}
