using FsCheck;
using FsCheck.Fluent;
using KimiEA.Core.Trading;
using KimiEA.Risk.Account;
using KimiEA.Risk.Gate;
using Xunit;

namespace KimiEA.Risk.Tests;

public class ConcurrencyTests
{
    private const int Threads = 12;

    /// <summary>
    /// Many agents (12 threads, 4 symbols) decide, hold and release concurrently; a watcher samples the book. The
    /// total open risk and the number of positions may never exceed the limits, and everything released returns
    /// the book to zero.
    /// </summary>
    private static bool RunStress(double maxOpenRisk, int maxPositions, int seed, int decisionsPerThread)
    {
        var config = new GateConfig
        {
            Mode = TradingMode.Paper, MaxOpenRisk = maxOpenRisk, MaxPositionsTotal = maxPositions,
            MaxPositions = maxPositions, MaxOrdersPerMinute = 256, MaxLeverage = 1_000,
        };
        var book = GateFixture.Book(config);
        string[] names = ["EURUSD", "GBPUSD", "AUDUSD", "NZDUSD"];
        var ids = names.Select(book.RegisterSymbol).ToArray();
        const double equity = 10_000;
        var limit = equity * maxOpenRisk;
        long clock = GateFixture.T0;
        var approvals = 0;
        var violations = 0;
        using var start = new Barrier(Threads + 1);
        var done = 0;

        var watcher = new Thread(() =>
        {
            start.SignalAndWait();
            while (Volatile.Read(ref done) < Threads)
            {
                if (book.OpenRisk > limit * (1 + 1e-9) || book.OpenPositions > maxPositions)
                {
                    Interlocked.Increment(ref violations);
                }
            }
        });
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var rng = new Random(seed * 31 + t);
            var held = new List<Reservation>();
            start.SignalAndWait();
            for (var i = 0; i < decisionsPerThread; i++)
            {
                // stops of 10–60 pips: risk 100 USD per trade at most, smaller when 1 % rounds down
                var stop = 1.08000 - (rng.Next(100, 600) * 0.00001);
                var intent = GateFixture.BuyEurUsd with { StopLoss = stop, TakeProfit = 1.08000 + (2 * (1.08000 - stop)) };
                var now = Interlocked.Add(ref clock, 1_000); // 1 order per second at most → never rate limited
                var sym = ids[rng.Next(ids.Length)];
                var d = PreTradeGate.Decide(intent, GateFixture.Market(now), Specs.EurUsd, Specs.Demo(equity), sym, GateFixture.OwnerFor(book, sym), config.Policy, book);
                if (d.IsApproved)
                {
                    Interlocked.Increment(ref approvals);
                    held.Add(d.Reservation);
                    if (book.OpenRisk > limit * (1 + 1e-9))
                    {
                        Interlocked.Increment(ref violations);
                    }
                }
                else if (d.Reason is not (DenyReason.OpenRiskLimit or DenyReason.MaxPositionsTotal or DenyReason.MaxPositionsOfChart))
                {
                    Interlocked.Increment(ref violations); // nothing else may refuse in this setup
                }

                if (held.Count > 0 && rng.Next(3) == 0)
                {
                    var k = rng.Next(held.Count);
                    if (!book.Release(held[k]))
                    {
                        Interlocked.Increment(ref violations);
                    }

                    held.RemoveAt(k);
                }
            }

            foreach (var r in held)
            {
                book.Release(r);
            }

            Interlocked.Increment(ref done);
        })).ToArray();

        watcher.Start();
        foreach (var w in workers) w.Start();
        foreach (var w in workers) w.Join();
        watcher.Join();

        return violations == 0 && approvals > 0 && book.OpenPositions == 0 && book.OpenRisk == 0;
    }

    [Fact]
    public void Twelve_agents_never_exceed_the_open_risk_limit()
    {
        // 5 % of 10 000 = 500 USD; each trade risks up to 100 → at most ~5 open at any time across 12 threads
        Assert.True(RunStress(maxOpenRisk: 0.05, maxPositions: 256, seed: 1, decisionsPerThread: 5_000));
    }

    [Fact]
    public void Exposure_limits_hold_for_any_limits_property()
    {
        // open-risk limits of 1–10 % (each trade risks up to 1 %, so at least one always fits), 1–20 positions
        var arb = Gen.Three(Gen.Choose(10, 100)).Select(t => (Risk: t.Item1 / 1000.0, Positions: (t.Item2 % 20) + 1, Seed: t.Item3)).ToArbitrary();
        Prop.ForAll(arb, p => RunStress(p.Risk, p.Positions, p.Seed, 400))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }

    /// <summary>
    /// The rate limiter against a naive model: an order at t is allowed iff fewer than N allowed orders lie in
    /// (t − 60 s, t]. Times only move forward (one thread).
    /// </summary>
    [Fact]
    public void Rate_limiter_matches_a_sliding_window_model_property()
    {
        var arb = Gen.Zip(Gen.Choose(1, 6), Gen.ListOf(Gen.Choose(0, 40_000))).ToArbitrary();
        Prop.ForAll(arb, input =>
        {
            var (max, steps) = input;
            var book = GateFixture.Book(GateFixture.Paper with { MaxOrdersPerMinute = max });
            var eur = book.RegisterSymbol("EURUSD");
            var allowed = new List<long>();
            var now = GateFixture.T0;
            foreach (var dt in steps)
            {
                now += dt;
                var d = GateFixture.Decide(book, eur, GateFixture.BuyEurUsd, now);
                var t = now;
                var expected = allowed.Count(a => a > t - 60_000) < max;
                if (d.IsApproved != expected || (!d.IsApproved && d.Reason != DenyReason.RateLimited))
                {
                    return false;
                }

                if (d.IsApproved)
                {
                    allowed.Add(now);
                    book.Release(d.Reservation);
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }
}
