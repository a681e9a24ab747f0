using KimiEA.Core.Trading;

namespace KimiEA.Journal;

/// <summary>
/// One agent's state (magic + symbol) as a fold over journal rows: open intents, open positions, known deals,
/// per-setup statistics, plus the account-wide breaker state, halt flag and mode. The same fold serves the live
/// engine (apply each row as it is appended, and use <see cref="Apply"/>'s answer to drop duplicate reports) and the
/// restart (apply the rows read back), so the two can never disagree.
/// </summary>
public sealed class AgentLedger
{
    private const double VolumeEpsilon = 1e-9;
    private readonly Dictionary<long, OpenIntent> _intents = [];
    private readonly HashSet<long> _resolvedIntents = [];
    private readonly Dictionary<long, JournalPosition> _positions = [];
    private readonly HashSet<long> _deals = [];
    private readonly Dictionary<SetupKey, SetupStats> _stats = [];
    private readonly Dictionary<long, double> _partialProfit = [];
    private readonly HashSet<long> _closedPositions = [];

    /// <summary>Creates an empty ledger for the agent.</summary>
    public AgentLedger(long magic, string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        Magic = magic;
        Symbol = symbol;
    }

    /// <summary>The agent's magic number.</summary>
    public long Magic { get; }
    /// <summary>The agent's symbol.</summary>
    public string Symbol { get; }
    /// <summary>The breaker's opaque state from the latest breaker row when that row is an old-format blob row (else null).</summary>
    public byte[]? BreakerState { get; private set; }
    /// <summary>The breaker's state from the latest breaker row when that row records it in columns (else null).</summary>
    public JournalBreakerState? BreakerColumns { get; private set; }
    /// <summary>Breaker state code from the latest breaker row.</summary>
    public int BreakerCode { get; private set; }
    /// <summary>Day-start equity from the latest breaker row (0 when none).</summary>
    public double DayStartEquity { get; private set; }
    /// <summary>The engine halted itself (emergency stop or halt row not followed by a resume row).</summary>
    public bool EngineHalted { get; private set; }
    /// <summary>Reason of the latest engine halt or emergency stop.</summary>
    public string? EngineHaltReason { get; private set; }
    /// <summary>Latest execution mode recorded for the agent or the account (null when none).</summary>
    public string? Mode { get; private set; }
    /// <summary>Number of rows applied (including ignored duplicates).</summary>
    public long RowsSeen { get; private set; }

    /// <summary>Open intents, by intent id.</summary>
    public IReadOnlyList<OpenIntent> OpenIntents => Sorted(_intents);
    /// <summary>Open positions, by ticket.</summary>
    public IReadOnlyList<JournalPosition> OpenPositions => Sorted(_positions);
    /// <summary>Per (symbol, setup) closed-trade statistics.</summary>
    public IReadOnlyDictionary<SetupKey, SetupStats> SetupStatistics => _stats;

    /// <summary>True when the deal ticket was already recorded as a fill or close.</summary>
    public bool KnowsDeal(long deal) => deal != 0 && _deals.Contains(deal);

    /// <summary>
    /// True when a position with this ticket was recorded as fully closed (and is not open again): a deal that opened
    /// it, reported again (history forwarded after a restart), belongs to a finished trade.
    /// </summary>
    public bool WasClosed(long ticket) => ticket != 0 && _closedPositions.Contains(ticket) && !_positions.ContainsKey(ticket);

    /// <summary>True when the intent id was ever journaled (open or resolved): never issue an instruction for it again.</summary>
    public bool HasSeenIntent(long intentId) => _intents.ContainsKey(intentId) || _resolvedIntents.Contains(intentId);

    /// <summary>The open position with this ticket, if any.</summary>
    public bool TryGetPosition(long ticket, out JournalPosition position) => _positions.TryGetValue(ticket, out position);

    /// <summary>The open intent with this id, if any.</summary>
    public bool TryGetIntent(long intentId, out OpenIntent intent) => _intents.TryGetValue(intentId, out intent);

