using System.Text;
using Microsoft.Data.Sqlite;
using Xunit;

namespace KimiEA.Journal.Tests;

/// <summary>Every storage problem ends in a failed (not crashed) journal with a sentence naming the file and cause.</summary>
public sealed class JournalFailureTests
{
    private static void AssertFailedAndInert(TradeJournal j, params string[] expectedFragments)
    {
        Assert.True(j.IsFailed);
        foreach (var f in expectedFragments)
            Assert.Contains(f, j.FailureReason, StringComparison.Ordinal);
        Assert.Equal(0, j.Append(JournalEvent.Halt(1, "after failure")));
        Assert.False(j.Flush(1000));
        var restored = j.Restore(7, "EURUSD");
        Assert.Empty(restored.Ledger.OpenPositions);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptyPath_IsAFailedJournal(string path)
    {
        using var j = TradeJournal.Open(path);
        AssertFailedAndInert(j, "journal path is empty");
    }

    [Fact]
    public void MissingFolder_IsAFailedJournal_NamingTheFolder()
    {
        using var dir = new TempDir();
        var missing = Path.Combine(dir.Path, "no-such-folder");
        using var j = TradeJournal.Open(Path.Combine(missing, "acct.db"));
        AssertFailedAndInert(j, "does not exist", missing);
    }

    [Fact]
    public void FolderAsPath_IsAFailedJournal()
    {
        using var dir = new TempDir();
        using var j = TradeJournal.Open(dir.Path);
        AssertFailedAndInert(j, "is a folder", dir.Path);
    }

    [Fact]
    public void ReadOnlyFolder_IsAFailedJournal()
    {
        if (OperatingSystem.IsWindows())
            return; // read-only folders are set up with Unix modes/attributes below
        using var dir = new TempDir();
        var sub = Path.Combine(dir.Path, "ro");
        Directory.CreateDirectory(sub);
        dir.MakeReadOnly(sub);
        var path = Path.Combine(sub, "acct.db");
        using var j = TradeJournal.Open(path);
        AssertFailedAndInert(j, path, "read-only");
    }

    [Fact]
    public void ReadOnlyFile_IsAFailedJournal()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using (var j = TradeJournal.Open(path))
        {
            j.Append(JournalEvent.Halt(1, "x"));
            Assert.True(j.Flush());
        }
        dir.MakeReadOnly(path);
        using var ro = TradeJournal.Open(path);
        AssertFailedAndInert(ro, path, "read-only");
    }

