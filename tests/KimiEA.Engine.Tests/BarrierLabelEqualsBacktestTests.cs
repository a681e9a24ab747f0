using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Engine.Agents;
using KimiEA.Engine.Events;
using KimiEA.Smc.Signal;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Server;
using KimiEA.Tester.Terminal;
using Xunit;

namespace KimiEA.Engine.Tests;

/// <summary>
/// Issue 11, "one barrier rule": the calibration label of an intent (<see cref="BarrierTracker"/>) equals what the
/// backtester does with the same intent on the same bars under the same same-bar rule — the simulated terminal and
/// trade server of <c>kimi backtest</c> (opening tick, same-bar resolution, generated path ticks, server-side SL/TP)
/// driving the real managed engine (its vertical barrier). The chart is M1, so the label's bars are the tester's
/// bars; EURUSD with a fixed 10-point spread (0.00010), which the label is given too.
/// Each case also states its outcome, exit bar and exit price worked out by hand from the bars.
/// </summary>
public sealed class BarrierLabelEqualsBacktestTests
{
    private const int SignalBar = 42; // bars 0..39 warm the engine up; 40..42 are live and quiet; the entry fills at bar 43's open
    private const double Spread = 0.00010;
    private static readonly long T0 = new DateTimeOffset(2014, 5, 7, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    private static readonly TesterSymbol EurUsd = SymbolTable.Get("EURUSD");

    private static MqlRates Quiet(int i) => Bar(i, 1.1000, 1.1005, 1.0995, 1.1000 + (i % 2 == 0 ? 0.0002 : -0.0002));

    private static MqlRates Bar(int i, double o, double h, double l, double c) => new(T0 + (60L * i), o, h, l, c, 100, 10, 0);

    private static TradeIntent Buy(int maxBars = 10) => new()
    {
        Direction = Direction.Buy, Entry = 1.1000, StopLoss = 1.0980, TakeProfit = 1.1040, MaxHoldingBars = maxBars,
        HitProbability = 0.6, HitEvidence = 1_000, SetupId = 1, SignalBarTime = T0 + (60L * SignalBar),
    };

    private static TradeIntent Sell(int maxBars = 10) => Buy(maxBars) with { Direction = Direction.Sell, StopLoss = 1.1020, TakeProfit = 1.0950 };

    public static TheoryData<string, SameBarRule, string, int, double> Cases => new()
    {
        // name, rule, outcome, exit bar, exit price (closing side: bid for a buy, ask for a sell)
        { "buy-target", SameBarRule.StopFirst, "TP", 44, 1.1040 },
        { "buy-both-in-one-bar", SameBarRule.StopFirst, "SL", 44, 1.0980 },
        { "buy-both-in-one-bar", SameBarRule.TargetFirst, "TP", 44, 1.1040 },
        { "buy-gap-through-stop", SameBarRule.TargetFirst, "SL", 45, 1.0970 },
        { "sell-stop-by-the-spread", SameBarRule.StopFirst, "SL", 44, 1.1020 },
        { "sell-both-in-one-bar", SameBarRule.StopFirst, "SL", 44, 1.1020 },
        { "sell-both-in-one-bar", SameBarRule.TargetFirst, "TP", 44, 1.0950 },
        { "sell-gap-through-target", SameBarRule.StopFirst, "TP", 45, 1.0941 },
        { "buy-vertical-barrier", SameBarRule.StopFirst, "TIMEOUT", 45, 1.1000 },
    };

    /// <summary>The intent and the bars after the signal bar of each case (the bars before are quiet).</summary>
    private static (TradeIntent Intent, MqlRates[] After) Scenario(string name) => name switch
    {
        // bar 44 reaches 1.1045 ≥ 1.1040, its low 1.0996 stays above the stop: TP at the level
        "buy-target" => (Buy(), [Quiet(43), Bar(44, 1.1000, 1.1045, 1.0996, 1.1040)]),
        // bar 44 covers 1.0970..1.1050: both barriers, the rule decides
        "buy-both-in-one-bar" => (Buy(), [Quiet(43), Bar(44, 1.1000, 1.1050, 1.0970, 1.1000)]),
        // bar 45 opens at 1.0970, below the stop 1.0980: filled at the open, whatever the rule and the later high
        "buy-gap-through-stop" => (Buy(), [Quiet(43), Quiet(44), Bar(45, 1.0970, 1.1050, 1.0960, 1.0985)]),
        // bid high 1.10195 stays below the stop 1.1020; the ask 1.10205 does not: SL at the level
        "sell-stop-by-the-spread" => (Sell(), [Quiet(43), Bar(44, 1.1000, 1.10195, 1.0990, 1.1010)]),
        // ask range 1.0941..1.1031 covers both barriers
        "sell-both-in-one-bar" => (Sell(), [Quiet(43), Bar(44, 1.1000, 1.1030, 1.0940, 1.0990)]),
        // bar 45 opens at bid 1.0940 = ask 1.0941, below the target 1.0950: filled at the ask open
        "sell-gap-through-target" => (Sell(), [Quiet(43), Quiet(44), Bar(45, 1.0940, 1.0945, 1.0930, 1.0940)]),
        // 3 quiet bars (43, 44, 45): the vertical barrier at bar 45's close; the engine's close fills at bar 46's
        // opening bid 1.1000
        "buy-vertical-barrier" => (Buy(maxBars: 3), [Quiet(43), Quiet(44), Quiet(45)]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Label_Equals_TheBacktestersOutcome(string name, SameBarRule rule, string outcome, int exitBar, double exitPrice)
    {
        var (intent, after) = Scenario(name);
        var rates = new List<MqlRates>();
        for (var i = 0; i <= SignalBar; i++)
        {
            rates.Add(Quiet(i));
        }

        rates.AddRange(after);
        for (var i = rates.Count; rates.Count < after.Length + SignalBar + 4; i++)
        {
            rates.Add(Quiet(i)); // the run goes on after the exit
        }

        // The label: the signal's calibration labeller on the bars after the signal bar.
        var bars = rates.Select(r => Core.Market.Bar.FromRates(r)).ToArray();
        var label = BarrierTracker.Evaluate(intent, bars.AsSpan(SignalBar + 1), rule, Spread);
        Assert.True(label.IsResolved);
        Assert.Equal(outcome, label.Outcome switch
        {
            BarrierOutcome.TakeProfit => "TP",
            BarrierOutcome.StopLoss => "SL",
            BarrierOutcome.Timeout => "TIMEOUT",
            _ => "unresolved",
        });
        Assert.Equal(exitBar, SignalBar + label.BarsHeld);
        Assert.Equal(name.Contains("both", StringComparison.Ordinal), label.Ambiguous);
        Assert.Equal(name.Contains("gap", StringComparison.Ordinal), label.Gap);

        // The backtest: the same bars through the simulated terminal and trade server, the engine trading the intent.
        var trade = Assert.Single(Backtest(rates, intent, rule, out var ambiguousExits));
        Assert.Equal(outcome, trade.ExitReason);
        Assert.Equal(intent.Direction == Direction.Buy ? 1 : -1, trade.Direction);
        Assert.Equal((T0 + (60L * (SignalBar + 1))) * 1000, trade.EntryTimeMsc); // the first bar the label sees
        // A barrier exit happens inside its bar; the vertical barrier's close fills at the next bar's opening price,
        // the moment the bar closed.
        var testerExitBar = outcome == "TIMEOUT"
            ? (int)(((trade.ExitTimeMsc / 1000) - T0) / 60) - 1
            : (int)(((trade.ExitTimeMsc / 1000) - T0) / 60);
        Assert.Equal(exitBar, testerExitBar);
        Assert.Equal(exitPrice, trade.ExitPrice, 10);
        Assert.Equal(label.Ambiguous ? 1 : 0, ambiguousExits);
    }

    private static IReadOnlyList<ClosedTrade> Backtest(List<MqlRates> rates, TradeIntent intent, SameBarRule rule, out long ambiguousExits)
    {
        var server = new TradeServer(new AccountSettings(), [EurUsd], new ExecutionSettings { SameBar = rule });
        using var feed = new SymbolFeed(EurUsd, TickModel.M1Ohlc, null, rates, fixedSpreadPoints: 10);
        var engine = new ManagedEngine(intent);
        var options = new TerminalOptions { TimeframeSeconds = 60, FromMsc = (T0 + (60L * 40)) * 1000 };
        var result = new SimulatedTerminal(engine, server, [feed], options).Run();
        Assert.Equal(1, engine.Injected);
        ambiguousExits = result.Counters.AmbiguousExits;
        return result.Trades;
    }

    /// <summary>
    /// The managed engine behind the tester's engine interface (what KimiEA.so exports, without the native layer); the
    /// intent is handed to the agent's gate when its signal bar closes, as if the signal had produced it there.
    /// </summary>
    private sealed class ManagedEngine(TradeIntent intent) : IEngineHost
    {
        private readonly AgentHost _host = new();

        public TradeIntent Intent { get; } = intent;

        public int Injected { get; private set; }

        public IEngineAgent Create(in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, string? journalPath, string? calibrationPath = null)
        {
            var agent = Agent.Create(_host.Account, config, symbol, spec, account, journalPath, null, calibrationPath);
            _host.Add(agent);
            return new Adapter(this, agent);
        }

        private sealed class Adapter(ManagedEngine engine, Agent agent) : IEngineAgent
        {
            public int Warmup(ReadOnlySpan<MqlRates> bars) => agent.Warmup(bars);

            public int SyncPositions(ReadOnlySpan<KimiPosition> positions, long timeMsc) => agent.SyncPositions(positions, timeMsc);

            public int OnTick(in MqlTick tick, in KimiAccount account) => agent.OnTick(tick, account);

            public int UpdateSpec(in KimiSymbolSpec spec) => agent.UpdateSpec(spec);

            public int OnBar(in MqlRates bar)
            {
                var pending = agent.OnBar(bar);
                if (pending < 0 || bar.Time != engine.Intent.SignalBarTime)
                {
                    return pending;
                }

                engine.Injected++;
                return agent.InjectIntent(engine.Intent);
            }

            public int GetZones(Span<KimiZone> into) => agent.GetZones(into);

            public int PollInstructions(Span<KimiInstruction> into) => agent.PollInstructions(into);

            public int ReportResult(in KimiOrderResult result) => agent.ReportResult(result);

            public int OnTradeTransaction(in KimiDeal deal) => agent.OnTradeTransaction(deal);

            public int OnTimer(long timeMsc, in KimiAccount account) => agent.OnTimer(timeMsc, account);

            public int Approve(long intentId, bool approve) => agent.Approve(intentId, approve);

            public int PollEvents(Span<KimiEvent> into) => agent.PollEvents(into);

            public int PollLog(Span<char> into) => agent.PollLog(into);

            public int GetStatus(out KimiStatus status)
            {
                agent.GetStatus(out status);
                return AbiCodes.Ok;
            }

            public int Destroy(int reason)
            {
                agent.Destroy(reason);
                return AbiCodes.Ok;
            }

            public string LastError() => agent.LastError;

            public string NameOf(int eventKind, long code) => CodeNames.Of(eventKind, code);
        }
    }
}