    /// <summary>A deep copy (used by reconciliation, which must not change its input).</summary>
    public AgentLedger Clone()
    {
        var c = new AgentLedger(Magic, Symbol)
        {
            BreakerState = BreakerState, BreakerColumns = BreakerColumns, BreakerCode = BreakerCode, DayStartEquity = DayStartEquity,
            EngineHalted = EngineHalted, EngineHaltReason = EngineHaltReason, Mode = Mode, RowsSeen = RowsSeen,
        };
        foreach (var kv in _intents) c._intents.Add(kv.Key, kv.Value);
        foreach (var id in _resolvedIntents) c._resolvedIntents.Add(id);
        foreach (var kv in _positions) c._positions.Add(kv.Key, kv.Value);
        foreach (var d in _deals) c._deals.Add(d);
        foreach (var kv in _stats) c._stats.Add(kv.Key, kv.Value);
        foreach (var kv in _partialProfit) c._partialProfit.Add(kv.Key, kv.Value);
        foreach (var t in _closedPositions) c._closedPositions.Add(t);
        return c;
    }

    /// <summary>
    /// Folds one row in. Returns false when the row does not concern this agent or changes nothing (a duplicate
    /// deal, a second intent row with a known id, a fill for an unknown ticket already closed).
    /// </summary>
    public bool Apply(in JournalEvent e)
    {
        var accountWide = JournalEventKinds.IsAccountWide(e.Kind) || (e.Kind == JournalEventKind.ModeChange && e.Magic == 0);
        if (!accountWide && (e.Magic != Magic || !string.Equals(e.Symbol, Symbol, StringComparison.Ordinal)))
            return false;
        RowsSeen++;
        switch (e.Kind)
        {
            case JournalEventKind.Intent:
                if (HasSeenIntent(e.IntentId))
                    return false;
                _intents.Add(e.IntentId, new OpenIntent(e.IntentId, e.Time, e.Direction, e.Price, e.StopLoss, e.TakeProfit,
                    e.Volume, e.Confidence, e.SetupId, false, false, 0, 0, Math.Max(0, e.Code)));
                return true;
            case JournalEventKind.InstructionIssued:
                if (!_intents.TryGetValue(e.IntentId, out var issued) || issued.InstructionIssued)
                    return false;
                _intents[e.IntentId] = issued with { InstructionIssued = true };
                return true;
            case JournalEventKind.OrderResult:
                if (!_intents.TryGetValue(e.IntentId, out var sent))
                    return false;
                if (OrderRetcodes.IsRejected(e.Code))
                    Resolve(e.IntentId);
                else
                    _intents[e.IntentId] = sent with { ResultReceived = true, LastRetcode = e.Code, Ticket = e.Ticket != 0 ? e.Ticket : sent.Ticket };
                return true;
            case JournalEventKind.Fill:
                return ApplyFill(e);
            case JournalEventKind.Modify:
                if (!_positions.TryGetValue(e.Ticket, out var p))
                    return false;
                _positions[e.Ticket] = p with { StopLoss = e.StopLoss, TakeProfit = e.TakeProfit, Volume = e.Volume > 0 ? e.Volume : p.Volume };
                return true;
            case JournalEventKind.Close:
                return ApplyClose(e);
            case JournalEventKind.Denial:
                if (!_intents.ContainsKey(e.IntentId))
                    return false;
                Resolve(e.IntentId);
                return true;
            case JournalEventKind.Reconciliation:
                if ((ReconcileActionKind)e.Code == ReconcileActionKind.AbandonIntent && _intents.ContainsKey(e.IntentId))
                {
                    Resolve(e.IntentId);
                    return true;
                }
                return false;
            case JournalEventKind.BreakerTransition:
                BreakerState = e.Blob;
                BreakerColumns = e.Blob is null
                    ? new JournalBreakerState((long)e.Volume, e.Equity, e.SetupId, (long)e.Price, e.Profit)
                    : null;
                BreakerCode = e.Code;
                DayStartEquity = e.Equity;
                return true;
            case JournalEventKind.EmergencyStop or JournalEventKind.Halt:
                EngineHalted = true;
                EngineHaltReason = e.Text;
                return true;
            case JournalEventKind.Resume:
                EngineHalted = false;
                return true;
            case JournalEventKind.ModeChange:
                Mode = e.Mode;
                return true;
            default:
                return false;
        }
    }

