namespace KimiEA.Core.Trading;

/// <summary>
/// Why a position was closed. The numeric values are part of the C ABI and of the journal; never renumber.
/// </summary>
public enum ExitReason
{
    /// <summary>Still open / unknown.</summary>
    None = 0,
    /// <summary>Take-profit barrier (server-side TP).</summary>
    TakeProfit = 1,
    /// <summary>Stop-loss barrier (server-side SL).</summary>
    StopLoss = 2,
    /// <summary>Vertical (time) barrier enforced by the engine.</summary>
    Timeout = 3,
    /// <summary>Flattened by the daily drawdown breaker.</summary>
    Breaker = 4,
    /// <summary>Closed by the emergency stop / kill switch.</summary>
    Emergency = 5,
    /// <summary>Closed by someone outside the engine (manual close, stop-out by the broker).</summary>
    Manual = 6,
    /// <summary>Found closed during reconciliation (closed while the EA was offline).</summary>
    Reconciled = 7,
}

/// <summary>Short upper-case names used in reports, CSV files and the journal.</summary>
public static class ExitReasonNames
{
    /// <summary>Returns TP, SL, TIMEOUT, BREAKER, EMERGENCY, MANUAL, RECONCILED (or NONE).</summary>
    public static string ToCode(this ExitReason reason) => reason switch
    {
        ExitReason.TakeProfit => "TP",
        ExitReason.StopLoss => "SL",
        ExitReason.Timeout => "TIMEOUT",
        ExitReason.Breaker => "BREAKER",
        ExitReason.Emergency => "EMERGENCY",
        ExitReason.Manual => "MANUAL",
        ExitReason.Reconciled => "RECONCILED",
        _ => "NONE",
    };

    /// <summary>Parses a code written by <see cref="ToCode"/>.</summary>
    /// <exception cref="FormatException">The text is not a known exit reason.</exception>
    public static ExitReason Parse(string code) => code.ToUpperInvariant() switch
    {
        "TP" => ExitReason.TakeProfit,
        "SL" => ExitReason.StopLoss,
        "TIMEOUT" => ExitReason.Timeout,
        "BREAKER" => ExitReason.Breaker,
        "EMERGENCY" => ExitReason.Emergency,
        "MANUAL" => ExitReason.Manual,
        "RECONCILED" => ExitReason.Reconciled,
        "NONE" => ExitReason.None,
        _ => throw new FormatException($"'{code}' is not an exit reason (expected TP, SL, TIMEOUT, BREAKER, EMERGENCY, MANUAL or RECONCILED)."),
    };
}
