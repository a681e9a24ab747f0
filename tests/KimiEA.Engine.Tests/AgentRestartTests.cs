using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Engine.Events;
using KimiEA.Journal;
using Microsoft.Data.Sqlite;
using Xunit;

namespace KimiEA.Engine.Tests;

/// <summary>
/// Restart and reconciliation through the agent: ambiguous order outcomes are never re-sent, the broker's snapshot
/// decides (broker wins), and a restarted agent comes back from the journal with its positions and the account's
/// breaker state.
/// </summary>
public sealed class AgentRestartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kimi-engine-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static KimiInstruction Open(AgentFixture f)
    {
        f.WarmUp();
        f.Tick(1.0999, 1.1000);
        f.Agent.InjectIntent(AgentFixture.BuyIntent());
        return Assert.Single(f.PollUntilHandedOut());
    }

    private static KimiPosition BrokerPosition(long ticket, long instructionId, double volume) => new()
    {
        Ticket = ticket, Type = 0, Magic = AgentFixture.Magic, TimeMsc = AgentFixture.T0 * 1000, InstructionId = instructionId,
        Volume = volume, PriceOpen = 1.1, Sl = 1.098, Tp = 1.104,
    };

    [Fact]
    public void Ambiguous_timeout_is_never_reissued_and_a_snapshot_with_the_position_adopts_it()
    {
        var f = new AgentFixture();
        var ins = Open(f);
        f.Agent.ReportResult(new KimiOrderResult { InstructionId = ins.Id, Retcode = 10012, TimeMsc = f.NowMsc });

        f.Agent.InjectIntent(AgentFixture.BuyIntent());
        Assert.Empty(f.Poll());
        Assert.Contains(f.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == CodeNames.AwaitingReconciliation);
        f.Agent.GetStatus(out var before);
        Assert.True(before.OpenRisk > 0, "the possibly-filled entry keeps its exposure reserved");

        f.Agent.SyncPositions([BrokerPosition(7001, ins.Id, ins.Volume)], f.NowMsc);

        f.Agent.GetStatus(out var after);
        Assert.Equal(1, after.OpenPositions);
        Assert.Equal(before.OpenRisk, after.OpenRisk, 9);
        Assert.Empty(f.Poll());
    }

    [Fact]
    public void Ambiguous_timeout_without_a_position_at_the_broker_releases_the_exposure()
    {
        var f = new AgentFixture();
        var ins = Open(f);
        f.Agent.ReportResult(new KimiOrderResult { InstructionId = ins.Id, Retcode = 10031, TimeMsc = f.NowMsc });

        f.Agent.SyncPositions([], f.NowMsc);

        f.Agent.GetStatus(out var s);
        Assert.Equal(0, s.OpenPositions);
        Assert.Equal(0, s.OpenRisk, 9);
        Assert.Contains(f.Events(), e => e.Kind == AbiCodes.EvtReconciled && e.Code == (long)ReconcileActionKind.AbandonIntent);
        Assert.Empty(f.Poll()); // abandoned, not re-issued
        Assert.Equal(1, AgentFixture.Instructions(f.Agent.InjectIntent(AgentFixture.BuyIntent()))); // trading resumes after the snapshot
    }

    [Fact]
    public void A_position_closed_while_offline_is_closed_with_reason_RECONCILED()
    {
        var f = new AgentFixture();
        var ins = Open(f);
        f.Fill(ins, 5001, 1.1);
        f.Events();

        f.Agent.SyncPositions([], f.NowMsc);

        var close = Assert.Single(f.Events(), e => e.Kind == AbiCodes.EvtClose);
        Assert.Equal((long)ExitReason.Reconciled, close.Code);
        f.Agent.GetStatus(out var s);
        Assert.Equal(0, s.OpenPositions);
        Assert.Equal(0, s.OpenRisk, 9);
    }

    [Fact]
    public void A_closing_deal_reported_after_reconciliation_still_books_its_result()
    {
        var f = new AgentFixture();
        var ins = Open(f);
        f.Fill(ins, 5001, 1.1);
        f.Agent.SyncPositions([], f.NowMsc); // closed while offline: result unknown for now
        f.Agent.GetStatus(out var before);
        Assert.Equal(0, before.RealizedPnl, 9);

        // The broker's deal for that close arrives afterwards (e.g. after a timeout): +38.60 profit, −3.50 commission.
        f.Deal(9100, 5001, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, AbiCodes.DealReasonTp, ins.Volume, 1.104, 38.6, -3.5);
        f.Agent.GetStatus(out var after);
        Assert.Equal(35.1, after.RealizedPnl, 9);
        Assert.Equal(1, after.TradesClosed); // still one trade, not a second close

        // Reported twice: booked once.
        f.Deal(9100, 5001, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, AbiCodes.DealReasonTp, ins.Volume, 1.104, 38.6, -3.5);
        f.Agent.GetStatus(out var again);
        Assert.Equal(35.1, again.RealizedPnl, 9);
    }

    [Fact]
    public void A_broker_position_unknown_to_the_agent_is_adopted()
    {
        var f = new AgentFixture();
        f.WarmUp();
        f.Agent.SyncPositions([BrokerPosition(8001, 0, 0.3)], f.NowMsc);

        f.Agent.GetStatus(out var s);
        Assert.Equal(1, s.OpenPositions);
        Assert.Contains(f.Events(), e => e.Kind == AbiCodes.EvtReconciled && e.Code == (long)ReconcileActionKind.AdoptedUnknownPosition);
    }

    [Fact]
    public void The_intent_row_is_committed_before_its_instruction_is_handed_out()
    {
        var db = Path.Combine(_dir, "account.db");
        var f = new AgentFixture(journal: db);
        f.WarmUp();
        f.Tick(1.0999, 1.1000);
        f.Agent.InjectIntent(AgentFixture.BuyIntent());

        var ins = Assert.Single(f.PollUntilHandedOut());
        // Another connection (as another process would) must already see the committed intent row.
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM events WHERE kind = $k AND intent_id = $id";
        cmd.Parameters.AddWithValue("$k", (int)JournalEventKind.Intent);
        cmd.Parameters.AddWithValue("$id", ins.Id);
        Assert.Equal(1L, (long)cmd.ExecuteScalar()!);
        f.Agent.Destroy(1);
    }

    [Fact]
    public void A_restarted_agent_restores_its_position_and_the_tripped_breaker_from_the_journal()
    {
        var db = Path.Combine(_dir, "restart.db");
        var first = new AgentFixture(journal: db);
        var ins = Open(first);
        first.Fill(ins, 5001, 1.1);
        first.Tick(1.0980, 1.0981, equity: 9_790); // trips the breaker (−2.1 %)
        first.Agent.GetStatus(out var before);
        Assert.Equal(AbiCodes.BreakerReducingOnly, before.BreakerState);
        first.Agent.Destroy(9); // terminal closed

        // A new process: fresh account-level state, same journal.
        var second = new AgentFixture(journal: db);
        second.Agent.GetStatus(out var restored);
        Assert.True(restored.JournalState == 0, "journal: " + second.Agent.LastError);
        Assert.True(1 == restored.OpenPositions, $"positions {restored.OpenPositions}, events {string.Join(",", second.Events().Select(e => e.Kind + ":" + e.Code))}");
        Assert.Equal(AbiCodes.BreakerReducingOnly, restored.BreakerState);
        Assert.Equal(before.DayStartEquity, restored.DayStartEquity, 9);

        second.Agent.SyncPositions([BrokerPosition(5001, ins.Id, ins.Volume)], first.NowMsc);
        second.Agent.GetStatus(out var synced);
        Assert.Equal(1, synced.OpenPositions);
        second.Agent.Destroy(1);
    }

    [Fact]
    public void A_position_whose_chart_was_removed_still_counts_after_a_terminal_restart_and_once_when_the_chart_returns()
    {
        var db = Path.Combine(_dir, "detached.db");
        var first = new AgentFixture(journal: db);
        var ins = Open(first);
        first.Fill(ins, 5001, 1.1);
        var risk = first.Host.Account.Book!.OpenRisk;
        Assert.True(risk > 0);
        first.Agent.Destroy(1); // the trader removes the chart; the position stays at the broker

        // A new process: another chart of the same account attaches to the same journal.
        var host = new AgentHost();
        var other = new AgentFixture(host, journal: db, configure: b => b.Config.Magic = 777);
        Assert.Equal(1, host.Account.Book!.OpenPositions);
        Assert.Equal(risk, host.Account.Book.OpenRisk, 6);

        // The removed chart comes back (same magic): it restores and adopts its own position, counted once.
        var back = new AgentFixture(host, journal: db);
        back.Agent.SyncPositions([BrokerPosition(5001, ins.Id, ins.Volume)], back.NowMsc);
        Assert.Equal(1, host.Account.Book.OpenPositions);
        Assert.Equal(risk, host.Account.Book.OpenRisk, 6);
        other.Agent.Destroy(1);
        back.Agent.Destroy(1);
    }

    [Fact]
    public void A_breaker_state_an_older_journal_holds_as_a_blob_is_restored()
    {
        var db = Path.Combine(_dir, "blob-breaker.db");
        var day = (AgentFixture.T0 * 1000) / 86_400_000;
        var tripped = new Risk.Account.BreakerState(day, 10_000, Risk.Account.BreakerStatus.Halted, (AgentFixture.T0 * 1000) + 5_000, 9_790);
        using (var j = TradeJournal.Open(db))
        {
            j.Append(JournalEvent.BreakerTransition(AgentFixture.T0 * 1000, AbiCodes.BreakerHalted, Account.BreakerStateCodec.Encode(tripped), 10_000, "Halted"));
            Assert.True(j.Flush());
        }

        var f = new AgentFixture(journal: db);
        f.Agent.GetStatus(out var s);
        Assert.Equal(AbiCodes.BreakerHalted, s.BreakerState);
        Assert.Equal(10_000, s.DayStartEquity, 9);
        f.Agent.Destroy(1);
    }
}
