using KimiEA.Tester.Feed;
using KimiEA.Tester.Server;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Runner;

/// <summary>
/// <c>--broker-state</c> through the runner with a scripted engine: a run that stops at --to leaves its positions at
/// the broker, and the next run on the same file is a terminal restart — it continues after the last recorded
/// moment with the broker's positions, balance and deal history.
/// </summary>
public sealed class BrokerStateRunTests : IDisposable
{
    private static readonly DateTime Stop = new(2014, 5, 6, 12, 0, 0, DateTimeKind.Utc);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kimi-broker-run-");

    public void Dispose() => _dir.Delete(true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private BacktestSettings Settings(DateTime? to = null) => new()
    {
        Data = [new DataInput(RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv"))],
        Model = TickModel.M1Ohlc,
        To = to,
        CacheDirectory = PathOf("cache"),
        JournalPath = PathOf("journal.db"), // the scripted engine writes none: the broker file alone says where to go on
        BrokerStatePath = PathOf("broker.state"),
    };

    // Stops and targets 1 % away: positions stay open for days, so the stop at noon leaves some at the broker.
    private static Terminal.ScriptedEngine Engine() => ScriptedStrategies.Alternating(stopFraction: 0.01, targetFraction: 0.01);

    [Fact]
    public void A_run_stopped_at_To_leaves_its_positions_at_the_broker_and_the_next_run_continues_them()
    {
        var first = BacktestRunner.Run(Settings(Stop), Engine());
        var b1 = first.Run.BrokerState!;
        var state = BrokerJournalFile.Replay(PathOf("broker.state"));
        Assert.False(b1.Resumed);
        Assert.True(state.Positions.Count > 0, "the scripted positions should be open at the stop");
        Assert.Equal(state.Positions.Count, b1.OpenPositionsAtEnd);
        Assert.All(first.Result.Trades, t => Assert.NotEqual("END", t.ExitReason)); // nothing closed by the stop
        Assert.Equal(10_000 + (state.DealsCents / 100.0), b1.BalanceAtEnd, 9);
        Assert.Equal(b1.BalanceAtEnd, first.Result.Statistics.FinalBalance + b1.OpenEntryCommissionAtEnd, 9);

        var engine = Engine();
        var second = BacktestRunner.Run(Settings(), engine);
        var b2 = second.Run.BrokerState!;
        Assert.True(b2.Resumed);
        Assert.Equal(state.Positions.Count, b2.RestoredPositions);
        Assert.Equal(state.LastTimeMsc + 1, b2.ResumedFromMsc); // no journal: the broker's last record decides
        Assert.InRange(engine.TickTimes.Min(), b2.ResumedFromMsc, b2.ResumedFromMsc + 60_000);
        // The terminal's restart: the agent's deal history before the snapshot of its open positions.
        var sync = engine.Calls.FindIndex(c => c.StartsWith("sync ", StringComparison.Ordinal));
        Assert.Equal($"sync {state.Positions.Count}", engine.Calls[sync]);
        Assert.Equal(state.Deals.Count, engine.Calls.Take(sync).Count(c => c.StartsWith("deal ", StringComparison.Ordinal)));
        Assert.Equal(state.Deals.Select(d => d.Ticket), engine.Deals.Take(state.Deals.Count).Select(d => d.DealTicket));
        // Accounting: the run's trades start from the deposit plus the deals no trade of this run reports; at the end
        // the broker's balance is the deposit plus every deal it ever made.
        var all = BrokerJournalFile.Replay(PathOf("broker.state"));
        Assert.Empty(all.Positions);
        Assert.Equal(10_000 + (state.ClosedDealsCents / 100.0), second.Result.Statistics.InitialBalance, 9);
        Assert.Equal(10_000 + (all.DealsCents / 100.0), b2.BalanceAtEnd, 9);
        Assert.Equal(b2.BalanceAtEnd, second.Result.Statistics.FinalBalance, 9);
        // The positions restored at the restart are trades of the second run, with their entry commission.
        Assert.All(state.Positions, p => Assert.Contains(second.Result.Trades, t => t.Ticket == p.Ticket));
        Assert.Equal(all.PositionInstructions.Count, first.Result.Trades.Count + second.Result.Trades.Count);
    }

    [Fact]
    public void A_broker_state_needs_a_journal_and_the_same_account()
    {
        var e = Assert.Throws<ArgumentException>(() => BacktestRunner.Prepare(Settings() with { JournalPath = null }));
        Assert.Contains("--broker-state needs --journal", e.Message, StringComparison.Ordinal);

        BacktestRunner.Run(Settings(Stop), Engine());
        var other = Assert.Throws<ArgumentException>(() => BacktestRunner.Run(Settings() with { Balance = 20_000 }, Engine()));
        Assert.Contains("belongs to another account (EURUSD, deposit 10000.00 USD, hedging)", other.Message, StringComparison.Ordinal);
        Assert.Contains("deposit 20000.00", other.Message, StringComparison.Ordinal);
        // The cents of the file are dollars: a restart on a EUR account is another account.
        var euro = Assert.Throws<ArgumentException>(() => BacktestRunner.Run(Settings() with { Currency = "EUR" }, Engine()));
        Assert.Contains("deposit 10000.00 EUR", euro.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_broker_state_is_named_with_its_line()
    {
        File.WriteAllText(PathOf("broker.state"), "A,1,1000000,1,EURUSD\nC\nD,1,2\nC\n");
        var e = Assert.Throws<InvalidDataException>(() => BacktestRunner.Run(Settings(), Engine()));
        Assert.Contains("broker.state, line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_stopped_and_resumed_makes_the_deals_of_the_uninterrupted_run()
    {
        // The scripted strategy decides from the bar's time alone, so only the broker can make the two differ: the
        // resumed run's fills (slippage 0–2 points, seeded) must continue where the stopped run's ended.
        var uninterrupted = Settings() with { BrokerStatePath = PathOf("whole.state"), JournalPath = PathOf("whole.db") };
        BacktestRunner.Run(uninterrupted, Engine());
        BacktestRunner.Run(Settings(Stop), Engine());
        BacktestRunner.Run(Settings(), Engine());
        var whole = BrokerJournalFile.Replay(PathOf("whole.state"));
        var resumed = BrokerJournalFile.Replay(PathOf("broker.state"));
        static string Text(ServerDeal d) => FormattableString.Invariant(
            $"{d.Ticket} {d.Order} {d.PositionTicket} {d.TimeMsc} {d.Entry} {d.Type} {d.Reason} {d.Volume} {d.Price} {d.ProfitCents} {d.CommissionCents}");
        Assert.True(whole.Deals.Count >= 10, $"{whole.Deals.Count} deals: the comparison needs trades on both sides of the stop");
        Assert.Contains(whole.Deals, d => d.TimeMsc > new DateTimeOffset(Stop).ToUnixTimeMilliseconds());
        Assert.Equal(whole.Deals.Select(Text), resumed.Deals.Select(Text));
        Assert.Equal(whole.DealsCents, resumed.DealsCents);
    }

    [Fact]
    public void A_broker_state_that_is_not_one_is_refused_and_left_untouched()
    {
        File.WriteAllText(PathOf("broker.state"), "important notes, not a broker state\n");
        var before = File.ReadAllBytes(PathOf("broker.state"));
        var e = Assert.Throws<InvalidDataException>(() => BacktestRunner.Run(Settings(), Engine()));
        Assert.StartsWith($"{PathOf("broker.state")}, line 1: not a broker state file", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(PathOf("broker.state")));
    }

    [Fact]
    public void A_torn_tail_is_cut_only_after_the_run_says_what_it_cuts()
    {
        BacktestRunner.Run(Settings(Stop), Engine());
        var complete = new FileInfo(PathOf("broker.state")).Length;
        File.AppendAllText(PathOf("broker.state"), "X,5\nD,77,7"); // a request the kill interrupted: 4 + 6 bytes, two lines
        var notices = new List<string>();
        BacktestRunner.Run(Settings(), Engine(), notice: notices.Add);
        var cut = Assert.Single(notices, n => n.Contains("cutting", StringComparison.Ordinal));
        Assert.Equal($"broker state {PathOf("broker.state")}: cutting the last 10 bytes (2 lines after the last complete request: a write the previous run did not finish, never applied)", cut);
        Assert.True(notices.IndexOf(cut) < notices.FindIndex(n => n.StartsWith("resumed from", StringComparison.Ordinal)), "said before the run goes on");
        var text = File.ReadAllText(PathOf("broker.state"));
        Assert.DoesNotContain("D,77,7", text, StringComparison.Ordinal);
        Assert.True(new FileInfo(PathOf("broker.state")).Length > complete, "the resumed run appended after the cut");
    }
}
