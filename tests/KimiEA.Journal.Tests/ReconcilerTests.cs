using KimiEA.Core.Trading;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace KimiEA.Journal.Tests;

/// <summary>The restart scenarios of issue #5 item 3, on the pure ledger + reconciler.</summary>
public sealed class ReconcilerTests
{
    private const long Magic = 4242;
    private const string Sym = "EURUSD";
    private const double Pip = 0.0001;
    private static readonly BrokerPosition[] NoPositions = [];
    private static readonly BrokerDeal[] NoDeals = [];

    private static readonly TradeIntent Buy = new()
    {
        Direction = Direction.Buy, Entry = 1.1000, StopLoss = 1.0980, TakeProfit = 1.1040, Confidence = 0.6, SetupId = 3, MaxHoldingBars = 48,
    };

    private static AgentLedger Ledger(params JournalEvent[] rows)
    {
        var l = new AgentLedger(Magic, Sym);
        foreach (var r in rows)
            l.Apply(r);
        return l;
    }

    private static JournalEvent Intent(long id, long t = 100) => JournalEvent.Intent(t, Magic, Sym, id, Buy, 0.5, "live");
    private static JournalEvent Issued(long id) => JournalEvent.InstructionIssued(101, Magic, Sym, id);
    private static JournalEvent Fill(long id, long ticket, long deal) =>
        JournalEvent.Fill(102, Magic, Sym, id, ticket, deal, Direction.Buy, 1.1001, 0.5, 1.0980, 1.1040, Pip, "live");
    private static BrokerPosition Pos(long ticket, long intentId = 0, double sl = 1.0980, double tp = 1.1040, double volume = 0.5, long magic = Magic, string symbol = Sym) =>
        new(ticket, symbol, magic, Direction.Buy, volume, 1.1001, 102, sl, tp, intentId);

    private static void AssertNoInstructionRows(ReconcileResult r) =>
        Assert.DoesNotContain(r.Events, e => e.Kind is JournalEventKind.InstructionIssued or JournalEventKind.Intent);

    [Fact]
    public void ColdStart_NothingAnywhere_NothingToDo()
    {
        var r = Reconciler.Reconcile(Ledger(), NoPositions, NoDeals, 1000);
        Assert.Empty(r.Actions);
        Assert.Empty(r.Events);
        Assert.Empty(r.Ledger.OpenPositions);
        Assert.Empty(r.Ledger.OpenIntents);
    }

    [Fact]
    public void WarmStart_SamePositionAtBroker_IsConfirmed_WithoutRows()
    {
        var journal = Ledger(Intent(1), Issued(1), Fill(1, 5001, 9001));
        var r = Reconciler.Reconcile(journal, [Pos(5001)], NoDeals, 1000);
        var a = Assert.Single(r.Actions);
        Assert.Equal((ReconcileActionKind.Confirmed, 5001L), (a.Kind, a.Ticket));
        Assert.Empty(r.Events);
        var p = Assert.Single(r.Ledger.OpenPositions);
        Assert.Equal((5001L, 1L, 3, 0.6), (p.Ticket, p.IntentId, p.SetupId, p.Confidence));
    }

    [Fact]
    public void WarmStart_BrokerStopsDiffer_BrokerWins()
    {
        var journal = Ledger(Intent(1), Issued(1), Fill(1, 5001, 9001));
        var r = Reconciler.Reconcile(journal, [Pos(5001, sl: 1.0995)], NoDeals, 1000);
        Assert.Equal(ReconcileActionKind.UpdatedFromBroker, Assert.Single(r.Actions).Kind);
        Assert.Equal(JournalEventKind.Modify, r.Events[0].Kind);
        Assert.Equal(1.0995, Assert.Single(r.Ledger.OpenPositions).StopLoss);
        Assert.Equal(1.0980, Assert.Single(journal.OpenPositions).StopLoss); // input untouched
    }

    [Fact]
    public void JournalAhead_IntentIssuedButNothingAtBroker_IsAbandoned_NeverReissued()
    {
        var journal = Ledger(Intent(1), Issued(1));
        var r = Reconciler.Reconcile(journal, NoPositions, NoDeals, 1000);
        var a = Assert.Single(r.Actions);
        Assert.Equal((ReconcileActionKind.AbandonIntent, 1L), (a.Kind, a.IntentId));
        var row = Assert.Single(r.Events);
        Assert.Equal((JournalEventKind.Reconciliation, (int)ReconcileActionKind.AbandonIntent), (row.Kind, row.Code));
        AssertNoInstructionRows(r);
        Assert.Empty(r.Ledger.OpenIntents);
        Assert.True(r.Ledger.HasSeenIntent(1));
        // The engine cannot bring the same intent back: a second intent row with its id changes nothing.
        Assert.False(r.Ledger.Apply(Intent(1, 2000)));
        Assert.Empty(r.Ledger.OpenIntents);
    }

