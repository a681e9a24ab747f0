using KimiEA.Core.Trading;
using Microsoft.Data.Sqlite;
using Xunit;

namespace KimiEA.Journal.Tests;

public sealed class SchemaAndTradesTests
{
    // The v1 schema exactly as the first release wrote it (frozen here on purpose: the test proves that a file
    // written by that release still opens, whatever later versions of JournalSchema look like).
    private const string FrozenV1 = """
        CREATE TABLE schema_version(version INTEGER PRIMARY KEY, description TEXT NOT NULL);
        CREATE TABLE events(
            seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, time INTEGER NOT NULL, magic INTEGER NOT NULL, symbol TEXT,
            intent_id INTEGER NOT NULL, ticket INTEGER NOT NULL, deal INTEGER NOT NULL, direction INTEGER NOT NULL,
            price REAL, volume REAL, sl REAL, tp REAL, confidence REAL, profit REAL, equity REAL,
            setup INTEGER NOT NULL, code INTEGER NOT NULL, exit_reason TEXT, mode TEXT, text TEXT, blob BLOB);
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
        INSERT INTO schema_version VALUES (1, 'append-only events');
        INSERT INTO events VALUES (1, 2, 1000, 7, 'EURUSD', 11, 0, 0, 1, 1.1, 0.2, 1.09, 1.12, 0.7, NULL, NULL, 4, 24, NULL, 'live', NULL, NULL);
        INSERT INTO events VALUES (2, 5, 1001, 7, 'EURUSD', 11, 500, 900, 1, 1.1002, 0.2, 1.09, 1.12, NULL, NULL, NULL, 0, 0, NULL, 'live', NULL, NULL);
        INSERT INTO events VALUES (3, 7, 1100, 7, 'EURUSD', 0, 500, 901, 0, 1.12, 0.2, NULL, NULL, NULL, 39.6, NULL, 0, 0, 'TP', NULL, NULL, NULL);
        """;

