using KimiEA.Testing;
using KimiEA.Tester.Tests.Report;
using Xunit;

namespace KimiEA.Tester.Tests.Runner;

/// <summary>
/// <c>kimi backtest</c> options a user gets wrong (issue 12, item 9): each is refused before the run with exit code 2
/// and one "error: " line naming the option and the problem — no .NET parameter name, nothing written to --out.
/// And on a real engine run, summary.json and report.html agree on every count. Runs the published
/// <c>artifacts/kimi</c> (./build.sh).
/// </summary>
public sealed class CliOptionErrorTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kimi-cli-options-");

    public void Dispose() => _work.Delete(true);

    private string Dir(string name) => Path.Combine(_work.FullName, name);

    private Task<(int Code, string Out, string Err)> Backtest(params string[] args) =>
        CliBacktestTests.Kimi(["backtest", "--mode", "m1ohlc", "--cache", Dir("cache"), .. args]);

    private static void AssertRefused((int Code, string Out, string Err) r, string expected)
    {
        Assert.True(r.Code == 2, $"exit {r.Code}\n{r.Out}\n{r.Err}");
        Assert.Equal($"error: {expected}", r.Err.TrimEnd('\n'));
        Assert.DoesNotContain("(Parameter '", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dates_outside_the_data_or_in_the_wrong_order_name_the_data_range_and_write_nothing()
    {
        // The shipped M1 sample runs from 2014-05-01 00:00 to the end of the 2014-05-15 23:59 bar.
        const string Range = "the data runs from 2014-05-01T00:00:00.000Z to 2014-05-15T23:59:59.999Z.";
        AssertRefused(await Backtest("--from", "2014-06-01", "--out", Dir("out")), $"--from 2014-06-01T00:00:00Z is after the end of the data: {Range}");
        AssertRefused(await Backtest("--to", "2014-04-30", "--out", Dir("out")), $"--to 2014-04-30T00:00:00Z is before the start of the data: {Range}");
        AssertRefused(await Backtest("--from", "2014-05-09", "--to", "2014-05-08", "--out", Dir("out")), "--to 2014-05-08T00:00:00Z must be after --from 2014-05-09T00:00:00Z.");
        Assert.False(Directory.Exists(Dir("out")), "nothing is written for a refused run");
    }

    [Fact]
    public async Task A_value_the_parser_cannot_read_exits_two_naming_the_option_without_the_help_text()
    {
        // Typed options (kimi optimize's --workers is an int) are read by the command-line parser: its error is bad
        // input like ours — exit 2, the option named, no help text dumped in front of it, nothing written.
        var r = await CliBacktestTests.Kimi("optimize", "--set", Dir("none.set"), "--workers", "two", "--out", Dir("opt"));
        Assert.True(r.Code == 2, $"exit {r.Code}\n{r.Out}\n{r.Err}");
        Assert.StartsWith("error: Cannot parse argument 'two' for option '--workers'", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", r.Out + r.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("opt")));
    }

    [Fact]
    public async Task A_minimum_confidence_outside_0_to_1_names_the_option()
    {
        AssertRefused(await Backtest("--min-confidence", "2", "--out", Dir("out")), "--min-confidence must be within 0..1, got 2.");
        Assert.False(Directory.Exists(Dir("out")));
    }

    [Fact]
    public async Task An_out_folder_that_cannot_hold_the_report_is_refused_before_the_run()
    {
        var file = Dir("notes.txt");
        File.WriteAllText(file, "mine");
        AssertRefused(await Backtest("--out", file), $"--out {file}: is a file, not a folder");
        AssertRefused(await Backtest("--out", Path.Combine(file, "run")), $"--out {Path.Combine(file, "run")}: {file} is a file, not a folder");
        Assert.Equal("mine", File.ReadAllText(file));
        // A folder that does not exist yet is fine (created at the end), and the check leaves nothing behind.
        var fresh = Dir("new/deeper/out");
        var r = await Backtest("--out", fresh, "--from", "2014-05-02", "--to", "2014-05-03");
        Assert.True(r.Code == 0, $"exit {r.Code}\n{r.Out}\n{r.Err}");
        Assert.Equal(["report.html", "summary.json", "trades.csv"], Directory.GetFiles(fresh).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_missing_data_file_says_so_whatever_its_name()
    {
        foreach (var name in new[] { "EURUSD_M1.csv", "prices.csv", "DAT_ASCII_EURUSD_M1_201701.csv" })
        {
            AssertRefused(await Backtest("--data", Dir(name), "--out", Dir("out")), $"{Dir(name)}: the file does not exist");
        }

        Assert.False(Directory.Exists(Dir("out")));
    }

    [Fact]
    public async Task Summary_and_report_agree_on_every_count_of_an_engine_run_with_skipped_rows_signals_and_denials()
    {
        // The M1 sample with a broken row and a repeated one, every signal approved and none filtered by confidence.
        var lines = File.ReadLines(RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv")).ToList();
        lines[1001] = string.Join(',', lines[1001].Split(',') is var f ? [f[0], "NaN", .. f[2..]] : f);
        lines.Insert(2002, lines[2001]);
        var data = Dir("EURUSD_bad.csv");
        File.WriteAllLines(data, lines);
        var r = await Backtest("--data", data, "--skip-bad-rows", "--timeframe", "M5", "--min-confidence", "0", "--approve", "all", "--out", Dir("out"));
        Assert.True(r.Code == 0, $"exit {r.Code}\n{r.Out}\n{r.Err}");
        var summary = File.ReadAllText(Path.Combine(Dir("out"), "summary.json"));
        var html = File.ReadAllText(Path.Combine(Dir("out"), "report.html"));
        SummaryReportAgreement.AssertAgree(summary, html);
        Assert.Contains("\"skipped_records\": 2", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("\"signals\": 0,", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("\"trades\": 0,", summary, StringComparison.Ordinal);
    }
}
