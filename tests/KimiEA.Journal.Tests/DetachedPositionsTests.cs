using KimiEA.Core.Trading;
using Xunit;

namespace KimiEA.Journal.Tests;

/// <summary>The fold of the positions detached charts left open (issue 10: reservations live as long as positions).</summary>
public class DetachedPositionsTests
{
    [Fact]
    public void A_detached_position_stays_until_it_closes_or_its_chart_attaches_again()
    {
        var fold = new DetachedPositions();
        fold.Apply(JournalEvent.PositionDetached(1, 11, "EURUSD", 501, Direction.Buy, 0.5, 1.1, 100, 55_000));
        fold.Apply(JournalEvent.PositionDetached(1, 11, "EURUSD", 502, Direction.Sell, 0.2, 1.1, 40, 22_000));
        fold.Apply(JournalEvent.PositionDetached(1, 12, "GBPUSD", 601, Direction.Buy, 0.1, 1.3, 20, 13_000));
        Assert.Equal([501L, 502, 601], fold.Open.Select(p => p.Ticket));
        Assert.Equal(100, fold.Open[0].RiskMoney);
        Assert.Equal(55_000, fold.Open[0].Notional);

        // the other chart's agent booking a close with the same ticket number on another symbol changes nothing
        fold.Apply(JournalEvent.Close(2, 12, "GBPUSD", 501, 9, 1.1, 0.5, 0, ExitReason.StopLoss));
        Assert.Equal(3, fold.Open.Count);

        fold.Apply(JournalEvent.Close(2, 11, "EURUSD", 502, 9, 1.1, 0.2, -40, ExitReason.StopLoss));
        Assert.Equal([501L, 601], fold.Open.Select(p => p.Ticket));

        fold.Apply(JournalEvent.AgentAttached(3, 11, "EURUSD", "paper"));
        Assert.Equal([601L], fold.Open.Select(p => p.Ticket));

        fold.Apply(JournalEvent.ModeChange(4, 12, "GBPUSD", "paper", "a mode row that is not an attach"));
        Assert.Single(fold.Open);
    }
}
