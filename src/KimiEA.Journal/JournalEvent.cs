using KimiEA.Core.Trading;

namespace KimiEA.Journal;

/// <summary>
/// One journal row as the engine appends it. A plain struct so that <see cref="TradeJournal.Append"/> only copies
/// it: reference fields (<see cref="Symbol"/>, <see cref="Mode"/>, <see cref="Text"/>, <see cref="Blob"/>) should be
/// strings and arrays the caller already holds (the agent's symbol, constant reason texts), so appending allocates
/// nothing. Which fields matter depends on <see cref="Kind"/>; the static factories set exactly those. Times are
/// whatever clock the caller runs on (MT5 server time or the tester's clock); the journal never reads a clock.
/// </summary>
public readonly record struct JournalEvent
{
    /// <summary>What the row records.</summary>
    public JournalEventKind Kind { get; init; }
    /// <summary>
    /// Event time since 1970 on the caller's clock, in one unit used consistently for the whole file (the engine
    /// writes MT5 milliseconds, time_msc). The journal never interprets it except to display it.
    /// </summary>
    public long Time { get; init; }
    /// <summary>The agent's magic number (0 for account-wide rows).</summary>
    public long Magic { get; init; }
    /// <summary>The agent's symbol (null for account-wide rows).</summary>
    public string? Symbol { get; init; }
    /// <summary>The engine's deterministic intent id (0 when the row is not about an intent).</summary>
    public long IntentId { get; init; }
    /// <summary>Position ticket (MT5 POSITION_TICKET), 0 when unknown.</summary>
    public long Ticket { get; init; }
    /// <summary>Deal ticket (MT5 DEAL_TICKET) for fills and closes, 0 when unknown.</summary>
    public long Deal { get; init; }
    /// <summary>Trade direction.</summary>
    public Direction Direction { get; init; }
    /// <summary>Price: intended entry (intent), fill price (fill, order result), exit price (close).</summary>
    public double Price { get; init; }
    /// <summary>Volume in lots.</summary>
    public double Volume { get; init; }
    /// <summary>Stop-loss price.</summary>
    public double StopLoss { get; init; }
    /// <summary>Take-profit price.</summary>
    public double TakeProfit { get; init; }
    /// <summary>Confidence in [0, 1]: the posterior probability that the trade's expectancy in R is positive (signal and intent rows).</summary>
    public double Confidence { get; init; }
    /// <summary>Calibrated probability that the take-profit comes first, with the agent's record (signal and intent rows; Kelly sizes with it).</summary>
    public double HitProbability { get; init; }
    /// <summary>Realised P&amp;L of a close, account currency (profit + commission + swap as the caller sums them).</summary>
    public double Profit { get; init; }
    /// <summary>Equity figure: the day-start equity on breaker rows.</summary>
    public double Equity { get; init; }
    /// <summary>Price distance of one pip for the symbol (e.g. 10 × point on 5- and 3-digit quotes); used for the trades' pips.</summary>
    public double PipSize { get; init; }
    /// <summary>Setup id of the signal (per-setup statistics).</summary>
    public int SetupId { get; init; }
    /// <summary>
    /// Kind-specific code: the confluence factors (signal), the vertical barrier in bars (intent and fill: the
    /// position's own bar limit, 0 = none or unknown), OrderSend retcode, breaker state code, <see cref="ReconcileActionKind"/>.
    /// </summary>
    public int Code { get; init; }
    /// <summary>Exit reason of a close row.</summary>
    public ExitReason ExitReason { get; init; }
    /// <summary>Execution mode name (as the engine names its modes), stored on intents, fills and mode changes.</summary>
    public string? Mode { get; init; }
    /// <summary>Human-readable reason or note.</summary>
    public string? Text { get; init; }
    /// <summary>Opaque bytes (the risk library's breaker state on breaker rows); the journal never interprets them.</summary>
    public byte[]? Blob { get; init; }

    /// <summary>A signal as produced, before risk checks.</summary>
    public static JournalEvent Signal(long time, long magic, string symbol, in TradeIntent intent) => new()
    {
        Kind = JournalEventKind.Signal, Time = time, Magic = magic, Symbol = symbol, Direction = intent.Direction,
        Price = intent.Entry, StopLoss = intent.StopLoss, TakeProfit = intent.TakeProfit,
        Confidence = intent.Confidence, HitProbability = intent.HitProbability, SetupId = intent.SetupId, Code = (int)intent.Factors,
    };

    /// <summary>A sized, approved intent. Hand its instruction out only once <see cref="TradeJournal.DurableSequence"/> has reached this row.</summary>
    public static JournalEvent Intent(long time, long magic, string symbol, long intentId, in TradeIntent intent, double volume, string? mode) => new()
    {
        Kind = JournalEventKind.Intent, Time = time, Magic = magic, Symbol = symbol, IntentId = intentId,
        Direction = intent.Direction, Price = intent.Entry, StopLoss = intent.StopLoss, TakeProfit = intent.TakeProfit,
        Volume = volume, Confidence = intent.Confidence, HitProbability = intent.HitProbability, SetupId = intent.SetupId,
        Code = intent.MaxHoldingBars, Mode = mode,
    };

    /// <summary>The open instruction for <paramref name="intentId"/> was handed to the EA.</summary>
    public static JournalEvent InstructionIssued(long time, long magic, string symbol, long intentId) => new()
    {
        Kind = JournalEventKind.InstructionIssued, Time = time, Magic = magic, Symbol = symbol, IntentId = intentId,
    };

    /// <summary>The OrderSend result the EA reported for an intent's instruction.</summary>
    public static JournalEvent OrderResult(long time, long magic, string symbol, long intentId, int retcode, long ticket, double price, double volume) => new()
    {
        Kind = JournalEventKind.OrderResult, Time = time, Magic = magic, Symbol = symbol, IntentId = intentId,
        Code = retcode, Ticket = ticket, Price = price, Volume = volume,
    };

    /// <summary>
    /// A deal that opened (or added to) position <paramref name="ticket"/>; <paramref name="maxBars"/> is the position's
    /// vertical barrier in bars (kept across restarts; 0 = take it from the intent row, or none).
    /// </summary>
    public static JournalEvent Fill(long time, long magic, string symbol, long intentId, long ticket, long deal, Direction direction,
        double price, double volume, double stopLoss, double takeProfit, double pipSize, string? mode, int maxBars = 0) => new()
    {
        Kind = JournalEventKind.Fill, Time = time, Magic = magic, Symbol = symbol, IntentId = intentId, Ticket = ticket,
        Deal = deal, Direction = direction, Price = price, Volume = volume, StopLoss = stopLoss, TakeProfit = takeProfit,
        PipSize = pipSize, Mode = mode, Code = maxBars,
    };

    /// <summary>New SL/TP of a position (and, when <paramref name="volume"/> &gt; 0, its volume as the broker reports it).</summary>
    public static JournalEvent Modify(long time, long magic, string symbol, long ticket, double stopLoss, double takeProfit, double volume = 0) => new()
    {
        Kind = JournalEventKind.Modify, Time = time, Magic = magic, Symbol = symbol, Ticket = ticket,
        StopLoss = stopLoss, TakeProfit = takeProfit, Volume = volume,
    };

    /// <summary>A deal that closed <paramref name="volume"/> lots of position <paramref name="ticket"/> (0 = the whole position).</summary>
    public static JournalEvent Close(long time, long magic, string symbol, long ticket, long deal, double price, double volume,
        double profit, ExitReason reason, string? text = null) => new()
    {
        Kind = JournalEventKind.Close, Time = time, Magic = magic, Symbol = symbol, Ticket = ticket, Deal = deal,
        Price = price, Volume = volume, Profit = profit, ExitReason = reason, Text = text,
    };

    /// <summary>The risk core refused (intent id may be 0 when the refusal came before an intent existed).</summary>
    public static JournalEvent Denial(long time, long magic, string symbol, long intentId, string reason) => new()
    {
        Kind = JournalEventKind.Denial, Time = time, Magic = magic, Symbol = symbol, IntentId = intentId, Text = reason,
    };

    /// <summary>An intent in the approval band waits for the trader (sized volume, confidence and prices as proposed).</summary>
    public static JournalEvent ApprovalRequested(long time, long magic, string symbol, long intentId, in TradeIntent intent, double volume) => new()
    {
        Kind = JournalEventKind.ApprovalRequested, Time = time, Magic = magic, Symbol = symbol, IntentId = intentId,
        Direction = intent.Direction, Price = intent.Entry, StopLoss = intent.StopLoss, TakeProfit = intent.TakeProfit,
        Volume = volume, Confidence = intent.Confidence, SetupId = intent.SetupId,
    };

    /// <summary>What became of an intent that waited for approval.</summary>
    public static JournalEvent ApprovalDecision(long time, long magic, string symbol, long intentId, ApprovalOutcome outcome, string reason) => new()
    {
        Kind = JournalEventKind.ApprovalDecision, Time = time, Magic = magic, Symbol = symbol, IntentId = intentId, Code = (int)outcome, Text = reason,
    };

    /// <summary>
    /// The account-wide breaker changed state (journals written before 2026-12 hold it as an opaque blob:
    /// <paramref name="state"/> is the risk library's own serialised state).
    /// </summary>
    public static JournalEvent BreakerTransition(long time, int stateCode, byte[] state, double dayStartEquity, string? reason) => new()
    {
        Kind = JournalEventKind.BreakerTransition, Time = time, Code = stateCode, Blob = state, Equity = dayStartEquity, Text = reason,
    };

    /// <summary>
    /// The account-wide breaker's state (a transition, or the start of a trading day) in plain columns, so recording it
    /// allocates nothing: the trading day in <see cref="Volume"/>, the day's reference equity in <see cref="Equity"/>,
    /// the risk library's status value in <see cref="SetupId"/>, the trip time (ms) in <see cref="Price"/> and the
    /// equity at the trip in <see cref="Profit"/> (integers below 2⁵³ are exact in a double). <see cref="Code"/> is the
    /// ABI breaker code, as on every breaker row.
    /// </summary>
    public static JournalEvent BreakerRecord(long time, int stateCode, in JournalBreakerState state, string? reason) => new()
    {
        Kind = JournalEventKind.BreakerTransition, Time = time, Code = stateCode, Volume = state.TradingDay, Equity = state.ReferenceEquity,
        SetupId = state.Status, Price = state.TrippedAtMs, Profit = state.TripEquity, Text = reason,
    };

    /// <summary>The execution mode of an agent (or of the account when <paramref name="magic"/> is 0) changed.</summary>
    public static JournalEvent ModeChange(long time, long magic, string? symbol, string mode, string? reason) => new()
    {
        Kind = JournalEventKind.ModeChange, Time = time, Magic = magic, Symbol = symbol, Mode = mode, Text = reason,
    };

    /// <summary>A chart's agent was created (attached): from here on it manages its own positions (<see cref="ModeChange"/> row, code 1).</summary>
    public static JournalEvent AgentAttached(long time, long magic, string symbol, string mode) =>
        ModeChange(time, magic, symbol, mode, "agent created") with { Code = ModeChangeAttached };

    /// <summary>A chart's agent was detached (<see cref="ModeChange"/> row, code 2).</summary>
    public static JournalEvent AgentDetached(long time, long magic, string symbol, string mode, string reason) =>
        ModeChange(time, magic, symbol, mode, reason) with { Code = ModeChangeDetached };

    /// <summary>Code of a <see cref="JournalEventKind.ModeChange"/> row written when an agent is created.</summary>
    public const int ModeChangeAttached = 1;

    /// <summary>Code of a <see cref="JournalEventKind.ModeChange"/> row written when an agent is detached.</summary>
    public const int ModeChangeDetached = 2;

    /// <summary>
    /// A position left open by a detached chart, with what it keeps reserved in the account book: the money at risk
    /// to its stop in <see cref="Profit"/> and its notional in <see cref="Equity"/> (account currency).
    /// </summary>
    public static JournalEvent PositionDetached(long time, long magic, string symbol, long ticket, Direction direction, double volume, double entry, double riskMoney, double notional) => new()
    {
        Kind = JournalEventKind.PositionDetached, Time = time, Magic = magic, Symbol = symbol, Ticket = ticket, Direction = direction,
        Volume = volume, Price = entry, Profit = riskMoney, Equity = notional,
    };

    /// <summary>The panel's "close this chart's positions" click (<see cref="JournalEventKind.ManualClose"/>).</summary>
    public static JournalEvent ManualClose(long time, long magic, string symbol, int openPositions) => new()
    {
        Kind = JournalEventKind.ManualClose, Time = time, Magic = magic, Symbol = symbol, Code = openPositions,
        Text = openPositions == 0
            ? "close requested from the chart panel: no position was open"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"close requested from the chart panel: {openPositions} position(s)"),
    };

    /// <summary>The emergency stop fired (account-wide; trading halts).</summary>
    public static JournalEvent EmergencyStop(long time, string reason) => new()
    {
        Kind = JournalEventKind.EmergencyStop, Time = time, Text = reason,
    };

    /// <summary>The engine halted trading (account-wide).</summary>
    public static JournalEvent Halt(long time, string reason) => new()
    {
        Kind = JournalEventKind.Halt, Time = time, Text = reason,
    };

    /// <summary>The engine resumed trading (account-wide).</summary>
    public static JournalEvent Resume(long time, string? reason) => new()
    {
        Kind = JournalEventKind.Resume, Time = time, Text = reason,
    };

    /// <summary>A reconciliation decision about an intent and/or position.</summary>
    public static JournalEvent Reconciliation(long time, long magic, string symbol, ReconcileActionKind action, long intentId, long ticket, string text) => new()
    {
        Kind = JournalEventKind.Reconciliation, Time = time, Magic = magic, Symbol = symbol, Code = (int)action,
        IntentId = intentId, Ticket = ticket, Text = text,
    };
}
