using KimiEA.Core.Time;
using KimiEA.Core.Market;
using KimiEA.Data;
using KimiEA.Testing;
using Xunit;
using static KimiEA.Tester.Tests.Data.DataTestHelpers;

namespace KimiEA.Tester.Tests.Data;

public class ReaderFormatTests
{
    [Theory]
    // Row counts and ranges from data/samples/lean-oanda/README.md.
    [InlineData("EURUSD_M1_2014-05.norm.csv", 15_366)]
    [InlineData("NZDUSD_M1_2014-05.norm.csv", 15_543)]
    [InlineData("XAUUSD_M1_2014-05.norm.csv", 15_222)]
    [InlineData("EURUSD_H1_2007-2018.norm.csv", 74_439)]
    public void NormalizedBars_LeanSamples_ReadEveryRowClean(string file, int rows)
    {
        var path = RepoPaths.Sample("lean-oanda", file);
        Assert.Equal(DataFormat.NormalizedBars, MarketDataFile.Detect(path));
        var s = BarReader.ReadAll(path);
        Assert.Equal(rows, s.Bars.Length);
        Assert.Equal(rows, s.Report.RowsAccepted);
        Assert.True(s.Report.IsClean);
        Assert.Equal(0, s.Report.WeekendRows);
    }

    [Fact]
    public void NormalizedBars_EurusdM1_FieldsGapsAndRangeMatchTheReadme()
    {
        var s = BarReader.ReadAll(RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv"));
        // First row: 2014-05-01T00:00:00Z,1.38676,1.38686,1.38669,1.38686,0,11
        var b = s.Bars[0];
        Assert.Equal(Utc(2014, 5, 1), b.Time);
        Assert.Equal((1.38676, 1.38686, 1.38669, 1.38686), (b.Open, b.High, b.Low, b.Close));
        Assert.Equal(11, b.Spread);
        Assert.Equal(0, b.RealVolume);
        Assert.Equal(Utc(2014, 5, 15, 23, 59), s.Bars[^1].Time);
        var r = s.Report;
        Assert.Equal(60, r.Period);
        // README: "387 short gaps (474 missing minutes, the longest 7 min)" (7 min between two bars); the two
        // weekends (Fri 2014-05-02 → Sun 05-04, Fri 05-09 → Sun 05-11) are weekend gaps.
        Assert.Equal(387, r.Gaps);
        Assert.Equal(474, r.MissingBars);
        Assert.Equal(7 * 60, r.LongestGap);
        Assert.Equal(2, r.WeekendGaps);
    }

    [Fact]
    public void NormalizedTicks_EurusdSample_OneRepeatedTickIsTheOnlyBadRow()
    {
        var path = RepoPaths.Sample("lean-oanda", "EURUSD_ticks_2014-05-07_08.norm.csv");
        Assert.Equal(DataFormat.NormalizedTicks, MarketDataFile.Detect(path));
        var s = TickReader.ReadAll(path, Skip);
        // README: 129,200 ticks. Line 60194 repeats line 60193 exactly (2014-05-08T11:45:03.316Z,1.39339,1.39446).
        Assert.Equal(129_200, s.Report.RowsRead);
        Assert.Equal(129_199, s.Ticks.Length);
        Assert.Equal(1, s.Report.Duplicates);
        Assert.Equal(1, s.Report.RowsSkipped);
        var e = Assert.Single(s.Report.Examples);
        Assert.Equal((60194L, DataProblem.Duplicate), (e.Line, e.Problem));
        var t = s.Ticks[0];
        Assert.Equal(UtcMs(2014, 5, 7, 0, 0, 7, 135), t.TimeMsc);
        Assert.Equal(t.TimeMsc / 1000, t.Time);
        Assert.Equal((1.39286, 1.39298), (t.Bid, t.Ask));
        Assert.Equal(UtcMs(2014, 5, 8, 23, 59, 49, 8), s.Ticks[^1].TimeMsc);

        // An exact repeat says nothing new: the strict read (the backtest's default) drops and counts it too.
        var strict = TickReader.ReadAll(path);
        Assert.Equal(129_199, strict.Ticks.Length);
        Assert.Equal((1L, 1L), (strict.Report.Duplicates, strict.Report.RowsSkipped));
        Assert.Equal("duplicate tick 2014-05-08T11:45:03.316Z bid 1.39339 ask 1.39446 (same as line 60193)", Assert.Single(strict.Report.Examples).Message);
    }

    [Fact]
    public void OhlcvCsv_SmcPeerFixture_MapsTickvolVolumeAndSpread()
    {
        var path = RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv");
        Assert.Equal(DataFormat.OhlcvCsv, MarketDataFile.Detect(path));
        var s = BarReader.ReadAll(path);
        Assert.Equal(24_424, s.Bars.Length);
        // 2022.10.10 00:00:00,0.97312,0.97369,0.97312,0.97357,60,0,20
        var b = s.Bars[0];
        Assert.Equal(Utc(2022, 10, 10), b.Time);
        Assert.Equal((0.97312, 0.97369, 0.97312, 0.97357), (b.Open, b.High, b.Low, b.Close));
        Assert.Equal((60L, 0L, 20), (b.TickVolume, b.RealVolume, b.Spread));
        // Last row (no newline at end of file): 2023.10.02 06:45:00,1.05692,1.05697,1.05676,1.05697,105,0,1
        var l = s.Bars[^1];
        Assert.Equal(Utc(2023, 10, 2, 6, 45), l.Time);
        Assert.Equal((1.05692, 105L, 1), (l.Open, l.TickVolume, l.Spread));
        Assert.Equal(15 * 60, s.Report.Period);
        Assert.True(s.Report.IsClean);
        // The peer's volume is the column named Volume, 0 everywhere: Bar.FromRates falls back to tick volume.
        Assert.Equal(60, Bar.FromRates(b).Volume);
    }

    [Fact]
    public void OhlcvCsv_UnnamedIndexColumnAndLeadingRowNumber()
    {
        using var dir = new TempDir();
        // backtesting.py layout (unnamed first column holds the time) and a pandas dump with a leading row number.
        var a = dir.Write("a.csv", ",Open,High,Low,Close,Volume", "2017-04-19 09:00:00,1.0716,1.0722,1.07083,1.07219,1413", "2017-04-19 10:00:00,1.07214,1.07296,1.07214,1.0726,1241");
        var b = dir.Write("b.csv", ",date,OPEN,high,Low,close", "0,2017-04-19 09:00:00,1.0716,1.0722,1.07083,1.07219", "1,2017-04-19 10:00:00,1.07214,1.07296,1.07214,1.0726");
        var sa = BarReader.ReadAll(a).Bars;
        var sb = BarReader.ReadAll(b).Bars;
        Assert.Equal([Utc(2017, 4, 19, 9), Utc(2017, 4, 19, 10)], sa.Select(x => x.Time));
        Assert.Equal(1413, sa[0].RealVolume);
        Assert.Equal(0, sa[0].TickVolume);
        Assert.Equal(sa.Select(x => (x.Time, x.Open, x.High, x.Low, x.Close)), sb.Select(x => (x.Time, x.Open, x.High, x.Low, x.Close)));
    }

    private static readonly DataReadOptions AsUtc = new() { TimeZone = MarketTimeZone.Utc };

    [Fact]
    public void Mt5Bars_Export_MatchesTheNormalizedRowsAndTheTickCounts()
    {
        var path = RepoPaths.Fixture("data-formats", "EURUSD_M1_2014-05-07_mt5.csv");
        Assert.Equal(DataFormat.Mt5Bars, MarketDataFile.Detect(path));
        // The fixture's times are the sample's UTC (fixtures/data-formats/README.md): read with --data-time-zone UTC.
        var mt5 = BarReader.ReadAll(path, AsUtc).Bars;
        var norm = BarReader.ReadAll(RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv")).Bars
            .Where(b => b.Time >= Utc(2014, 5, 7)).Take(20).ToArray();
        Assert.Equal(20, mt5.Length);
        // By default an MT5 export is broker time, ny-close: UTC+3 in May (New York on daylight time), 3 hours ahead of UTC.
        var broker = BarReader.ReadAll(path);
        Assert.Equal(mt5.Select(b => b.Time - (3 * 3600)), broker.Bars.Select(b => b.Time));
        Assert.Equal("ny-close", broker.Report.TimeZone);
        Assert.Equal(norm.Select(b => (b.Time, b.Open, b.High, b.Low, b.Close, b.Spread)), mt5.Select(b => (b.Time, b.Open, b.High, b.Low, b.Close, b.Spread)));
        // <TICKVOL> was written as the number of ticks per minute in the tick sample.
        var ticks = TickReader.ReadAll(RepoPaths.Sample("lean-oanda", "EURUSD_ticks_2014-05-07_08.norm.csv"), Skip).Ticks;
        foreach (var b in mt5)
        {
            var expected = ticks.LongCount(t => t.TimeMsc / 60_000 == b.Time / 60);
            Assert.Equal(expected, b.TickVolume);
        }

        Assert.Equal(11, mt5[0].TickVolume);
    }

    [Fact]
    public void Mt5Ticks_Export_CarriesEmptyBidAskForward()
    {
        var path = RepoPaths.Fixture("data-formats", "EURUSD_ticks_2014-05-07_mt5.csv");
        Assert.Equal(DataFormat.Mt5Ticks, MarketDataFile.Detect(path));
        var mt5 = TickReader.ReadAll(path, AsUtc).Ticks;
        Assert.Equal(mt5.Select(t => t.TimeMsc - (3 * 3_600_000)), TickReader.ReadAll(path).Ticks.Select(t => t.TimeMsc));
        var norm = TickReader.ReadAll(RepoPaths.Sample("lean-oanda", "EURUSD_ticks_2014-05-07_08.norm.csv"), Skip).Ticks.Take(40).ToArray();
        Assert.Equal(40, mt5.Length);
        Assert.Equal(norm.Select(t => (t.TimeMsc, t.Bid, t.Ask)), mt5.Select(t => (t.TimeMsc, t.Bid, t.Ask)));
        // Line 3: "2014.05.07 00:00:16.860 <empty> 1.39297 … 4": bid carried from line 2 (1.39286), flags = ask only.
        Assert.Equal((1.39286, 1.39297, TickFlags.Ask), (mt5[1].Bid, mt5[1].Ask, mt5[1].Flags));
        Assert.Equal((1.39284, 1.39297, TickFlags.Bid), (mt5[2].Bid, mt5[2].Ask, mt5[2].Flags));
    }

    [Fact]
    public void Mt5Ticks_EmptyBidOnTheFirstRow_IsAClearError()
    {
        using var dir = new TempDir();
        var p = dir.Write("t.csv", "<DATE>\t<TIME>\t<BID>\t<ASK>\t<LAST>\t<VOLUME>\t<FLAGS>", "2014.05.07\t00:00:07.135\t\t1.39298\t\t\t4");
        var ex = Assert.Throws<MarketDataException>(() => TickReader.ReadAll(p));
        Assert.Equal($"{p}: line 2: empty bid and no earlier tick to carry it forward from", ex.Message);
    }

    [Fact]
    public void HistData_NewYorkLocalTime_BecomesUtcAcrossTheDstSwitch()
    {
        var path = RepoPaths.Fixture("data-formats", "DAT_ASCII_EURUSD_M1_2017_excerpt.csv");
        Assert.Equal(DataFormat.HistDataM1, MarketDataFile.Detect(path));
        var s = BarReader.ReadAll(path);
        var t = s.Bars.Select(b => b.Time).ToArray();
        Assert.Equal(13, t.Length);
        // 2017-01-03 03:00 EST (UTC-5) = 08:00Z, as in histdata-btgym's normalized file.
        Assert.Equal(Utc(2017, 1, 3, 8), t[0]);
        // Friday 2017-03-10 16:55 EST = 21:55Z; after the 2017-03-12 02:00 switch, Sunday 17:00 EDT (UTC-4) = 21:00Z.
        Assert.Equal(Utc(2017, 3, 10, 21, 55), t[3]);
        Assert.Equal(Utc(2017, 3, 12, 21, 0), t[8]);
        Assert.Equal((1.066980, 1.067050, 1.066890, 1.067050), (s.Bars[3].Open, s.Bars[3].High, s.Bars[3].Low, s.Bars[3].Close));
        Assert.Equal("America/New_York", s.Report.TimeZone);
        // Jan → Mar and Fri → Sun both span a Saturday: weekend gaps, not data gaps.
        Assert.Equal((0L, 2L), (s.Report.Gaps, s.Report.WeekendGaps));

        // HistData's documented (but wrong for these files) fixed EST: Sunday 17:00 = 22:00Z.
        var est = BarReader.ReadAll(path, new DataReadOptions { TimeZone = MarketTimeZone.Parse("UTC-5") }).Bars;
        Assert.Equal(Utc(2017, 3, 12, 22, 0), est[8].Time);
        Assert.Equal(Utc(2017, 3, 10, 21, 55), est[3].Time);
    }

    [Fact]
    public void FormatOverride_ForcesAFormatAndRejectsTheWrongKind()
    {
        var bars = RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv");
        var forced = BarReader.ReadAll(bars, new DataReadOptions { Format = DataFormat.OhlcvCsv });
        Assert.Equal(DataFormat.OhlcvCsv, forced.Report.Format);
        Assert.Equal(15_366, forced.Bars.Length);
        var ex = Assert.Throws<MarketDataException>(() => TickReader.Open(bars));
        Assert.Equal($"{bars}: the file holds bars (NormalizedBars), not ticks", ex.Message);
        var ex2 = Assert.Throws<MarketDataException>(() => BarReader.ReadAll(bars, new DataReadOptions { Format = DataFormat.HistDataM1 }));
        // Forced HistData reads the header line as the first data row.
        Assert.Equal(1, ex2.Line);
        Assert.Equal(DataProblem.Malformed, ex2.Problem);
    }

    [Fact]
    public void SharedData_RawFilesEqualTheirNormalizedConversions()
    {
        if (RepoPaths.SharedData is not { } shared)
        {
            return; // optional extra check: ../shared/data is absent on a fresh clone
        }

        // backtesting.py's raw EURUSD.csv (unnamed time column, Volume) against its normalized twin.
        var raw = BarReader.ReadAll(Path.Combine(shared, "backtestingpy", "raw", "EURUSD.csv")).Bars;
        var norm = BarReader.ReadAll(Path.Combine(shared, "backtestingpy", "EURUSD_H1_2017-04_2018-02.norm.csv")).Bars;
        Assert.Equal(5000, raw.Length);
        Assert.Equal(norm, raw);

        // HistData raw (New York local) against the README author's UTC conversion, and its gap counts.
        foreach (var (folder, norms, gaps, missing) in new[] { ("histdata-btgym", "EURUSD_M1_2017-01_03.norm.csv", 104, 120), ("histdata-calvincouch", "USDJPY_M1_2016-01_03.norm.csv", 151, 164) })
        {
            var files = Directory.GetFiles(Path.Combine(shared, folder, "raw"), "DAT_ASCII_*.csv").Order(StringComparer.Ordinal);
            var fromRaw = files.SelectMany(f => BarReader.ReadAll(f).Bars).ToArray();
            var normalized = BarReader.ReadAll(Path.Combine(shared, folder, norms));
            Assert.Equal(normalized.Bars, fromRaw);
            Assert.Equal((gaps, missing), ((int)normalized.Report.Gaps, (int)normalized.Report.MissingBars));
            Assert.Equal(0, normalized.Report.WeekendRows);
        }

        // nautilus-fx raw files carry explicit "+00:00" offsets and 6-digit fractions.
        var nautilus = Path.Combine(shared, "nautilus-fx");
        var truefxRaw = TickReader.ReadAll(Path.Combine(nautilus, "raw", "truefx", "usdjpy-ticks.csv"), Skip);
        var truefxNorm = TickReader.ReadAll(Path.Combine(nautilus, "USDJPY_ticks_truefx_2013-01.norm.csv"), Skip);
        Assert.Equal(1000, truefxRaw.Report.RowsRead);
        Assert.Equal(truefxNorm.Ticks.Select(t => (t.TimeMsc, t.Bid, t.Ask)), truefxRaw.Ticks.Select(t => (t.TimeMsc, t.Bid, t.Ask)));
        var fxcmBid = BarReader.ReadAll(Path.Combine(nautilus, "raw", "fxcm", "gbpusd-m1-bid-2012.csv")).Bars;
        var fxcmNorm = BarReader.ReadAll(Path.Combine(nautilus, "GBPUSD_M1_2012-02.norm.csv"), Skip);
        // README: 347 GBPUSD rows have ask close < bid close, i.e. a negative spread_points: skipped and counted.
        Assert.Equal(30_117, fxcmBid.Length);
        Assert.Equal(347, fxcmNorm.Report.NegativeSpread);
        var bidByTime = fxcmBid.ToDictionary(b => b.Time);
        Assert.All(fxcmNorm.Bars, b => Assert.Equal((b.Open, b.High, b.Low, b.Close), (bidByTime[b.Time].Open, bidByTime[b.Time].High, bidByTime[b.Time].Low, bidByTime[b.Time].Close)));
    }
}