    private bool ApplyFill(in JournalEvent e)
    {
        if (KnowsDeal(e.Deal))
            return false;
        if (_positions.TryGetValue(e.Ticket, out var existing))
        {
            // Without a deal ticket a second fill of an open position cannot be told from a repeated report: it is
            // treated as one (as the trades view does), so a duplicate never doubles the volume.
            if (e.Deal == 0)
                return false;
            // A further deal into the same position (partial fills): volume-weighted entry.
            var volume = existing.Volume + e.Volume;
            var price = volume > 0 ? (existing.EntryPrice * existing.Volume + e.Price * e.Volume) / volume : existing.EntryPrice;
            _positions[e.Ticket] = existing with { Volume = volume, EntryPrice = price };
            _deals.Add(e.Deal);
        }
        else
        {
            int setup = 0;
            double confidence = 0;
            // The position's own bar limit: its fill row says it; journals written before fills carried it have it
            // on the intent row.
            var maxBars = Math.Max(0, e.Code);
            if (_intents.TryGetValue(e.IntentId, out var intent))
            {
                setup = intent.SetupId;
                confidence = intent.Confidence;
                maxBars = maxBars > 0 ? maxBars : intent.MaxBars;
            }
            _positions.Add(e.Ticket, new JournalPosition(e.Ticket, e.IntentId, e.Direction, e.Volume, e.Price, e.Time,
                e.StopLoss, e.TakeProfit, setup, confidence, maxBars));
            if (e.Deal != 0)
                _deals.Add(e.Deal);
        }
        if (e.IntentId != 0)
            Resolve(e.IntentId);
        return true;
    }

    private bool ApplyClose(in JournalEvent e)
    {
        if (KnowsDeal(e.Deal))
            return false;
        if (!_positions.TryGetValue(e.Ticket, out var p))
            return false;
        if (e.Deal != 0)
            _deals.Add(e.Deal);
        var remaining = e.Volume > 0 ? p.Volume - e.Volume : 0;
        _partialProfit.TryGetValue(e.Ticket, out var earlier);
        var profit = earlier + (double.IsFinite(e.Profit) ? e.Profit : 0);
        if (remaining > VolumeEpsilon)
        {
            // A partial close: its P&L counts towards the trade's outcome when the last lot is closed.
            _positions[e.Ticket] = p with { Volume = remaining };
            _partialProfit[e.Ticket] = profit;
            return true;
        }
        _positions.Remove(e.Ticket);
        _partialProfit.Remove(e.Ticket);
        _closedPositions.Add(e.Ticket);
        // A close found during reconciliation without its deal has no known P&L: it must not bias the statistics.
        if (e.ExitReason == ExitReason.Reconciled && e.Deal == 0)
            return true;
        var key = new SetupKey(Symbol, p.SetupId);
        _stats.TryGetValue(key, out var s);
        _stats[key] = profit > 0
            ? s with { Wins = s.Wins + 1, GrossProfit = s.GrossProfit + profit }
            : s with { Losses = s.Losses + 1, GrossLoss = s.GrossLoss - profit };
        return true;
    }

    private void Resolve(long intentId)
    {
        _intents.Remove(intentId);
        _resolvedIntents.Add(intentId);
    }

    private static T[] Sorted<T>(Dictionary<long, T> map)
    {
        var keys = new long[map.Count];
        var values = new T[map.Count];
        var i = 0;
        foreach (var kv in map)
        {
            keys[i] = kv.Key;
            values[i++] = kv.Value;
        }
        Array.Sort(keys, values);
        return values;
    }
}