    [Fact]
    public void V1File_IsMigrated_RowsKept_SequenceContinues_TradesViewWorks()
    {
        using var dir = new TempDir();
        var path = dir.File("v1.db");
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = FrozenV1;
            cmd.ExecuteNonQuery();
        }
        using (var j = TradeJournal.Open(path))
        {
            Assert.False(j.IsFailed, j.FailureReason);
            Assert.Equal(3, j.DurableSequence);
            Assert.Equal(4, j.Append(JournalEvent.Halt(1200, "after upgrade")));
            Assert.True(j.Flush());
        }
        using (var c = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version)";
            Assert.Equal("1,2,3", cmd.ExecuteScalar());
        }
        using var reader = JournalReader.Open(path);
        Assert.Equal(JournalSchema.CurrentVersion, reader.SchemaVersion);
        Assert.Equal(4, reader.ReadEvents().Count);
        var t = Assert.Single(reader.ReadTrades());
        Assert.Equal(500, t.Ticket);
        Assert.Equal("closed", t.Status);
        Assert.Equal("TP", t.ExitReason);
        Assert.Equal(0.7, t.Confidence);
        Assert.Null(t.HitProbability); // v1 rows have none: the v3 column is empty, not invented
        Assert.Equal(4, t.SetupId);
        Assert.Equal(39.6, t.Pnl);
        Assert.Null(t.Pips); // v1 rows carry no pip size
        var restored = reader.RestoreAgent(7, "EURUSD");
        Assert.Equal(new SetupStats(1, 0, 39.6, 0), restored.Ledger.SetupStatistics[new SetupKey("EURUSD", 4)]);
    }

    [Fact]
    public void Migrate_IsStepwiseAndIdempotent()
    {
        using var dir = new TempDir();
        var path = dir.File("m.db");
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        Assert.Equal(0, JournalSchema.Migrate(c, 1));
        Assert.Equal(1, JournalSchema.ReadVersion(c));
        Assert.Equal(1, JournalSchema.Migrate(c));
        Assert.Equal(JournalSchema.CurrentVersion, JournalSchema.Migrate(c));
        Assert.Equal(JournalSchema.CurrentVersion, JournalSchema.ReadVersion(c));
    }

    [Fact]
    public void TradesView_HandComputedTrades()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        var buy = new TradeIntent { Direction = Direction.Buy, Entry = 1.10000, StopLoss = 1.09800, TakeProfit = 1.10400, Confidence = 0.62, SetupId = 3, MaxHoldingBars = 48 };
        var sell = new TradeIntent { Direction = Direction.Sell, Entry = 1.10500, StopLoss = 1.10700, TakeProfit = 1.10100, Confidence = 0.55, SetupId = 4, MaxHoldingBars = 48 };
        const double pip = 0.0001;
        using (var j = TradeJournal.Open(path))
        {
            // Trade 1: buy 0.5 lot filled at 1.10010, TP at 1.10410 → +40 pips; 0.5 lot × 40 pips × 10 USD/pip/lot = +200 USD.
            j.Append(JournalEvent.Intent(100, 7, "EURUSD", 101, buy, 0.5, "live"));
            j.Append(JournalEvent.Fill(101, 7, "EURUSD", 101, 5001, 9001, Direction.Buy, 1.10010, 0.5, 1.09800, 1.10400, pip, "live"));
            j.Append(JournalEvent.Fill(101, 7, "EURUSD", 101, 5001, 9001, Direction.Buy, 1.10010, 0.5, 1.09800, 1.10400, pip, "live")); // duplicate report
            j.Append(JournalEvent.Close(200, 7, "EURUSD", 5001, 9002, 1.10410, 0.5, 200.0, ExitReason.TakeProfit));
            // Trade 2: sell 1 lot at 1.10500, stop moved to 1.10600 and hit → (1.10600 − 1.10500) × (−1) / 0.0001 = −10 pips, −100 USD.
            j.Append(JournalEvent.Intent(300, 7, "EURUSD", 102, sell, 1.0, "paper"));
            j.Append(JournalEvent.Fill(301, 7, "EURUSD", 102, 5002, 9003, Direction.Sell, 1.10500, 1.0, 1.10700, 1.10100, pip, "paper"));
            j.Append(JournalEvent.Modify(350, 7, "EURUSD", 5002, 1.10600, 1.10100));
            j.Append(JournalEvent.Close(400, 7, "EURUSD", 5002, 9004, 1.10600, 1.0, -100.0, ExitReason.StopLoss));
            j.Append(JournalEvent.Close(400, 7, "EURUSD", 5002, 9004, 1.10600, 1.0, -100.0, ExitReason.StopLoss)); // duplicate report
            // Trade 3: still open.
            j.Append(JournalEvent.Fill(500, 7, "EURUSD", 0, 5003, 9005, Direction.Buy, 1.10200, 0.1, 1.10000, 1.10600, pip, "live"));
            Assert.True(j.Flush());
        }
        using var reader = JournalReader.Open(path);
        var trades = reader.ReadTrades();
        Assert.Equal(3, trades.Count);

        var t1 = trades[0];
        Assert.Equal((5001L, "live", "mt5", "EURUSD", "BUY"), (t1.Ticket, t1.ExecutionMode, t1.Broker, t1.Symbol, t1.Direction));
        Assert.Equal((1.10010, 101L, 1.10410, 200L), (t1.EntryPrice, t1.EntryTime, t1.ExitPrice!.Value, t1.ExitTime!.Value));
        Assert.Equal(("TP", 0.5, 0.62, 1.09800, 1.10400), (t1.ExitReason, t1.Lots, t1.Confidence!.Value, t1.StopLoss!.Value, t1.TakeProfit!.Value));
        Assert.Equal(40.0, t1.Pips!.Value, 6);
        Assert.Equal(200.0, t1.Pnl);
        Assert.Equal((true, "closed"), (t1.IsWinner!.Value, t1.Status));

        var t2 = trades[1];
        Assert.Equal((5002L, "paper", "SELL", "SL"), (t2.Ticket, t2.ExecutionMode, t2.Direction, t2.ExitReason));
        Assert.Equal(1.10600, t2.StopLoss); // the latest modify
        Assert.Equal(-10.0, t2.Pips!.Value, 6);
        Assert.Equal(-100.0, t2.Pnl); // the duplicate close row is counted once
        Assert.Equal((false, "closed"), (t2.IsWinner!.Value, t2.Status));

        var t3 = trades[2];
        Assert.Equal((5003L, "open", 0L), (t3.Ticket, t3.Status, t3.IntentId));
        Assert.Null(t3.ExitPrice);
        Assert.Null(t3.ExitReason);
        Assert.Null(t3.Pnl);
        Assert.Null(t3.IsWinner);
        Assert.Null(t3.Confidence);

        var status = reader.ReadStatus();
        Assert.Equal((10L, 10L, 500L), (status.Events, status.LastSequence, status.LastEventTime!.Value));
        Assert.Equal((1L, 2L, 100.0), (status.OpenTrades, status.ClosedTrades, status.TotalPnl));
    }

    [Fact]
    public void PartialCloses_StayOpenUntilTheLastLot_AndSumTheirPnl()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using (var j = TradeJournal.Open(path))
        {
            j.Append(JournalEvent.Fill(1, 7, "EURUSD", 0, 10, 1, Direction.Buy, 1.2, 1.0, 1.19, 1.22, 0.0001, "live"));
            j.Append(JournalEvent.Close(2, 7, "EURUSD", 10, 2, 1.21, 0.4, 40.0, ExitReason.Manual));
            Assert.True(j.Flush());
            using (var r = JournalReader.Open(path))
                Assert.Equal("open", Assert.Single(r.ReadTrades()).Status);
            j.Append(JournalEvent.Close(3, 7, "EURUSD", 10, 3, 1.215, 0.6, 90.0, ExitReason.TakeProfit));
            Assert.True(j.Flush());
        }
        using var reader = JournalReader.Open(path);
        var t = Assert.Single(reader.ReadTrades());
        // 0.4 lot closed for +40 then 0.6 lot for +90: P&L 130, exit at the last close (1.215, TP).
        Assert.Equal(("closed", 130.0, 1.215, "TP"), (t.Status, t.Pnl!.Value, t.ExitPrice!.Value, t.ExitReason));
    }
}
