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
    public void Swaps_AreJournaled_AndARestartChargesEachRolloverOnce()
    {
        // EURUSD on USD with −2.00 USD per lot and day (deposit currency). 2024-01-09 is a Tuesday.
        var t0 = new DateTimeOffset(2024, 1, 9, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        const long hour = 3_600_000;
        var symbol = SymbolTable.Get("EURUSD") with { SwapMode = SwapMode.CurrencyDeposit, SwapLong = -2 };
        TradeServer Make(IBrokerJournal? j) => new(new AccountSettings(), [symbol], new ExecutionSettings(), j);
        long ticket;
        using (var journal = new BrokerJournalFile(_path))
        {
            journal.WriteAccount(new BrokerAccount(1_000_000, true, ["EURUSD"]));
            var s = Make(journal);
            s.SetPrice(0, t0, 1.10000, 1.10000, false);
            ticket = s.MarketOrder(0, 1, 1, 0, 0, 7, 1).Position;
            // Tuesday's end: −2.00 on the position, journaled with the rollover record.
            s.SetPrice(0, t0 + (15 * hour), 1.10000, 1.10000, false);
            Assert.Equal(-200, s.Positions[0].SwapCents);
        }

        var state = BrokerJournalFile.Replay(_path);
        Assert.Equal(-200, state.Positions.Single().SwapCents);
        Assert.Equal(t0 + (14 * hour), state.LastRolloverMsc);
        var restarted = TradeServer.Resume(new AccountSettings(), [symbol], new ExecutionSettings(), state);
        // The same server day again: nothing more. Wednesday's end (triple): −6.00 more.
        restarted.SetPrice(0, t0 + (16 * hour), 1.10000, 1.10000, false);
        Assert.Equal(-200, restarted.Positions[0].SwapCents);
        restarted.SetPrice(0, t0 + (39 * hour), 1.10000, 1.10000, false);
        Assert.Equal(-800, restarted.Positions[0].SwapCents);
        restarted.Close(0, ticket, "MANUAL");
        Assert.Equal(-800, restarted.Trades.Single().SwapCents);
        Assert.Equal(1_000_000 - 800, restarted.BalanceCents);
    }

    [Fact]
    public void Replay_RestoresBalancePositionsAndTickets()
    {
        long open;
        long balance;
        using (var journal = new BrokerJournalFile(_path))
        {
            journal.WriteAccount(new BrokerAccount(1_000_000, true, ["EURUSD"]));
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
        File.WriteAllText(_path, "A,1,1000000,1,EURUSD\nX,1\nQ,2\nX,3\n");
        var e = Assert.Throws<InvalidDataException>(() => BrokerJournalFile.Replay(_path));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }
    /// <summary>The scenario of <see cref="Replay_RestoresBalancePositionsAndTickets"/>: a closed by its SL, b open; returns b's ticket.</summary>
    private long TradeOneOfTwo()
    {
        using var journal = new BrokerJournalFile(_path);
        journal.WriteAccount(new BrokerAccount(1_000_000, true, ["EURUSD"]));
        var s = NewServer(journal);
        s.SetPrice(0, 1_000, 1.10000, 1.10010, false);
        s.MarketOrder(0, 1, 0.10, 1.09900, 1.10200, 7, 1);
        var b = s.MarketOrder(0, -1, 0.20, 1.10300, 1.09800, 7, 2);
        s.SetPrice(0, 2_000, 1.09880, 1.09890, false);
        return b.Position;
    }

    [Fact]
    public void A_request_is_restored_whole_or_not_at_all_and_reopening_cuts_the_incomplete_one()
    {
        var open = TradeOneOfTwo();
        var complete = new FileInfo(_path).Length;
        // The crash came while b's closing request was written: its deal and removal lines, without the commit line.
        File.AppendAllText(_path, $"D,9,9,{open},0,3000,1,0,5,7,0.2,1.098,2000,-70\nX,{open}\n");
        var state = BrokerJournalFile.Replay(_path);
        Assert.Equal(open, Assert.Single(state.Positions).Ticket);
        Assert.Equal(3, state.Deals.Count); // a in, a out (SL), b in: not the uncommitted close
        Assert.Equal(-1_440, state.DealsCents);

        Assert.Equal((complete, 2), (state.CompleteLength, state.TornTailLines));
        using (var reopened = new BrokerJournalFile(_path, state))
        {
            Assert.Equal(complete, new FileInfo(_path).Length); // the incomplete request is gone before anything is appended
            var s = TradeServer.Resume(new AccountSettings(), [SymbolTable.Get("EURUSD")], new ExecutionSettings { CommissionPerLot = 7 }, state, reopened);
            s.SetPrice(0, 4_000, 1.09700, 1.09710, false); // b's TP (ask 1.09710 ≤ 1.09800): a gap, filled at the ask
        }

        var after = BrokerJournalFile.Replay(_path);
        Assert.Empty(after.Positions);
        Assert.Equal(4, after.Deals.Count);
        // b: (1.10000 − 1.09710) × 0.2 lot × 100,000 = +58.00 profit, −0.70 exit commission.
        Assert.Equal(-1_440 + 5_800 - 70, after.DealsCents);
    }

    [Fact]
    public void The_account_record_times_and_the_instruction_of_every_position_come_back()
    {
        var open = TradeOneOfTwo();
        var state = BrokerJournalFile.Replay(_path);
        Assert.False(state.IsEmpty);
        Assert.Equal(new BrokerAccount(1_000_000, true, ["EURUSD"]).ToString(), state.Account!.ToString());
        Assert.Equal(["EURUSD"], state.Account.Symbols);
        Assert.Equal(2_000, state.LastTimeMsc); // a's stop-loss deal is the latest record
        Assert.Equal(2, state.PositionInstructions.Count);
        Assert.Equal(2, state.PositionInstructions[open]);
        Assert.Equal(1, state.PositionInstructions.Single(kv => kv.Key != open).Value);
    }

    [Fact]
    public void A_file_without_a_complete_request_is_empty()
    {
        File.WriteAllText(_path, "A,1,1000000,1,EURUSD\nD,1,1");
        Assert.True(BrokerJournalFile.Replay(_path).IsEmpty);
        File.WriteAllText(_path, string.Empty);
        Assert.True(BrokerJournalFile.Replay(_path).IsEmpty);
    }

    [Fact]
    public void Resume_starts_the_runs_accounting_from_the_balance_its_trades_did_not_make()
    {
        TradeOneOfTwo();
        var state = BrokerJournalFile.Replay(_path);
        var s = TradeServer.Resume(new AccountSettings(), [SymbolTable.Get("EURUSD")], new ExecutionSettings { CommissionPerLot = 7 }, state);
        // Deals −14.40 in all, of which b's −0.70 entry commission belongs to b's future trade: the run's trades start
        // from 10,000 − 13.70; the broker's balance is the deposit plus every deal.
        Assert.Equal(10_000, s.Deposit);
        Assert.Equal(9_986.30, s.Account.InitialBalance, 9);
        Assert.Equal(1_000_000 - 1_440, s.BalanceCents);
        Assert.Equal(-70, s.OpenEntryCommissionCents);
        // Before the market's first price the restored position is worth nothing more or less than its entry.
        Assert.Equal(s.Balance, s.Equity, 9);
        Assert.Equal(0, s.FloatingProfit(s.Positions[0]));
        s.SetPrice(0, 3_000, 1.09900, 1.09910, false);
        Assert.Equal((1.10000 - 1.09910) * 0.2 * 100_000, s.FloatingProfit(s.Positions[0]), 6); // a sell is valued at the ask
        s.CloseAll("END");
        Assert.Equal((long)Math.Round(s.Account.InitialBalance * 100) + s.Trades.Sum(t => t.PnlCents), s.BalanceCents);
    }

    [Fact]
    public void Resume_refuses_a_state_that_leaves_nothing_to_trade()
    {
        TradeOneOfTwo();
        var state = BrokerJournalFile.Replay(_path);
        var e = Assert.Throws<InvalidOperationException>(() =>
            TradeServer.Resume(new AccountSettings { InitialBalance = 10 }, [SymbolTable.Get("EURUSD")], new ExecutionSettings { CommissionPerLot = 7 }, state));
        Assert.Contains("nothing left", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my trading notes\nsecond line\n")]
    [InlineData("C\n")] // a commit line first: not written by kimi either
    [InlineData("time_utc,open,high,low,close\n2014-05-01T00:00:00Z,1,1,1,1\n")]
    [InlineData("X")] // no newline at all: a one-line file that is not the start of an account record
    public void A_file_that_is_not_a_broker_state_is_refused_and_left_byte_for_byte(string content)
    {
        File.WriteAllText(_path, content);
        var before = File.ReadAllBytes(_path);
        var e = Assert.Throws<InvalidDataException>(() => BrokerJournalFile.Replay(_path));
        Assert.StartsWith($"{_path}, line 1: not a broker state file", e.Message, StringComparison.Ordinal);
        Assert.Contains("left untouched", e.Message, StringComparison.Ordinal);
        // Writing a new state there is refused too: nothing but a missing or empty file becomes a new broker state.
        Assert.Throws<IOException>(() => new BrokerJournalFile(_path));
        Assert.Equal(before, File.ReadAllBytes(_path));
    }

    [Fact]
    public void Zero_bytes_after_the_last_request_are_refused_not_cut()
    {
        TradeOneOfTwo();
        var before = File.ReadAllBytes(_path);
        KimiEA.Testing.SpecialFiles.AppendZeros(_path, 2L << 30);
        var lines = before.Count(b => b == (byte)'\n');
        var e = Assert.Throws<InvalidDataException>(() => BrokerJournalFile.Replay(_path));
        Assert.Equal($"{_path}, line {lines + 1}: not a broker state file: it holds zero bytes. The file was left untouched; pass a new file or the one a previous run wrote.", e.Message);
        Assert.Equal(before.Length + (2L << 30), new FileInfo(_path).Length);
    }

    [Fact]
    public void A_torn_tail_is_measured_and_only_the_replayed_state_may_cut_it()
    {
        TradeOneOfTwo();
        var complete = new FileInfo(_path).Length;
        File.AppendAllText(_path, "D,9,9,2,0,3000,1,0,5,7,0.2,1.098,2000,-70\nX,2\nD,10");
        var state = BrokerJournalFile.Replay(_path);
        // "D,9,…\n" 42 bytes + "X,2\n" 4 + "D,10" 4 (the line the write stopped in).
        Assert.Equal((complete, 50L, 3), (state.CompleteLength, state.TornTailBytes, state.TornTailLines));
        File.AppendAllText(_path, "0");
        var e = Assert.Throws<IOException>(() => new BrokerJournalFile(_path, state));
        Assert.Contains("not the " + (complete + 50) + " bytes it was read with", e.Message, StringComparison.Ordinal);
        Assert.Equal(complete + 51, new FileInfo(_path).Length);
    }

    [Fact]
    public void A_resumed_server_fills_every_order_as_the_uninterrupted_one()
    {
        // Orders alternate buy and sell at one price: each fill differs from the quote by its slippage alone.
        var execution = new ExecutionSettings { Seed = 42, MaxSlippagePoints = 10, CommissionPerLot = 7 };
        var symbols = new[] { SymbolTable.Get("EURUSD") };
        static double[] Trade(TradeServer s, int from, int to)
        {
            var fills = new List<double>();
            for (var i = from; i < to; i++)
            {
                s.SetPrice(0, 1_000 + i, 1.10000, 1.10010, false);
                var r = s.MarketOrder(0, i % 2 == 0 ? 1 : -1, 0.01, 0, 0, 7, i + 1);
                Assert.Equal(TradeRetcode.Done, r.Retcode);
                fills.Add(r.Price);
            }

            return [.. fills];
        }

        var uninterrupted = Trade(new TradeServer(new AccountSettings(), symbols, execution), 0, 200);
        double[] before;
        using (var journal = new BrokerJournalFile(_path))
        {
            journal.WriteAccount(new BrokerAccount(1_000_000, true, ["EURUSD"]));
            before = Trade(new TradeServer(new AccountSettings(), symbols, execution, journal), 0, 77);
        }

        var state = BrokerJournalFile.Replay(_path);
        using var reopened = new BrokerJournalFile(_path, state);
        var after = Trade(TradeServer.Resume(new AccountSettings(), symbols, execution, state, reopened), 77, 200);
        Assert.Equal(uninterrupted, before.Concat(after).ToArray());
        // The slippage is adverse and within 0..10 points, and the seed's draws use the whole range.
        var points = uninterrupted.Select((p, i) => (int)Math.Round(i % 2 == 0 ? (p - 1.10010) / 0.00001 : (1.10000 - p) / 0.00001)).ToArray();
        Assert.All(points, x => Assert.InRange(x, 0, 10));
        Assert.Equal(11, points.Distinct().Count());
    }
}
