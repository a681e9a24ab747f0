using KimiEA.Core.Trading;
using Xunit;

namespace KimiEA.Journal.Tests;

public sealed class RestoreAndControlTests
{
    private static readonly TradeIntent Buy = new()
    {
        Direction = Direction.Buy, Entry = 1.1000, StopLoss = 1.0980, TakeProfit = 1.1040, Confidence = 0.6, SetupId = 3,
    };

    [Fact]
    public void Restore_GivesBackIntents_Positions_Breaker_Stats_ForThisAgentOnly()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        byte[] breakerOld = [1], breakerNew = [2, 7, 7];
        using (var j = TradeJournal.Open(path))
        {
            j.Append(JournalEvent.BreakerTransition(1, 0, breakerOld, 10_000, "day start"));
            // Agent A (magic 7, EURUSD): one win (+120) and one loss (−80) on setup 3, one open position, one pending intent.
            foreach (var (id, ticket, profit) in new[] { (1L, 11L, 120.0), (2L, 12L, -80.0) })
            {
                j.Append(JournalEvent.Intent(10 * id, 7, "EURUSD", id, Buy, 0.5, "live"));
                j.Append(JournalEvent.Fill(10 * id + 1, 7, "EURUSD", id, ticket, 100 + id, Direction.Buy, 1.1, 0.5, 1.098, 1.104, 0.0001, "live"));
                j.Append(JournalEvent.Close(10 * id + 2, 7, "EURUSD", ticket, 200 + id, 1.1, 0.5, profit, profit > 0 ? ExitReason.TakeProfit : ExitReason.StopLoss));
            }
            j.Append(JournalEvent.Intent(50, 7, "EURUSD", 3, Buy, 0.5, "live"));
            j.Append(JournalEvent.Fill(51, 7, "EURUSD", 3, 13, 103, Direction.Buy, 1.1, 0.5, 1.098, 1.104, 0.0001, "live"));
            j.Append(JournalEvent.Modify(52, 7, "EURUSD", 13, 1.1, 1.104));
            j.Append(JournalEvent.Intent(60, 7, "EURUSD", 4, Buy, 0.3, "live"));
            j.Append(JournalEvent.InstructionIssued(61, 7, "EURUSD", 4));
            // Agent B (magic 8, GBPUSD) must not leak into A.
            j.Append(JournalEvent.Intent(70, 8, "GBPUSD", 5, Buy, 1, "live"));
            j.Append(JournalEvent.Fill(71, 8, "GBPUSD", 5, 14, 105, Direction.Buy, 1.3, 1, 1.29, 1.31, 0.0001, "live"));
            // Account-wide rows reach every agent.
            j.Append(JournalEvent.BreakerTransition(80, 2, breakerNew, 10_250, "daily loss limit"));
            j.Append(JournalEvent.EmergencyStop(81, "manual emergency"));
            Assert.True(j.Flush());

            var restored = j.Restore(7, "EURUSD");
            var a = restored.Ledger;
            var intent = Assert.Single(a.OpenIntents);
            Assert.Equal((4L, true, false, 0.3), (intent.IntentId, intent.InstructionIssued, intent.ResultReceived, intent.Volume));
            var p = Assert.Single(a.OpenPositions);
            Assert.Equal((13L, 3L, 1.1, 1.104), (p.Ticket, p.IntentId, p.StopLoss, p.TakeProfit));
            Assert.Equal(breakerNew, a.BreakerState);
            Assert.Equal((2, 10_250.0), (a.BreakerCode, a.DayStartEquity));
            Assert.Equal(new SetupStats(1, 1, 120, 80), a.SetupStatistics[new SetupKey("EURUSD", 3)]);
            Assert.Single(a.SetupStatistics);
            Assert.True(a.EngineHalted);
            Assert.Equal("manual emergency", a.EngineHaltReason);
            Assert.Equal(j.DurableSequence, restored.LastSequence);
            Assert.False(restored.HaltRequested);
            Assert.True(a.KnowsDeal(103));
            Assert.False(a.KnowsDeal(105)); // agent B's deal

            var b = j.Restore(8, "GBPUSD").Ledger;
            Assert.Equal(14, Assert.Single(b.OpenPositions).Ticket);
            Assert.Empty(b.OpenIntents);
        }
    }

    [Fact]
    public void RestoreThenReconcile_RoundTrip_ThroughTheFile()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using (var j = TradeJournal.Open(path))
        {
            j.Append(JournalEvent.Intent(10, 7, "EURUSD", 1, Buy, 0.5, "live"));
            j.Append(JournalEvent.InstructionIssued(11, 7, "EURUSD", 1));
            j.Append(JournalEvent.OrderResult(12, 7, "EURUSD", 1, OrderRetcodes.Timeout, 0, 0, 0));
            Assert.True(j.Flush());
        }
        // Restart: the order did fill at the broker.
        using (var j = TradeJournal.Open(path))
        {
            var restored = j.Restore(7, "EURUSD");
            var r = Reconciler.Reconcile(restored.Ledger, [new BrokerPosition(900, "EURUSD", 7, Direction.Buy, 0.5, 1.1001, 13, 1.098, 1.104, 1)], [], 20, 0.0001, "live");
            foreach (var e in r.Events)
                Assert.True(j.Append(e) > 0);
            Assert.True(j.Flush());
        }
        // A second restart sees the adopted position and no pending intent, and reconciling again writes nothing.
        using (var j = TradeJournal.Open(path))
        {
            var again = j.Restore(7, "EURUSD").Ledger;
            Assert.Empty(again.OpenIntents);
            Assert.Equal(900, Assert.Single(again.OpenPositions).Ticket);
            var r = Reconciler.Reconcile(again, [new BrokerPosition(900, "EURUSD", 7, Direction.Buy, 0.5, 1.1001, 13, 1.098, 1.104, 1)], [], 30);
            Assert.Empty(r.Events);
        }
        using var reader = JournalReader.Open(path);
        var t = Assert.Single(reader.ReadTrades());
        Assert.Equal((900L, 1L, "open", 0.6), (t.Ticket, t.IntentId, t.Status, t.Confidence!.Value));
    }

    [Fact]
    public void Halt_FromASecondConnection_IsSeenByTheRunningJournal_AndResumeLiftsIt()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using var j = TradeJournal.Open(path);
        Assert.False(j.HaltRequested);
        // What `kimi halt` does from another process: its own connection, one control row.
        JournalControl.RequestHalt(path, "news at 14:30", 1_700_000_000);
        Assert.True(j.Flush());
        Assert.True(j.HaltRequested);
        Assert.Equal("news at 14:30", j.HaltReason);
        Assert.True(j.Restore(7, "EURUSD").HaltRequested);
        using (var reader = JournalReader.Open(path))
            Assert.Equal((true, "news at 14:30"), reader.ReadControl());

        JournalControl.RequestResume(path, null, 1_700_000_100);
        Assert.True(j.Flush());
        Assert.False(j.HaltRequested);
    }

    [Fact]
    public void Halt_IsPickedUpByTheIdleWriterOnItsOwn()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using var j = TradeJournal.Open(path, new JournalOptions { ControlPollMs = 20 });
        JournalControl.RequestHalt(path, null, 1);
        // No Flush: the idle writer polls the control table every 20 ms. Allow generous slack for a loaded CI box.
        Assert.True(SpinWait.SpinUntil(() => j.HaltRequested, TimeSpan.FromSeconds(10)));
        Assert.Equal("halted from outside the terminal", j.HaltReason);
    }

    [Fact]
    public void Halt_OnAJournalWrittenByAnotherProcess_SurvivesRestart()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        using (var j = TradeJournal.Open(path))
            Assert.True(j.Flush());
        JournalControl.RequestHalt(path, "weekend", 5);
        using var reopened = TradeJournal.Open(path);
        Assert.True(reopened.Flush());
        Assert.True(reopened.HaltRequested);
        Assert.Equal("weekend", reopened.HaltReason);
    }

    [Fact]
    public void Halt_OnAMissingOrForeignFile_IsAClearError()
    {
        using var dir = new TempDir();
        var missing = dir.File("missing.db");
        var ex = Assert.Throws<JournalException>(() => JournalControl.RequestHalt(missing, null, 1));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(missing)); // the kill switch never creates a journal
        var empty = dir.File("empty.db");
        File.WriteAllBytes(empty, []);
        Assert.Contains("not a KimiEA journal", Assert.Throws<JournalException>(() => JournalControl.RequestHalt(empty, null, 1)).Message, StringComparison.Ordinal);
    }
}
