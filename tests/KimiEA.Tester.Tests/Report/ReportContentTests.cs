using System.Globalization;
using System.Text.RegularExpressions;
using KimiEA.Tester.Report;
using Xunit;

namespace KimiEA.Tester.Tests.Report;

/// <summary>What report.html says, read back from the rendered document of the scripted sample run.</summary>
public sealed partial class ReportContentTests
{
    private static decimal Money(string cell) => decimal.Parse(cell, NumberStyles.Number | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    [Fact]
    public void Every_breakdown_table_adds_up_to_the_account_net_profit_and_trade_count()
    {
        var (result, run) = SampleRun.Execute();
        var html = HtmlReport.Render(result, run);
        var s = result.Statistics;
        var net = Math.Round((decimal)s.NetProfit, 2);
        foreach (var by in new[] { "symbol", "hour", "weekday" })
        {
            var table = Regex.Match(html, $"<table class=\"breakdown\" data-by=\"{by}\">(.*?)</table>", RegexOptions.Singleline);
            Assert.True(table.Success, $"no breakdown by {by}");
            var rows = Regex.Matches(table.Groups[1].Value, "<tr><td>([^<]*)</td><td class=\"num\">(\\d+)</td>.*?<td class=\"num (?:pos|neg)\">([^<]*)</td></tr>").ToArray();
            var total = Regex.Match(table.Groups[1].Value, "<tr class=\"total\"><th>total \\(account\\)</th><td class=\"num\">(\\d+)</td>.*?<td class=\"num (?:pos|neg)\">([^<]*)</td></tr>");
            Assert.True(total.Success, $"no account total in the {by} table");
            Assert.Equal(by switch { "symbol" => 1, "hour" => 24, _ => 7 }, rows.Length);
            Assert.Equal(s.Trades, rows.Sum(r => int.Parse(r.Groups[2].Value, CultureInfo.InvariantCulture)));
            Assert.Equal(s.Trades, int.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.Equal(net, rows.Sum(r => Money(r.Groups[3].Value)));
            Assert.Equal(net, Money(total.Groups[2].Value));
        }
    }

    [Fact]
    public void Trade_rows_show_people_times_symbol_digits_holding_time_and_excursions()
    {
        var (result, run) = SampleRun.Execute();
        var html = HtmlReport.Render(result, run);
        var trades = Regex.Match(html, "<section><h2>Trades</h2>(.*?)</section>", RegexOptions.Singleline).Groups[1].Value;
        Assert.DoesNotMatch(IsoTime(), trades);
        var t = result.Trades[0];
        var row = Regex.Match(trades, $"<tr><td class=\"num\">{t.Ticket}</td>(.*?)</tr>").Groups[1].Value;
        var entry = DateTime.UnixEpoch.AddMilliseconds(t.EntryTimeMsc);
        Assert.Contains($"<td>{entry:yyyy-MM-dd HH:mm}", row, StringComparison.Ordinal);
        Assert.Contains(t.EntryPrice.ToString("F5", CultureInfo.InvariantCulture), row, StringComparison.Ordinal);
        // The scripted trades open with a 15-pip stop: MFE and MAE in R are given; MAE never beats the result.
        Assert.True(t.RiskPrice > 0.0014 && t.RiskPrice < 0.0018, $"risk {t.RiskPrice}");
        Assert.Matches(" R</td>.*? R</td>", row);
        Assert.All(result.Trades, x => Assert.InRange((x.ExitPrice - x.EntryPrice) * x.Direction, x.MaePrice - 1e-9, x.MfePrice + 1e-9));
    }

    [Theory]
    [InlineData(1_399_448_700_000, "2014-05-07 07:45")]
    [InlineData(1_399_448_712_345, "2014-05-07 07:45:12")]
    [InlineData(0, "1970-01-01 00:00")]
    public void Display_times_are_for_people(long msc, string expected) => Assert.Equal(expected, ReportFiles.DisplayTime(msc));

    [Theory]
    [InlineData(45_000, "45 s")]
    [InlineData(12 * 60_000 + 30_000, "12 min")]
    [InlineData((3 * 60 + 5) * 60_000, "3 h 05 min")]
    [InlineData((2 * 24 + 4) * 3_600_000L, "2 d 04 h")]
    [InlineData(-5, "0 s")]
    public void Durations_are_for_people(long msc, string expected) => Assert.Equal(expected, ReportFiles.Duration(msc));

    [Fact]
    public void An_excursion_reads_price_money_and_R()
    {
        Assert.Equal("0.00240 · 24.00 · 2.18 R", HtmlReport.Excursion(0.0024, 24, 0.0011, 5));
        Assert.Equal("-0.00060 · -6.00", HtmlReport.Excursion(-0.0006, -6, 0, 5));
        Assert.Equal("1.25 · 125.00", HtmlReport.Excursion(1.25, 125, 0, 2));
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d")]
    private static partial Regex IsoTime();
}
