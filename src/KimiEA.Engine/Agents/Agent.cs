using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Threading;
using KimiEA.Core.Trading;
using KimiEA.Engine.Account;
using KimiEA.Engine.Events;
using KimiEA.Engine.Validation;
using KimiEA.Journal;
using KimiEA.Risk;
using KimiEA.Risk.Account;
using KimiEA.Risk.Gate;
using KimiEA.Risk.Sizing;
using KimiEA.Smc.Signal;

namespace KimiEA.Engine.Agents;

/// <summary>
/// One agent = one EA instance on one chart (symbol, timeframe, magic). It turns the terminal's events (ticks,
/// closed bars, order results, deals, timer, position snapshots) into order instructions:
/// closed bar → SMC signal → pre-trade gate and sizing (account-wide risk book) → OPEN instruction (handed out only
/// once its intent row is durable in the journal) → fills and closes tracked from results and deals → vertical
/// barrier, breaker flattening, emergency stop and kill switch enforced on ticks, bars and timer events.
/// </summary>
/// <remarks>
/// Every public method takes the agent's gate (the exports may be called from any thread) and returns an ABI status
/// code. The gate is a <see cref="SpinGate"/>, which is not reentrant: a public method never calls another public
/// method of the agent. Steady-state ticks and bars allocate nothing: all books are preallocated arrays.
/// </remarks>
public sealed partial class Agent
{
    private readonly SpinGate _gate = new();
    private readonly AccountHub _hub;
    private readonly AccountRiskBook _book;
    private readonly KimiConfig _config;
    private readonly AgentPolicy _policy;
    private readonly string _symbol;
    private readonly int _symbolId;
    private readonly int _ownerId;
    private readonly AgentSignal _signal;
    private readonly PositionBook _positions = new();
    private readonly InstructionBook _instructions = new();
    private readonly PendingOpens _pendingOpens = new();
    private readonly EventRing _events = new();
    private readonly EventRing _log = new();
    private readonly AgentStats _stats = new();
    private readonly TradeJournal? _journal;
    private KimiSymbolSpec _rawSpec;
    private SymbolSpec _spec;
    private AccountFacts _account;
    private MqlTick _lastTick;
    private long _lastBarTime = long.MinValue;
    private long _nowMsc;
    private long _seenEmergencyGeneration;
    private BreakerStatus _lastBreaker = BreakerStatus.Active;
    private bool _haltedByKillSwitch;
    private bool _journalFailureReported;
    private bool _awaitingSync;
    private bool _destroyed;
    private string _lastError = string.Empty;
    private long _barsSeen;
    private long _signals;
    private long _denials;
    private long _tradesClosed;
    private long _ambiguousExits;
    private double _realizedPnl;

    private Agent(AccountHub hub, AccountRiskBook book, AgentPolicy policy, in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, TradeJournal? journal, SignalCalibrationFile? calibration)
    {
        _hub = hub;
        _book = book;
        _policy = policy;
        _config = config;
        _symbol = symbol;
        _symbolId = book.RegisterSymbol(symbol);
        _ownerId = book.RegisterOwner(OwnerKey(config.Magic, symbol));
        _rawSpec = spec;
        _spec = ConfigMapping.ToSpec(spec);
        _account = ConfigMapping.ToAccount(account);
        _journal = journal;
        _signal = new AgentSignal(config, calibration);
        _seenEmergencyGeneration = hub.EmergencyGeneration;
    }

    /// <summary>The agent's magic number.</summary>
    public long Magic => _config.Magic;

    /// <summary>The agent's symbol.</summary>
    public string Symbol => _symbol;

    /// <summary>The last error text of this agent.</summary>
    public string LastError
    {
        get
        {
            using (_gate.Hold())
            {
                return _lastError;
            }
        }
    }

    /// <summary>The identity under which the account book and the journal know this chart's agent.</summary>
    public static string OwnerKey(long magic, string symbol) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{magic}/{symbol}");

