using KimiEA.Testing;
using Xunit;

namespace KimiEA.Smc.Tests.Cli;

/// <summary>
/// <c>kimi smc</c>, <c>kimi calibrate</c>, <c>kimi journal</c>, <c>kimi halt</c> on files that are not what they should
/// be: a message naming the file and the problem and a non-zero exit, never a stack trace or a hang. The gigabyte
/// files are sparse.
/// </summary>
public sealed class FileErrorTests : IDisposable
{
    private readonly string _dir = KimiCli.TempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static void AssertClean(KimiCli.Result r, int exitCode, string expectedStdErr)
    {
        Assert.True(r.ExitCode == exitCode, $"exit {r.ExitCode}\n{r.StdOut}\n{r.StdErr}");
        Assert.Equal(expectedStdErr, r.StdErr.TrimEnd('\n'));
    }

    [Fact]
    public void Smc_and_calibrate_refuse_a_fifo_without_blocking()
    {
        var fifo = SpecialFiles.Fifo(_dir, "bars.csv");
        var why = $"{fifo}: is a named pipe (FIFO), not a regular file; reading it would wait for a writer forever";
        AssertClean(KimiCli.Run("smc", "--input", fifo, "--out", PathOf("out")), 1, $"error: {why}");
        AssertClean(KimiCli.Run("smc", "--input", fifo, "--calibration"), 1, $"error: {why}");
        AssertClean(KimiCli.Run("calibrate", "--input", fifo), 2, $"kimi calibrate: {why}");
        Assert.False(Directory.Exists(PathOf("out")));
    }

    [Fact]
    public void Smc_and_calibrate_refuse_zero_bytes_naming_the_line()
    {
        var zeros = SpecialFiles.AppendZeros(PathOf("zeros.csv"), 2L << 30);
        var why = $"{zeros}: line 1: the line holds zero bytes: this is not a text data file";
        AssertClean(KimiCli.Run("smc", "--input", zeros, "--out", PathOf("out")), 1, $"error: {why}");
        AssertClean(KimiCli.Run("calibrate", "--input", zeros), 2, $"kimi calibrate: {why}");

        var tail = PathOf("tail.csv");
        File.WriteAllText(tail, "Date,Open,High,Low,Close,Volume\n2024.01.02 01:00:00,1,2,0.5,1.5,0\n2024.01.02 02:00:00,1,2,0.5,1.5,0\n");
        SpecialFiles.AppendZeros(tail, 2L << 30);
        AssertClean(KimiCli.Run("smc", "--input", tail, "--calibration"), 1, $"error: {tail}: line 4: the line holds zero bytes: this is not a text data file");
    }

    [Fact]
    public void A_missing_input_is_said_to_be_missing()
    {
        AssertClean(KimiCli.Run("smc", "--input", PathOf("none.csv"), "--out", PathOf("out")), 1, $"error: {PathOf("none.csv")}: the file does not exist");
        AssertClean(KimiCli.Run("calibrate", "--input", PathOf("none.csv")), 2, $"kimi calibrate: {PathOf("none.csv")}: the file does not exist");
    }

    [Fact]
    public void Journal_halt_and_resume_refuse_fifos_folders_and_zero_files()
    {
        var fifo = SpecialFiles.Fifo(_dir, "j.db");
        var why = $"{fifo}: is a named pipe (FIFO), not a regular file; reading it would wait for a writer forever";
        AssertClean(KimiCli.Run("journal", "status", "--db", fifo), 1, $"kimi journal: {why}");
        AssertClean(KimiCli.Run("halt", "--db", fifo), 1, $"kimi halt: {why}");
        AssertClean(KimiCli.Run("resume", "--db", _dir), 1, $"kimi resume: {_dir}: is a folder, not a file");
        AssertClean(KimiCli.Run("journal", "trades", "--db", PathOf("none.db")), 1, $"kimi journal: {PathOf("none.db")}: the file does not exist");

        var zeros = SpecialFiles.AppendZeros(PathOf("zeros.db"), 2L << 30);
        foreach (var args in new[] { new[] { "journal", "export", "--db", zeros }, ["halt", "--db", zeros] })
        {
            var r = KimiCli.Run(args);
            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith($"kimi {args[0]}: journal '{zeros}'", r.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
        }
    }
}
