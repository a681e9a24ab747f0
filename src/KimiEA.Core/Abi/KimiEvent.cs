using System.Runtime.InteropServices;

namespace KimiEA.Core.Abi;

/// <summary>One engine event for the Experts log and reports (C: <c>KimiEvent</c>).</summary>
/// <remarks>Mirror of include/kimiea.h: only 8-byte fields, so the layout is the same under every packing.</remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public partial struct KimiEvent
{
    /// <summary>per agent, increasing</summary>
    public long Seq;
    /// <summary>server time</summary>
    public long TimeMsc;
    /// <summary>KIMI_EVT_*</summary>
    public long Kind;
    /// <summary>reason / retcode / state, depending on kind</summary>
    public long Code;
    /// <summary>KIMI_BUY / KIMI_SELL / 0</summary>
    public long Direction;
    /// <summary>position ticket or instruction id, depending on kind</summary>
    public long Ticket;
    /// <summary>price</summary>
    public double Price;
    /// <summary>volume</summary>
    public double Volume;
    /// <summary>sl</summary>
    public double Sl;
    /// <summary>tp</summary>
    public double Tp;
    /// <summary>confidence / profit / equity, depending on kind</summary>
    public double Value;
    /// <summary>signal / denied / approval events: the intent's hit probability (value is its confidence); 0 otherwise</summary>
    public double HitProbability;

    /// <summary>sizeof(KimiEvent) in bytes.</summary>
    public const int Size = 96;
}
