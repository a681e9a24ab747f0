using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Journal;
using KimiEA.Risk.Gate;

namespace KimiEA.Engine.Events;

/// <summary>
/// Names of the codes carried by events (kimi_code_name): denial reasons (the risk gate's <see cref="DenyReason"/>
/// plus the engine's own, numbered from 100), exit reasons, trade server retcodes and breaker states.
/// </summary>
public static class CodeNames
{
    /// <summary>Engine-level denial: the journal failed, so nothing may be traded unrecorded.</summary>
    public const int JournalFailed = 100;
    /// <summary>Engine-level denial: the kill switch (kimi halt) is on.</summary>
    public const int KillSwitch = 101;
    /// <summary>Engine-level denial: an order's outcome is unknown until the next position snapshot.</summary>
    public const int AwaitingReconciliation = 102;
    /// <summary>Engine-level denial: an entry of this agent is still in flight.</summary>
    public const int EntryInFlight = 103;
    // 104 was "SignalOnly" (confidence below auto-execute) before the approval band (ABI 3); not reused.
    /// <summary>Not traded: simulation mode records decisions only.</summary>
    public const int SimulationOnly = 105;
    /// <summary>Engine-level denial: too many unanswered instructions.</summary>
    public const int InstructionBookFull = 106;
    /// <summary>Engine-level denial: too many intents already wait for the trader's approval on this chart.</summary>
    public const int ApprovalQueueFull = 107;

    /// <summary>Names of the risk gate's reasons, computed once so naming a denial on the bar path allocates nothing.</summary>
    private static readonly string?[] DenyNames = BuildDenyNames();

    private static string?[] BuildDenyNames()
    {
        var names = new string?[100];
        foreach (var r in Enum.GetValues<DenyReason>())
        {
            if ((int)r is >= 0 and < 100)
            {
                names[(int)r] = r.ToString();
            }
        }

        return names;
    }

    /// <summary>The name of <paramref name="code"/> for events of kind <paramref name="eventKind"/>.</summary>
    public static string Of(int eventKind, long code) => eventKind switch
    {
        AbiCodes.EvtDenied or AbiCodes.EvtError => code switch
        {
            JournalFailed => "JournalFailed",
            KillSwitch => "KillSwitch",
            AwaitingReconciliation => "AwaitingReconciliation",
            EntryInFlight => "EntryInFlight",
            SimulationOnly => "SimulationOnly",
            InstructionBookFull => "InstructionBookFull",
            ApprovalQueueFull => "ApprovalQueueFull",
            _ when eventKind == AbiCodes.EvtError && code >= 10000 => Retcode(code),
            >= 0 and < 100 when DenyNames[code] is { } denyName => denyName,
            _ => "Unknown" + code.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        AbiCodes.EvtClose => ((ExitReason)code).ToCode(),
        AbiCodes.EvtResult => Retcode(code),
        AbiCodes.EvtBreaker => code switch
        {
            AbiCodes.BreakerActive => "Active",
            AbiCodes.BreakerReducingOnly => "ReducingOnly",
            AbiCodes.BreakerHalted => "Halted",
            _ => "Unknown",
        },
        AbiCodes.EvtReconciled when Enum.IsDefined((ReconcileActionKind)code) => ((ReconcileActionKind)code).ToString(),
        AbiCodes.EvtApproval => code switch
        {
            AbiCodes.ApprovalAwaiting => "AwaitingApproval",
            AbiCodes.ApprovalApproved => "Approved",
            AbiCodes.ApprovalSkipped => "Skipped",
            AbiCodes.ApprovalExpired => "Expired",
            _ => "Unknown",
        },
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>MT5 trade server return codes (TRADE_RETCODE_*).</summary>
    public static string Retcode(long code) => code switch
    {
        10004 => "REQUOTE",
        10006 => "REJECT",
        10007 => "CANCEL",
        10008 => "PLACED",
        10009 => "DONE",
        10010 => "DONE_PARTIAL",
        10011 => "ERROR",
        10012 => "TIMEOUT",
        10013 => "INVALID",
        10014 => "INVALID_VOLUME",
        10015 => "INVALID_PRICE",
        10016 => "INVALID_STOPS",
        10017 => "TRADE_DISABLED",
        10018 => "MARKET_CLOSED",
        10019 => "NO_MONEY",
        10020 => "PRICE_CHANGED",
        10021 => "PRICE_OFF",
        10022 => "INVALID_EXPIRATION",
        10023 => "ORDER_CHANGED",
        10024 => "TOO_MANY_REQUESTS",
        10025 => "NO_CHANGES",
        10026 => "SERVER_DISABLES_AT",
        10027 => "CLIENT_DISABLES_AT",
        10028 => "LOCKED",
        10029 => "FROZEN",
        10030 => "INVALID_FILL",
        10031 => "CONNECTION",
        10032 => "ONLY_REAL",
        10033 => "LIMIT_ORDERS",
        10034 => "LIMIT_VOLUME",
        10035 => "INVALID_ORDER",
        10036 => "POSITION_CLOSED",
        10038 => "INVALID_CLOSE_VOLUME",
        10039 => "CLOSE_ORDER_EXIST",
        10040 => "LIMIT_POSITIONS",
        10041 => "REJECT_CANCEL",
        10042 => "LONG_ONLY",
        10043 => "SHORT_ONLY",
        10044 => "CLOSE_ONLY",
        10045 => "FIFO_CLOSE",
        10046 => "HEDGE_PROHIBITED",
        0 => "NOT_SENT",
        _ => "RETCODE_" + code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
