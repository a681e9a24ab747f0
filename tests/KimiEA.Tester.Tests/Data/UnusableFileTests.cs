using System.Diagnostics;
using KimiEA.Data;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Data;

/// <summary>
/// Files that are not data at all: each gets a <see cref="MarketDataException"/> or <see cref="InputFileException"/>
/// naming the file (and the line) quickly, never an OutOfMemoryException, an overflow or a hang. The gigabyte cases
/// are sparse files (SetLength), so the tests write a few kilobytes.
/// </summary>
public sealed class UnusableFileTests : IDisposable
{
    private const long TwoGigabytes = 2L << 30;
    private const string Header = "time_utc,open,high,low,close,volume,spread_points";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Row(int minute) =>
        FormattableString.Invariant($"{new DateTime(2014, 5, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(minute):yyyy-MM-dd'T'HH:mm:ss'Z'},1.38676,1.38686,1.38669,1.38686,0,11");

    [Fact]
    public void HundredRowsThenTwoGigabytesOfZeros_StopsAtLine102_NamingTheZeroBytes()
    {
        var p = _dir.Write("EURUSD_zeros.csv", [Header, .. Enumerable.Range(0, 100).Select(Row), string.Empty]);
        SpecialFiles.AppendZeros(p, TwoGigabytes);
        var clock = Stopwatch.StartNew();
        // Line 1 the header, 2..101 the rows: the zeros start line 102. Skipping bad rows cannot skip a file that is not text.
        foreach (var options in new[] { DataReadOptions.Default, DataTestHelpers.Skip })
        {
            var e = Assert.Throws<MarketDataException>(() => BarReader.ReadAll(p, options));
            Assert.Equal($"{p}: line 102: the line holds zero bytes: this is not a text data file", e.Message);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}: the reader must stop within the first 64 Ki characters of the line");
    }

    [Fact]
    public void TwoGigabytesOfZeros_IsNotADataFile_FromTheFirstLine()
    {
        var p = _dir.Write("zeros.csv");
        SpecialFiles.AppendZeros(p, TwoGigabytes);
        var e = Assert.Throws<MarketDataException>(() => MarketDataFile.Detect(p));
        Assert.Equal($"{p}: line 1: the line holds zero bytes: this is not a text data file", e.Message);
        Assert.Throws<MarketDataException>(() => new MarketDataCache(Path.Combine(_dir.Path, "cache")).Get(p));
    }

    [Fact]
    public void A_line_longer_than_the_bound_is_refused_naming_it()
    {
        var p = _dir.Write("long.csv", Header, Row(0), new string('7', 100_000), Row(2));
        var e = Assert.Throws<MarketDataException>(() => BarReader.ReadAll(p, DataTestHelpers.Skip));
        Assert.Equal($"{p}: line 3: the line is longer than 65536 characters: this is not a text data file", e.Message);
    }

    [Fact]
    public void Lines_end_with_LF_CRLF_or_CR_across_buffer_boundaries()
    {
        // 3,000 rows with mixed line ends: every row read, none merged or split (the 64 Ki character buffer ends mid-line many times).
        var rows = Enumerable.Range(0, 3_000).Select(Row).ToArray();
        var text = Header + "\r\n" + string.Concat(rows.Select((r, i) => r + (i % 3 == 0 ? "\n" : i % 3 == 1 ? "\r\n" : "\r")));
        var p = Path.Combine(_dir.Path, "ends.csv");
        File.WriteAllText(p, text);
        var s = BarReader.ReadAll(p);
        Assert.Equal(3_000, s.Bars.Length);
        Assert.Equal(DataTestHelpers.Utc(2014, 5, 1, 0, 0) + (2_999 * 60), s.Bars[^1].Time);
        Assert.Equal(0, s.Report.RowsSkipped);
    }

    [Fact]
    public async Task Missing_folder_and_fifo_are_refused_before_any_read()
    {
        var missing = Path.Combine(_dir.Path, "nope.csv");
        Assert.Equal($"{missing}: the file does not exist", Assert.Throws<InputFileException>(() => BarReader.ReadAll(missing)).Message);
        Assert.Equal($"{_dir.Path}: is a folder, not a file", Assert.Throws<InputFileException>(() => MarketDataFile.Detect(_dir.Path)).Message);
        var fifo = SpecialFiles.Fifo(_dir.Path, "pipe.csv");
        var read = Task.Run(() => Assert.Throws<InputFileException>(() => BarReader.ReadAll(fifo)));
        var refused = await read.WaitAsync(TimeSpan.FromSeconds(20)); // a TimeoutException here: the read blocked
        Assert.Equal($"{fifo}: is a named pipe (FIFO), not a regular file; reading it would wait for a writer forever", refused.Message);
        Assert.Equal($"{Path.Combine(_dir.Path, "no-folder", "j.db")}: the folder {Path.Combine(_dir.Path, "no-folder")} does not exist",
            Assert.Throws<InputFileException>(() => InputFile.CheckCreatable(Path.Combine(_dir.Path, "no-folder", "j.db"))).Message);
        Assert.False(InputFile.CheckCreatable(Path.Combine(_dir.Path, "new.db")));
    }
}
