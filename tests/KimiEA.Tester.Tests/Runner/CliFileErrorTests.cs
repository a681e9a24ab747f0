using System.Globalization;
using System.Text.Json;
using KimiEA.Journal;
using KimiEA.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace KimiEA.Tester.Tests.Runner;

/// <summary>
/// <c>kimi backtest</c> on files a user may bring by mistake (issue 10, item 6): every one ends with exit code 2 and
/// one line naming the file (and line, field or reason) — no stack trace, no .NET parameter name, no output folder,
/// and a file that is not ours left byte for byte as it was. Runs the published <c>artifacts/kimi</c> (./build.sh).
/// </summary>
public sealed class CliFileErrorTests : IDisposable
{
    private static readonly string M1 = RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv");
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kimi-cli-files-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _work.Delete(true);
    }

    private string Dir(string name) => Path.Combine(_work.FullName, name);

    /// <summary>The first <paramref name="rows"/> data rows of the EURUSD M1 sample (after its header).</summary>
    private static string[] SampleRows(int rows) => [.. File.ReadLines(M1).Skip(1).Take(rows)];

    private string WriteData(string name, IEnumerable<string> rows)
    {
        var p = Dir(name);
        File.WriteAllLines(p, [File.ReadLines(M1).First(), .. rows]);
        return p;
    }

    private Task<(int Code, string Out, string Err)> Backtest(params string[] args) =>
        CliBacktestTests.Kimi(["backtest", "--mode", "m1ohlc", "--out", Dir("out"), "--cache", Dir("cache"), .. args]);

    /// <summary>Exit 2, one "error: " line equal to <paramref name="expected"/>, nothing written.</summary>
    private void AssertRefused((int Code, string Out, string Err) r, string expected)
    {
        Assert.True(r.Code == 2, $"exit {r.Code}\n{r.Out}\n{r.Err}");
        Assert.Equal($"error: {expected}", r.Err.TrimEnd('\n'));
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", r.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("out")), "no output is written for bad input");
    }

    [Fact]
    public async Task A_bad_row_stops_the_run_and_skip_bad_rows_counts_it_the_same_everywhere()
    {
        var rows = SampleRows(400);
        rows[100] = rows[100].Split(',') is var f ? string.Join(',', f[0], "NaN", f[2], f[3], f[4], f[5], f[6]) : rows[100];
        var p = WriteData("EURUSD_nan.csv", rows);
        // Header line 1, rows from line 2: rows[100] is line 102.
        var strict = await Backtest("--data", p);
        Assert.Equal(2, strict.Code);
        Assert.StartsWith($"error: {p}: line 102: non-finite price: open=NaN high=", strict.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("out")), "no output is written for bad input");

        var ok = await Backtest("--data", p, "--skip-bad-rows");
        Assert.True(ok.Code == 0, $"exit {ok.Code}\n{ok.Out}\n{ok.Err}");
        Assert.Contains($"{p}: 1 of 400 data rows skipped: non-finite 1\n  line 102: non-finite price: open=NaN", ok.Out, StringComparison.Ordinal);
        AssertCountsAgree(1, "non-finite", 399);
    }

    [Fact]
    public async Task One_row_moved_200_lines_up_makes_200_out_of_order_rows_named_and_counted()
    {
        // The row of minute 300 moved before minute 100: minutes 100..299 then lie before the row accepted last.
        var rows = SampleRows(600).ToList();
        var moved = rows[300];
        rows.RemoveAt(300);
        rows.Insert(100, moved);
        var p = WriteData("EURUSD_moved.csv", rows);
        var strict = await Backtest("--data", p);
        Assert.Equal(2, strict.Code);
        // rows[101] (line 103) is the first row earlier than the moved one on line 102.
        Assert.StartsWith($"error: {p}: line 103: out-of-order time ", strict.Err, StringComparison.Ordinal);
        Assert.EndsWith(" on line 102\n", strict.Err, StringComparison.Ordinal);

        var ok = await Backtest("--data", p, "--skip-bad-rows");
        Assert.True(ok.Code == 0, $"exit {ok.Code}\n{ok.Out}\n{ok.Err}");
        Assert.Contains($"{p}: 200 of 600 data rows skipped: out-of-order 200\n", ok.Out, StringComparison.Ordinal);
        AssertCountsAgree(200, "out-of-order", 400);
    }

    /// <summary>summary.json and report.html say what the console said: the skipped count by problem and the records kept.</summary>
    private void AssertCountsAgree(long skipped, string problem, long records)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("out"), "summary.json")));
        var root = summary.RootElement;
        Assert.Equal(skipped, root.GetProperty("skipped_records").GetInt64());
        var file = Assert.Single(root.GetProperty("data_files").EnumerateArray().ToArray());
        Assert.Equal(skipped, file.GetProperty("rows_skipped").GetInt64());
        Assert.Equal(records, file.GetProperty("records").GetInt64());
        Assert.Equal(records + skipped, file.GetProperty("rows_read").GetInt64());
        foreach (var p in file.GetProperty("skipped_by_problem").EnumerateObject())
        {
            Assert.Equal(p.Name == problem ? skipped : 0, p.Value.GetInt64());
        }

        var html = File.ReadAllText(Path.Combine(Dir("out"), "report.html"));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{records + skipped} read, {records} accepted, {skipped} skipped"), html, StringComparison.Ordinal);
        Assert.Contains($"{System.Net.WebUtility.HtmlEncode(problem)} {skipped}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_folder_fifo_and_zero_byte_files_are_refused_quickly()
    {
        AssertRefused(await Backtest("--data", Dir("EURUSD_none.csv")), $"{Dir("EURUSD_none.csv")}: the file does not exist");
        AssertRefused(await Backtest("--data", Dir("none.csv")), $"{Dir("none.csv")}: the file does not exist"); // not "Cannot tell the symbol"
        Directory.CreateDirectory(Dir("EURUSD_dir.csv"));
        AssertRefused(await Backtest("--data", Dir("EURUSD_dir.csv")), $"{Dir("EURUSD_dir.csv")}: is a folder, not a file");
        var fifo = SpecialFiles.Fifo(_work.FullName, "EURUSD_fifo.csv");
        AssertRefused(await Backtest("--data", fifo), $"{fifo}: is a named pipe (FIFO), not a regular file; reading it would wait for a writer forever");

        var zeros = SpecialFiles.AppendZeros(Dir("EURUSD_zeros.csv"), 2L << 30);
        AssertRefused(await Backtest("--data", zeros), $"{zeros}: line 1: the line holds zero bytes: this is not a text data file");
        var tail = SpecialFiles.AppendZeros(WriteData("EURUSD_tail.csv", SampleRows(100)), 2L << 30);
        AssertRefused(await Backtest("--data", tail, "--skip-bad-rows"), $"{tail}: line 102: the line holds zero bytes: this is not a text data file");
    }

    [Fact]
    public async Task Every_unusable_journal_stops_the_run_at_start()
    {
        File.WriteAllText(Dir("corrupt.db"), "this is not a database, just text that is long enough to be looked at");
        AssertRefused(await Backtest("--journal", Dir("corrupt.db")),
            $"--journal {Dir("corrupt.db")}: journal '{Dir("corrupt.db")}': the file is corrupt or not a SQLite database (SQLite error 26: SQLite Error 26: 'file is not a database'.)");

        using (var c = new SqliteConnection($"Data Source={Dir("foreign.db")}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE prices(t INTEGER, p REAL); INSERT INTO prices VALUES (1, 1.5);";
            cmd.ExecuteNonQuery();
        }

        AssertRefused(await Backtest("--journal", Dir("foreign.db")),
            $"--journal {Dir("foreign.db")}: '{Dir("foreign.db")}' is a SQLite database but not a KimiEA journal (no schema_version table).");

        TradeJournal.Open(Dir("future.db")).Dispose();
        SqliteConnection.ClearAllPools();
        using (var c = new SqliteConnection($"Data Source={Dir("future.db")}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO schema_version(version, description) VALUES (99, 'a later build')";
            cmd.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var future = await Backtest("--journal", Dir("future.db"));
        Assert.Equal(2, future.Code);
        Assert.Contains($"has schema version 99, newer than this build's", future.Err, StringComparison.Ordinal);

        Directory.CreateDirectory(Dir("journal-folder"));
        AssertRefused(await Backtest("--journal", Dir("journal-folder")), $"{Dir("journal-folder")}: is a folder, not a file");
        AssertRefused(await Backtest("--journal", Dir("no/such/j.db")), $"{Dir("no/such/j.db")}: the folder {Dir("no/such")} does not exist");
    }

    [Fact]
    public async Task A_journal_locked_by_another_process_stops_the_run_at_start()
    {
        TradeJournal.Open(Dir("locked.db")).Dispose();
        SqliteConnection.ClearAllPools();
        using var holder = new SqliteConnection($"Data Source={Dir("locked.db")};Pooling=False");
        holder.Open();
        using (var cmd = holder.CreateCommand())
        {
            cmd.CommandText = "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; INSERT INTO control(time, action, reason) VALUES (0, 'resume', 'lock');";
            cmd.ExecuteNonQuery();
        }

        var r = await Backtest("--journal", Dir("locked.db"));
        AssertRefused(r, $"--journal {Dir("locked.db")}: journal '{Dir("locked.db")}': locked by another connection or process (SQLite error 5: SQLite Error 5: 'database is locked'.)");
    }

    [Fact]
    public async Task A_broker_state_that_is_not_one_is_refused_and_left_byte_for_byte()
    {
        var notes = Dir("notes.txt");
        File.WriteAllText(notes, "my broker notes\nwith two lines\n");
        var before = File.ReadAllBytes(notes);
        AssertRefused(await Backtest("--journal", Dir("j.db"), "--broker-state", notes),
            $"{notes}, line 1: not a broker state file: it is not the account record 'A,1,…' that kimi backtest --broker-state starts every file with. The file was left untouched; pass a new file or the one a previous run wrote.");
        Assert.Equal(before, File.ReadAllBytes(notes));
    }

    [Fact]
    public async Task An_unusable_journal_leaves_the_broker_state_as_it_was()
    {
        File.WriteAllText(Dir("corrupt.db"), "this is not a database, just text that is long enough to be looked at");
        var fresh = await Backtest("--journal", Dir("corrupt.db"), "--broker-state", Dir("fresh.state"));
        Assert.Equal(2, fresh.Code);
        Assert.StartsWith($"error: --journal {Dir("corrupt.db")}: ", fresh.Err, StringComparison.Ordinal);
        Assert.True(!File.Exists(Dir("fresh.state")) || new FileInfo(Dir("fresh.state")).Length == 0, "nothing is recorded at the broker for a run that never started");

        // A stopped run's state, then its journal replaced by a corrupt file: the restart is refused, the state kept.
        var stopped = await Backtest("--journal", Dir("j.db"), "--broker-state", Dir("kept.state"), "--to", "2014-05-06T12:00:00Z");
        Assert.True(stopped.Code == 0, $"exit {stopped.Code}\n{stopped.Out}\n{stopped.Err}");
        Directory.Delete(Dir("out"), true);
        var before = File.ReadAllBytes(Dir("kept.state"));
        Assert.NotEmpty(before);
        SqliteConnection.ClearAllPools();
        foreach (var f in Directory.GetFiles(_work.FullName, "j.db*"))
        {
            File.Delete(f);
        }

        File.Copy(Dir("corrupt.db"), Dir("j.db"));
        var restart = await Backtest("--journal", Dir("j.db"), "--broker-state", Dir("kept.state"));
        Assert.Equal(2, restart.Code);
        Assert.StartsWith($"error: --journal: journal '{Dir("j.db")}': the file is corrupt or not a SQLite database", restart.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("out")));
        Assert.Equal(before, File.ReadAllBytes(Dir("kept.state")));
    }
}