    /// <summary>
    /// Creates an agent: validates the configuration and the mode against the account, attaches to the account-level
    /// risk book (refused when the chart's account-wide limits differ from those in force, or another live chart has
    /// the same magic on the same symbol), opens (or shares) the journal and restores this agent's state from it.
    /// </summary>
    /// <exception cref="EngineException">Configuration refused (code KIMI_E_CONFIG) or the journal cannot be used.</exception>
    /// <param name="hub">The process's account hub.</param>
    /// <param name="config">The chart's inputs.</param>
    /// <param name="symbol">The chart's symbol.</param>
    /// <param name="spec">The symbol's facts.</param>
    /// <param name="account">The account's facts.</param>
    /// <param name="journalPath">The journal file, or null for none.</param>
    /// <param name="liveAllowlist">Accounts allowed in live mode.</param>
    /// <param name="calibrationPath">A signal calibration file (<c>kimi calibrate --fit --out</c>) fitted for this chart's inputs and time frame; null or empty: the shipped calibration.</param>
    public static Agent Create(AccountHub hub, in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, string? journalPath, string? liveAllowlist, string? calibrationPath = null)
    {
        ArgumentNullException.ThrowIfNull(hub);
        if (string.IsNullOrWhiteSpace(symbol))
        {
            throw new EngineException(AbiCodes.EInvalidArgument, "the symbol name is empty.");
        }

        var configProblem = AbiInput.Config(config);
        if (!configProblem.IsNone)
        {
            throw new EngineException(AbiCodes.EConfig, configProblem.Describe("invalid input"));
        }

        var accountProblem = AbiInput.Account(account);
        if (!accountProblem.IsNone)
        {
            throw new EngineException(AbiCodes.EInvalidArgument, accountProblem.Describe("account facts"));
        }

        var policy = ConfigMapping.ToPolicy(config, liveAllowlist);
        var limits = ConfigMapping.ToAccountLimits(config);
        ConfigMapping.ValidateSpec(spec, symbol);
        var modeProblem = Risk.Account.ModeRules.Check(policy, ConfigMapping.ToAccount(account));
        if (modeProblem != Risk.Gate.DenyReason.None)
        {
            // Refused in OnInit, where the trader sees it, rather than silently denying every entry later.
            throw new EngineException(AbiCodes.EConfig, modeProblem switch
            {
                Risk.Gate.DenyReason.PaperRequiresDemo => $"paper mode trades only on a demo account; account {account.Login} is not a demo account.",
                Risk.Gate.DenyReason.LiveNotOptedIn => "live mode requires the explicit live opt-in input.",
                Risk.Gate.DenyReason.AccountNotAllowed => $"live mode: account {account.Login} is not in the live account allow-list.",
                _ => modeProblem.ToString(),
            });
        }

        var calibration = LoadCalibration(calibrationPath);
        var chart = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the chart {symbol} (magic {config.Magic}, timeframe {config.TimeframeSeconds} s)");
        var book = hub.Attach(limits, chart, OwnerKey(config.Magic, symbol));
        TradeJournal? journal = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(journalPath))
            {
                journal = hub.AcquireJournal(journalPath);
            }

