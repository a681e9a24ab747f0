using KimiEA.Data;
using Xunit;
using static KimiEA.Tester.Tests.Data.DataTestHelpers;

namespace KimiEA.Tester.Tests.Data;

/// <summary>Every bad-input rule under both policies, with the exact messages (rows taken from the EURUSD M1 sample).</summary>
public class BadInputTests
{
    private const string BarHeader = "time_utc,open,high,low,close,volume,spread_points";
    private const string R1 = "2014-05-01T00:00:00Z,1.38676,1.38686,1.38669,1.38686,0,11";
    private const string R2 = "2014-05-01T00:01:00Z,1.38688,1.38688,1.38685,1.38685,0,13";
    private const string R3 = "2014-05-01T00:02:00Z,1.38685,1.38690,1.38680,1.38689,0,12";

    public static TheoryData<string, DataProblem, string> BadBarRows => new()
    {
        // The bad row is always written as line 3 (header, R1, bad row, R3).
        { "2014-04-30T23:59:00Z,1.38688,1.38688,1.38685,1.38685,0,13", DataProblem.OutOfOrder, "out-of-order time 2014-04-30T23:59:00Z is before 2014-05-01T00:00:00Z on line 2" },
        { "2014-05-01T00:00:00Z,1.38688,1.38688,1.38685,1.38685,0,13", DataProblem.Duplicate, "duplicate time 2014-05-01T00:00:00Z (same as line 2)" },
        { "2014-05-01T00:01:00Z,NaN,1.38688,1.38685,1.38685,0,13", DataProblem.NonFinite, "non-finite price: open=NaN high=1.38688 low=1.38685 close=1.38685" },
        { "2014-05-01T00:01:00Z,1.38688,1.38680,1.38685,1.38685,0,13", DataProblem.OhlcInconsistent, "high 1.3868 is below low 1.38685" },
        { "2014-05-01T00:01:00Z,1.38700,1.38688,1.38685,1.38685,0,13", DataProblem.OhlcInconsistent, "open 1.387 is outside [low 1.38685, high 1.38688]" },
        { "2014-05-01T00:01:00Z,1.38688,1.38688,1.38685,1.38685,0,-3", DataProblem.NegativeSpread, "negative spread -3" },
        { "2014-05-01T00:01:00Z,0,0,0,0,0,13", DataProblem.NonPositivePrice, "non-positive price: low 0" },
        { "2014-05-01T00:01:00Z,-1.3,-1.2,-1.4,-1.3,0,13", DataProblem.NonPositivePrice, "non-positive price: low -1.4" },
        { "2014-05-01T00:01:00Z,1.38688,x,1.38685,1.38685,0,13", DataProblem.Malformed, "cannot read high 'x'" },
        { "2014-05-01T00:01:00Z,1.38688,,1.38685,1.38685,0,13", DataProblem.Malformed, "empty high" },
        { "2014-05-01 25:01:00,1.38688,1.38688,1.38685,1.38685,0,13", DataProblem.Malformed, "cannot read the time '2014-05-01 25:01:00'" },
        { "2014-05-01T00:01:00Z,1.38688,1.38688,1.38685,1.38685,0,13,7", DataProblem.Malformed, "expected 7 cells, found 8" },
        { "2014-05-01T00:01:00Z,1.38688,1.38688,1.38685,1.38685,-5,13", DataProblem.Malformed, "cannot read volume '-5' (a non-negative count)" },
    };

    [Theory]
    [MemberData(nameof(BadBarRows))]
    public void Bars_Strict_FirstBadRowThrowsNamingFileLineAndProblem(string bad, DataProblem problem, string detail)
    {
        using var dir = new TempDir();
        var p = dir.Write("bad.csv", BarHeader, R1, bad, R3);
        var ex = Assert.Throws<MarketDataException>(() => BarReader.ReadAll(p));
        Assert.Equal($"{p}: line 3: {detail}", ex.Message);
        Assert.Equal((3L, (DataProblem?)problem, p), (ex.Line, ex.Problem, ex.FilePath));
    }

