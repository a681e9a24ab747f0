using KimiEA.Tester.Server;
using Xunit;

namespace KimiEA.Tester.Tests.Server;

/// <summary>The write-ahead broker journal: a run killed mid-way restarts on the same balance, positions and tickets.</summary>
public sealed class BrokerJournalFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"kimi-broker-{Environment.ProcessId}-{Guid.NewGuid():N}.wal");

    public void Dispose() => File.Delete(_path);

    private static TradeServer NewServer(IBrokerJournal? journal = null) =>
        new(new AccountSettings(), [SymbolTable.Get("EURUSD")], new ExecutionSettings { CommissionPerLot = 7 }, journal);

    [Fact]
    public void Replay_RestoresBalancePositionsAndTickets()
    {
        long open;
        long balance;
        using (var journal = new BrokerJournalFile(_path))
        {
            var s = NewServer(journal);
            s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
            var a = s.MarketOrder(0, 1, 0.10, 1.09900, 1.10200, 7, 1);
            var b = s.MarketOrder(0, -1, 0.20, 1.10300, 1.09800, 7, 2);
            s.Modify(b.Position, 1.10250, 1.09800);
            s.SetPrice(0, 2_000, 1.09880, 1.09890, false); // a's SL: (1.09880 − 1.10010) × 0.1 lot = −13.00, commission −0.70
            Assert.Single(s.Positions);
            open = b.Position;
            balance = s.BalanceCents;
            Assert.NotEqual(a.Position, open);
        }

        // The "crash" left half a line behind.
        File.AppendAllText(_path, "D,99,9");
        var state = BrokerJournalFile.Replay(_path);
        var restarted = NewServer();
        restarted.Restore(state);
        Assert.Equal(balance, restarted.BalanceCents);
        // Deals so far: −13.00 profit − 0.70 (a's round turn: 7 × 0.1) − 0.70 (b's entry: half of 7 × 0.2) = −14.40,
        // of which b's −0.70 stays with b for its trade: −13.70 belongs to no trade of the restarted run.
        Assert.Equal(1_000_000 - 1_440, restarted.BalanceCents);
        Assert.Equal(-1_370, restarted.RestoredDealsCents);
        var p = Assert.Single(restarted.Positions);
        Assert.Equal(open, p.Ticket);
        Assert.Equal(1.10250, p.Sl, 10);
        Assert.Equal(0.20, p.Volume, 10);
        restarted.SetPrice(0, 3_000, 1.10000, 1.10010, false);
        var next = restarted.MarketOrder(0, 1, 0.10, 1.09900, 1.10200, 7, 3);
        Assert.True(next.Position > open, "tickets continue after the restored ones");
        Assert.True(next.Deal > state.Deals.Max(d => d.Ticket));
        // The restored position closes carrying its journaled entry commission: −0.70 entry + −0.70 exit.
        restarted.CloseAll("END");
        Assert.Equal(-140, restarted.Trades.Single(t => t.Ticket == open).CommissionCents);
        Assert.Equal(1_000_000 + restarted.RestoredDealsCents + restarted.Trades.Sum(t => t.PnlCents), restarted.BalanceCents);
    }

    [Fact]
    public void CorruptLine_IsNamed()
    {
        File.WriteAllText(_path, "X,1\nQ,2\nX,3\n");
        var e = Assert.Throws<InvalidDataException>(() => BrokerJournalFile.Replay(_path));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }
}
