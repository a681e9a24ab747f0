using KimiEA.Tester.Report;
using Xunit;

namespace KimiEA.Tester.Tests.Report;

/// <summary>summary.json and report.html agree on every count they share, on a run that skipped bad rows.</summary>
public sealed class SummaryReportAgreementTests
{
    [Fact]
    public void Every_shared_count_agrees_on_a_run_with_skipped_rows()
    {
        var dir = Directory.CreateTempSubdirectory("kimi-agree-");
        try
        {
            // The sample's first 6,000 rows with 3 broken ones: a NaN price, a repeated row, a row moved back.
            var lines = File.ReadLines(SampleRun.M1Sample).Take(6_001).ToList();
            lines[101] = string.Join(',', lines[101].Split(',') is var f ? [f[0], "NaN", .. f[2..]] : f);
            lines.Insert(202, lines[201]);
            lines.Insert(303, lines[250]);
            var data = Path.Combine(dir.FullName, "EURUSD_bad.csv");
            File.WriteAllLines(data, lines);
            var (result, run) = SampleRun.Execute(file: data);
            Assert.Equal(3, run.DataFiles[0].Quality.RowsSkipped);
            Assert.True(result.Trades.Count > 20);
            var files = ReportFiles.WriteAll(Path.Combine(dir.FullName, "out"), result, run);
            var summary = File.ReadAllText(files.Summary);
            SummaryReportAgreement.AssertAgree(summary, File.ReadAllText(files.Report));
            Assert.Contains("\"skipped_records\": 3", summary, StringComparison.Ordinal);

            // The check sees a summary that disagrees with the report on any one count (the case first).
            var html = File.ReadAllText(files.Report);
            foreach (var (from, to) in new[]
            {
                ("\"skipped_records\": 3", "\"skipped_records\": 0"),
                ("\"rows_skipped\": 3", "\"rows_skipped\": 0"),
                ("\"duplicate\": 1", "\"duplicate\": 2"),
                ($"\"trades\": {result.Trades.Count},", $"\"trades\": {result.Trades.Count + 1},"),
                ($"\"stop_outs\": {result.Counters.StopOuts},", $"\"stop_outs\": {result.Counters.StopOuts + 1},"),
                ($"\"bars\": {result.Counters.Bars},", $"\"bars\": {result.Counters.Bars - 1},"),
            })
            {
                Assert.Contains(from, summary, StringComparison.Ordinal);
                Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => SummaryReportAgreement.AssertAgree(summary.Replace(from, to, StringComparison.Ordinal), html));
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
