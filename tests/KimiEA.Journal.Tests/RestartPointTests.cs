using KimiEA.Core.Trading;
using Xunit;

namespace KimiEA.Journal.Tests;

/// <summary>
/// What a restarted run (kimi backtest --broker-state) reads from the journal: the latest recorded time, and which
/// positions the journal has seen closed (so the deal history forwarded at a restart cannot reopen them).
/// </summary>
public sealed class RestartPointTests
{
    private static readonly TradeIntent Buy = new()
    {
        Direction = Direction.Buy, Entry = 1.1000, StopLoss = 1.0980, TakeProfit = 1.1040, Confidence = 0.6, SetupId = 3,
    };

    [Fact]
    public void LastEventTime_IsTheLatestTime_AndNullWithoutAJournalYet()
    {
        using var dir = new TempDir();
        var path = dir.File("acct.db");
        Assert.Null(JournalReader.LastEventTime(path)); // no file
        File.WriteAllBytes(path, []);
        Assert.Null(JournalReader.LastEventTime(path)); // created, never migrated (killed while opening)
        File.Delete(path);
        using (var j = TradeJournal.Open(path))
        {
            Assert.True(j.Flush());
            Assert.Null(JournalReader.LastEventTime(path)); // a schema, no row
            j.Append(JournalEvent.Intent(5_000, 7, "EURUSD", 1, Buy, 0.5, "paper"));
            j.Append(JournalEvent.Fill(7_000, 7, "EURUSD", 1, 11, 0, Direction.Buy, 1.1, 0.5, 1.098, 1.104, 0.0001, "paper"));
            // The engine stamps "agent created" with time 0 and rows of another agent may be older: the maximum counts.
            j.Append(JournalEvent.ModeChange(0, 7, "EURUSD", "paper", "agent created"));
            j.Append(JournalEvent.Denial(6_000, 8, "GBPUSD", 0, "spread"));
            Assert.True(j.Flush());
            Assert.Equal(7_000, JournalReader.LastEventTime(path));
        }
    }

    [Fact]
    public void LastEventTime_NamesAFileThatIsNotAJournal()
    {
        using var dir = new TempDir();
        var path = dir.File("notes.txt");
        File.WriteAllText(path, "not a database, just text that is long enough to look like a header of something");
        var e = Assert.Throws<JournalException>(() => JournalReader.LastEventTime(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ledger_remembers_closed_positions_until_their_ticket_is_open_again()
    {
        var ledger = new AgentLedger(7, "EURUSD");
        ledger.Apply(JournalEvent.Fill(1, 7, "EURUSD", 1, 11, 0, Direction.Buy, 1.1, 0.5, 1.098, 1.104, 0.0001, "paper"));
        Assert.False(ledger.WasClosed(11));
        ledger.Apply(JournalEvent.Close(2, 7, "EURUSD", 11, 0, 1.1, 0.2, 5, ExitReason.Manual)); // partial
        Assert.False(ledger.WasClosed(11));
        ledger.Apply(JournalEvent.Close(3, 7, "EURUSD", 11, 0, 1.1, 0.3, 5, ExitReason.TakeProfit));
        Assert.True(ledger.WasClosed(11));
        Assert.True(ledger.Clone().WasClosed(11));
        Assert.False(ledger.WasClosed(0));
        // A netting account can reuse the ticket for a new position: then it is open, not closed.
        ledger.Apply(JournalEvent.Fill(4, 7, "EURUSD", 2, 11, 0, Direction.Sell, 1.1, 0.5, 1.102, 1.096, 0.0001, "paper"));
        Assert.False(ledger.WasClosed(11));
    }
}
