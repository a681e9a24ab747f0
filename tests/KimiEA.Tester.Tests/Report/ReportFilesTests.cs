using System.Globalization;
using System.Text.Json;
using KimiEA.Tester.Report;
using KimiEA.Tester.Server;
using Xunit;

namespace KimiEA.Tester.Tests.Report;

public sealed class ReportFilesTests
{
    [Fact]
    public void TradesCsv_RowFormat_IsFixed()
    {
        var t = new ClosedTrade
        {
            Ticket = 12,
            Symbol = "EURUSD",
            Direction = -1,
            Lots = 0.5,
            EntryTimeMsc = 1_399_467_600_250, // 2014-05-07T13:00:00.250Z
            EntryPrice = 1.3925,
            ExitTimeMsc = 1_399_471_200_000,
            ExitPrice = 1.39012,
            ExitReason = "TP",
            CommissionCents = -350,
            ProfitCents = 11_900,
        };
        var csv = ReportFiles.TradesCsv([t]);
        Assert.Equal(ReportFiles.TradesHeader + "\n12,EURUSD,sell,0.5,2014-05-07T13:00:00.250Z,1.3925,2014-05-07T14:00:00.000Z,1.39012,TP,-3.50,115.50,0.00\n", csv);
    }

    [Fact]
    public void Outputs_HoldTheAccountingIdentity_AndAreDeterministic()
    {
        var (result, run) = SampleRun.Execute();
        Assert.True(result.Trades.Count > 20, $"the scripted sample run should trade, got {result.Trades.Count}");
        Assert.Contains(result.Trades, t => t.ExitReason == "SL");
        Assert.Contains(result.Trades, t => t.ExitReason == "TP");
        var dir1 = Directory.CreateTempSubdirectory("kimi-report-");
        var dir2 = Directory.CreateTempSubdirectory("kimi-report-");
        try
        {
            var files = ReportFiles.WriteAll(dir1.FullName, result, run);
            var (again, run2) = SampleRun.Execute();
            var files2 = ReportFiles.WriteAll(dir2.FullName, again, run2);
            Assert.Equal(File.ReadAllBytes(files.Summary), File.ReadAllBytes(files2.Summary));
            Assert.Equal(File.ReadAllBytes(files.Trades), File.ReadAllBytes(files2.Trades));
            Assert.Equal(["report.html", "summary.json", "trades.csv"], Directory.GetFiles(dir1.FullName).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            // final_balance = initial_balance + Σ pnl of trades.csv, pnl net of commission, to the cent.
            using var summary = JsonDocument.Parse(File.ReadAllText(files.Summary));
            var root = summary.RootElement;
            var initial = root.GetProperty("initial_balance").GetDecimal();
            var final = root.GetProperty("final_balance").GetDecimal();
            var rows = File.ReadAllLines(files.Trades).Skip(1).Select(l => l.Split(',')).ToArray();
            Assert.Equal(result.Trades.Count, rows.Length);
            var sumPnl = rows.Sum(r => decimal.Parse(r[10], CultureInfo.InvariantCulture));
            Assert.Equal(final, initial + sumPnl);
            Assert.Equal(rows.Length, root.GetProperty("trades").GetInt32());
            var commission = rows.Sum(r => decimal.Parse(r[9], CultureInfo.InvariantCulture));
            Assert.Equal(commission, root.GetProperty("commission_total").GetDecimal());
            foreach (var key in new[] { "net_profit", "profit_factor", "max_drawdown_pct", "sharpe" })
            {
                Assert.True(root.TryGetProperty(key, out _), key);
            }

            // A different seed moves the slippage and therefore the fills.
            var (other, _) = SampleRun.Execute(seed: 8);
            Assert.NotEqual(ReportFiles.TradesCsv(result.Trades), ReportFiles.TradesCsv(other.Trades));
        }
        finally
        {
            dir1.Delete(true);
            dir2.Delete(true);
        }
    }

    [Fact]
    public void Html_IsSelfContained_WithTheChartLibraryAndItsLicence()
    {
        var (result, run) = SampleRun.Execute();
        var html = HtmlReport.Render(result, run);
        Assert.Contains("TradingView Lightweight Charts", html, StringComparison.Ordinal);
        Assert.Contains("Apache License 2.0", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
        // No external resources: nothing is loaded from a URL.
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"http", html, StringComparison.Ordinal);
        Assert.Contains(result.Trades[0].Ticket.ToString(CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
    }
}
