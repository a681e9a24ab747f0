using System.Runtime.InteropServices;

namespace KimiEA.Core.Abi;

/// <summary>An order instruction for the EA to execute with OrderSend (C: <c>KimiInstruction</c>).</summary>
/// <remarks>Mirror of include/kimiea.h: only 8-byte fields, so the layout is the same under every packing.</remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public partial struct KimiInstruction
{
    /// <summary>id</summary>
    public long Id;
    /// <summary>KIMI_INSTR_*</summary>
    public long Kind;
    /// <summary>KIMI_BUY / KIMI_SELL: the side of the order to send</summary>
    public long Direction;
    /// <summary>CLOSE: the position (its POSITION_IDENTIFIER); 0 for OPEN</summary>
    public long PositionTicket;
    /// <summary>the agent's magic</summary>
    public long Magic;
    /// <summary>max slippage</summary>
    public long DeviationPoints;
    /// <summary>CLOSE: KIMI_EXIT_*; 0 otherwise</summary>
    public long Reason;
    /// <summary>server time the instruction was created</summary>
    public long CreatedMsc;
    /// <summary>lots (already a multiple of the volume step)</summary>
    public double Volume;
    /// <summary>reference price (ask for buys, bid for sells) at creation</summary>
    public double Price;
    /// <summary>stop-loss price (0 = none; never 0 for OPEN)</summary>
    public double Sl;
    /// <summary>take-profit price (0 = none)</summary>
    public double Tp;

    /// <summary>sizeof(KimiInstruction) in bytes.</summary>
    public const int Size = 96;
}