            var agent = new Agent(hub, book, policy, config, symbol, spec, account, journal, calibration);
            agent.RestoreFromJournal();
            agent.JournalAppend(JournalEvent.AgentAttached(0, config.Magic, symbol, ConfigMapping.ModeName(config.Mode)));
            return agent;
        }
        catch
        {
            if (journal is not null)
            {
                hub.ReleaseJournal(journal);
            }

            hub.Detach(OwnerKey(config.Magic, symbol));
            throw;
        }
    }

    /// <summary>Reads a signal calibration file (null for none); whether it fits the chart's inputs is <see cref="AgentSignal"/>'s check.</summary>
    /// <exception cref="EngineException">KIMI_E_CONFIG naming the file and its problem.</exception>
    private static SignalCalibrationFile? LoadCalibration(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        try
        {
            return SignalCalibrationFile.Load(path);
        }
        catch (ArgumentException e)
        {
            throw new EngineException(AbiCodes.EConfig, "signal calibration: " + e.Message);
        }
    }

    /// <summary>Records an error text for this agent and returns <paramref name="code"/>.</summary>
    public int Fail(int code, string message)
    {
        SetError(message);
        return code;
    }

    /// <summary>Records an error text (used by the export firewall).</summary>
    public void SetError(string message)
    {
        using (_gate.Hold())
        {
            _lastError = message;
        }
    }

    /// <summary>kimi_warmup: feeds closed history bars through the detectors without trading.</summary>
    public int Warmup(ReadOnlySpan<MqlRates> bars)
    {
        using (_gate.Hold())
        {
            // All bars are checked before the first one is fed: a refused warm-up leaves the agent as it was.
            var previous = _lastBarTime;
            for (var i = 0; i < bars.Length; i++)
            {
                var rc = CheckBar("kimi_warmup", bars[i], previous);
                if (rc != 0)
                {
                    return rc;
                }

                rc = CheckTime("kimi_warmup", "bar close (time + timeframe, ms)", BarCloseMs(bars[i]), mayBeOld: true, zeroIsUnknown: false);
                if (rc != 0)
                {
                    return rc;
                }

                previous = bars[i].Time;
            }

            for (var i = 0; i < bars.Length; i++)
            {
                _signal.Warm(Bar.FromRates(bars[i]));
                _lastBarTime = bars[i].Time;
                _barsSeen++;
            }

            return Pending();
        }
    }

    /// <summary>kimi_update_spec: the symbol facts changed (tick value and margin move with price).</summary>
    public int UpdateSpec(in KimiSymbolSpec spec)
    {
        using (_gate.Hold())
        {
            var problem = AbiInput.Spec(spec);
            if (!problem.IsNone)
            {
                return Refuse("kimi_update_spec", problem);
            }

            _rawSpec = spec;
            _spec = ConfigMapping.ToSpec(spec);
            return AbiCodes.Ok;
        }
    }

    /// <summary>kimi_on_tick: account-wide checks on every tick; returns the pending word.</summary>
    public int OnTick(in MqlTick tick, in KimiAccount account)
    {
        using (_gate.Hold())
        {
            var problem = AbiInput.Tick(tick);
            if (problem.IsNone)
            {
                problem = AbiInput.Account(account);
            }

            if (!problem.IsNone)
            {
                return Refuse("kimi_on_tick", problem);
            }

            // Market time: the tick is judged by the account's clock, and moves it (and this agent's time) only when
            // plausible; a gap ahead waits for a second market time to confirm it (kimiea.h, TIME).
            var outcome = _hub.Clock.Observe(tick.Millis, MarketClock.GapMs, out var marketNow);
            if (outcome == MarketTimeOutcome.Refused)
            {
                return RefuseTime("kimi_on_tick", "tick.time_msc", tick.Millis, MarketClock.ExplainRefusal(tick.Millis));
            }

            _lastTick = tick;
            _account = ConfigMapping.ToAccount(account);
            if (outcome == MarketTimeOutcome.Established)
            {
                ClampFutureBreakerDay(marketNow);
            }

            Advance(outcome == MarketTimeOutcome.Unconfirmed ? _nowMsc : tick.Millis);
            return Pending();
        }
    }

    /// <summary>kimi_on_bar: one closed bar through the pipeline; returns the pending word.</summary>
    public int OnBar(in MqlRates bar)
    {
        using (_gate.Hold())
        {
            var rc = CheckBar("kimi_on_bar", bar, _lastBarTime);
            if (rc != 0)
            {
                return rc;
            }

            // A closed bar's close is market time, judged like a tick's: a gap ahead moves the account's clock (and this
            // agent's time) only once confirmed; a bar of an illiquid symbol may close long before other charts' ticks
            // (then it moves nothing). Under the call sequence its tick came first, so it never leads the market.
            var closeMsc = BarCloseMs(bar);
            var outcome = MarketTimeOutcome.Accepted;
            var clock = _hub.Clock.Now;
            if (MarketClock.Absolute(closeMsc) != TimeProblem.None)
            {
                return RefuseTime("kimi_on_bar", "bar close (time + timeframe, ms)", closeMsc, MarketClock.Absolute(closeMsc));
            }

            if (clock == MarketClock.Unknown || closeMsc >= clock - MarketClock.MaxLagMs)
            {
                outcome = _hub.Clock.Observe(closeMsc, Math.Max(MarketClock.GapMs, _config.TimeframeSeconds * 1000), out var marketNow);
                if (outcome == MarketTimeOutcome.Established)
                {
                    ClampFutureBreakerDay(marketNow);
                }
            }

            _lastBarTime = bar.Time;
            _barsSeen++;
            if (closeMsc > _nowMsc && outcome != MarketTimeOutcome.Unconfirmed)
            {
                _nowMsc = closeMsc;
            }

            var b = Bar.FromRates(bar);
            AgeOpenPositions(bar.Time);
            AgeApprovals();
            if (_signal.OnBar(b, out var intent))
            {
                OnIntent(intent);
            }

            Advance(_nowMsc);
            return Pending();
        }
    }

    /// <summary>kimi_on_timer: barriers, breaker roll-over and the kill switch even without ticks.</summary>
    public int OnTimer(long timeMsc, in KimiAccount account)
    {
        using (_gate.Hold())
        {
            var problem = AbiInput.Account(account);
            if (!problem.IsNone)
            {
                return Refuse("kimi_on_timer", problem);
            }

            var rc = CheckTime("kimi_on_timer", "time_msc", timeMsc, mayBeOld: false, zeroIsUnknown: false);
            if (rc != 0)
            {
                return rc;
            }

            _account = ConfigMapping.ToAccount(account);
            Advance(timeMsc);
            ExpireByTime();
            return Pending();
        }
    }

    /// <summary>kimi_poll_instructions: hands out each ready instruction exactly once.</summary>
    public int PollInstructions(Span<KimiInstruction> output)
    {
        using (_gate.Hold())
        {
            Promote();
            var n = _instructions.Poll(output);
            for (var i = 0; i < n; i++)
            {
                ref readonly var ins = ref output[i];
                JournalAppend(JournalEvent.InstructionIssued(_nowMsc, _config.Magic, _symbol, ins.Id));
                Emit(new KimiEvent
                {
                    Kind = AbiCodes.EvtInstruction, Code = ins.Kind, Direction = ins.Direction, Ticket = ins.Id,
                    Price = ins.Price, Volume = ins.Volume, Sl = ins.Sl, Tp = ins.Tp,
                });
            }

            return n;
        }
    }

    /// <summary>kimi_poll_events: drains engine events.</summary>
    public int PollEvents(Span<KimiEvent> output)
    {
        using (_gate.Hold())
        {
            return _events.Drain(output);
        }
    }

    /// <summary>kimi_poll_log: the next journal line as text (0 when none).</summary>
    public int PollLog(Span<char> output)
    {
        using (_gate.Hold())
        {
            return _log.TryPop(out var e) ? EventText.Format(e, _symbol, output) : 0;
        }
    }

    /// <summary>kimi_get_zones: the live SMC structure after the last bar, for the EA to draw (<see cref="ZoneExport"/>).</summary>
    public int GetZones(Span<KimiZone> output)
    {
        using (_gate.Hold())
        {
            return ZoneExport.Write(_signal.Structure, output);
        }
    }

    /// <summary>kimi_get_status.</summary>
    public void GetStatus(out KimiStatus status)
    {
        using (_gate.Hold())
        {
            // One snapshot: the emergency flag and the breaker are read once, and "halted" is derived from those same
            // values (reading the flag twice showed emergency=1 with halted=0 while another thread toggled it).
            var breaker = _book.BreakerState;
            var emergency = _book.IsEmergencyStopped;
            var halted = emergency || breaker.Status != BreakerStatus.Active || EngineBlock() != 0;
            status = new KimiStatus
            {
                Mode = _config.Mode,
                BreakerState = AccountHub.BreakerCode(breaker.Status),
                Halted = halted ? 1 : 0,
                Emergency = emergency ? 1 : 0,
                OpenPositions = _positions.Count,
                PendingInstructions = _instructions.Outstanding + _instructions.Waiting,
                BarsSeen = _barsSeen,
                Signals = _signals,
                Denials = _denials,
                TradesClosed = _tradesClosed,
                AmbiguousExits = _ambiguousExits,
                JournalState = _journal is null ? 2 : _journal.IsFailed ? 1 : 0,
                DayStartEquity = breaker.ReferenceEquity,
                Equity = _account.Equity,
                OpenRisk = _book.OpenRisk,
                RealizedPnl = _realizedPnl,
            };
        }
    }

    /// <summary>
    /// kimi_destroy: detaches this chart. Its open positions stay at the broker, so their reservations stay in the
    /// account book (risk, leverage and counts keep counting) until they close or a chart adopts them again; entries
    /// not yet handed out are withdrawn and intents awaiting approval expire.
    /// </summary>
    public void Destroy(int reason)
    {
        using (_gate.Hold())
        {
            if (_destroyed)
            {
                return;
            }

            _destroyed = true;
            for (var i = _approvals.Count - 1; i >= 0; i--)
            {
                ExpireApproval(i, "chart detached");
            }

            _pendingOpens.ReleaseAll(_book);
            for (var i = 0; i < _positions.Count; i++)
            {
                // The reservation stays in the book; the journal says so, so a restarted terminal reserves it again.
                ref readonly var p = ref _positions[i];
                var facts = Facts(p);
                _book.TryGetReservation(p.Reservation, out var risk, out var notional);
                JournalAppend(JournalEvent.PositionDetached(_nowMsc, _config.Magic, _symbol, p.Ticket, facts.Direction, facts.Volume, facts.EntryPrice, risk, notional));
            }

            JournalAppend(JournalEvent.AgentDetached(_nowMsc, _config.Magic, _symbol, ConfigMapping.ModeName(_config.Mode), $"agent detached (OnDeinit reason {reason})"));
            if (_journal is not null)
            {
                _hub.ReleaseJournal(_journal);
            }

            _hub.Detach(OwnerKey(_config.Magic, _symbol));
        }
    }

    /// <summary>
    /// Runs an intent through the gate as if the signal had produced it on the last closed bar (unit tests of the
    /// order flow use it to script exact scenarios; the product path is <see cref="OnBar"/>).
    /// </summary>
    internal int InjectIntent(in TradeIntent intent)
    {
        using (_gate.Hold())
        {
            OnIntent(intent);
            return Pending();
        }
    }

    private int FailLocked(int code, string message)
    {
        _lastError = message;
        return code;
    }

    /// <summary>A bar's fields and its order after <paramref name="previousTime"/>: 0, or the refusal's code.</summary>
    private int CheckBar(string export, in MqlRates bar, long previousTime)
    {
        var problem = AbiInput.Bar(bar);
        if (!problem.IsNone)
        {
            return FailLocked(AbiCodes.EInvalidArgument, problem.Describe($"{export}: bar at {bar.Time}"));
        }

        if (bar.Time < MarketClock.EarliestMs / 1000)
        {
            return RefuseTime(export, "bar.time", bar.Time, TimeProblem.BeforeEarliest);
        }

        if (bar.Time <= previousTime)
        {
            return FailLocked(AbiCodes.EInvalidArgument, $"{export}: bar at {bar.Time} is not after the previous bar at {previousTime}: closed bars must arrive once each, in time order.");
        }

        try
        {
            _signal.CheckBar(bar.Time); // the higher-timeframe bias needs bars aligned to the chart period
        }
        catch (ArgumentException e)
        {
            return FailLocked(AbiCodes.EInvalidArgument, $"{export}: {e.Message}");
        }

        if (bar.Time > (MarketClock.LatestMs / 1000) - _config.TimeframeSeconds)
        {
            return RefuseTime(export, "bar.time", bar.Time, TimeProblem.AfterLatest);
        }

        return 0;
    }

    /// <summary>The close time of a closed bar, server ms (its open time plus the chart period).</summary>
    private long BarCloseMs(in MqlRates bar) => (bar.Time + _config.TimeframeSeconds) * 1000;

    /// <summary>
    /// The pending word every event handler returns (kimiea.h, THE CALL SEQUENCE): the instructions ready to poll
    /// (capped at KIMI_PENDING_INSTRUCTIONS), KIMI_PENDING_EVENTS when events or log lines wait, so the host makes no
    /// further call when nothing happened, and KIMI_PENDING_TIMER while the agent has time-driven work.
    /// </summary>
    private int Pending()
    {
        Promote();
        var pending = Math.Min(_instructions.ReadyCount, AbiCodes.PendingInstructions);
        if (!(_events.IsEmpty && _log.IsEmpty))
        {
            pending |= AbiCodes.PendingEvents;
        }

        return WantsTimer() ? pending | AbiCodes.PendingTimer : pending;
    }

    /// <summary>
    /// Whether kimi_on_timer can change anything for this agent: it owns positions (vertical barrier, breaker
    /// flattening, emergency closes must happen even without ticks), or instructions are staged, ready or unanswered,
    /// or entries wait for their fills or a reconciliation. A flat, idle agent has no timer work: the kill switch and
    /// the breaker only block new entries, which are decided on bars, and the breaker's day roll is taken on the next
    /// call (its transition is then journaled at that call's time).
    /// </summary>
    private bool WantsTimer() =>
        _positions.Count > 0 || _pendingOpens.Count > 0 || _awaitingSync || _instructions.AnyUnanswered;

    private void Promote() => _instructions.Promote(_journal?.DurableSequence ?? long.MaxValue);
}
