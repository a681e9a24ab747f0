using System.Runtime.InteropServices;

namespace KimiEA.Core.Abi;

/// <summary>A deal of this symbol and magic from OnTradeTransaction (C: <c>KimiDeal</c>).</summary>
/// <remarks>Mirror of include/kimiea.h: only 8-byte fields, so the layout is the same under every packing.</remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public partial struct KimiDeal
{
    /// <summary>deal_ticket</summary>
    public long DealTicket;
    /// <summary>order_ticket</summary>
    public long OrderTicket;
    /// <summary>DEAL_POSITION_ID</summary>
    public long PositionTicket;
    /// <summary>DEAL_TIME_MSC</summary>
    public long TimeMsc;
    /// <summary>KIMI_DEAL_ENTRY_*</summary>
    public long Entry;
    /// <summary>KIMI_DEAL_TYPE_*</summary>
    public long Type;
    /// <summary>KIMI_DEAL_REASON_*</summary>
    public long Reason;
    /// <summary>DEAL_MAGIC</summary>
    public long Magic;
    /// <summary>volume</summary>
    public double Volume;
    /// <summary>price</summary>
    public double Price;
    /// <summary>profit</summary>
    public double Profit;
    /// <summary>commission</summary>
    public double Commission;
    /// <summary>swap</summary>
    public double Swap;
    /// <summary>0</summary>
    public double Reserved;

    /// <summary>sizeof(KimiDeal) in bytes.</summary>
    public const int Size = 112;
}
