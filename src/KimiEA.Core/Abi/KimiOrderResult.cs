using System.Runtime.InteropServices;

namespace KimiEA.Core.Abi;

/// <summary>The outcome of one instruction, reported once by the EA (C: <c>KimiOrderResult</c>).</summary>
/// <remarks>Mirror of include/kimiea.h: only 8-byte fields, so the layout is the same under every packing.</remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public partial struct KimiOrderResult
{
    /// <summary>KimiInstruction.id</summary>
    public long InstructionId;
    /// <summary>MqlTradeResult.retcode (10009 DONE ...) or 0 if OrderSend failed before sending</summary>
    public long Retcode;
    /// <summary>MqlTradeResult.order</summary>
    public long OrderTicket;
    /// <summary>MqlTradeResult.deal</summary>
    public long DealTicket;
    /// <summary>the position opened/closed: its identifier (0 if unknown)</summary>
    public long PositionTicket;
    /// <summary>server time of the result</summary>
    public long TimeMsc;
    /// <summary>MqlTradeResult.price (fill price)</summary>
    public double Price;
    /// <summary>MqlTradeResult.volume (filled volume)</summary>
    public double Volume;
    /// <summary>MqlTradeResult.bid</summary>
    public double Bid;
    /// <summary>MqlTradeResult.ask</summary>
    public double Ask;

    /// <summary>sizeof(KimiOrderResult) in bytes.</summary>
    public const int Size = 80;
}
