using System.Buffers.Binary;
using KimiEA.Risk.Account;

namespace KimiEA.Engine.Account;

/// <summary>
/// The breaker state as the journal stores it (an opaque blob to the journal): 40 bytes, little-endian —
/// version (int32), status (int32), trading day (int64), reference equity (double), tripped at ms (int64),
/// trip equity (double).
/// </summary>
public static class BreakerStateCodec
{
    private const int Version = 1;

    /// <summary>Size of an encoded state.</summary>
    public const int Size = 40;

    /// <summary>Encodes a state.</summary>
    public static byte[] Encode(in BreakerState state)
    {
        var b = new byte[Size];
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(0), Version);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), (int)state.Status);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), state.TradingDay);
        BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(16), state.ReferenceEquity);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(24), state.TrippedAtMs);
        BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(32), state.TripEquity);
        return b;
    }

    /// <summary>Decodes a state written by <see cref="Encode"/>.</summary>
    /// <exception cref="FormatException">The blob is not an encoded breaker state.</exception>
    public static BreakerState Decode(ReadOnlySpan<byte> blob)
    {
        if (blob.Length != Size || BinaryPrimitives.ReadInt32LittleEndian(blob) != Version)
        {
            throw new FormatException($"The journal's breaker state blob has {blob.Length} bytes or an unknown version; expected {Size} bytes of version {Version}.");
        }

        var status = (BreakerStatus)BinaryPrimitives.ReadInt32LittleEndian(blob[4..]);
        if (!Enum.IsDefined(status))
        {
            throw new FormatException($"The journal's breaker state has an unknown status {(int)status}.");
        }

        return new BreakerState(
            BinaryPrimitives.ReadInt64LittleEndian(blob[8..]),
            BinaryPrimitives.ReadDoubleLittleEndian(blob[16..]),
            status,
            BinaryPrimitives.ReadInt64LittleEndian(blob[24..]),
            BinaryPrimitives.ReadDoubleLittleEndian(blob[32..]));
    }
}
