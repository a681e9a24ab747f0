using System.Runtime.InteropServices;

namespace KimiEA.Core.Abi;

/// <summary>A snapshot of the agent and the account-level state (C: <c>KimiStatus</c>).</summary>
/// <remarks>Mirror of include/kimiea.h: only 8-byte fields, so the layout is the same under every packing.</remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public partial struct KimiStatus
{
    /// <summary>KIMI_MODE_* in force</summary>
    public long Mode;
    /// <summary>KIMI_BREAKER_*</summary>
    public long BreakerState;
    /// <summary>1 if new risk is refused (breaker, kill switch, emergency, journal failure)</summary>
    public long Halted;
    /// <summary>1 while the emergency stop is engaged</summary>
    public long Emergency;
    /// <summary>this agent</summary>
    public long OpenPositions;
    /// <summary>handed out, result not yet reported</summary>
    public long PendingInstructions;
    /// <summary>bars_seen</summary>
    public long BarsSeen;
    /// <summary>signals</summary>
    public long Signals;
    /// <summary>denials</summary>
    public long Denials;
    /// <summary>trades_closed</summary>
    public long TradesClosed;
    /// <summary>server-side SL/TP exits whose bar had also touched the other barrier</summary>
    public long AmbiguousExits;
    /// <summary>0 ok, 1 failed (see kimi_last_error), 2 disabled</summary>
    public long JournalState;
    /// <summary>breaker reference</summary>
    public double DayStartEquity;
    /// <summary>last equity seen</summary>
    public double Equity;
    /// <summary>money at risk of all agents' open positions</summary>
    public double OpenRisk;
    /// <summary>this agent, since create</summary>
    public double RealizedPnl;

    /// <summary>sizeof(KimiStatus) in bytes.</summary>
    public const int Size = 128;
}
