using KimiEA.Core.Time;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using KimiEA.Core.Market;
using KimiEA.Data;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Data;

public class CacheTests
{
    private static readonly DataReadOptions Skip = DataTestHelpers.Skip;

    private static T[] Replay<T>(CachedSeries<T> series)
        where T : unmanaged
    {
        var all = new List<T>();
        foreach (var chunk in series)
        {
            Assert.True(chunk.Length > 0);
            all.AddRange(chunk.ToArray());
        }

        return [.. all];
    }

    private static byte[] Bytes<T>(T[] records)
        where T : unmanaged => MemoryMarshal.AsBytes(records.AsSpan()).ToArray();

    [Fact]
    public void Ticks_RoundTrip_EqualsTheTextReaderByteForByte()
    {
        using var dir = new TempDir();
        var src = RepoPaths.Sample("lean-oanda", "EURUSD_ticks_2014-05-07_08.norm.csv");
        var direct = TickReader.ReadAll(src, Skip);
        var entry = new MarketDataCache(dir.Path).GetTicks(src, Skip);
        Assert.True(entry.Built);
        Assert.Equal(RecordKind.Ticks, entry.Kind);
        Assert.Equal(129_199, entry.Count);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(src))), entry.SourceSha256);
        Assert.Equal(direct.Report, entry.Report);
        // Header (128) + 129,199 × 60-byte records + the report.
        Assert.True(new FileInfo(entry.Path).Length > 128 + (129_199L * 60));

        // A chunk size that does not divide the count exercises the last, short chunk.
        using var series = entry.OpenTicks(chunkRecords: 1000);
        Assert.Equal(Bytes(direct.Ticks), Bytes(Replay(series)));
        Assert.Equal(direct.Report, series.Report);
        Assert.Equal(entry.SourceSha256, series.SourceSha256);
        // Each foreach starts again from the first record.
        Assert.Equal(129_199, Replay(series).Length);
    }

    [Fact]
    public void Bars_RoundTrip_AndReuseWhileTheSourceIsUnchanged()
    {
        using var dir = new TempDir();
        var src = RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv");
        var cache = new MarketDataCache(dir.Path);
        var first = cache.GetBars(src);
        var written = File.GetLastWriteTimeUtc(first.Path);
        var second = cache.GetBars(src);
        Assert.True(first.Built);
        Assert.False(second.Built);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second.Path));
        Assert.Equal(first.Report, second.Report);
        using var series = second.OpenBars();
        Assert.Equal(Bytes(BarReader.ReadAll(src).Bars), Bytes(Replay(series)));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ChangedSource_IsDetectedByItsHashAndRebuilt()
    {
        using var dir = new TempDir();
        var src = Path.Combine(dir.Path, "eurusd.csv");
        var sample = File.ReadLines(RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv")).Take(102).ToList();
        var lines = sample.Take(101).ToList();
        File.WriteAllLines(src, lines);
        var cache = new MarketDataCache(Path.Combine(dir.Path, "cache"));
        var a = cache.GetBars(src);
        Assert.Equal(100, a.Count);

        // Same length, one price changed: only the hash can tell.
        lines[1] = lines[1].Replace("1.38676,", "1.38670,", StringComparison.Ordinal);
        File.WriteAllLines(src, lines);
        var b = cache.GetBars(src);
        Assert.True(b.Built);
        Assert.Equal(a.Path, b.Path);
        Assert.NotEqual(a.SourceSha256, b.SourceSha256);
        using (var s = b.OpenBars())
        {
            Assert.Equal(1.38670, Replay(s)[0].Open);
        }

        lines.Add(sample[101]);
        File.WriteAllLines(src, lines);
        Assert.Equal(101, cache.GetBars(src).Count);
        Assert.False(cache.GetBars(src).Built);
    }

    [Fact]
    public void DifferentReadOptions_GetTheirOwnCacheFile()
    {
        using var dir = new TempDir();
        var src = RepoPaths.Fixture("data-formats", "DAT_ASCII_EURUSD_M1_2017_excerpt.csv");
        var cache = new MarketDataCache(dir.Path);
        var ny = cache.GetBars(src);
        var est = cache.GetBars(src, new DataReadOptions { TimeZone = MarketTimeZone.Fixed(TimeSpan.FromHours(-5)) });
        Assert.NotEqual(ny.Path, est.Path);
        Assert.True(est.Built);
        using var sn = ny.OpenBars();
        using var se = est.OpenBars();
        // Row 9 is Sunday 2017-03-12 17:00 local: EDT gives 21:00Z, fixed EST 22:00Z.
        Assert.Equal(DataTestHelpers.Utc(2017, 3, 12, 21), Replay(sn)[8].Time);
        Assert.Equal(DataTestHelpers.Utc(2017, 3, 12, 22), Replay(se)[8].Time);
        Assert.Equal("UTC-05:00", est.Report.TimeZone);
    }

    [Fact]
    public void BadSource_UnderStrict_LeavesNoCacheFile()
    {
        using var dir = new TempDir();
        var src = dir.Write("bad.csv", "time_utc,bid,ask", "2014-05-07T00:00:07.135Z,1.39286,1.39298", "2014-05-07T00:00:06.000Z,1.39286,1.39298");
        var cacheDir = Path.Combine(dir.Path, "cache");
        var ex = Assert.Throws<MarketDataException>(() => new MarketDataCache(cacheDir).GetTicks(src));
        Assert.Equal(3, ex.Line);
        Assert.Empty(Directory.GetFiles(cacheDir));

        var skipped = new MarketDataCache(cacheDir).GetTicks(src, Skip);
        Assert.Equal((1L, 1L), (skipped.Count, skipped.Report.OutOfOrder));
    }

    [Fact]
    public void CorruptOrWrongKindCache_IsRejectedOrRebuilt()
    {
        using var dir = new TempDir();
        var src = RepoPaths.Fixture("data-formats", "EURUSD_ticks_2014-05-07_mt5.csv");
        var cache = new MarketDataCache(dir.Path);
        var entry = cache.GetTicks(src);
        var bars = Assert.Throws<InvalidDataException>(() => CachedSeries.OpenBars(entry.Path));
        Assert.Equal($"{entry.Path}: the cache holds ticks, not bars", bars.Message);
        Assert.Throws<MarketDataException>(() => cache.GetBars(src));

        using (var f = new FileStream(entry.Path, FileMode.Open))
        {
            f.SetLength(f.Length - 10);
        }

        var corrupt = Assert.Throws<InvalidDataException>(() => CachedSeries.OpenTicks(entry.Path));
        Assert.Equal($"{entry.Path}: corrupt cache header (kind, record size or lengths do not match the file)", corrupt.Message);
        var rebuilt = cache.GetTicks(src);
        Assert.True(rebuilt.Built);
        using var s = rebuilt.OpenTicks();
        Assert.Equal(40, Replay(s).Length);
    }

    [Fact]
    public void DefaultDirectory_IsUnderTheUsersCache()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".cache", "kimi"), MarketDataCache.DefaultDirectory);
        Assert.Equal(Path.GetFullPath(MarketDataCache.DefaultDirectory), new MarketDataCache().Directory);
    }
}
