using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Server;
using KimiEA.Tester.Terminal;
using Xunit;

namespace KimiEA.Tester.Tests.Terminal;

/// <summary>
/// The terminal against a scripted engine over hand-made M1 bars (EURUSD, fixed spread 10 points = 0.00010,
/// commission 7 USD per lot round turn, M1 chart).
/// </summary>
public sealed class SimulatedTerminalTests
{
    private static readonly TesterSymbol EurUsd = SymbolTable.Get("EURUSD");

    private static MqlRates Bar(long minute, double o, double h, double l, double c) => new(minute * 60, o, h, l, c, 10, 11);

    private static (BacktestResult Result, ScriptedEngine Engine) Run(MqlRates[] bars, TickModel model, Dictionary<long, KimiInstruction[]> script, bool optimizationPass = false)
    {
        var engine = new ScriptedEngine();
        foreach (var kv in script)
        {
            engine.OnBarScript[kv.Key] = kv.Value;
        }

        var server = new TradeServer(new AccountSettings(), [EurUsd], new ExecutionSettings { CommissionPerLot = 7 });
        using var feed = new SymbolFeed(EurUsd, model, null, bars, fixedSpreadPoints: 10);
        var terminal = new SimulatedTerminal(engine, server, [feed], new TerminalOptions { TimeframeSeconds = 60, OptimizationPass = optimizationPass });
        return (terminal.Run(), engine);
    }

    private static KimiInstruction Buy(double sl, double tp) => new()
    {
        Kind = AbiCodes.InstrOpen,
        Direction = AbiCodes.Buy,
        Volume = 0.10,
        Sl = sl,
        Tp = tp,
    };

    [Fact]
    public void BuyOnAClosedBar_FillsAtTheNextOpenAsk_AndTakesProfitOnTheGeneratedPath()
    {
        MqlRates[] bars =
        [
            Bar(0, 1.10000, 1.10020, 1.09990, 1.10010),
            Bar(1, 1.10010, 1.10030, 1.10000, 1.10020),
            Bar(2, 1.10020, 1.10250, 1.10010, 1.10200),
            Bar(3, 1.10200, 1.10210, 1.10150, 1.10160),
        ];
        var (r, engine) = Run(bars, TickModel.M1Ohlc, new() { [0] = [Buy(1.09900, 1.10200)] });

        // Bar 0 closes at bar 1's open tick (60 s): bid 1.10010, ask 1.10020 — the fill.
        var open = Assert.Single(engine.Results);
        Assert.Equal(TradeRetcode.Done, open.Retcode);
        Assert.Equal(1.10020, open.Price, 10);
        Assert.Equal(60_000, open.TimeMsc);
        // Bar 2 rises through 1.10200 on its path (O→L→H→C): filled at the level.
        var t = Assert.Single(r.Trades);
        Assert.Equal("TP", t.ExitReason);
        Assert.Equal(1.10200, t.ExitPrice, 10);
        // (1.10200 − 1.10020) = 180 points × 0.1 lot = 18.00 USD, commission 7 × 0.1 = 0.70.
        Assert.Equal(1_730, t.PnlCents);
        Assert.Equal(10_017.30, r.Statistics.FinalBalance, 10);
        // Both deals reach the engine: the fill (entry in, reason expert) and the server-side TP (entry out, reason TP).
        Assert.Equal([(AbiCodes.DealEntryIn, AbiCodes.DealReasonExpert), (AbiCodes.DealEntryOut, AbiCodes.DealReasonTp)],
            engine.Deals.Select(d => ((int)d.Entry, (int)d.Reason)).ToArray());
    }

