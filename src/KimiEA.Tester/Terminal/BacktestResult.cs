using KimiEA.Core.Market;
using KimiEA.Tester.Server;
using KimiEA.Tester.Stats;

namespace KimiEA.Tester.Terminal;

/// <summary>A breaker transition reported by the engine (KIMI_EVT_BREAKER).</summary>
/// <param name="TimeMsc">Server time.</param>
/// <param name="Symbol">The agent that reported it.</param>
/// <param name="State">The new state's name (ACTIVE, REDUCING_ONLY, HALTED ...).</param>
/// <param name="Equity">Equity at the transition.</param>
public sealed record BreakerEvent(long TimeMsc, string Symbol, string State, double Equity);

/// <summary>A trade signal the engine produced (KIMI_EVT_SIGNAL), for the chart.</summary>
/// <param name="TimeMsc">Server time.</param>
/// <param name="Direction">+1 / −1.</param>
/// <param name="Price">Reference price.</param>
/// <param name="Confidence">The confidence the gate compared with min / auto.</param>
public readonly record struct SignalMark(long TimeMsc, int Direction, double Price, double Confidence);

/// <summary>
/// One signal of the run and what became of it: the engine's denial reason (e.g. ConfidenceBelowMinimum,
/// SimulationOnly), "awaiting approval" then ApprovalExpired / ApprovalSkipped when it sat in the approval band, or
/// "order sent" when it handed out an open instruction (also after an approval).
/// </summary>
/// <param name="TimeMsc">Server time of the signal.</param>
/// <param name="Symbol">The agent's symbol.</param>
/// <param name="Direction">+1 / −1.</param>
/// <param name="Price">Reference price.</param>
/// <param name="Confidence">The confidence the gate compared with min / auto (probability the trade's expectancy is positive).</param>
/// <param name="Outcome">What happened to it.</param>
/// <param name="HitProbability">The calibrated probability that its take-profit comes first (what Kelly sizes with).</param>
public sealed record SignalRecord(long TimeMsc, string Symbol, int Direction, double Price, double Confidence, string Outcome, double HitProbability = 0)
{
    /// <summary>The outcome of a signal the engine did not refuse.</summary>
    public const string OrderSent = "order sent";

    /// <summary>The outcome of a signal in the approval band while the trader has not decided.</summary>
    public const string AwaitingApproval = "awaiting approval";

    /// <summary>What happened to it.</summary>
    public string Outcome { get; internal set; } = Outcome;
}

/// <summary>The chart of one symbol: the last closed bars of the chart timeframe and the engine's signals on them.</summary>
public sealed class SymbolChart
{
    private readonly int _capacity;
    private readonly Queue<MqlRates> _bars = new();
    private readonly Queue<SignalMark> _signals = new();

    /// <summary>Creates an empty chart keeping at most <paramref name="capacity"/> bars (the latest) so memory stays flat.</summary>
    public SymbolChart(string symbol, int digits, int capacity)
    {
        Symbol = symbol;
        Digits = digits;
        _capacity = Math.Max(1, capacity);
    }

    /// <summary>Symbol name.</summary>
    public string Symbol { get; }
    /// <summary>Price digits.</summary>
    public int Digits { get; }
    /// <summary>The kept bars, oldest first.</summary>
    public IReadOnlyCollection<MqlRates> Bars => _bars;
    /// <summary>The kept signals, oldest first.</summary>
    public IReadOnlyCollection<SignalMark> Signals => _signals;
    /// <summary>Every closed bar the chart saw, kept or not.</summary>
    public long BarCount { get; private set; }

    /// <summary>Adds a closed bar.</summary>
    public void Add(in MqlRates bar)
    {
        if (_bars.Count == _capacity)
        {
            _bars.Dequeue();
        }

        _bars.Enqueue(bar);
        BarCount++;
    }

    /// <summary>Adds a signal.</summary>
    public void Add(SignalMark signal)
    {
        if (_signals.Count == _capacity)
        {
            _signals.Dequeue();
        }

        _signals.Enqueue(signal);
    }
}

