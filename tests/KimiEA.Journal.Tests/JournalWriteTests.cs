using KimiEA.Core.Trading;
using Microsoft.Data.Sqlite;
using Xunit;

namespace KimiEA.Journal.Tests;

public sealed class JournalWriteTests
{
    private static readonly TradeIntent BuyIntent = new()
    {
        Direction = Direction.Buy, Entry = 1.10000, StopLoss = 1.09800, TakeProfit = 1.10400, MaxHoldingBars = 48,
        Confidence = 0.62, HitProbability = 0.41, HitEvidence = 120, SetupId = 3, Factors = 5, SignalBarTime = 1_700_000_000,
    };

    [Fact]
    public void Append_ReturnsConsecutiveSequences_AndFlushMakesThemDurableAndReadable()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using (var j = TradeJournal.Open(path))
        {
            Assert.False(j.IsFailed, j.FailureReason);
            var s1 = j.Append(JournalEvent.Signal(100, 7, "EURUSD", BuyIntent));
            var s2 = j.Append(JournalEvent.Intent(101, 7, "EURUSD", 55, BuyIntent, 0.5, "live"));
            var s3 = j.Append(JournalEvent.InstructionIssued(102, 7, "EURUSD", 55));
            Assert.Equal([1L, 2L, 3L], [s1, s2, s3]);
            Assert.True(j.Flush());
            Assert.True(j.DurableSequence >= 3);
        }
        using var reader = JournalReader.Open(path);
        var rows = reader.ReadEvents();
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.Sequence));
        var intent = rows[1].Event;
        Assert.Equal(JournalEventKind.Intent, intent.Kind);
        Assert.Equal(101, intent.Time);
        Assert.Equal(55, intent.IntentId);
        Assert.Equal("EURUSD", intent.Symbol);
        Assert.Equal(Direction.Buy, intent.Direction);
        Assert.Equal(1.10000, intent.Price);
        Assert.Equal(1.09800, intent.StopLoss);
        Assert.Equal(1.10400, intent.TakeProfit);
        Assert.Equal(0.5, intent.Volume);
        Assert.Equal(0.62, intent.Confidence);
        Assert.Equal(0.41, intent.HitProbability);
        Assert.Equal(0.41, rows[0].Event.HitProbability); // the signal row carries both numbers too
        Assert.Equal(3, intent.SetupId);
        Assert.Equal(48, intent.Code); // max holding bars travel in the code of intent rows
        Assert.Equal("live", intent.Mode);
        Assert.Equal(5, rows[0].Event.Code); // the signal's factor bits
    }

    [Fact]
    public void Sequences_ContinueAfterReopen()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using (var j = TradeJournal.Open(path))
        {
            j.Append(JournalEvent.Halt(1, "a"));
            j.Append(JournalEvent.Resume(2, "b"));
            Assert.True(j.Flush());
        }
        using (var j = TradeJournal.Open(path))
        {
            Assert.Equal(2, j.DurableSequence);
            Assert.Equal(3, j.Append(JournalEvent.Halt(3, "c")));
            Assert.True(j.Flush());
        }
        using var reader = JournalReader.Open(path);
        Assert.Equal(["a", "b", "c"], reader.ReadEvents().Select(r => r.Event.Text));
    }

    [Fact]
    public void ConcurrentAppends_FromSeveralAgents_LoseNothingAndKeepEachAgentsOrder()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        const int threads = 4, perThread = 3000;
        var returned = new long[threads, perThread];
        using (var j = TradeJournal.Open(path))
        {
            var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
            {
                for (var i = 0; i < perThread; i++)
                    returned[t, i] = j.Append(JournalEvent.Denial(i, 1000 + t, "EURUSD", i, "spread too wide"));
            })).ToList();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
            Assert.True(j.Flush(), j.FailureReason);
            Assert.Equal(threads * perThread, j.DurableSequence);
        }
        using var reader = JournalReader.Open(path);
        var rows = reader.ReadEvents();
        // Every sequence 1..N exists exactly once and holds exactly the event whose Append returned it.
        Assert.Equal(Enumerable.Range(1, threads * perThread).Select(i => (long)i), rows.Select(r => r.Sequence));
        for (var t = 0; t < threads; t++)
        {
            for (var i = 0; i < perThread; i++)
            {
                var row = rows[(int)returned[t, i] - 1];
                Assert.Equal(1000 + t, row.Event.Magic);
                Assert.Equal(i, row.Event.IntentId);
                if (i > 0)
                    Assert.True(returned[t, i] > returned[t, i - 1]);
            }
        }
    }

    [Fact]
    public void Events_AreAppendOnly_InTheFile()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using (var j = TradeJournal.Open(path))
        {
            j.Append(JournalEvent.Halt(1, "x"));
            Assert.True(j.Flush());
        }
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE events SET text = 'y'";
        var upd = Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery());
        Assert.Contains("append-only", upd.Message, StringComparison.Ordinal);
        cmd.CommandText = "DELETE FROM events";
        Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery());
    }

    [Fact]
    public void Blob_And_NaN_RoundTrip()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        byte[] state = [1, 2, 3, 250, 0, 9];
        using (var j = TradeJournal.Open(path))
        {
            j.Append(JournalEvent.BreakerTransition(10, 2, state, 10_250.5, "daily loss 4.1%"));
            j.Append(JournalEvent.Close(11, 7, "EURUSD", 5, 0, double.NaN, 0, 0, ExitReason.Reconciled));
            Assert.True(j.Flush());
        }
        using var reader = JournalReader.Open(path);
        var rows = reader.ReadEvents();
        Assert.Equal(state, rows[0].Event.Blob);
        Assert.Equal(10_250.5, rows[0].Event.Equity);
        Assert.Equal(2, rows[0].Event.Code);
        Assert.True(double.IsNaN(rows[1].Event.Price));
        Assert.Equal(ExitReason.Reconciled, rows[1].Event.ExitReason);
    }

    [Fact]
    public void ReaderSeesCommittedRows_WhileTheJournalIsStillWriting()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using var j = TradeJournal.Open(path);
        j.Append(JournalEvent.Halt(1, "first"));
        Assert.True(j.Flush());
        using var reader = JournalReader.Open(path);
        Assert.Single(reader.ReadEvents());
        j.Append(JournalEvent.Resume(2, "second"));
        Assert.True(j.Flush());
        Assert.Equal(2, reader.ReadEvents().Count);
        Assert.Equal(2, reader.ReadStatus().Events);
    }

    [Fact]
    public void UndefinedKind_FailsTheJournal_InsteadOfThrowing()
    {
        using var dir = new TempDir();
        using var j = TradeJournal.Open(dir.File("acct.db"));
        Assert.Equal(0, j.Append(default));
        Assert.True(j.IsFailed);
        Assert.Contains("undefined kind", j.FailureReason, StringComparison.Ordinal);
    }
}

