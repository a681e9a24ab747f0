using System.Buffers.Binary;
using KimiEA.Risk.Account;

namespace KimiEA.Engine.Account;

/// <summary>
/// The breaker state and its journal rows. Rows are written in plain columns (<see cref="Columns"/>, so recording the
/// state — once per trading day — allocates nothing); journals written before 2026-12 hold it as a 40-byte blob,
/// little-endian — version (int32), status (int32), trading day (int64), reference equity (double), tripped at ms
/// (int64), trip equity (double) — which <see cref="Decode"/> still reads.
/// </summary>
public static class BreakerStateCodec
{
    private const int Version = 1;

    /// <summary>Size of an encoded state.</summary>
    public const int Size = 40;

    /// <summary>The state in a breaker row's columns.</summary>
    public static Journal.JournalBreakerState Columns(in BreakerState state) =>
        new(state.TradingDay, state.ReferenceEquity, (int)state.Status, state.TrippedAtMs, state.TripEquity);

    /// <summary>The state a columns row recorded.</summary>
    /// <exception cref="FormatException">The row's status is not a breaker status.</exception>
    public static BreakerState FromColumns(in Journal.JournalBreakerState c)
    {
        var status = (BreakerStatus)c.Status;
        if (!Enum.IsDefined(status))
        {
            throw new FormatException($"The journal's breaker row has an unknown status {c.Status}.");
        }

        return new BreakerState(c.TradingDay, c.ReferenceEquity, status, c.TrippedAtMs, c.TripEquity);
    }

    /// <summary>The state from the latest breaker row a ledger folded (columns, or an older journal's blob); null when none.</summary>
    /// <exception cref="FormatException">The row does not hold a breaker state.</exception>
    public static BreakerState? FromLedger(Journal.AgentLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return ledger.BreakerColumns is { } c ? FromColumns(c)
            : ledger.BreakerState is { Length: > 0 } blob ? Decode(blob)
            : null;
    }

    /// <summary>Encodes a state as the blob older journals hold (tests and tools that write such journals).</summary>
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
