using System.Buffers.Binary;
using System.Text;

namespace KimiEA.Data.Cache;

/// <summary>
/// Layout of a cache file (little-endian):
/// <code>
///   0  8  magic "KIMICACH"
///   8  4  version (2: the report counts non-positive prices)
///  12  4  record kind (1 bars, 2 ticks)
///  16  4  record size (60)
///  20  4  reserved (0)
///  24  8  record count
///  32  8  offset of the first record (128)
///  40  8  offset of the quality report
///  48  8  length of the quality report
///  56 32  SHA-256 of the source file
///  88 32  SHA-256 of the cache key (source path + read options)
/// 120  8  reserved (0)
/// 128 …   records (raw MqlRates / MqlTick, 60 bytes each), then the quality report
/// </code>
/// The header is written last, so a file whose build was interrupted never carries a valid header.
/// </summary>
internal static class CacheFormat
{
    public const int HeaderSize = 128;
    public const int Version = 2;
    public static ReadOnlySpan<byte> Magic => "KIMICACH"u8;

    public readonly record struct Header(RecordKind Kind, int RecordSize, long Count, long ReportOffset, long ReportLength, byte[] SourceHash, byte[] KeyHash);

    public static void Write(Span<byte> dst, in Header h)
    {
        dst[..HeaderSize].Clear();
        Magic.CopyTo(dst);
        BinaryPrimitives.WriteInt32LittleEndian(dst[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(dst[12..], (int)h.Kind);
        BinaryPrimitives.WriteInt32LittleEndian(dst[16..], h.RecordSize);
        BinaryPrimitives.WriteInt64LittleEndian(dst[24..], h.Count);
        BinaryPrimitives.WriteInt64LittleEndian(dst[32..], HeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(dst[40..], h.ReportOffset);
        BinaryPrimitives.WriteInt64LittleEndian(dst[48..], h.ReportLength);
        h.SourceHash.CopyTo(dst[56..88]);
        h.KeyHash.CopyTo(dst[88..120]);
    }

    /// <summary>Reads and checks a header; returns a message naming the problem, or null when it is valid.</summary>
    public static string? TryRead(ReadOnlySpan<byte> src, long fileLength, out Header h)
    {
        h = default;
        if (src.Length < HeaderSize || !src[..8].SequenceEqual(Magic))
        {
            return "not a KimiEA data cache file (bad magic)";
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(src[8..]);
        if (version != Version)
        {
            return $"cache version {version} is not the supported version {Version}";
        }

        var kind = (RecordKind)BinaryPrimitives.ReadInt32LittleEndian(src[12..]);
        var size = BinaryPrimitives.ReadInt32LittleEndian(src[16..]);
        var count = BinaryPrimitives.ReadInt64LittleEndian(src[24..]);
        var dataOffset = BinaryPrimitives.ReadInt64LittleEndian(src[32..]);
        var reportOffset = BinaryPrimitives.ReadInt64LittleEndian(src[40..]);
        var reportLength = BinaryPrimitives.ReadInt64LittleEndian(src[48..]);
        if (kind is not (RecordKind.Bars or RecordKind.Ticks) || size != 60 || count < 0 || dataOffset != HeaderSize
            || reportOffset != HeaderSize + (count * size) || reportLength <= 0 || reportOffset + reportLength != fileLength)
        {
            return "corrupt cache header (kind, record size or lengths do not match the file)";
        }

        h = new Header(kind, size, count, reportOffset, reportLength, src[56..88].ToArray(), src[88..120].ToArray());
        return null;
    }

    public static byte[] WriteReport(DataQualityReport r)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(r.Source);
            w.Write((int)r.Format);
            w.Write((int)r.Kind);
            w.Write(r.TimeZone);
            foreach (var v in (ReadOnlySpan<long>)[r.RowsRead, r.RowsAccepted, r.FirstTime, r.LastTime, r.Period, r.Gaps, r.MissingBars, r.LongestGap, r.LongestGapEnd, r.WeekendGaps, r.WeekendRows, r.Malformed, r.OutOfOrder, r.Duplicates, r.NonFinite, r.OhlcInconsistent, r.NegativeSpread, r.NonPositivePrice])
            {
                w.Write(v);
            }

            w.Write(r.Examples.Count);
            foreach (var e in r.Examples)
            {
                w.Write(e.Line);
                w.Write((int)e.Problem);
                w.Write(e.Message);
            }
        }

        return ms.ToArray();
    }

    public static DataQualityReport ReadReport(byte[] bytes)
    {
        using var rd = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        var source = rd.ReadString();
        var format = (DataFormat)rd.ReadInt32();
        var kind = (RecordKind)rd.ReadInt32();
        var zone = rd.ReadString();
        Span<long> v = stackalloc long[18];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = rd.ReadInt64();
        }

        var n = rd.ReadInt32();
        var examples = new DataIssue[n];
        for (var i = 0; i < n; i++)
        {
            examples[i] = new DataIssue(rd.ReadInt64(), (DataProblem)rd.ReadInt32(), rd.ReadString());
        }

        return new DataQualityReport
        {
            Source = source,
            Format = format,
            Kind = kind,
            TimeZone = zone,
            RowsRead = v[0],
            RowsAccepted = v[1],
            FirstTime = v[2],
            LastTime = v[3],
            Period = v[4],
            Gaps = v[5],
            MissingBars = v[6],
            LongestGap = v[7],
            LongestGapEnd = v[8],
            WeekendGaps = v[9],
            WeekendRows = v[10],
            Malformed = v[11],
            OutOfOrder = v[12],
            Duplicates = v[13],
            NonFinite = v[14],
            OhlcInconsistent = v[15],
            NegativeSpread = v[16],
            NonPositivePrice = v[17],
            Examples = examples,
        };
    }
}
