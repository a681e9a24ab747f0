using System.Runtime.InteropServices;

namespace KimiEA.Core.Market;

/// <summary>
/// Byte-for-byte mirror of MQL5's <c>MqlTick</c> (60 bytes, packed to 1 byte).
/// </summary>
/// <remarks>
/// <see cref="Time"/> is server time in seconds and <see cref="TimeMsc"/> the same instant in milliseconds; the engine
/// uses <see cref="TimeMsc"/> whenever it is non-zero.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct MqlTick
{
    /// <summary>Server time of the last price update, seconds since 1970.</summary>
    public long Time;
    /// <summary>Current bid.</summary>
    public double Bid;
    /// <summary>Current ask.</summary>
    public double Ask;
    /// <summary>Price of the last deal (exchange instruments; 0 for forex).</summary>
    public double Last;
    /// <summary>Volume of the last deal.</summary>
    public ulong Volume;
    /// <summary>Server time of the last price update in milliseconds since 1970.</summary>
    public long TimeMsc;
    /// <summary>MQL5 TICK_FLAG_* bits.</summary>
    public uint Flags;
    /// <summary>Volume of the last deal with extended precision.</summary>
    public double VolumeReal;

    /// <summary>Size of the struct in bytes.</summary>
    public const int Size = 60;

    /// <summary>Creates a bid/ask tick stamped in milliseconds.</summary>
    public MqlTick(long timeMsc, double bid, double ask)
    {
        TimeMsc = timeMsc;
        Time = timeMsc / 1000;
        Bid = bid;
        Ask = ask;
        Last = 0;
        Volume = 0;
        Flags = TickFlags.Bid | TickFlags.Ask;
        VolumeReal = 0;
    }

    /// <summary>The tick's time in milliseconds (falls back to <see cref="Time"/>×1000 when TimeMsc is 0).</summary>
    public readonly long Millis => TimeMsc != 0 ? TimeMsc : Time * 1000;
}

/// <summary>MQL5 <c>TICK_FLAG_*</c> constants.</summary>
public static class TickFlags
{
    /// <summary>Bid changed.</summary>
    public const uint Bid = 2;
    /// <summary>Ask changed.</summary>
    public const uint Ask = 4;
    /// <summary>Last changed.</summary>
    public const uint Last = 8;
    /// <summary>Volume changed.</summary>
    public const uint Volume = 16;
    /// <summary>Buy deal.</summary>
    public const uint Buy = 32;
    /// <summary>Sell deal.</summary>
    public const uint Sell = 64;
}
