using KimiEA.Core.Time;
using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Server;
using KimiEA.Tester.Stats;

namespace KimiEA.Tester.Terminal;

/// <summary>How the simulated terminal runs the agents.</summary>
public sealed record TerminalOptions
{
    /// <summary>Chart timeframe in seconds (PeriodSeconds()); default M15.</summary>
    public long TimeframeSeconds { get; init; } = 900;
    /// <summary>Only prices at or after this time (ms) are traded; closed bars before it feed kimi_warmup.</summary>
    public long FromMsc { get; init; } = long.MinValue;
    /// <summary>Prices at or after this time (ms) are not used.</summary>
    public long ToMsc { get; init; } = long.MaxValue;
    /// <summary>Magic of the first symbol's agent; the n-th symbol gets this + n.</summary>
    public long MagicBase { get; init; } = 20_140_000;
    /// <summary>The engine's SQLite journal (shared by the agents), or null for none.</summary>
    public string? JournalPath { get; init; }
    /// <summary>A signal calibration file every chart loads (<c>kimi calibrate --fit --out</c>), or null for the shipped one.</summary>
    public string? CalibrationPath { get; init; }
    /// <summary>
    /// Changes applied to each agent's <see cref="KimiConfig"/> after the EA defaults (magic, timeframe, paper
    /// mode on the demo account and the commission of the server are set before it).
    /// </summary>
    public Func<KimiConfig, KimiConfig>? Configure { get; init; }
    /// <summary>Chart bars (and signals) kept per symbol for the report.</summary>
    public int ChartCapacity { get; init; } = 20_000;
    /// <summary>Engine log lines kept for the report.</summary>
    public int LogCapacity { get; init; } = 500;
    /// <summary>Called about every 65,536 prices with the prices processed so far (for a progress bar).</summary>
    public Action<long>? Progress { get; init; }
    /// <summary>
    /// True (the default): the end of the run is the end of the test, and the server closes what is still open
    /// (END). False: the run stops as a terminal shuts down — the positions stay open at the broker.
    /// </summary>
    public bool CloseAtEnd { get; init; } = true;
    /// <summary>
    /// The simulated trader's answer to intents in the approval band (min ≤ confidence &lt; auto-execute): true approves
    /// each at once (kimi_approve, as a trader clicking "approve" on the chart); false (the default) lets them expire.
    /// </summary>
    public bool ApproveAll { get; init; }
    /// <summary>
    /// A pass of an optimisation (MQL_OPTIMIZATION in MT5): the EA then draws nothing, so the terminal skips the
    /// kimi_get_zones it otherwise calls after each closed bar. False (the default): a single test, zones fetched.
    /// </summary>
    public bool OptimizationPass { get; init; }
}

/// <summary>
/// The simulated MT5 terminal: one agent (chart) per symbol, all trading one account on one <see cref="TradeServer"/>,
/// driven in exactly the call sequence of include/kimiea.h:
/// create → warmup → sync_positions → DRAIN; then for every price: the server moves (SL/TP, stop-out) and its deals
/// go to kimi_on_trade_transaction (each followed by DRAIN); kimi_on_timer once per simulated second with ticks
/// (once per bar in the open-prices model) while the last handler's pending word has the TIMER bit → DRAIN;
/// kimi_on_tick, on a new bar kimi_update_spec + kimi_on_bar with the bar that closed → DRAIN; the deals of the
/// orders executed there through kimi_on_trade_transaction; after a closed bar kimi_get_zones (the EA's zone drawing,
/// counted, not drawn; skipped in optimisation passes, as the EA skips it). It never calls the panel's exports (kimi_close_positions, kimi_request_halt): no trader clicks
/// in a backtest; the approval buttons are played by <see cref="TerminalOptions.ApproveAll"/> through kimi_approve.
/// DRAIN is the header's, driven by the handlers' pending
/// word: nothing unless it names instructions or events; else kimi_poll_instructions until 0 (each instruction
/// executed on the server and answered once with kimi_report_result), kimi_poll_events until a short batch,
/// kimi_poll_log until empty. At the end the server closes what is open (the deals are delivered), the last events
/// are drained and every agent is destroyed.
/// </summary>
public sealed class SimulatedTerminal
{
    /// <summary>The MQL5 uninit reason passed to kimi_destroy when the test ends (REASON_PROGRAM).</summary>
    public const int UninitReasonTestEnd = 0;

