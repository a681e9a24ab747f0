using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using KimiEA.Core.Market;
using KimiEA.Data.Cache;

namespace KimiEA.Data;

/// <summary>
/// Converts each source file once into a compact binary file of raw <see cref="MqlRates"/>/<see cref="MqlTick"/>
/// records plus its <see cref="DataQualityReport"/>, and reuses it while the source's SHA-256 is unchanged.
/// Replay reads the cache in chunks through <see cref="CachedSeries{T}"/>, so memory stays flat however large the data.
/// </summary>
/// <remarks>
/// One cache file per (source path, read options): <c>{name}.{key}.{bars|ticks}.kimicache</c> in
/// <see cref="Directory"/>. A changed source is detected by its hash and rebuilt in place. Files are built under
/// a temporary name and renamed, so an interrupted build leaves no partial cache behind.
/// </remarks>
public sealed class MarketDataCache
{
    private static long s_tempCounter;

    /// <summary>Uses <paramref name="directory"/>, or <see cref="DefaultDirectory"/> when null. The folder is created on first use.</summary>
    public MarketDataCache(string? directory = null)
    {
        Directory = Path.GetFullPath(directory ?? DefaultDirectory);
    }

    /// <summary><c>~/.cache/kimi</c>.</summary>
    public static string DefaultDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "kimi");

    /// <summary>The cache folder.</summary>
    public string Directory { get; }

    /// <summary>Returns the bar cache of <paramref name="sourcePath"/>, building it if it is missing or stale.</summary>
    /// <exception cref="MarketDataException">Bad input (see <see cref="BarReader"/>) or a tick file; no cache file is left behind.</exception>
    public CacheEntry GetBars(string sourcePath, DataReadOptions? options = null) => Get(sourcePath, RecordKind.Bars, options);

    /// <summary>Returns the tick cache of <paramref name="sourcePath"/>, building it if it is missing or stale.</summary>
    /// <exception cref="MarketDataException">Bad input (see <see cref="TickReader"/>) or a bar file; no cache file is left behind.</exception>
    public CacheEntry GetTicks(string sourcePath, DataReadOptions? options = null) => Get(sourcePath, RecordKind.Ticks, options);

    /// <summary>Returns the cache of <paramref name="sourcePath"/> for whichever kind the file holds.</summary>
    public CacheEntry Get(string sourcePath, DataReadOptions? options = null)
    {
        options ??= DataReadOptions.Default;
        var format = options.Format == DataFormat.Auto ? MarketDataFile.Detect(sourcePath) : options.Format;
        return Get(sourcePath, format.Kind(), options);
    }

    private CacheEntry Get(string sourcePath, RecordKind kind, DataReadOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        options ??= DataReadOptions.Default;
        options.Validate();
        var full = Path.GetFullPath(sourcePath);
        InputFile.CheckExistingRegular(sourcePath);

        var format = options.Format == DataFormat.Auto ? MarketDataFile.Detect(sourcePath) : options.Format;
        if (format.Kind() != kind)
        {
            throw new MarketDataException(sourcePath, 0, null, $"the file holds {format.Kind().ToString().ToLowerInvariant()} ({format}), not {kind.ToString().ToLowerInvariant()}");
        }

        var keyHash = SHA256.HashData(Encoding.UTF8.GetBytes(full + "\n" + options.Fingerprint(format)));
        var name = $"{Path.GetFileNameWithoutExtension(full)}.{Convert.ToHexStringLower(keyHash.AsSpan(0, 8))}.{(kind == RecordKind.Bars ? "bars" : "ticks")}.kimicache";
        var cachePath = Path.Combine(Directory, name);

        byte[] sourceHash;
        using (var s = BarReader.OpenFile(full))
        {
            sourceHash = SHA256.HashData(s);
        }

        if (TryReuse(cachePath, kind, sourceHash, keyHash) is { } reused)
        {
            return new CacheEntry(cachePath, sourcePath, reused.Kind, reused.Count, Convert.ToHexStringLower(reused.SourceHash), ReadReport(cachePath, reused), Built: false);
        }

        System.IO.Directory.CreateDirectory(Directory);
        var (count, hash, report) = kind == RecordKind.Bars
            ? Build<MqlRates>(sourcePath, full, cachePath, keyHash, options, kind)
            : Build<MqlTick>(sourcePath, full, cachePath, keyHash, options, kind);
        return new CacheEntry(cachePath, sourcePath, kind, count, Convert.ToHexStringLower(hash), report, Built: true);
    }

    private static CacheFormat.Header? TryReuse(string cachePath, RecordKind kind, byte[] sourceHash, byte[] keyHash)
    {
        if (!File.Exists(cachePath))
        {
            return null;
        }

        try
        {
            using var f = new FileStream(cachePath, FileMode.Open, FileAccess.Read, FileShare.Read);
            Span<byte> buf = stackalloc byte[CacheFormat.HeaderSize];
            f.ReadExactly(buf);
            var error = CacheFormat.TryRead(buf, f.Length, out var h);
            return error is null && h.Kind == kind && h.SourceHash.AsSpan().SequenceEqual(sourceHash) && h.KeyHash.AsSpan().SequenceEqual(keyHash)
                ? h
                : null;
        }
        catch (EndOfStreamException)
        {
            return null; // truncated file: rebuild it
        }
    }

    internal static DataQualityReport ReadReport(string cachePath, in CacheFormat.Header h)
    {
        using var f = new FileStream(cachePath, FileMode.Open, FileAccess.Read, FileShare.Read);
        f.Position = h.ReportOffset;
        var bytes = new byte[h.ReportLength];
        f.ReadExactly(bytes);
        return CacheFormat.ReadReport(bytes);
    }

    private static (long Count, byte[] Hash, DataQualityReport Report) Build<T>(string sourcePath, string full, string cachePath, byte[] keyHash, DataReadOptions options, RecordKind kind)
        where T : unmanaged
    {
        // Unique per process and call without randomness (Guid/Random are banned in engine libraries).
        var temp = $"{cachePath}.{Environment.ProcessId}.{Interlocked.Increment(ref s_tempCounter)}.tmp";
        try
        {
            long count = 0;
            byte[] hash;
            DataQualityReport report;
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Span<byte> header = stackalloc byte[CacheFormat.HeaderSize];
                header.Clear();
                output.Write(header);
                var hashing = new HashingStream(BarReader.OpenFile(full));
                using (var reader = OpenReader<T>(hashing, sourcePath, options, kind))
                {
                    var buffer = new T[4096];
                    int n;
                    while ((n = reader.ReadChunk(buffer)) > 0)
                    {
                        output.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, n)));
                        count += n;
                    }

                    report = reader.Report;
                    hash = hashing.Finish();
                }

                var reportBytes = CacheFormat.WriteReport(report);
                output.Write(reportBytes);
                CacheFormat.Write(header, new CacheFormat.Header(kind, 60, count, CacheFormat.HeaderSize + (count * 60), reportBytes.Length, hash, keyHash));
                output.Position = 0;
                output.Write(header);
            }

            File.Move(temp, cachePath, overwrite: true);
            return (count, hash, report);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static MarketDataReader<T> OpenReader<T>(Stream stream, string source, DataReadOptions options, RecordKind kind)
        where T : unmanaged =>
        kind == RecordKind.Bars
            ? (MarketDataReader<T>)(object)BarReader.Open(stream, source, options)
            : (MarketDataReader<T>)(object)TickReader.Open(stream, source, options);
}

/// <summary>A cache file ready for replay.</summary>
/// <param name="Path">The cache file.</param>
/// <param name="SourcePath">The source file it was built from (as given).</param>
/// <param name="Kind">Bars or ticks.</param>
/// <param name="Count">Number of records.</param>
/// <param name="SourceSha256">SHA-256 of the source file, lower-case hex (for the backtest report's run header).</param>
/// <param name="Report">The quality report of the source.</param>
/// <param name="Built">True when this call built (or rebuilt) the cache, false when it was reused.</param>
public sealed record CacheEntry(string Path, string SourcePath, RecordKind Kind, long Count, string SourceSha256, DataQualityReport Report, bool Built)
{
    /// <summary>Opens the bars for replay.</summary>
    public CachedSeries<MqlRates> OpenBars(int chunkRecords = CachedSeries<MqlRates>.DefaultChunkRecords) => CachedSeries.OpenBars(Path, chunkRecords);

    /// <summary>Opens the ticks for replay.</summary>
    public CachedSeries<MqlTick> OpenTicks(int chunkRecords = CachedSeries<MqlTick>.DefaultChunkRecords) => CachedSeries.OpenTicks(Path, chunkRecords);
}