    [Fact]
    public void JournalAhead_IntentNeverMarkedIssued_IsAlsoAbandonedNotIssued()
    {
        // Crash between handing the instruction out and journaling "issued": it may have been sent, so it is not re-sent.
        var r = Reconciler.Reconcile(Ledger(Intent(1)), NoPositions, NoDeals, 1000);
        Assert.Equal(ReconcileActionKind.AbandonIntent, Assert.Single(r.Actions).Kind);
        AssertNoInstructionRows(r);
        Assert.Empty(r.Ledger.OpenIntents);
    }

    [Fact]
    public void BrokerAhead_UnknownPositionWithOurMagic_IsAdopted_OthersIgnored()
    {
        var r = Reconciler.Reconcile(Ledger(), [Pos(7001), Pos(7002, magic: 1), Pos(7003, symbol: "GBPUSD")],
            [new BrokerDeal(9100, 7001, Sym, Magic, Direction.Buy, BrokerDealEntry.In, 0.5, 1.1001, 102, 0, 0)], 1000, Pip, "live");
        var a = Assert.Single(r.Actions);
        Assert.Equal((ReconcileActionKind.AdoptedUnknownPosition, 7001L), (a.Kind, a.Ticket));
        var fill = r.Events.Single(e => e.Kind == JournalEventKind.Fill);
        Assert.Equal((7001L, 9100L, 0L, Pip, "live"), (fill.Ticket, fill.Deal, fill.IntentId, fill.PipSize, fill.Mode));
        var p = Assert.Single(r.Ledger.OpenPositions);
        Assert.Equal((7001L, 0.5, 1.1001), (p.Ticket, p.Volume, p.EntryPrice));
        Assert.True(r.Ledger.KnowsDeal(9100));
    }

    [Fact]
    public void DuplicateFillReport_IsIgnored_LiveAndOnRestart()
    {
        var journal = Ledger(Intent(1), Issued(1), Fill(1, 5001, 9001));
        // Live: the same deal reported again (OrderSend result and OnTradeTransaction) changes nothing.
        Assert.False(journal.Apply(Fill(1, 5001, 9001)));
        Assert.Equal(0.5, Assert.Single(journal.OpenPositions).Volume);
        // Restart: the deal list repeats it (twice, even); it is recognised, no row is written.
        var inDeal = new BrokerDeal(9001, 5001, Sym, Magic, Direction.Buy, BrokerDealEntry.In, 0.5, 1.1001, 102, 0, 1);
        var r = Reconciler.Reconcile(journal, [Pos(5001)], [inDeal, inDeal], 1000);
        Assert.Equal(2, r.Actions.Count(x => x.Kind == ReconcileActionKind.IgnoredDuplicateDeal));
        Assert.Single(r.Actions, x => x.Kind == ReconcileActionKind.Confirmed);
        Assert.Empty(r.Events);
        Assert.Equal(0.5, Assert.Single(r.Ledger.OpenPositions).Volume);
    }

    [Fact]
    public void PositionClosedWhileOffline_GetsItsDeal_WithExitReasonReconciled()
    {
        var journal = Ledger(Intent(1), Issued(1), Fill(1, 5001, 9001));
        // Closed at 1.1041 for +200 (0.5 lot × 40 pips × 10 USD) while the EA was away.
        var outDeal = new BrokerDeal(9002, 5001, Sym, Magic, Direction.Sell, BrokerDealEntry.Out, 0.5, 1.1041, 500, 200.0, 0);
        var r = Reconciler.Reconcile(journal, NoPositions, [outDeal], 1000);
        Assert.Equal(ReconcileActionKind.ClosedWhileOffline, Assert.Single(r.Actions).Kind);
        var close = r.Events.Single(e => e.Kind == JournalEventKind.Close);
        Assert.Equal((5001L, 9002L, 1.1041, 500L, 200.0, ExitReason.Reconciled), (close.Ticket, close.Deal, close.Price, close.Time, close.Profit, close.ExitReason));
        Assert.Empty(r.Ledger.OpenPositions);
        Assert.Equal(new SetupStats(1, 0, 200.0, 0), r.Ledger.SetupStatistics[new SetupKey(Sym, 3)]);
    }

