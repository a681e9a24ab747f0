using System.Runtime.InteropServices;

namespace KimiEA.Core.Market;

/// <summary>
/// Byte-for-byte mirror of MQL5's <c>MqlRates</c> (60 bytes, packed to 1 byte like every MQL5 struct).
/// Used unchanged across the C ABI, in the tester's binary cache and inside the engine, so a bar is never copied
/// field by field between layers.
/// </summary>
/// <remarks>
/// <see cref="Time"/> is the bar's <b>open</b> time in broker server time, seconds since 1970 (MQL5 <c>datetime</c>).
/// A bar is only ever handed to the engine after it has closed.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct MqlRates
{
    /// <summary>Bar open time, server time, seconds since 1970-01-01.</summary>
    public long Time;
    /// <summary>Open price.</summary>
    public double Open;
    /// <summary>High price.</summary>
    public double High;
    /// <summary>Low price.</summary>
    public double Low;
    /// <summary>Close price.</summary>
    public double Close;
    /// <summary>Tick volume.</summary>
    public long TickVolume;
    /// <summary>Spread in points (MT5 fills this with the bar's spread; 0 when unknown).</summary>
    public int Spread;
    /// <summary>Real (exchange) volume; 0 for most forex feeds.</summary>
    public long RealVolume;

    /// <summary>Size of the struct in bytes; the ABI handshake compares it with the caller's <c>sizeof(MqlRates)</c>.</summary>
    public const int Size = 60;

    /// <summary>Creates a bar.</summary>
    public MqlRates(long time, double open, double high, double low, double close, long tickVolume = 0, int spread = 0, long realVolume = 0)
    {
        Time = time;
        Open = open;
        High = high;
        Low = low;
        Close = close;
        TickVolume = tickVolume;
        Spread = spread;
        RealVolume = realVolume;
    }
}