    [Theory]
    [MemberData(nameof(BadBarRows))]
    public void Bars_Skip_BadRowIsSkippedCountedAndKeptAsExample(string bad, DataProblem problem, string detail)
    {
        using var dir = new TempDir();
        var p = dir.Write("bad.csv", BarHeader, R1, bad, R3);
        var s = BarReader.ReadAll(p, Skip);
        Assert.Equal([Utc(2014, 5, 1, 0, 0), Utc(2014, 5, 1, 0, 2)], s.Bars.Select(b => b.Time));
        var r = s.Report;
        Assert.Equal((3L, 2L, 1L), (r.RowsRead, r.RowsAccepted, r.RowsSkipped));
        Assert.Equal(new DataIssue(3, problem, detail), Assert.Single(r.Examples));
        var counts = new Dictionary<DataProblem, long>
        {
            [DataProblem.Malformed] = r.Malformed,
            [DataProblem.OutOfOrder] = r.OutOfOrder,
            [DataProblem.Duplicate] = r.Duplicates,
            [DataProblem.NonFinite] = r.NonFinite,
            [DataProblem.OhlcInconsistent] = r.OhlcInconsistent,
            [DataProblem.NegativeSpread] = r.NegativeSpread,
            [DataProblem.NonPositivePrice] = r.NonPositivePrice,
        };
        Assert.All(counts, kv => Assert.Equal(kv.Key == problem ? 1 : 0, kv.Value));
        Assert.Contains($"line 3: {detail}", r.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ticks_NegativeSpreadNaNOutOfOrderAndDuplicate()
    {
        using var dir = new TempDir();
        var p = dir.Write(
            "t.csv",
            "time_utc,bid,ask",
            "2014-05-07T00:00:07.135Z,1.39286,1.39298",
            "2014-05-07T00:00:16.860Z,1.39299,1.39297", // ask < bid
            "2014-05-07T00:00:16.962Z,nan,1.39297",
            "2014-05-07T00:00:07.000Z,1.39284,1.39297", // earlier than line 2
            "2014-05-07T00:00:07.135Z,1.39286,1.39298", // repeats line 2
            "2014-05-07T00:00:07.135Z,1.39287,1.39298", // same millisecond, new price: a real tick
            "2014-05-07T00:00:17.210Z,1.3928,1.39293");
        var ex = Assert.Throws<MarketDataException>(() => TickReader.ReadAll(p));
        Assert.Equal($"{p}: line 3: negative spread: ask 1.39297 is below bid 1.39299", ex.Message);

        var s = TickReader.ReadAll(p, Skip);
        Assert.Equal(3, s.Ticks.Length);
        var r = s.Report;
        Assert.Equal((1L, 1L, 1L, 1L), (r.NegativeSpread, r.NonFinite, r.OutOfOrder, r.Duplicates));
        Assert.Equal([3L, 4L, 5L, 6L], r.Examples.Select(e => e.Line));
        Assert.Equal("out-of-order time 2014-05-07T00:00:07.000Z is before 2014-05-07T00:00:07.135Z on line 2", r.Examples[2].Message);
        Assert.Equal("duplicate tick 2014-05-07T00:00:07.135Z bid 1.39286 ask 1.39298 (same as line 2)", r.Examples[3].Message);
    }

    [Fact]
    public void MissingRequiredColumns_AreClearErrors()
    {
        using var dir = new TempDir();
        var noClose = dir.Write("a.csv", "Date,Open,High,Low,Volume", "2022.10.10 00:00:00,0.97312,0.97369,0.97312,0");
        var ex = Assert.Throws<MarketDataException>(() => BarReader.ReadAll(noClose));
        // Detection already fails: without close the header is neither bars nor ticks.
        Assert.StartsWith($"{noClose}: unrecognised format: the first line 'Date,Open,High,Low,Volume'", ex.Message, StringComparison.Ordinal);

        var forced = Assert.Throws<MarketDataException>(() => BarReader.ReadAll(noClose, new DataReadOptions { Format = DataFormat.OhlcvCsv }));
        Assert.Equal($"{noClose}: line 1: missing required column 'close' (header: Date,Open,High,Low,Volume)", forced.Message);

        var noTime = dir.Write("b.csv", "idx,open,high,low,close", "0,1,1,1,1");
        Assert.Equal($"{noTime}: line 1: missing required column 'date/time' (header: idx,open,high,low,close)", Assert.Throws<MarketDataException>(() => BarReader.ReadAll(noTime)).Message);

        var noAsk = dir.Write("c.csv", "time_utc,bid,ask_price", "2014-05-07T00:00:07.135Z,1.39286,1.39298");
        Assert.Equal($"{noAsk}: line 1: missing required column 'ask' (header: time_utc,bid,ask_price)", Assert.Throws<MarketDataException>(() => TickReader.ReadAll(noAsk, new DataReadOptions { Format = DataFormat.NormalizedTicks })).Message);
    }

    [Fact]
    public void EmptyFiles_AreClearErrorsUnderBothPolicies()
    {
        using var dir = new TempDir();
        var empty = dir.Write("empty.csv", string.Empty);
        var blank = dir.Write("blank.csv", "", "  ", "");
        var headerOnly = dir.Write("header.csv", BarHeader);
        foreach (var o in new[] { DataReadOptions.Default, Skip })
        {
            Assert.Equal($"{empty}: the file is empty", Assert.Throws<MarketDataException>(() => BarReader.ReadAll(empty, o)).Message);
            Assert.Equal($"{blank}: the file is empty", Assert.Throws<MarketDataException>(() => TickReader.ReadAll(blank, o)).Message);
            Assert.Equal($"{headerOnly}: no data rows (the file has only a header)", Assert.Throws<MarketDataException>(() => BarReader.ReadAll(headerOnly, o)).Message);
        }
    }

    [Fact]
    public void Skip_AllRowsBad_IsAnErrorNotAnEmptySeries()
    {
        using var dir = new TempDir();
        var p = dir.Write("bad.csv", BarHeader, "2014-05-01T00:00:00Z,NaN,1,1,1,0,0");
        var ex = Assert.Throws<MarketDataException>(() => BarReader.ReadAll(p, Skip));
        Assert.Equal($"{p}: no valid rows: all 1 data rows are bad; first: line 2: non-finite price: open=NaN high=1 low=1 close=1", ex.Message);
    }

    [Fact]
    public void Skip_KeepsOnlyTheFirstExamplesButCountsEveryBadRow()
    {
        using var dir = new TempDir();
        var lines = new List<string> { BarHeader, R1 };
        for (var i = 0; i < 25; i++)
        {
            lines.Add(R1); // 25 duplicates of line 2
        }

        lines.Add(R2);
        var p = dir.Write("dups.csv", [.. lines]);
        var s = BarReader.ReadAll(p, Skip with { MaxExamples = 3 });
        Assert.Equal(2, s.Bars.Length);
        Assert.Equal(25, s.Report.Duplicates);
        Assert.Equal([3L, 4L, 5L], s.Report.Examples.Select(e => e.Line));
    }

    [Fact]
    public void WeekendRowsAndGaps_AreCountedButKept()
    {
        using var dir = new TempDir();
        // 2014-05-02 is a Friday. Friday 20:58/20:59, a stray Saturday 12:00 row, Sunday 21:00 open, and a 5-minute
        // hole on Sunday night (21:01 → 21:06: 4 missing bars). Period is inferred as 60 s.
        var p = dir.Write(
            "w.csv",
            BarHeader,
            "2014-05-02T20:58:00Z,1.1,1.1,1.1,1.1,0,10",
            "2014-05-02T20:59:00Z,1.1,1.1,1.1,1.1,0,10",
            "2014-05-03T12:00:00Z,1.1,1.1,1.1,1.1,0,10",
            "2014-05-04T21:00:00Z,1.1,1.1,1.1,1.1,0,10",
            "2014-05-04T21:01:00Z,1.1,1.1,1.1,1.1,0,10",
            "2014-05-04T21:06:00Z,1.1,1.1,1.1,1.1,0,10");
        var r = BarReader.ReadAll(p).Report;
        Assert.Equal(6, r.RowsAccepted);
        Assert.Equal(60, r.Period);
        Assert.Equal(1, r.WeekendRows);
        // Fri 20:59 → Sat 12:00 and Sat 12:00 → Sun 21:00 both touch Saturday.
        Assert.Equal(2, r.WeekendGaps);
        Assert.Equal((1L, 4L, 300L), (r.Gaps, r.MissingBars, r.LongestGap));
        Assert.Equal(Utc(2014, 5, 4, 21, 6), r.LongestGapEnd);

        var r2 = BarReader.ReadAll(p, new DataReadOptions { GapBarPeriods = 5 }).Report;
        Assert.Equal(0, r2.Gaps); // 300 s is not more than 5 periods
    }

    [Fact]
    public void BadOptions_NameTheOption()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BarReader.Open(new MemoryStream(), "x", new DataReadOptions { GapBarPeriods = 0 }));
        Assert.Equal("GapBarPeriods", ex.ParamName);
    }
}
