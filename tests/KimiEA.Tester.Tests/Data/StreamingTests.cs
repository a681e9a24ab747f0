using KimiEA.Core.Time;
using KimiEA.Core.Market;
using KimiEA.Data;
using KimiEA.Testing;
using Xunit;
using static KimiEA.Tester.Tests.Data.DataTestHelpers;

namespace KimiEA.Tester.Tests.Data;

public class StreamingTests
{
    /// <summary>A forward-only stream that counts the bytes handed out.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    [Fact]
    public void Reader_ConsumesTheFileIncrementally_NotAllAtOnce()
    {
        var path = RepoPaths.Sample("lean-oanda", "EURUSD_ticks_2014-05-07_08.norm.csv");
        var size = new FileInfo(path).Length; // ≈ 5.3 MB
        using var counting = new CountingStream(File.OpenRead(path));
        using var reader = TickReader.Open(counting, "ticks", Skip);
        Assert.True(reader.TryRead(out var first));
        Assert.Equal(1.39286, first.Bid);
        // The first tick is available after one 64 KiB buffer, a small fraction of the file.
        Assert.True(counting.BytesRead <= 128 * 1024, $"{counting.BytesRead} bytes read for the first tick");

        var chunk = new MqlTick[10_000];
        long total = 1;
        int n;
        while ((n = reader.ReadChunk(chunk)) > 0)
        {
            total += n;
        }

        Assert.Equal(129_199, total);
        Assert.Equal(size, counting.BytesRead);
        Assert.Equal(129_199, reader.Report.RowsAccepted);
    }

    [Fact]
    public void Mt5DailyExport_WithoutATimeColumn()
    {
        using var dir = new TempDir();
        // MT5 writes D1 exports without <TIME>; rows from lean-oanda EURUSD_D1_2007-2018.norm.csv (2018-12-27/28).
        var p = dir.Write(
            "d1.csv",
            "<DATE>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>",
            "2018.12.27\t1.14009\t1.14539\t1.1357\t1.14295\t0\t0\t14",
            "2018.12.28\t1.14295\t1.14721\t1.14289\t1.14389\t0\t0\t100");
        // The rows are UTC days; by default an MT5 export is read in broker time (ny-close: UTC+2 in December), so a
        // server day starts at 22:00Z the evening before.
        var s = BarReader.ReadAll(p, new DataReadOptions { TimeZone = MarketTimeZone.Utc });
        Assert.Equal(DataFormat.Mt5Bars, s.Report.Format);
        Assert.Equal([Utc(2018, 12, 27), Utc(2018, 12, 28)], s.Bars.Select(b => b.Time));
        Assert.Equal([Utc(2018, 12, 26, 22), Utc(2018, 12, 27, 22)], BarReader.ReadAll(p).Bars.Select(b => b.Time));
        Assert.Equal((1.14295, 100), (s.Bars[1].Open, s.Bars[1].Spread));
        Assert.Equal(86_400, s.Report.Period);
    }

    [Fact]
    public void Report_PrintsCountsRangeGapsAndExamples()
    {
        using var dir = new TempDir();
        var p = dir.Write(
            "r.csv",
            "time_utc,open,high,low,close,volume,spread_points",
            "2014-05-01T00:00:00Z,1.38676,1.38686,1.38669,1.38686,0,11",
            "2014-05-01T00:00:00Z,1.38676,1.38686,1.38669,1.38686,0,11",
            "2014-05-01T00:03:00Z,1.38688,1.38688,1.38685,1.38685,0,13");
        var text = BarReader.ReadAll(p, Skip).Report.ToString();
        var expected =
            $"{p} (NormalizedBars, Bars, zone UTC)\n" +
            "  rows: 3 read, 2 accepted, 1 skipped\n" +
            "  range: 2014-05-01 00:00 .. 2014-05-01 00:03 UTC\n" +
            // Only two accepted bars: the inferred period is their spacing, 180 s, so there is no gap.
            "  gaps (period 180 s): 0, 0 missing bars; weekend gaps: 0; weekend rows: 0\n" +
            "  bad rows: malformed 0, out-of-order 0, duplicate 1, non-finite 0, OHLC-inconsistent 0, negative spread 0, non-positive price 0\n" +
            "  line 3: duplicate time 2014-05-01T00:00:00Z (same as line 2)\n";
        Assert.Equal(expected, text);

        var withPeriod = BarReader.ReadAll(p, Skip with { BarPeriodSeconds = 60 }).Report;
        Assert.Equal((1L, 2L, 180L), (withPeriod.Gaps, withPeriod.MissingBars, withPeriod.LongestGap));
        Assert.Contains("gaps (period 60 s): 1, 2 missing bars, longest 180 s ending 2014-05-01 00:03 UTC", withPeriod.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TickGaps_UseTheMillisecondThresholdAndIgnoreWeekends()
    {
        using var dir = new TempDir();
        // 2014-05-07 is a Wednesday: a 6-minute silence is a gap (default threshold 5 min), a 4-minute one is not.
        // 2014-05-09 21:59 (Friday) → 2014-05-11 21:00 (Sunday) spans Saturday: a weekend gap.
        var p = dir.Write(
            "t.csv",
            "time_utc,bid,ask",
            "2014-05-07T00:00:00.000Z,1.39286,1.39298",
            "2014-05-07T00:06:00.000Z,1.39286,1.39297",
            "2014-05-07T00:10:00.000Z,1.39284,1.39297",
            "2014-05-09T21:59:00.500Z,1.38000,1.38010",
            "2014-05-11T21:00:00.000Z,1.38000,1.38050");
        var r = TickReader.ReadAll(p).Report;
        Assert.Equal(300_000, r.Period);
        // 00:10 Wed → 21:59 Fri is 2 days of silence inside the week: the second gap and the longest.
        Assert.Equal((2L, 1L, 0L), (r.Gaps, r.WeekendGaps, r.WeekendRows));
        Assert.Equal(UtcMs(2014, 5, 9, 21, 59, 0, 500) - UtcMs(2014, 5, 7, 0, 10, 0, 0), r.LongestGap);
        Assert.Equal(UtcMs(2014, 5, 9, 21, 59, 0, 500), r.LongestGapEnd);
        Assert.Equal(UtcMs(2014, 5, 7, 0, 0, 0, 0), r.FirstTime);
    }

    [Fact]
    public void Utf16WithBom_IsReadLikeUtf8()
    {
        // MQL5 scripts write FILE_CSV as UTF-16 LE with a BOM unless told otherwise; the readers detect the BOM.
        using var dir = new TempDir();
        var src = RepoPaths.Fixture("data-formats", "EURUSD_M1_2014-05-07_mt5.csv");
        var utf16 = Path.Combine(dir.Path, "utf16.csv");
        File.WriteAllText(utf16, File.ReadAllText(src), System.Text.Encoding.Unicode);
        Assert.Equal(DataFormat.Mt5Bars, MarketDataFile.Detect(utf16));
        Assert.Equal(BarReader.ReadAll(src).Bars, BarReader.ReadAll(utf16).Bars);
    }
}