    /// <summary>Records asked of kimi_get_zones after each closed bar: the EA's default InpMaxZoneObjects.</summary>
    public const int ZoneCapacity = 40;

    private readonly IEngineHost _engine;
    private readonly TradeServer _server;
    private readonly SymbolFeed[] _feeds;
    private readonly TerminalOptions _options;
    private readonly AgentState[] _agents;
    private readonly KimiInstruction[] _instructions = new KimiInstruction[16];
    private readonly KimiEvent[] _events = new KimiEvent[64];
    private readonly KimiZone[] _zones = new KimiZone[ZoneCapacity];
    private readonly char[] _log = new char[2048];
    private readonly List<ServerDeal> _deals = [];
    private readonly RunCounters _counters = new();
    private readonly SortedDictionary<string, long> _retcodes = new(StringComparer.Ordinal);
    /// <summary>Signals kept with their outcome in <see cref="BacktestResult.SignalLog"/> (memory stays bounded on long runs).</summary>
    public const int SignalLogCapacity = 100_000;

    private readonly SortedDictionary<string, long> _denials = new(StringComparer.Ordinal);
    private readonly List<long> _toApprove = [];
    private readonly List<SignalRecord> _signalLog = [];
    private readonly Dictionary<(int Agent, long Id), SignalRecord> _awaitingSignals = [];
    private readonly List<BreakerEvent> _breaker = [];
    private readonly List<string> _logLines = [];
    private readonly EquityTracker _tracker;

    /// <summary>Creates a terminal over a server and one feed per server symbol (same order).</summary>
    public SimulatedTerminal(IEngineHost engine, TradeServer server, IReadOnlyList<SymbolFeed> feeds, TerminalOptions options)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(feeds);
        ArgumentNullException.ThrowIfNull(options);
        if (feeds.Count != server.Symbols.Count)
        {
            throw new ArgumentException($"{feeds.Count} feeds for {server.Symbols.Count} server symbols.", nameof(feeds));
        }

        for (var i = 0; i < feeds.Count; i++)
        {
            if (!ReferenceEquals(feeds[i].Symbol, server.Symbols[i]) && feeds[i].Symbol != server.Symbols[i])
            {
                throw new ArgumentException($"Feed {i} is {feeds[i].Symbol.Name} but server symbol {i} is {server.Symbols[i].Name}.", nameof(feeds));
            }

            if (feeds[i].Model != feeds[0].Model)
            {
                throw new ArgumentException("Every feed of a run must use the same tick model.", nameof(feeds));
            }
        }

