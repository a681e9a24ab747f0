using System.Buffers;
using System.Runtime.InteropServices;
using KimiEA.Core.Market;
using KimiEA.Data.Cache;
using Microsoft.Win32.SafeHandles;

namespace KimiEA.Data;

/// <summary>
/// Replays a cache file in chunks: <c>foreach (ReadOnlySpan&lt;MqlTick&gt; chunk in series)</c>. One buffer of
/// <c>chunkRecords</c> records is allocated when the series is opened and reused for every chunk, so replay
/// allocates nothing per record and memory does not grow with the file. Each <c>foreach</c> starts from the first
/// record. A chunk is valid until the next one is read.
/// </summary>
/// <typeparam name="T"><see cref="MqlRates"/> (bar caches) or <see cref="MqlTick"/> (tick caches).</typeparam>
public sealed class CachedSeries<T> : IDisposable
    where T : unmanaged
{
    /// <summary>Default chunk: 16,384 records (960 KiB), large enough that the per-chunk cost vanishes.</summary>
    public const int DefaultChunkRecords = 16_384;

    private readonly SafeFileHandle _handle;
    private readonly T[] _buffer;
    private readonly CacheFormat.Header _header;
    private DataQualityReport? _report;
    private long _next;
    private bool _disposed;

    private CachedSeries(string path, SafeFileHandle handle, T[] buffer, CacheFormat.Header header)
    {
        Path = path;
        _handle = handle;
        _buffer = buffer;
        _header = header;
    }

    /// <summary>The cache file.</summary>
    public string Path { get; }

    /// <summary>Number of records.</summary>
    public long Count => _header.Count;

    /// <summary>Bars or ticks.</summary>
    public RecordKind Kind => _header.Kind;

    /// <summary>SHA-256 of the source file, lower-case hex.</summary>
    public string SourceSha256 => Convert.ToHexStringLower(_header.SourceHash);

    /// <summary>The source's quality report (read from the file on first use).</summary>
    public DataQualityReport Report => _report ??= MarketDataCache.ReadReport(Path, _header);

    internal static CachedSeries<T> Open(string path, int chunkRecords = DefaultChunkRecords)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRecords, 1);
        var expected = typeof(T) == typeof(MqlRates) ? RecordKind.Bars
            : typeof(T) == typeof(MqlTick) ? RecordKind.Ticks
            : throw new NotSupportedException($"A cache holds MqlRates or MqlTick records, not {typeof(T).Name}.");
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        try
        {
            Span<byte> buf = stackalloc byte[CacheFormat.HeaderSize];
            var length = RandomAccess.GetLength(handle);
            var got = RandomAccess.Read(handle, buf, 0);
            CacheFormat.Header header = default;
            var error = got < CacheFormat.HeaderSize ? "the file is shorter than a cache header" : CacheFormat.TryRead(buf, length, out header);
            if (error is not null)
            {
                throw new InvalidDataException($"{path}: {error}");
            }

            if (header.Kind != expected)
            {
                throw new InvalidDataException($"{path}: the cache holds {header.Kind.ToString().ToLowerInvariant()}, not {expected.ToString().ToLowerInvariant()}");
            }

            var records = (int)Math.Min(chunkRecords, Math.Max(1, header.Count));
            // Pooled: a run opens a series per symbol, and a fresh ~1 MB chunk buffer each time would be a large-object
            // allocation (a gen-2 collection every few runs of a benchmark or an optimisation loop).
            return new CachedSeries<T>(path, handle, ArrayPool<T>.Shared.Rent(records), header);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Starts a pass over all records from the first.</summary>
    public ChunkEnumerator GetEnumerator()
    {
        Rewind();
        return new ChunkEnumerator(this);
    }

    /// <summary>Moves back to the first record.</summary>
    public void Rewind() => _next = 0;

    /// <summary>Reads the next chunk into the series' buffer; false at the end.</summary>
    public bool TryReadChunk(out ReadOnlySpan<T> chunk)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var remaining = _header.Count - _next;
        if (remaining <= 0)
        {
            chunk = default;
            return false;
        }

        var n = (int)Math.Min(_buffer.Length, remaining);
        var bytes = MemoryMarshal.AsBytes(_buffer.AsSpan(0, n));
        var offset = CacheFormat.HeaderSize + (_next * _header.RecordSize);
        var filled = 0;
        while (filled < bytes.Length)
        {
            var read = RandomAccess.Read(_handle, bytes[filled..], offset + filled);
            if (read == 0)
            {
                throw new InvalidDataException($"{Path}: the cache file ended early (it changed while being read)");
            }

            filled += read;
        }

        _next += n;
        chunk = _buffer.AsSpan(0, n);
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _handle.Dispose();
            _disposed = true;
            ArrayPool<T>.Shared.Return(_buffer);
        }
    }

    /// <summary>The <c>foreach</c> enumerator over chunks.</summary>
    [StructLayout(LayoutKind.Auto)]
    public struct ChunkEnumerator
    {
        private readonly CachedSeries<T> _series;
        private int _length;

        internal ChunkEnumerator(CachedSeries<T> series) => _series = series;

        /// <summary>The current chunk (valid until <see cref="MoveNext"/>).</summary>
        public readonly ReadOnlySpan<T> Current => _series._buffer.AsSpan(0, _length);

        /// <summary>Reads the next chunk.</summary>
        public bool MoveNext()
        {
            var ok = _series.TryReadChunk(out var chunk);
            _length = chunk.Length;
            return ok;
        }
    }
}

/// <summary>Opens cache files for replay (see <see cref="CachedSeries{T}"/>).</summary>
public static class CachedSeries
{
    /// <summary>Opens a bar cache; throws <see cref="InvalidDataException"/> naming the file if it is not a valid bar cache.</summary>
    public static CachedSeries<MqlRates> OpenBars(string path, int chunkRecords = CachedSeries<MqlRates>.DefaultChunkRecords) =>
        CachedSeries<MqlRates>.Open(path, chunkRecords);

    /// <summary>Opens a tick cache; throws <see cref="InvalidDataException"/> naming the file if it is not a valid tick cache.</summary>
    public static CachedSeries<MqlTick> OpenTicks(string path, int chunkRecords = CachedSeries<MqlTick>.DefaultChunkRecords) =>
        CachedSeries<MqlTick>.Open(path, chunkRecords);
}