    [Fact]
    public void FullDisk_FailsTheWriter_KeepsWhatWasCommitted()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        // A 40-page cap (4 KiB pages: 160 KiB) stands in for a full disk: SQLite answers SQLITE_FULL exactly as it
        // does when the file system has no space left.
        using (var j = TradeJournal.Open(path, new JournalOptions { MaxPageCount = 40, MaxBatch = 16 }))
        {
            Assert.False(j.IsFailed, j.FailureReason);
            var text = new string('x', 1000);
            for (var i = 0; i < 400 && !j.IsFailed; i++)
            {
                j.Append(JournalEvent.Denial(i, 7, "EURUSD", i, text));
                if (i % 16 == 15)
                    j.Flush(5000);
            }
            Assert.False(j.Flush(5000));
            Assert.True(j.IsFailed);
            Assert.Contains("disk full", j.FailureReason, StringComparison.Ordinal);
            Assert.Contains(path, j.FailureReason, StringComparison.Ordinal);
            Assert.Equal(0, j.Append(JournalEvent.Halt(1, "after failure")));
            var durable = j.DurableSequence;
            Assert.True(durable > 0);
            using var reader = JournalReader.Open(path);
            Assert.Equal(durable, reader.ReadEvents().Count);
        }
    }

    [Fact]
    public void GarbageFile_IsAFailedJournal_SayingCorrupt()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("this is not a database. ", 200)), Encoding.ASCII);
        using var j = TradeJournal.Open(path);
        AssertFailedAndInert(j, path, "corrupt or not a SQLite database");
    }

    [Fact]
    public void DamagedPages_InARealJournal_AreDetectedAtOpen()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using (var j = TradeJournal.Open(path))
        {
            for (var i = 0; i < 2000; i++)
                j.Append(JournalEvent.Denial(i, 7, "EURUSD", i, "spread too wide for the setup"));
            Assert.True(j.Flush());
        }
        // Keep the 100-byte header (so it still looks like SQLite) and overwrite everything after page 1's header
        // region up to the middle of the file with 0xFF: schema and b-tree pages become garbage.
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 16384);
        for (var i = 100; i < bytes.Length / 2; i++)
            bytes[i] = 0xFF;
        File.WriteAllBytes(path, bytes);
        using var broken = TradeJournal.Open(path);
        AssertFailedAndInert(broken, path, "corrupt");
    }

    [Fact]
    public void LockedByAnotherConnection_FailsTheWriter_SayingLocked()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using var j = TradeJournal.Open(path, new JournalOptions { BusyTimeoutMs = 200 });
        Assert.False(j.IsFailed, j.FailureReason);
        using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        other.Open();
        using (var cmd = other.CreateCommand())
        {
            cmd.CommandText = "BEGIN EXCLUSIVE";
            cmd.ExecuteNonQuery();
        }
        Assert.True(j.Append(JournalEvent.Halt(1, "x")) > 0);
        Assert.False(j.Flush(10000));
        Assert.True(j.IsFailed);
        Assert.Contains("locked", j.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void QueueOverflow_FailsTheJournal_WithoutBlockingOrThrowing()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using var j = TradeJournal.Open(path, new JournalOptions { QueueCapacity = 4, MaxBatch = 1, BusyTimeoutMs = 3000 });
        using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        other.Open();
        using (var cmd = other.CreateCommand())
        {
            cmd.CommandText = "BEGIN EXCLUSIVE"; // the writer blocks on its first row, so the queue fills up
            cmd.ExecuteNonQuery();
        }
        var accepted = 0;
        for (var i = 0; i < 20; i++)
            if (j.Append(JournalEvent.Denial(i, 7, "EURUSD", i, "x")) > 0)
                accepted++;
        // One row in the writer's hands (batch of 1) plus four queued: at most five are accepted.
        Assert.InRange(accepted, 4, 5);
        Assert.True(j.IsFailed);
        Assert.Contains("queue", j.FailureReason, StringComparison.Ordinal);
        Assert.Contains("full", j.FailureReason, StringComparison.Ordinal);
        using (var cmd = other.CreateCommand())
        {
            cmd.CommandText = "ROLLBACK";
            cmd.ExecuteNonQuery();
        }
    }

    [Fact]
    public void ForeignSqliteDatabase_IsNotAJournal()
    {
        using var dir = new TempDir();
        var path = dir.File("other.db");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE customers(id INTEGER)";
            cmd.ExecuteNonQuery();
        }
        using var j = TradeJournal.Open(path);
        AssertFailedAndInert(j, "not a KimiEA journal");
    }

    [Fact]
    public void NewerSchema_IsRefused()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using (var j = TradeJournal.Open(path))
            Assert.False(j.IsFailed);
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO schema_version(version, description) VALUES (99, 'from the future')";
            cmd.ExecuteNonQuery();
        }
        using var newer = TradeJournal.Open(path);
        AssertFailedAndInert(newer, "schema version 99");
        Assert.Throws<JournalException>(() => JournalReader.Open(path));
    }

    [Fact]
    public void InvalidOptions_AreProgrammingErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TradeJournal.Open("x.db", new JournalOptions { QueueCapacity = 1000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TradeJournal.Open("x.db", new JournalOptions { MaxBatch = 0 }));
    }

    [Fact]
    public void Reader_MissingFile_NamesIt()
    {
        var ex = Assert.Throws<JournalException>(() => JournalReader.Open("/nonexistent/kimi/acct.db"));
        Assert.Contains("/nonexistent/kimi/acct.db", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoWritersOnOneFile_TheLaterConflictingWriterFails_NoRowIsOverwritten()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using var first = TradeJournal.Open(path);
        using var second = TradeJournal.Open(path); // a misconfiguration: two terminals on one account file
        Assert.Equal(1, first.Append(JournalEvent.Halt(1, "from the first")));
        Assert.True(first.Flush());
        Assert.Equal(1, second.Append(JournalEvent.Halt(2, "from the second")));
        Assert.False(second.Flush(5000));
        Assert.Contains("conflicts", second.FailureReason, StringComparison.Ordinal);
        using var reader = JournalReader.Open(path);
        Assert.Equal("from the first", Assert.Single(reader.ReadEvents()).Event.Text);
    }
}