public sealed class JournalLifetimeTests
{
    [Fact]
    public void Dispose_WritesWhatIsQueued_ThenAppendIsRefusedQuietly()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        var j = TradeJournal.Open(path);
        for (var i = 0; i < 1000; i++)
            j.Append(JournalEvent.Denial(i, 7, "EURUSD", i, "x"));
        j.Dispose(); // no Flush: Dispose drains the queue
        Assert.Equal(0, j.Append(JournalEvent.Halt(1, "after dispose")));
        using var reader = JournalReader.Open(path);
        Assert.Equal(1000, reader.ReadEvents().Count);
    }
}

public sealed class IntentBeforeActionTests
{
    [Fact]
    public void DurableSequence_OnlyCoversRowsAnotherConnectionCanAlreadyRead()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using var j = TradeJournal.Open(path);
        var intent = new TradeIntent { Direction = Direction.Buy, Entry = 1.1, StopLoss = 1.098, TakeProfit = 1.104, Confidence = 0.6, SetupId = 3 };
        for (var k = 1; k <= 50; k++)
        {
            var seq = j.Append(JournalEvent.Intent(k, 7, "EURUSD", k, intent, 0.1, "live"));
            // The engine's pattern: hand the instruction out only once the intent row is durable (polled, never blocking).
            Assert.True(SpinWait.SpinUntil(() => j.DurableSequence >= seq, TimeSpan.FromSeconds(10)));
            using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT intent_id FROM events WHERE seq = $s";
            cmd.Parameters.AddWithValue("$s", seq);
            Assert.Equal((long)k, cmd.ExecuteScalar());
        }
    }

    [Fact]
    public void Append_AllocatesNothingOnTheCallersThread()
    {
        using var dir = new TempDir();
        using var j = TradeJournal.Open(dir.File("acct.db"), new JournalOptions { QueueCapacity = 8192 });
        var e = JournalEvent.Denial(1, 7, "EURUSD", 1, "spread too wide");
        j.Append(e); // first call: JIT and statics
        Assert.True(j.Flush());
        var before = GC.GetAllocatedBytesForCurrentThread();
        long last = 0;
        for (var i = 0; i < 4000; i++)
            last = j.Append(e);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(4001, last);
    }
}