    [Fact]
    public void PositionGoneWithoutDeal_IsClosedReconciled_AndLeftOutOfTheStatistics()
    {
        var journal = Ledger(Intent(1), Issued(1), Fill(1, 5001, 9001));
        var r = Reconciler.Reconcile(journal, NoPositions, NoDeals, 1000);
        var close = r.Events.Single(e => e.Kind == JournalEventKind.Close);
        Assert.Equal((0L, ExitReason.Reconciled, 1000L), (close.Deal, close.ExitReason, close.Time));
        Assert.True(double.IsNaN(close.Price));
        Assert.Empty(r.Ledger.OpenPositions);
        Assert.Empty(r.Ledger.SetupStatistics);
    }

    [Fact]
    public void AmbiguousTimeout_PositionAtBroker_IsAdoptedForTheIntent()
    {
        var journal = Ledger(Intent(1), Issued(1), JournalEvent.OrderResult(103, Magic, Sym, 1, OrderRetcodes.Timeout, 0, 0, 0));
        Assert.True(Assert.Single(journal.OpenIntents).IsAmbiguous);
        var r = Reconciler.Reconcile(journal, [Pos(8001, intentId: 1)], NoDeals, 1000);
        var a = Assert.Single(r.Actions);
        Assert.Equal((ReconcileActionKind.AdoptedFill, 1L, 8001L), (a.Kind, a.IntentId, a.Ticket));
        AssertNoInstructionRows(r);
        Assert.Empty(r.Ledger.OpenIntents);
        var p = Assert.Single(r.Ledger.OpenPositions);
        Assert.Equal((8001L, 1L, 3), (p.Ticket, p.IntentId, p.SetupId));
    }

    [Fact]
    public void AmbiguousTimeout_NothingAtBroker_IsAbandonedWithTheRetcodeInTheText()
    {
        var journal = Ledger(Intent(1), Issued(1), JournalEvent.OrderResult(103, Magic, Sym, 1, OrderRetcodes.Connection, 0, 0, 0));
        var r = Reconciler.Reconcile(journal, NoPositions, NoDeals, 1000);
        var a = Assert.Single(r.Actions);
        Assert.Equal(ReconcileActionKind.AbandonIntent, a.Kind);
        Assert.Contains("10031", a.Text, StringComparison.Ordinal);
        AssertNoInstructionRows(r);
    }

    [Fact]
    public void AmbiguousTimeout_FilledAndStoppedOutWhileOffline_IsRecordedAsBoth()
    {
        var journal = Ledger(Intent(1), Issued(1), JournalEvent.OrderResult(103, Magic, Sym, 1, OrderRetcodes.Timeout, 0, 0, 0));
        BrokerDeal[] deals =
        [
            new(9201, 8002, Sym, Magic, Direction.Buy, BrokerDealEntry.In, 0.5, 1.1002, 104, -0.5, 1),
            new(9202, 8002, Sym, Magic, Direction.Sell, BrokerDealEntry.Out, 0.5, 1.0980, 300, -110.0, 0),
        ];
        var r = Reconciler.Reconcile(journal, NoPositions, deals, 1000);
        Assert.Equal(ReconcileActionKind.FilledAndClosedWhileOffline, Assert.Single(r.Actions).Kind);
        Assert.Equal([JournalEventKind.Fill, JournalEventKind.Close, JournalEventKind.Reconciliation], r.Events.Select(e => e.Kind));
        Assert.Empty(r.Ledger.OpenIntents);
        Assert.Empty(r.Ledger.OpenPositions);
        Assert.Equal(new SetupStats(0, 1, 0, 110.0), r.Ledger.SetupStatistics[new SetupKey(Sym, 3)]);
    }

    [Fact]
    public void SuccessfulResultWithTicket_ButFillNeverJournaled_IsMatchedByTicket()
    {
        var journal = Ledger(Intent(1), Issued(1), JournalEvent.OrderResult(103, Magic, Sym, 1, OrderRetcodes.Done, 8003, 1.1001, 0.5));
        var r = Reconciler.Reconcile(journal, [Pos(8003)], NoDeals, 1000);
        Assert.Equal((ReconcileActionKind.AdoptedFill, 8003L), (Assert.Single(r.Actions).Kind, r.Actions[0].Ticket));
        Assert.Empty(r.Ledger.OpenIntents);
    }

    [Fact]
    public void RejectedResult_ResolvesTheIntent_LiveWithoutReconciliation()
    {
        // 10019 NO_MONEY is final: nothing was opened, the intent is closed and not re-issued.
        var l = Ledger(Intent(1), Issued(1), JournalEvent.OrderResult(103, Magic, Sym, 1, 10019, 0, 0, 0));
        Assert.Empty(l.OpenIntents);
        Assert.True(l.HasSeenIntent(1));
    }