        _engine = engine;
        _server = server;
        _feeds = [.. feeds];
        _options = options;
        _agents = new AgentState[feeds.Count];
        _tracker = new EquityTracker(server.Account.InitialBalance);
        for (var i = 0; i < _agents.Length; i++)
        {
            _agents[i] = new AgentState(i, feeds[i].Symbol, options.TimeframeSeconds, options.MagicBase + i, options.ChartCapacity);
        }
    }

    /// <summary>Runs the whole test.</summary>
    /// <exception cref="EngineException">An export returned an error.</exception>
    public BacktestResult Run()
    {
        var model = _feeds[0].Model;
        try
        {
            Start();
            while (true)
            {
                var next = -1;
                var best = long.MaxValue;
                for (var i = 0; i < _feeds.Length; i++)
                {
                    if (_agents[i].HasTick && _feeds[i].Current.TimeMsc < best)
                    {
                        best = _feeds[i].Current.TimeMsc;
                        next = i;
                    }
                }

                if (next < 0)
                {
                    break;
                }

                Process(_agents[next], model);
                Advance(next);
            }

            Finish();
        }
        finally
        {
            foreach (var a in _agents)
            {
                if (a.Agent is not null)
                {
                    a.Agent.Destroy(UninitReasonTestEnd);
                    a.Agent = null;
                }
            }
        }

        _counters.AmbiguousExits = _server.AmbiguousExits;
        _counters.StopOuts = _server.StopOuts;
        return new BacktestResult
        {
            Statistics = BacktestStatistics.Compute(_server.Account.InitialBalance, _server.Trades, _tracker),
            Trades = _server.Trades,
            Curve = _tracker.Curve,
            Charts = [.. _agents.Select(a => a.Chart)],
            Counters = _counters,
            ResultsByRetcode = _retcodes,
            DenialsByReason = _denials,
            BreakerEvents = _breaker,
            LogLines = _logLines,
            SignalLog = _signalLog,
        };
    }

    /// <summary>
    /// OnInit of every chart: pre-roll to the start (the last warmup_bars closed chart bars before it are kept, so
    /// years of data before --from cost no memory), create, warmup, sync positions, drain.
    /// </summary>
    private void Start()
    {
        var configs = new KimiConfig[_agents.Length];
        var warmup = new Queue<MqlRates>[_agents.Length];
        for (var i = 0; i < _agents.Length; i++)
        {
            var a = _agents[i];
            var config = KimiConfig.Defaults(a.Magic, _options.TimeframeSeconds);
            config.Mode = AbiCodes.ModePaper;
            config.CommissionPerLot = _server.RoundTurnCommissionPerLot(i);
            if (_options.Configure is { } configure)
            {
                config = configure(config);
            }

            // the simulated server's clock is UTC (every price is read into UTC), whatever the EA's default broker clock
            config.ServerTimeZone = AbiCodes.TzFixed;
            config.ServerUtcOffsetMinutes = 0;

            configs[i] = config;
            var wanted = (int)Math.Clamp(config.WarmupBars, 0, int.MaxValue);
            _counters.WarmupBarsWanted += wanted;
            warmup[i] = new Queue<MqlRates>(Math.Min(wanted, 4096));
            a.HasTick = _feeds[i].MoveNext();
            // Prices before the start only build the bars handed to kimi_warmup.
            while (a.HasTick && _feeds[i].Current.TimeMsc < _options.FromMsc)
            {
                if (AddToBar(a, _feeds[i], out var closed) && wanted > 0)
                {
                    if (warmup[i].Count == wanted)
                    {
                        warmup[i].Dequeue();
                    }

                    warmup[i].Enqueue(closed);
                }

                a.HasTick = _feeds[i].MoveNext();
            }

            a.HasTick = a.HasTick && _feeds[i].Current.TimeMsc < _options.ToMsc;
        }

        var account = _server.AccountFacts();
        for (var i = 0; i < _agents.Length; i++)
        {
            var a = _agents[i];
            var config = configs[i];
            MqlRates[] bars = [.. warmup[i]];
            var firstBid = a.HasTick ? _feeds[i].Current.Bid : bars.Length > 0 ? bars[^1].Close : 0;
            a.Spec = _server.SymbolSpec(i, firstBid);
            a.Agent = _engine.Create(config, a.Symbol.Name, a.Spec, account, _options.JournalPath, _options.CalibrationPath);
            CheckJournal(a.Agent);
            ReadOnlySpan<MqlRates> span = bars;
            _counters.WarmupBars += bars.Length;
            foreach (var b in bars)
            {
                a.Chart.Add(b);
            }

            var positions = new List<KimiPosition>();
            foreach (var p in _server.Positions)
            {
                if (p.Symbol == i && p.Magic == a.Magic)
                {
                    positions.Add(p.ToAbi(_server.FloatingProfit(p)));
                }
            }

            var startMsc = a.HasTick ? _feeds[i].Current.TimeMsc : 0;
            // As the EA: kimi_warmup only when the chart has closed bars to hand over.
            var pending = span.Length > 0 ? Handler(a, "kimi_warmup", a.Agent.Warmup(span)) : 0;
            pending |= Handler(a, "kimi_sync_positions", a.Agent.SyncPositions(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(positions), startMsc));
            Drain(a, pending);
        }

        DeliverDeals();
    }

    /// <summary>
    /// A journal the engine cannot use stops the run here, before any bar or order: the engine creates the agent
    /// halted (kimi_get_status: journal_state 1) and every signal would be denied, a run that proves nothing.
    /// </summary>
    private void CheckJournal(IEngineAgent agent)
    {
        if (_options.JournalPath is not { } path || agent.GetStatus(out var status) < 0 || status.JournalState != 1)
        {
            return;
        }

        var reason = agent.LastError();
        if (reason.Length == 0)
        {
            // kimi_create leaves kimi_last_error empty for a halted agent; the journal library's own open says why.
            using var probe = KimiEA.Journal.TradeJournal.Open(path);
            reason = probe.FailureReason ?? "the engine cannot open or write it (kimi_get_status: journal_state = failed)";
        }

        throw new JournalUnusableException(path, reason);
    }

    private void Advance(int i)
    {
        var a = _agents[i];
        a.HasTick = _feeds[i].MoveNext() && _feeds[i].Current.TimeMsc < _options.ToMsc;
    }

    private static bool AddToBar(AgentState a, SymbolFeed feed, out MqlRates closed)
    {
        ref readonly var t = ref feed.Current;
        if (t.PathIndex < 0)
        {
            return a.Bars.AddTick(t.TimeMsc, t.Bid, t.SpreadPoints, out closed);
        }

        if (t.PathIndex == 0)
        {
            return a.Bars.AddBar(feed.CurrentBar, out closed);
        }

        closed = default;
        return false;
    }

    /// <summary>One price of one symbol: server first, then the chart's EA events in MT5's order.</summary>
    private void Process(AgentState a, TickModel model)
    {
        var feed = _feeds[a.Index];
        ref readonly var t = ref feed.Current;
        var newBar = AddToBar(a, feed, out var closed);
        if (t.PathIndex == 1)
        {
            ref readonly var m1 = ref feed.CurrentBar;
            _server.ResolveSameBar(a.Index, t.TimeMsc, Bar.FromRates(m1), m1.Spread * a.Symbol.Point);
        }

        _server.SetPrice(a.Index, t.TimeMsc, t.Bid, t.Ask, t.Continuous);
        _counters.Ticks++;
        if (_counters.FirstTimeMsc == 0)
        {
            _counters.FirstTimeMsc = t.TimeMsc;
        }

        _counters.LastTimeMsc = t.TimeMsc;
        var balance = _server.Balance;
        var equity = _server.Positions.Count == 0 ? balance : _server.Equity;
        _tracker.Observe(balance, equity);
        if (_server.PendingDealCount > 0)
        {
            DeliverDeals();
        }

        if ((_counters.Ticks & 0xFFFF) == 0)
        {
            _options.Progress?.Invoke(_counters.Ticks);
        }

        // The open-prices model shows the EA only the first price of each chart bar; hidden ticks only move the server.
        var first = !a.Started;
        a.Started = true;
        if (model == TickModel.Open && !newBar && !first)
        {
            return;
        }

        var agent = a.Agent!;
        var second = t.TimeMsc / 1000;
        var account = _server.AccountFacts();
        // OnTimer once per simulated second with ticks; as the EA, no call while the agent's last pending word had
        // no TIMER bit (a flat, idle agent has no time-driven work).
        if (second != a.LastTimerSecond && a.TimerWanted)
        {
            a.LastTimerSecond = second;
            var deals = _server.DealCount;
            var timerPending = Handler(a, "kimi_on_timer", agent.OnTimer(second * 1000, account));
            _counters.Timers++;
            Drain(a, timerPending);
            if (_server.DealCount != deals)
            {
                // The timer's instructions traded: the tick must carry the account after those deals.
                account = _server.AccountFacts();
            }
        }

        var tick = new MqlTick(t.TimeMsc, t.Bid, t.Ask);
        var pending = Handler(a, "kimi_on_tick", agent.OnTick(tick, account));
        _counters.EngineTicks++;
        if (newBar)
        {
            a.Spec = _server.SymbolSpec(a.Index, t.Bid);
            Check(a, "kimi_update_spec", agent.UpdateSpec(a.Spec));
            pending |= Handler(a, "kimi_on_bar", agent.OnBar(closed));
            _counters.Bars++;
            a.Chart.Add(closed);
            _tracker.Sample(closed.Time + _options.TimeframeSeconds, balance, equity);
        }

        Drain(a, pending);
        if (_server.PendingDealCount > 0)
        {
            DeliverDeals();
        }

        if (newBar && !_options.OptimizationPass)
        {
            // the EA redraws its zones after the closed bar's DRAIN (into a buffer of the terminal's: no allocation)
            _counters.Zones += Check(a, "kimi_get_zones", agent.GetZones(_zones));
            _counters.ZoneCalls++;
        }
    }

    /// <summary>DRAIN a: kimi_poll_instructions until it returns 0; each executed on the server and reported exactly once.</summary>
    private void ExecuteInstructions(AgentState a)
    {
        var agent = a.Agent!;
        while (true)
        {
            var n = Check(a, "kimi_poll_instructions", agent.PollInstructions(_instructions));
            if (n == 0)
            {
                return;
            }

            for (var i = 0; i < n; i++)
            {
                ref readonly var ins = ref _instructions[i];
                var r = Execute(a, ins);
                _counters.Instructions++;
                var name = TradeRetcode.Name(r.Retcode);
                _retcodes[name] = _retcodes.GetValueOrDefault(name) + 1;
                var result = new KimiOrderResult
                {
                    InstructionId = ins.Id,
                    Retcode = r.Retcode,
                    OrderTicket = r.Order,
                    DealTicket = r.Deal,
                    PositionTicket = r.Position,
                    TimeMsc = _server.TimeMsc,
                    Price = r.Price,
                    Volume = r.Volume,
                    Bid = r.Bid,
                    Ask = r.Ask,
                };
                Handler(a, "kimi_report_result", agent.ReportResult(result));
            }
        }
    }

    private TradeResult Execute(AgentState a, in KimiInstruction ins) => ins.Kind switch
    {
        AbiCodes.InstrOpen => _server.MarketOrder(a.Index, (int)ins.Direction, ins.Volume, ins.Sl, ins.Tp, a.Magic, ins.Id),
        AbiCodes.InstrClose => _server.Close(a.Index, ins.PositionTicket, ((ExitReason)ins.Reason).ToCode()),
        _ => new TradeResult(TradeRetcode.Invalid, 0, 0, 0, 0, 0, _server.Bid(a.Index), _server.Ask(a.Index)),
    };

    /// <summary>OnTradeTransaction(DEAL_ADD) for every new deal, to the agent of its symbol and magic, then that agent's drain.</summary>
    private void DeliverDeals()
    {
        while (_server.PendingDealCount > 0)
        {
            _deals.Clear();
            _server.TakeNewDeals(_deals);
            foreach (var d in _deals)
            {
                var a = _agents[d.Symbol];
                if (a.Agent is null || d.Magic != a.Magic)
                {
                    continue;
                }

                var deal = d.ToAbi();
                var pending = Handler(a, "kimi_on_trade_transaction", a.Agent.OnTradeTransaction(deal));
                _counters.DealsDelivered++;
                var balance = _server.Balance;
                _tracker.Observe(balance, _server.Positions.Count == 0 ? balance : _server.Equity);
                Drain(a, pending);
            }
        }
    }

    /// <summary>
    /// DRAIN(pending) of the header: nothing unless it names instructions or events; else the instructions it
    /// counts, then kimi_poll_events until a short batch and kimi_poll_log until empty (handing out instructions
    /// leaves events).
    /// </summary>
    private void Drain(AgentState a, int pending)
    {
        if ((pending & (AbiCodes.PendingInstructions | AbiCodes.PendingEvents)) == 0)
        {
            return;
        }

        if ((pending & AbiCodes.PendingInstructions) != 0)
        {
            ExecuteInstructions(a);
        }

        var agent = a.Agent!;
        int n;
        do
        {
            n = Check(a, "kimi_poll_events", agent.PollEvents(_events));
            for (var i = 0; i < n; i++)
            {
                Record(a, _events[i]);
            }
        }
        while (n == _events.Length);

        // The simulated trader answers what the events just asked (kimi_approve, then DRAIN of its pending word).
        if (_toApprove.Count > 0)
        {
            var ids = _toApprove.ToArray();
            _toApprove.Clear();
            foreach (var id in ids)
            {
                Drain(a, Handler(a, "kimi_approve", agent.Approve(id, approve: true)));
            }
        }

        while (true)
        {
            var chars = Check(a, "kimi_poll_log", agent.PollLog(_log));
            if (chars == 0)
            {
                break;
            }

            _counters.LogLines++;
            if (_logLines.Count < _options.LogCapacity)
            {
                _logLines.Add($"{a.Symbol.Name}: {new string(_log, 0, Math.Min(chars, _log.Length - 1))}");
            }
        }
    }

    private void Record(AgentState a, in KimiEvent e)
    {
        switch (e.Kind)
        {
            case AbiCodes.EvtSignal:
                _counters.Signals++;
                a.Chart.Add(new SignalMark(e.TimeMsc, (int)e.Direction, e.Price, e.Value));
                a.LastSignal = null;
                if (_signalLog.Count < SignalLogCapacity)
                {
                    a.LastSignal = new SignalRecord(e.TimeMsc, a.Symbol.Name, (int)e.Direction, e.Price, e.Value, SignalRecord.OrderSent, e.HitProbability);
                    a.LastDecisionMsc = e.TimeMsc;
                    _signalLog.Add(a.LastSignal);
                }

                break;
            case AbiCodes.EvtDenied:
                var reason = a.Agent!.NameOf(AbiCodes.EvtDenied, e.Code);
                _denials[reason] = _denials.GetValueOrDefault(reason) + 1;
                if (a.LastSignal is { } last && a.LastDecisionMsc == e.TimeMsc && last.Outcome == SignalRecord.OrderSent)
                {
                    last.Outcome = reason; // the agent refuses an intent right after signalling (or approving) it, in the same call
                }

                break;
            case AbiCodes.EvtApproval when e.Code == AbiCodes.ApprovalAwaiting:
                _counters.AwaitingApproval++;
                if (a.LastSignal is { } asked && a.LastDecisionMsc == e.TimeMsc && asked.Outcome == SignalRecord.OrderSent)
                {
                    asked.Outcome = SignalRecord.AwaitingApproval;
                    _awaitingSignals[(a.Index, e.Ticket)] = asked;
                }

                if (_options.ApproveAll)
                {
                    _toApprove.Add(e.Ticket);
                }

                break;
            case AbiCodes.EvtApproval when e.Code == AbiCodes.ApprovalApproved:
                if (_awaitingSignals.Remove((a.Index, e.Ticket), out var approved))
                {
                    approved.Outcome = SignalRecord.OrderSent; // decided again at the current market: an order, or a refusal that follows
                    a.LastSignal = approved;
                    a.LastDecisionMsc = e.TimeMsc;
                }

                break;
            case AbiCodes.EvtApproval when e.Code is AbiCodes.ApprovalExpired or AbiCodes.ApprovalSkipped:
                // Not traded because nobody approved it: listed with the denials, under the approval outcome.
                var outcome = "Approval" + a.Agent!.NameOf(AbiCodes.EvtApproval, e.Code);
                _denials[outcome] = _denials.GetValueOrDefault(outcome) + 1;
                if (_awaitingSignals.Remove((a.Index, e.Ticket), out var lapsed))
                {
                    lapsed.Outcome = outcome;
                }

                break;
            case AbiCodes.EvtBreaker:
                _breaker.Add(new BreakerEvent(e.TimeMsc, a.Symbol.Name, a.Agent!.NameOf(AbiCodes.EvtBreaker, e.Code), e.Value));
                break;
            case AbiCodes.EvtError:
                _counters.EngineErrors++;
                break;
        }
    }

    /// <summary>End of the test: everything still open is closed at the last prices and delivered, then a last curve point.</summary>
    private void Finish()
    {
        if (_options.CloseAtEnd)
        {
            _server.CloseAll("END");
            DeliverDeals();
        }

        // OnDeinit: the last events and log lines, whatever the pending words said.
        foreach (var a in _agents)
        {
            if (a.Agent is not null)
            {
                Drain(a, AbiCodes.PendingEvents);
            }
        }

        // The chart (not the engine) also shows the last, unfinished bar, so trades inside it have their markers.
        foreach (var a in _agents)
        {
            if (a.Started && a.Bars.TakeForming(out var forming))
            {
                a.Chart.Add(forming);
            }
        }

        var balance = _server.Balance;
        _tracker.Sample(_counters.LastTimeMsc / 1000, balance, _server.Positions.Count == 0 ? balance : _server.Equity, force: true);
    }

    /// <summary>A handler's pending word (an error code ends the run); keeps its TIMER bit as the EA does.</summary>
    private static int Handler(AgentState a, string call, int rc)
    {
        var pending = Check(a, call, rc);
        a.TimerWanted = (pending & AbiCodes.PendingTimer) != 0;
        return pending;
    }

    /// <summary>Returns a successful export's value (a count or a pending word); an error code ends the run.</summary>
    private static int Check(AgentState a, string call, int rc) =>
        rc >= 0 ? rc : throw new EngineException($"{call} ({a.Symbol.Name})", rc, a.Agent?.LastError() ?? string.Empty);

    private sealed class AgentState(int index, TesterSymbol symbol, long timeframe, long magic, int chartCapacity)
    {
        public int Index { get; } = index;
        public TesterSymbol Symbol { get; } = symbol;
        public long Magic { get; } = magic;
        public BarAggregator Bars { get; } = new(timeframe);
        public SymbolChart Chart { get; } = new(symbol.Name, symbol.Digits, chartCapacity);
        public IEngineAgent? Agent { get; set; }
        public KimiSymbolSpec Spec { get; set; }
        public bool HasTick { get; set; }
        public bool Started { get; set; }
        public long LastTimerSecond { get; set; } = long.MinValue;
        public bool TimerWanted { get; set; } = true;
        public SignalRecord? LastSignal { get; set; }
        public long LastDecisionMsc { get; set; }
    }
}