    [Fact]
    public void CallSequence_FollowsTheHeader()
    {
        MqlRates[] bars =
        [
            Bar(0, 1.10000, 1.10020, 1.09990, 1.10010),
            Bar(1, 1.10010, 1.10030, 1.10000, 1.10020),
            Bar(2, 1.10020, 1.10250, 1.10010, 1.10200),
        ];
        var (_, engine) = Run(bars, TickModel.M1Ohlc, new() { [0] = [Buy(1.09900, 1.10200)] });
        var c = engine.Calls;
        Assert.StartsWith("create EURUSD", c[0], StringComparison.Ordinal);
        Assert.Contains("mode=1", c[0], StringComparison.Ordinal); // paper mode: orders on the demo account
        Assert.Contains("clock=0/0", c[0], StringComparison.Ordinal); // the simulated server keeps UTC time (KIMI_TZ_FIXED, offset 0), not the EA's New York close default
        // No closed bar before the first price: no kimi_warmup (as the EA, which calls it only with bars); the sync
        // returns pending word 0: nothing is polled, and a flat, idle agent gets no timer call, only ticks.
        Assert.Equal(["sync 0", "tick", "tick"], c.Skip(1).Take(3));
        Assert.Equal("destroy", c[^1]);
        Assert.Single(c, x => x == "destroy");
        // At bar 1's open: the tick with nothing pending (no further call), then the new bar (spec before bar) whose
        // pending word counts one instruction: poll until 0 with the instruction answered once, then the events and
        // log lines it left until empty, then the fill's deal (pending: the TIMER bit only, so no drain). The agent
        // now owns a position: the next price starts with a timer call. After the closed bar's drain and deals, the zones
        // (kimi_get_zones with the EA's default capacity, 40), as the EA redraws them.
        var i = c.IndexOf("bar 0");
        Assert.Equal(["tick", "spec", "bar 0", "poll 1", "result 1 10009", "poll 0", "events 1", "log 1", "log 0", "deal 0 3", "zones 40", "timer", "tick"],
            c.Skip(i - 2).Take(13));
        // exactly one kimi_get_zones per closed bar, each after that bar's kimi_on_bar and before the next one
        var barsAndZones = c.Where(x => x.StartsWith("bar ", StringComparison.Ordinal) || x.StartsWith("zones ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["bar 0", "zones 40", "bar 60", "zones 40"], barsAndZones);
        // Nothing pending means no poll at all: every poll follows a handler whose pending word asked for it.
        Assert.Equal(2, c.Count(x => x.StartsWith("poll", StringComparison.Ordinal)));
        // The engine only ever sees closed bars: each bar handed over opened a full period before the tick that carried it.
        Assert.All(engine.BarsSeen, b => Assert.Contains(engine.TickTimes, t => t >= (b.Time + 60) * 1000));
        Assert.Equal([0L, 60L], engine.BarsSeen.Select(b => b.Time));
        // A timer per simulated second with ticks while the position is open: it opens at bar 1's first price (60 s);
        // bar 1's other prices (80, 100, 119 s) and bar 2's open and low (120, 140 s) come with a timer; the TP at bar 2's
        // high (160 s) arrives as a deal before that price's timer and leaves the agent flat: no timer after it.
        Assert.Equal(5, c.Count(x => x == "timer"));
    }

    [Fact]
    public void An_optimisation_pass_fetches_no_zones_and_trades_the_same()
    {
        // the EA draws nothing under MQL_OPTIMIZATION: no kimi_get_zones, and nothing else changes
        MqlRates[] bars =
        [
            Bar(0, 1.10000, 1.10020, 1.09990, 1.10010),
            Bar(1, 1.10010, 1.10030, 1.10000, 1.10020),
            Bar(2, 1.10020, 1.10250, 1.10010, 1.10200),
        ];
        var (single, withZones) = Run(bars, TickModel.M1Ohlc, new() { [0] = [Buy(1.09900, 1.10200)] });
        var (pass, withoutZones) = Run(bars, TickModel.M1Ohlc, new() { [0] = [Buy(1.09900, 1.10200)] }, optimizationPass: true);
        Assert.Equal(2, single.Counters.ZoneCalls);
        Assert.Equal(0, pass.Counters.ZoneCalls);
        Assert.DoesNotContain(withoutZones.Calls, x => x.StartsWith("zones", StringComparison.Ordinal));
        Assert.Equal(withZones.Calls.Where(x => !x.StartsWith("zones", StringComparison.Ordinal)), withoutZones.Calls);
        Assert.Equal(single.Statistics.FinalBalance, pass.Statistics.FinalBalance);
    }

    [Fact]
    public void SameBarAmbiguity_StopFirst_IsAppliedAndCounted()
    {
        MqlRates[] bars =
        [
            Bar(0, 1.10000, 1.10020, 1.09990, 1.10010),
            Bar(1, 1.10010, 1.10030, 1.10000, 1.10020),
            // Bearish (O→H→L→C): the path would reach the TP first, but SL and TP are both inside the bar.
            Bar(2, 1.10020, 1.10250, 1.09850, 1.09900),
        ];
        var (r, _) = Run(bars, TickModel.M1Ohlc, new() { [0] = [Buy(1.09900, 1.10200)] });
        var t = Assert.Single(r.Trades);
        Assert.Equal("SL", t.ExitReason);
        // (1.09900 − 1.10020) = −120 points × 0.1 = −12.00, commission −0.70.
        Assert.Equal(-1_270, t.PnlCents);
        Assert.Equal(1, r.Counters.AmbiguousExits);
    }

    [Fact]
    public void OpenPricesModel_ShowsOneTickPerBar_ButTheServerSeesEveryPathTick()
    {
        MqlRates[] bars =
        [
            Bar(0, 1.10000, 1.10020, 1.09990, 1.10010),
            Bar(1, 1.10010, 1.10030, 1.10000, 1.10020),
            Bar(2, 1.10020, 1.10250, 1.10010, 1.10200),
            Bar(3, 1.10200, 1.10210, 1.10150, 1.10160),
        ];
        var (r, engine) = Run(bars, TickModel.Open, new() { [0] = [Buy(1.09900, 1.10200)] });
        Assert.Equal(4, r.Counters.EngineTicks);
        Assert.Equal(16, r.Counters.Ticks);
        Assert.Equal([0L, 60_000L, 120_000L, 180_000L], engine.TickTimes);
        // The TP inside bar 2 is still taken on the hidden path, at the level.
        Assert.Equal(1.10200, Assert.Single(r.Trades).ExitPrice, 10);
    }

    [Fact]
    public void OpenPositionsAtTheEnd_AreClosedAndTheIdentityHolds()
    {
        MqlRates[] bars =
        [
            Bar(0, 1.10000, 1.10020, 1.09990, 1.10010),
            Bar(1, 1.10010, 1.10030, 1.10000, 1.10020),
            Bar(2, 1.10020, 1.10060, 1.10010, 1.10050),
        ];
        var (r, engine) = Run(bars, TickModel.M1Ohlc, new() { [0] = [Buy(1.09900, 1.10200)] });
        var t = Assert.Single(r.Trades);
        Assert.Equal("END", t.ExitReason);
        // Last price: bar 2's close 1.10050: (1.10050 − 1.10020) = 30 points × 0.1 = 3.00, commission −0.70.
        Assert.Equal(230, t.PnlCents);
        Assert.Equal(r.Statistics.InitialBalance + r.Trades.Sum(x => x.Pnl), r.Statistics.FinalBalance, 9);
        // The closing deal is delivered (pending 0: no drain), OnDeinit drains the last events, then destroy.
        Assert.Equal(["deal 1 3", "events 0", "log 0", "destroy"], engine.Calls.TakeLast(4));
    }

    [Fact]
    public void RealTicksMode_WithoutTicks_IsABadArgument()
    {
        var e = Assert.Throws<ArgumentException>(() => new SymbolFeed(EurUsd, TickModel.Ticks, null, [Bar(0, 1, 1, 1, 1)]));
        Assert.Contains("tick data", e.Message, StringComparison.Ordinal);
    }
}