    [Fact]
    public void Property_AfterReconcile_LedgerMatchesBroker_NoIntentLeft_NothingIssued_AndItIsIdempotent()
    {
        // Random journals (intents in every state, filled positions) against random broker views.
        var gen =
            from nIntents in Gen.Choose(0, 6)
            from nFilled in Gen.Choose(0, 4)
            from seed in Gen.Choose(0, int.MaxValue)
            select (nIntents, nFilled, seed);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var rnd = new Random(c.seed);
            var journal = new AgentLedger(Magic, Sym);
            var positions = new List<BrokerPosition>();
            var deals = new List<BrokerDeal>();
            long deal = 100;
            for (var i = 1; i <= c.nFilled; i++)
            {
                var ticket = 1000 + i;
                journal.Apply(Intent(i));
                journal.Apply(Fill(i, ticket, ++deal));
                switch (rnd.Next(3))
                {
                    case 0: positions.Add(Pos(ticket, sl: rnd.Next(2) == 0 ? 1.0980 : 1.0990)); break; // still open (maybe moved)
                    case 1: deals.Add(new(++deal, ticket, Sym, Magic, Direction.Sell, BrokerDealEntry.Out, 0.5, 1.1, 300, rnd.Next(-50, 50), 0)); break;
                    default: break; // gone, no deal reported
                }
            }
            for (var i = 1; i <= c.nIntents; i++)
            {
                var id = 100 + i;
                journal.Apply(Intent(id));
                if (rnd.Next(2) == 0)
                    journal.Apply(Issued(id));
                if (rnd.Next(3) == 0)
                    journal.Apply(JournalEvent.OrderResult(103, Magic, Sym, id, OrderRetcodes.Timeout, 0, 0, 0));
                switch (rnd.Next(3))
                {
                    case 0: positions.Add(Pos(2000 + i, intentId: id)); break;
                    case 1:
                        deals.Add(new(++deal, 2000 + i, Sym, Magic, Direction.Buy, BrokerDealEntry.In, 0.5, 1.1, 104, 0, id));
                        deals.Add(new(++deal, 2000 + i, Sym, Magic, Direction.Sell, BrokerDealEntry.Out, 0.5, 1.1, 200, 5, 0));
                        break;
                    default: break;
                }
            }
            if (rnd.Next(2) == 0)
                positions.Add(Pos(3000)); // broker ahead
            var r = Reconciler.Reconcile(journal, positions, deals, 1000);
            var tickets = r.Ledger.OpenPositions.Select(p => p.Ticket).Order().ToArray();
            var second = Reconciler.Reconcile(r.Ledger, positions, deals, 2000);
            return r.Ledger.OpenIntents.Count == 0
                && tickets.SequenceEqual(positions.Select(p => p.Ticket).Order())
                && !r.Events.Any(e => e.Kind is JournalEventKind.InstructionIssued or JournalEventKind.Intent)
                && second.Events.Count == 0
                && second.Actions.All(a => a.Kind is ReconcileActionKind.Confirmed or ReconcileActionKind.IgnoredDuplicateDeal);
        }).QuickCheckThrowOnFailure();
    }
}

public sealed class AgentLedgerTests
{
    [Fact]
    public void A_positions_bar_limit_comes_from_its_fill_row_else_from_its_intent_row()
    {
        var l = new AgentLedger(7, "EURUSD");
        var intent = new TradeIntent { Direction = Direction.Buy, Entry = 1.2, StopLoss = 1.19, TakeProfit = 1.22, SetupId = 9, MaxHoldingBars = 12 };
        l.Apply(JournalEvent.Intent(1, 7, "EURUSD", 1, intent, 1.0, "live"));
        l.Apply(JournalEvent.Intent(2, 7, "EURUSD", 2, intent, 1.0, "live"));
        Assert.Equal([12, 12], l.OpenIntents.Select(i => i.MaxBars));
        // a fill row that carries the limit: it wins (what the engine writes)
        l.Apply(JournalEvent.Fill(3, 7, "EURUSD", 1, 10, 100, Direction.Buy, 1.2, 1.0, 1.19, 1.22, 0.0001, "live", maxBars: 7));
        // a fill row without it (journals written before fills carried it, reconciliation rows): the intent's
        l.Apply(JournalEvent.Fill(4, 7, "EURUSD", 2, 11, 101, Direction.Buy, 1.2, 1.0, 1.19, 1.22, 0.0001, "live"));
        // a position adopted without intent or limit: unknown (0), the agent falls back to its input
        l.Apply(JournalEvent.Fill(5, 7, "EURUSD", 0, 12, 102, Direction.Buy, 1.2, 1.0, 1.19, 1.22, 0.0001, "live"));
        Assert.Equal([7, 12, 0], l.OpenPositions.Select(p => p.MaxBars));
        // a further deal into a position and a modify keep it
        l.Apply(JournalEvent.Fill(6, 7, "EURUSD", 0, 10, 103, Direction.Buy, 1.21, 1.0, 1.19, 1.22, 0.0001, "live"));
        l.Apply(JournalEvent.Modify(7, 7, "EURUSD", 10, 1.195, 1.23));
        Assert.True(l.TryGetPosition(10, out var p10));
        Assert.Equal(7, p10.MaxBars);
    }