/// <summary>Counters of a run.</summary>
public sealed class RunCounters
{
    /// <summary>Prices the server processed (real or generated ticks).</summary>
    public long Ticks { get; internal set; }
    /// <summary>Calls of kimi_on_tick.</summary>
    public long EngineTicks { get; internal set; }
    /// <summary>Closed bars handed to kimi_on_bar.</summary>
    public long Bars { get; internal set; }
    /// <summary>Calls of kimi_get_zones (one after each closed bar, as the EA draws its zones).</summary>
    public long ZoneCalls { get; internal set; }
    /// <summary>Zone records kimi_get_zones returned over the run (at most <see cref="SimulatedTerminal.ZoneCapacity"/> per call).</summary>
    public long Zones { get; internal set; }
    /// <summary>Calls of kimi_on_timer.</summary>
    public long Timers { get; internal set; }
    /// <summary>Bars handed to kimi_warmup.</summary>
    public long WarmupBars { get; internal set; }
    /// <summary>Warm-up bars the charts asked for (the EA input warmup_bars, summed over the charts); more than <see cref="WarmupBars"/> when the data before the start was too short.</summary>
    public long WarmupBarsWanted { get; internal set; }
    /// <summary>Instructions executed.</summary>
    public long Instructions { get; internal set; }
    /// <summary>Deals delivered through kimi_on_trade_transaction.</summary>
    public long DealsDelivered { get; internal set; }
    /// <summary>Engine signals (KIMI_EVT_SIGNAL).</summary>
    public long Signals { get; internal set; }
    /// <summary>KIMI_EVT_ERROR events.</summary>
    public long EngineErrors { get; internal set; }
    /// <summary>Same-bar SL/TP cases resolved by the ambiguity rule.</summary>
    public long AmbiguousExits { get; internal set; }
    /// <summary>Positions closed by stop-out.</summary>
    public long StopOuts { get; internal set; }
    /// <summary>Log lines the engine wrote.</summary>
    public long LogLines { get; internal set; }

    /// <summary>Intents that waited for the trader's approval (confidence between the min and the auto-execute level).</summary>
    public long AwaitingApproval { get; internal set; }
    /// <summary>Server time of the first processed price (ms), 0 when none.</summary>
    public long FirstTimeMsc { get; internal set; }
    /// <summary>Server time of the last processed price (ms).</summary>
    public long LastTimeMsc { get; internal set; }
}

/// <summary>Everything a run produced.</summary>
public sealed class BacktestResult
{
    /// <summary>The statistics.</summary>
    public required BacktestStatistics Statistics { get; init; }
    /// <summary>Closed trades in closing order.</summary>
    public required IReadOnlyList<ClosedTrade> Trades { get; init; }
    /// <summary>Equity curve (bounded).</summary>
    public required IReadOnlyList<CurvePoint> Curve { get; init; }
    /// <summary>Chart per symbol.</summary>
    public required IReadOnlyList<SymbolChart> Charts { get; init; }
    /// <summary>Counters.</summary>
    public required RunCounters Counters { get; init; }
    /// <summary>Instruction results by retcode name.</summary>
    public required IReadOnlyDictionary<string, long> ResultsByRetcode { get; init; }
    /// <summary>Engine denials by reason name.</summary>
    public required IReadOnlyDictionary<string, long> DenialsByReason { get; init; }
    /// <summary>Breaker transitions.</summary>
    public required IReadOnlyList<BreakerEvent> BreakerEvents { get; init; }
    /// <summary>Every signal with its confidence and outcome, in time order (the first <see cref="SimulatedTerminal.SignalLogCapacity"/>; <see cref="RunCounters.Signals"/> counts all).</summary>
    public IReadOnlyList<SignalRecord> SignalLog { get; init; } = [];
    /// <summary>The first engine log lines (the count of all is in <see cref="RunCounters.LogLines"/>).</summary>
    public required IReadOnlyList<string> LogLines { get; init; }
}
