namespace KimiEA.Journal;

/// <summary>
/// What a journal row records. The numeric values are stored in the journal file; never renumber.
/// </summary>
public enum JournalEventKind
{
    /// <summary>Not a valid event (the default value of an uninitialised struct).</summary>
    None = 0,
    /// <summary>A signal produced a trade intent candidate (before risk checks).</summary>
    Signal = 1,
    /// <summary>A sized, risk-approved intent; committed before its instruction is handed out ("intent before action").</summary>
    Intent = 2,
    /// <summary>The open instruction for an intent was handed to the EA.</summary>
    InstructionIssued = 3,
    /// <summary>The EA reported the OrderSend result (retcode, ticket, price, volume).</summary>
    OrderResult = 4,
    /// <summary>A deal opened (or added to) a position.</summary>
    Fill = 5,
    /// <summary>A position's SL/TP (or volume, after reconciliation) changed.</summary>
    Modify = 6,
    /// <summary>A deal closed (part of) a position, with the exit reason and P&amp;L.</summary>
    Close = 7,
    /// <summary>The risk core refused a signal or intent; the reason is in the text.</summary>
    Denial = 8,
    /// <summary>The daily drawdown breaker changed state; carries the opaque breaker state and the day-start equity.</summary>
    BreakerTransition = 9,
    /// <summary>The execution mode changed.</summary>
    ModeChange = 10,
    /// <summary>The emergency stop fired (account-wide).</summary>
    EmergencyStop = 11,
    /// <summary>The engine halted trading (account-wide).</summary>
    Halt = 12,
    /// <summary>The engine resumed trading (account-wide).</summary>
    Resume = 13,
    /// <summary>A reconciliation decision (see <see cref="ReconcileActionKind"/> in the code field).</summary>
    Reconciliation = 14,
    /// <summary>An intent in the chart's approval band (min ≤ confidence &lt; auto-execute) waits for the trader; intent_id is its id.</summary>
    ApprovalRequested = 15,
    /// <summary>What became of an intent that waited for approval (code: <see cref="ApprovalOutcome"/>).</summary>
    ApprovalDecision = 16,
    /// <summary>
    /// A chart was detached while this position of its agent was open: the money at risk (profit column) and the
    /// notional (equity column) it keeps reserved in the account book until it closes or the chart comes back.
    /// </summary>
    PositionDetached = 17,
    /// <summary>
    /// The trader asked, from the chart's panel, to close this chart's positions (kimi_close_positions); the text says
    /// how many were open. The closes themselves follow as instruction, result and close rows.
    /// </summary>
    ManualClose = 18,
}

/// <summary>The outcome of an intent that waited for the trader's approval (code of <see cref="JournalEventKind.ApprovalDecision"/> rows).</summary>
public enum ApprovalOutcome
{
    /// <summary>The trader approved it; the gate then decided it again at the current market.</summary>
    Approved = 1,
    /// <summary>The trader skipped it.</summary>
    Skipped = 2,
    /// <summary>No decision before the expiry (or the chart was detached).</summary>
    Expired = 3,
}

/// <summary>Helpers over <see cref="JournalEventKind"/>.</summary>
public static class JournalEventKinds
{
    /// <summary>The highest defined kind value.</summary>
    public const JournalEventKind Max = JournalEventKind.ManualClose;

    /// <summary>True for a defined kind other than <see cref="JournalEventKind.None"/>.</summary>
    public static bool IsDefined(JournalEventKind kind) => kind > JournalEventKind.None && kind <= Max;

    /// <summary>
    /// True for order-lifecycle and safety rows: a batch that holds one is committed with <c>synchronous=FULL</c>
    /// (the WAL is fsynced before <see cref="TradeJournal.DurableSequence"/> moves past it).
    /// </summary>
    public static bool IsLifecycle(JournalEventKind kind) =>
        kind is not (JournalEventKind.Signal or JournalEventKind.Denial or JournalEventKind.ModeChange or JournalEventKind.None
            or JournalEventKind.ApprovalRequested or JournalEventKind.ApprovalDecision);

    /// <summary>True for rows that concern the whole account rather than one agent (restored for every agent).</summary>
    public static bool IsAccountWide(JournalEventKind kind) =>
        kind is JournalEventKind.BreakerTransition or JournalEventKind.EmergencyStop or JournalEventKind.Halt
            or JournalEventKind.Resume;

    /// <summary>Upper-case name used by the commands and CSV export.</summary>
    public static string ToCode(this JournalEventKind kind) => kind switch
    {
        JournalEventKind.Signal => "SIGNAL",
        JournalEventKind.Intent => "INTENT",
        JournalEventKind.InstructionIssued => "INSTRUCTION",
        JournalEventKind.OrderResult => "ORDER_RESULT",
        JournalEventKind.Fill => "FILL",
        JournalEventKind.Modify => "MODIFY",
        JournalEventKind.Close => "CLOSE",
        JournalEventKind.Denial => "DENIAL",
        JournalEventKind.BreakerTransition => "BREAKER",
        JournalEventKind.ModeChange => "MODE",
        JournalEventKind.EmergencyStop => "EMERGENCY_STOP",
        JournalEventKind.Halt => "HALT",
        JournalEventKind.Resume => "RESUME",
        JournalEventKind.Reconciliation => "RECONCILIATION",
        JournalEventKind.ApprovalRequested => "APPROVAL_REQUESTED",
        JournalEventKind.ApprovalDecision => "APPROVAL_DECISION",
        JournalEventKind.PositionDetached => "POSITION_DETACHED",
        JournalEventKind.ManualClose => "MANUAL_CLOSE",
        _ => "NONE",
    };
}
