using System.Runtime.InteropServices;

namespace KimiEA.Core.Abi;

/// <summary>One piece of a chart's live SMC structure, for drawing (C: <c>KimiZone</c>, filled by kimi_get_zones).</summary>
/// <remarks>Mirror of include/kimiea.h: only 8-byte fields, so the layout is the same under every packing.</remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct KimiZone
{
    /// <summary>KIMI_ZONE_*</summary>
    public long Kind;
    /// <summary>KIMI_BUY / KIMI_SELL / 0, by kind</summary>
    public long Direction;
    /// <summary>open time (server seconds) of the zone's first bar; 0 when older than the bar history</summary>
    public long StartTime;
    /// <summary>open time of the zone's last bar; 0 = live (order blocks and gaps)</summary>
    public long EndTime;
    /// <summary>KIMI_ZONE_FLAG_*</summary>
    public long Flags;
    /// <summary>LIQUIDITY: pooled swings</summary>
    public long Members;
    /// <summary>upper edge (a level: top = bottom)</summary>
    public double Top;
    /// <summary>lower edge</summary>
    public double Bottom;
    /// <summary>LEG: equilibrium; ORDER_BLOCK: strength in percent</summary>
    public double Value;
    /// <summary>0</summary>
    public double Reserved;

    /// <summary>sizeof(KimiZone) in bytes.</summary>
    public const int Size = 80;
}