    [Fact]
    public void PartialCloses_CountAsOneTrade_WithTheSummedPnl()
    {
        var l = new AgentLedger(7, "EURUSD");
        var intent = new TradeIntent { Direction = Direction.Buy, Entry = 1.2, StopLoss = 1.19, TakeProfit = 1.22, SetupId = 9 };
        l.Apply(JournalEvent.Intent(1, 7, "EURUSD", 1, intent, 1.0, "live"));
        l.Apply(JournalEvent.Fill(2, 7, "EURUSD", 1, 10, 100, Direction.Buy, 1.2, 1.0, 1.19, 1.22, 0.0001, "live"));
        // 0.4 lot closed for −30, then 0.6 lot for +90: one winning trade of +60.
        Assert.True(l.Apply(JournalEvent.Close(3, 7, "EURUSD", 10, 101, 1.197, 0.4, -30, ExitReason.Manual)));
        Assert.Equal(0.6, Assert.Single(l.OpenPositions).Volume, 9);
        Assert.Empty(l.SetupStatistics);
        Assert.True(l.Apply(JournalEvent.Close(4, 7, "EURUSD", 10, 102, 1.215, 0.6, 90, ExitReason.TakeProfit)));
        Assert.Empty(l.OpenPositions);
        Assert.Equal(new SetupStats(1, 0, 60, 0), l.SetupStatistics[new SetupKey("EURUSD", 9)]);
    }

    [Fact]
    public void SecondDealIntoTheSamePosition_AveragesTheEntry()
    {
        var l = new AgentLedger(7, "EURUSD");
        l.Apply(JournalEvent.Fill(1, 7, "EURUSD", 0, 10, 100, Direction.Buy, 1.2000, 0.5, 1.19, 1.22, 0.0001, "live"));
        l.Apply(JournalEvent.Fill(2, 7, "EURUSD", 0, 10, 101, Direction.Buy, 1.2010, 1.5, 1.19, 1.22, 0.0001, "live"));
        var p = Assert.Single(l.OpenPositions);
        // (1.2000 × 0.5 + 1.2010 × 1.5) / 2.0 = (0.6 + 1.8015) / 2 = 1.20075
        Assert.Equal((2.0, 1.20075), (p.Volume, Math.Round(p.EntryPrice, 10)));
    }

    [Fact]
    public void RowsOfOtherAgents_AreIgnored_AccountWideRowsAreNot()
    {
        var l = new AgentLedger(7, "EURUSD");
        Assert.False(l.Apply(JournalEvent.Fill(1, 8, "EURUSD", 0, 10, 100, Direction.Buy, 1.2, 1, 1.19, 1.22, 0.0001, "live")));
        Assert.False(l.Apply(JournalEvent.Fill(1, 7, "GBPUSD", 0, 11, 101, Direction.Buy, 1.2, 1, 1.19, 1.22, 0.0001, "live")));
        Assert.True(l.Apply(JournalEvent.Halt(2, "drawdown")));
        Assert.True(l.Apply(JournalEvent.ModeChange(3, 0, null, "paper", "account switched to paper")));
        Assert.Empty(l.OpenPositions);
        Assert.True(l.EngineHalted);
        Assert.Equal("paper", l.Mode);
        Assert.True(l.Apply(JournalEvent.Resume(4, null)));
        Assert.False(l.EngineHalted);
    }
}

public sealed class FillWithoutDealTests
{
    [Fact]
    public void RepeatedFillWithoutDealTicket_DoesNotDoubleTheVolume()
    {
        var l = new AgentLedger(7, "EURUSD");
        var fill = JournalEvent.Fill(1, 7, "EURUSD", 0, 10, 0, Direction.Buy, 1.2, 0.5, 1.19, 1.22, 0.0001, "live");
        Assert.True(l.Apply(fill));
        Assert.False(l.Apply(fill));
        Assert.Equal(0.5, Assert.Single(l.OpenPositions).Volume);
    }
}
