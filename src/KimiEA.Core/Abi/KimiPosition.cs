using System.Runtime.InteropServices;

namespace KimiEA.Core.Abi;

/// <summary>An open position of this symbol and magic, for reconciliation (C: <c>KimiPosition</c>).</summary>
/// <remarks>Mirror of include/kimiea.h: only 8-byte fields, so the layout is the same under every packing.</remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public partial struct KimiPosition
{
    /// <summary>POSITION_IDENTIFIER (the id of its deals, DEAL_POSITION_ID)</summary>
    public long Ticket;
    /// <summary>0 buy, 1 sell (POSITION_TYPE)</summary>
    public long Type;
    /// <summary>POSITION_MAGIC</summary>
    public long Magic;
    /// <summary>POSITION_TIME_MSC</summary>
    public long TimeMsc;
    /// <summary>parsed from the comment "kimi:&lt;id&gt;", 0 if absent or altered</summary>
    public long InstructionId;
    /// <summary>0</summary>
    public long Reserved;
    /// <summary>volume</summary>
    public double Volume;
    /// <summary>price_open</summary>
    public double PriceOpen;
    /// <summary>sl</summary>
    public double Sl;
    /// <summary>tp</summary>
    public double Tp;
    /// <summary>profit</summary>
    public double Profit;
    /// <summary>swap</summary>
    public double Swap;

    /// <summary>sizeof(KimiPosition) in bytes.</summary>
    public const int Size = 96;
}
