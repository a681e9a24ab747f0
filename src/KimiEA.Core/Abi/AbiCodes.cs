namespace KimiEA.Core.Abi;

/// <summary>
/// Every <c>#define</c> of include/kimiea.h (status codes and enumeration values), named without the KIMI_ prefix.
/// The ABI drift test checks that this class and the header agree.
/// </summary>
public static class AbiCodes
{
    /// <summary>KIMI_ABI_VERSION</summary>
    public const int AbiVersion = 4;
    /// <summary>KIMI_OK</summary>
    public const int Ok = 0;
    /// <summary>KIMI_E_INVALID_HANDLE: unknown or destroyed handle</summary>
    public const int EInvalidHandle = -1;
    /// <summary>KIMI_E_INVALID_ARGUMENT: null pointer, NaN price, negative capacity, bad enum value ...</summary>
    public const int EInvalidArgument = -2;
    /// <summary>KIMI_E_ABI_MISMATCH: version or struct size differs from the library's</summary>
    public const int EAbiMismatch = -3;
    /// <summary>KIMI_E_STATE: call out of sequence (e.g. a result for an unknown instruction)</summary>
    public const int EState = -4;
    /// <summary>KIMI_E_INTERNAL: an unexpected exception inside the engine; text via kimi_last_error</summary>
    public const int EInternal = -5;
    /// <summary>KIMI_E_BUFFER_TOO_SMALL: reserved: text out is truncated to the buffer instead (see below)</summary>
    public const int EBufferTooSmall = -6;
    /// <summary>KIMI_E_CONFIG: kimi_create: invalid input, or a mode the account refuses (paper on a non-demo account, live without opt-in or not allow-listed)</summary>
    public const int EConfig = -7;
    /// <summary>KIMI_E_JOURNAL: the journal cannot be opened (the agent is created halted instead when possible)</summary>
    public const int EJournal = -8;
    /// <summary>KIMI_E_UNKNOWN_INTENT: kimi_approve: no intent with that id ever waited for approval on this chart</summary>
    public const int EUnknownIntent = -9;
    /// <summary>KIMI_E_EXPIRED: kimi_approve: the intent's approval window has passed (or its chart was detached)</summary>
    public const int EExpired = -10;
    /// <summary>KIMI_PENDING_INSTRUCTIONS: mask 0xFFFF: instructions ready for kimi_poll_instructions</summary>
    public const int PendingInstructions = 65535;
    /// <summary>KIMI_PENDING_EVENTS: flag 0x10000: events and log lines wait for kimi_poll_events / kimi_poll_log</summary>
    public const int PendingEvents = 65536;
    /// <summary>KIMI_PENDING_TIMER: flag 0x20000: the agent has time-driven work; without it OnTimer skips kimi_on_timer</summary>
    public const int PendingTimer = 131072;
    /// <summary>KIMI_MODE_SIMULATION: decisions recorded, no orders</summary>
    public const int ModeSimulation = 0;
    /// <summary>KIMI_MODE_PAPER: orders only on a demo account</summary>
    public const int ModePaper = 1;
    /// <summary>KIMI_MODE_LIVE: requires live_opt_in = 1 and the account in the allow-list</summary>
    public const int ModeLive = 2;
    /// <summary>KIMI_SIZING_KELLY</summary>
    public const int SizingKelly = 0;
    /// <summary>KIMI_SIZING_FIXED_FRACTION</summary>
    public const int SizingFixedFraction = 1;
    /// <summary>KIMI_TZ_FIXED: server_utc_offset_minutes all year (UTC: 0); <see cref="Time.TimeZoneKind.Fixed"/></summary>
    public const int TzFixed = 0;
    /// <summary>KIMI_TZ_NEW_YORK_CLOSE: UTC+2 while New York is on standard time, UTC+3 while on daylight time (offset must be 120); <see cref="Time.TimeZoneKind.NewYorkClose"/></summary>
    public const int TzNewYorkClose = 2;
    /// <summary>KIMI_INSTR_OPEN: market order with SL/TP attached</summary>
    public const int InstrOpen = 1;
    /// <summary>KIMI_INSTR_CLOSE: close volume lots of position_ticket (netting: exactly this agent's own volume; 2 was a MODIFY the engine never produced, retired in ABI 4)</summary>
    public const int InstrClose = 3;
    /// <summary>KIMI_BUY</summary>
    public const int Buy = 1;
    /// <summary>KIMI_SELL</summary>
    public const int Sell = -1;
    /// <summary>KIMI_EXIT_TP</summary>
    public const int ExitTp = 1;
    /// <summary>KIMI_EXIT_SL</summary>
    public const int ExitSl = 2;
    /// <summary>KIMI_EXIT_TIMEOUT</summary>
    public const int ExitTimeout = 3;
    /// <summary>KIMI_EXIT_BREAKER</summary>
    public const int ExitBreaker = 4;
    /// <summary>KIMI_EXIT_EMERGENCY</summary>
    public const int ExitEmergency = 5;
    /// <summary>KIMI_EXIT_MANUAL</summary>
    public const int ExitManual = 6;
    /// <summary>KIMI_EXIT_RECONCILED</summary>
    public const int ExitReconciled = 7;
    /// <summary>KIMI_BREAKER_ACTIVE</summary>
    public const int BreakerActive = 0;
    /// <summary>KIMI_BREAKER_REDUCING_ONLY</summary>
    public const int BreakerReducingOnly = 1;
    /// <summary>KIMI_BREAKER_HALTED</summary>
    public const int BreakerHalted = 2;
    /// <summary>KIMI_DEAL_ENTRY_IN</summary>
    public const int DealEntryIn = 0;
    /// <summary>KIMI_DEAL_ENTRY_OUT</summary>
    public const int DealEntryOut = 1;
    /// <summary>KIMI_DEAL_ENTRY_INOUT</summary>
    public const int DealEntryInout = 2;
    /// <summary>KIMI_DEAL_ENTRY_OUT_BY</summary>
    public const int DealEntryOutBy = 3;
    /// <summary>KIMI_DEAL_TYPE_BUY</summary>
    public const int DealTypeBuy = 0;
    /// <summary>KIMI_DEAL_TYPE_SELL</summary>
    public const int DealTypeSell = 1;
    /// <summary>KIMI_DEAL_REASON_CLIENT</summary>
    public const int DealReasonClient = 0;
    /// <summary>KIMI_DEAL_REASON_MOBILE</summary>
    public const int DealReasonMobile = 1;
    /// <summary>KIMI_DEAL_REASON_WEB</summary>
    public const int DealReasonWeb = 2;
    /// <summary>KIMI_DEAL_REASON_EXPERT</summary>
    public const int DealReasonExpert = 3;
    /// <summary>KIMI_DEAL_REASON_SL</summary>
    public const int DealReasonSl = 4;
    /// <summary>KIMI_DEAL_REASON_TP</summary>
    public const int DealReasonTp = 5;
    /// <summary>KIMI_DEAL_REASON_SO</summary>
    public const int DealReasonSo = 6;
    /// <summary>KIMI_EVT_SIGNAL: a trade intent was produced (value = confidence)</summary>
    public const int EvtSignal = 1;
    /// <summary>KIMI_EVT_DENIED: an intent was refused (code = denial reason)</summary>
    public const int EvtDenied = 2;
    /// <summary>KIMI_EVT_INSTRUCTION: an instruction was handed out</summary>
    public const int EvtInstruction = 3;
    /// <summary>KIMI_EVT_RESULT: an OrderSend result was reported (code = retcode)</summary>
    public const int EvtResult = 4;
    /// <summary>KIMI_EVT_FILL: a position was opened (ticket, price, volume)</summary>
    public const int EvtFill = 5;
    /// <summary>KIMI_EVT_CLOSE: a position was closed (code = exit reason, value = profit)</summary>
    public const int EvtClose = 6;
    /// <summary>KIMI_EVT_BREAKER: breaker transition (code = new state, value = equity)</summary>
    public const int EvtBreaker = 7;
    /// <summary>KIMI_EVT_HALT: trading halted or resumed (code = 1 halted / 0 resumed)</summary>
    public const int EvtHalt = 8;
    /// <summary>KIMI_EVT_RECONCILED: reconciliation action (code = kind)</summary>
    public const int EvtReconciled = 9;
    /// <summary>KIMI_EVT_ERROR: a problem the trader must see (text via kimi_poll_log)</summary>
    public const int EvtError = 10;
    /// <summary>KIMI_EVT_APPROVAL: an intent in the approval band (code = KIMI_APPROVAL_*, ticket = intent id, value = confidence)</summary>
    public const int EvtApproval = 11;
    /// <summary>KIMI_ZONE_LEG: the dealing range (top = last swing high, bottom = last swing low; direction = KIMI_BUY discount / KIMI_SELL premium of the last close)</summary>
    public const int ZoneLeg = 1;
    /// <summary>KIMI_ZONE_BREAK: the last BOS/CHoCH level, from the broken swing to the breaking bar</summary>
    public const int ZoneBreak = 2;
    /// <summary>KIMI_ZONE_ORDER_BLOCK: an unmitigated order block (KIMI_BUY demand, KIMI_SELL supply)</summary>
    public const int ZoneOrderBlock = 3;
    /// <summary>KIMI_ZONE_FVG: an unmitigated fair value gap</summary>
    public const int ZoneFvg = 4;
    /// <summary>KIMI_ZONE_LIQUIDITY: a liquidity pool (KIMI_BUY buy-side equal highs, KIMI_SELL sell-side equal lows)</summary>
    public const int ZoneLiquidity = 5;
    /// <summary>KIMI_ZONE_FLAG_CHOCH: BREAK is a change of character</summary>
    public const int ZoneFlagChoch = 1;
    /// <summary>KIMI_ZONE_FLAG_CONFIRMED: BREAK is final</summary>
    public const int ZoneFlagConfirmed = 2;
    /// <summary>KIMI_ZONE_FLAG_SWEPT: LIQUIDITY pool swept</summary>
    public const int ZoneFlagSwept = 4;
    /// <summary>KIMI_APPROVAL_AWAITING: the intent waits for kimi_approve (price, sl, tp, volume as proposed)</summary>
    public const int ApprovalAwaiting = 0;
    /// <summary>KIMI_APPROVAL_APPROVED: the trader approved it; the gate decides it again at the current market</summary>
    public const int ApprovalApproved = 1;
    /// <summary>KIMI_APPROVAL_SKIPPED: the trader skipped it</summary>
    public const int ApprovalSkipped = 2;
    /// <summary>KIMI_APPROVAL_EXPIRED: no decision within approval_expiry_bars closed bars</summary>
    public const int ApprovalExpired = 3;
}
