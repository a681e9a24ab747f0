using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace KimiEA.Tester.Tests.Report;

/// <summary>
/// summary.json and report.html of one run say the same about everything they both count (issue 12: the summary
/// said 0 skipped rows where the report said 347). Reads each file as a user would: the JSON by its keys, the HTML
/// by the labels of its tables.
/// </summary>
internal static partial class SummaryReportAgreement
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void AssertAgree(string summaryJson, string html)
    {
        using var doc = JsonDocument.Parse(summaryJson);
        var j = doc.RootElement;
        var rows = StatRows(html);
        long J(string key) => j.GetProperty(key).GetInt64();
        long[] Ints(string label) => [.. Regex.Matches(rows[label], @"-?\d+").Select(m => long.Parse(m.Value, Inv))];

        Assert.Equal(J("trades"), Ints("Total trades")[0]);
        Assert.Equal(J("wins"), Ints("Profit trades (% of total)")[0]);
        Assert.Equal(J("losses"), Ints("Loss trades")[0]);
        Assert.Equal(J("long_trades"), Ints("Long trades (won %)")[0]);
        Assert.Equal(J("short_trades"), Ints("Short trades (won %)")[0]);
        Assert.Equal(Percent(J("long_wins"), J("long_trades")), Regex.Match(rows["Long trades (won %)"], @"\(([\d.]+) %\)").Groups[1].Value);
        Assert.Equal(Percent(J("short_wins"), J("short_trades")), Regex.Match(rows["Short trades (won %)"], @"\(([\d.]+) %\)").Groups[1].Value);
        Assert.Equal([J("max_consecutive_wins"), J("max_consecutive_losses")], Ints("Max consecutive wins / losses"));
        Assert.Equal([J("ticks"), J("engine_ticks"), J("bars"), J("warmup_bars")], Ints("Prices / engine ticks / bars"));
        Assert.Equal([J("signals"), J("instructions")], Ints("Signals / instructions"));
        Assert.Equal(J("ambiguous_exits"), Ints("Same-bar SL/TP resolved by the rule")[0]);
        Assert.Equal(J("stop_outs"), Ints("Stop-outs")[0]);
        Assert.Equal(j.GetProperty("net_profit").GetDecimal(), Money(rows["Total net profit"]));
        Assert.Equal(j.GetProperty("final_balance").GetDecimal(), Money(rows["Final balance"]));

        // The Data table: records and the reader's counts per file, and their sum as skipped_records.
        var files = j.GetProperty("data_files").EnumerateArray().ToArray();
        var dataRows = Regex.Matches(Section(html, "Data"), "<tr><td class=\"mono\">.*?</tr>", RegexOptions.Singleline).ToArray();
        Assert.Equal(files.Length, dataRows.Length);
        for (var i = 0; i < files.Length; i++)
        {
            var f = files[i];
            var cells = Regex.Matches(dataRows[i].Value, "<td[^>]*>(.*?)</td>", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToArray();
            Assert.Equal(f.GetProperty("records").GetInt64(), long.Parse(cells[3], Inv));
            var read = f.GetProperty("rows_read").GetInt64();
            var skipped = f.GetProperty("rows_skipped").GetInt64();
            Assert.Contains($"rows: {read} read, {read - skipped} accepted, {skipped} skipped", cells[5], StringComparison.Ordinal);
            var bad = WebUtility.HtmlDecode(Regex.Match(cells[5], "bad rows: ([^<]*)").Groups[1].Value);
            Assert.Equal(
                f.GetProperty("skipped_by_problem").EnumerateObject().Select(p => $"{p.Name} {p.Value.GetInt64()}"),
                bad.Split(", ", StringSplitOptions.RemoveEmptyEntries));
        }

        Assert.Equal(J("skipped_records"), files.Sum(f => f.GetProperty("rows_skipped").GetInt64()));
        Assert.Equal(Counts(j.GetProperty("denials_by_reason")), Table(html, "Denials by reason", "No denials."));
        Assert.Equal(Counts(j.GetProperty("results_by_retcode")), Table(html, "Order results by retcode", null));
        var breakerRows = Regex.Count(Between(html, "<h2>Breaker events</h2>", "</table>"), "<tr><td>");
        Assert.Equal(J("breaker_events"), html.Contains("The breaker never tripped.", StringComparison.Ordinal) ? 0 : breakerRows);

        // What became of the listed signals: the outcome column of the signal table, counted.
        var outcomes = Regex.Matches(Section(html, "Signals: confidence and what happened"), "<tr><td>[^<]*</td><td>[^<]*</td><td>(?:buy|sell)</td>(?:<td[^>]*>[^<]*</td>){3}<td>([^<]*)</td></tr>")
            .GroupBy(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToDictionary(g => g.Key, g => (long)g.Count());
        var byOutcome = j.GetProperty("signals_by_outcome").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("count").GetInt64());
        Assert.Equal(byOutcome.OrderBy(kv => kv.Key, StringComparer.Ordinal), outcomes.OrderBy(kv => kv.Key, StringComparer.Ordinal));

        // The trade list and every breakdown's account total.
        Assert.Equal(J("trades"), Regex.Count(Section(html, "Trades"), "<tr><td class=\"num\">\\d+</td>"));
        foreach (Match total in Regex.Matches(html, "<tr class=\"total\"><th>total \\(account\\)</th><td class=\"num\">(\\d+)</td>"))
        {
            Assert.Equal(J("trades"), long.Parse(total.Groups[1].Value, Inv));
        }
    }

    private static string Percent(long part, long whole) => (whole > 0 ? 100.0 * part / whole : 0).ToString("0.00", Inv);

    private static decimal Money(string text) => decimal.Parse(text, NumberStyles.Number | NumberStyles.AllowLeadingSign, Inv);

    /// <summary>Every "label → value" row of the report's two-column tables (WebUtility-decoded).</summary>
    private static Dictionary<string, string> StatRows(string html)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in StatRow().Matches(html))
        {
            rows.TryAdd(WebUtility.HtmlDecode(m.Groups[1].Value), WebUtility.HtmlDecode(m.Groups[2].Value));
        }

        return rows;
    }

    private static IEnumerable<KeyValuePair<string, long>> Counts(JsonElement obj) =>
        obj.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64())).OrderBy(kv => kv.Key, StringComparer.Ordinal);

    /// <summary>A "name | count" table after the heading; <paramref name="empty"/> is its no-rows text.</summary>
    private static IEnumerable<KeyValuePair<string, long>> Table(string html, string heading, string? empty)
    {
        var t = Between(html, $"<h2>{heading}</h2>", "</table>");
        if (empty is not null && t.Contains(empty, StringComparison.Ordinal))
        {
            return [];
        }

        return Regex.Matches(t, "<tr><td>([^<]*)</td><td class=\"num\">(\\d+)</td></tr>")
            .Select(m => KeyValuePair.Create(WebUtility.HtmlDecode(m.Groups[1].Value), long.Parse(m.Groups[2].Value, Inv)))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal);
    }

    private static string Section(string html, string heading) => Between(html, $"<h2>{heading}</h2>", "</section>");

    private static string Between(string html, string start, string end)
    {
        var i = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(i >= 0, $"the report has no {start}");
        var k = html.IndexOf(end, i, StringComparison.Ordinal);
        return html[i..k];
    }

    [GeneratedRegex("<tr><th>([^<]*)</th><td class=\"num[^\"]*\">([^<]*)</td></tr>")]
    private static partial Regex StatRow();
}
