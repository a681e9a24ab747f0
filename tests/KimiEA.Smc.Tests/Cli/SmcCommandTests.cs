using KimiEA.Core.Time;
using System.Globalization;
using KimiEA.Smc.Time;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Smc.Tests.Cli;

/// <summary>
/// <c>kimi smc</c> end to end: byte-identical reference files in peer-compatible mode, the default's time files,
/// normalized input with non-default parameters, number formatting, and bad input leaving no output behind.
/// </summary>
public class SmcCommandTests
{
    private static readonly string[] OutputFiles =
        ["swing_highs_lows.csv", "fvg.csv", "bos_choch.csv", "ob.csv", "liquidity.csv", "previous_high_low.csv", "sessions.csv", "retracements.csv"];

    private static string PeerInput => RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv");

    [Theory]
    [InlineData("1D", false)]
    [InlineData("4h", true)]
    [InlineData("W", false)]
    public void PeerCompatible_ReproducesEveryFixtureFileByteForByte(string frame, bool join)
    {
        var dir = KimiCli.TempDir();
        string[] args = ["smc", "--input", PeerInput, "--out", dir, "--peer-compatible", "--time-frame", frame];
        var r = KimiCli.Run(join ? [.. args, "--join-consecutive"] : args);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(OutputFiles.Order(), Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order());
        foreach (var file in OutputFiles)
        {
            var fixture = file switch
            {
                "previous_high_low.csv" => $"previous_high_low_result_data_{frame}.csv",
                "fvg.csv" when join => "fvg_consecutive_result_data.csv",
                _ => file.Replace(".csv", "_result_data.csv", StringComparison.Ordinal),
            };
            var expected = File.ReadAllBytes(RepoPaths.Fixture("smc-peer", fixture));
            var got = File.ReadAllBytes(Path.Combine(dir, file));
            Assert.True(expected.AsSpan().SequenceEqual(got), $"{file} differs from {fixture} (first difference at byte {FirstDiff(expected, got)})");
        }
    }

    [Fact]
    public void Default_TimeFilesAreTheCorrectedValues_AndHeadersMatchTheReference()
    {
        var dir = KimiCli.TempDir();
        var r = KimiCli.Run("smc", "--input", PeerInput, "--out", dir, "--time-frame", "W");
        Assert.True(r.ExitCode == 0, r.StdErr);

        // sessions(London, UTC) has no deviation: identical to the fixture.
        Assert.Equal(File.ReadAllBytes(RepoPaths.Fixture("smc-peer", "sessions_result_data.csv")), File.ReadAllBytes(Path.Combine(dir, "sessions.csv")));

        // previous_high_low(W): the last completed week (deviation WeeklyWeekBeforeLast), which the parity tests check row by row;
        // here the file must carry exactly those values.
        var expected = TimeBatch.PreviousHighLow(Time.TimeTestData.PeerBars, PeriodFrame.Week);
        var rows = File.ReadAllLines(Path.Combine(dir, "previous_high_low.csv"));
        Assert.Equal("PreviousHigh,PreviousLow,BrokenHigh,BrokenLow", rows[0]);
        Assert.Equal(expected.PreviousHigh.Length + 1, rows.Length);
        for (var i = 0; i < expected.PreviousHigh.Length; i++)
        {
            var c = rows[i + 1].Split(',');
            Assert.True(Same(expected.PreviousHigh[i], c[0]) && Same(expected.PreviousLow[i], c[1]), $"row {i}: {rows[i + 1]}");
            Assert.Equal((expected.BrokenHigh[i].ToString(CultureInfo.InvariantCulture), expected.BrokenLow[i].ToString(CultureInfo.InvariantCulture)), (c[2], c[3]));
        }

        foreach (var file in OutputFiles.Where(f => f != "previous_high_low.csv"))
        {
            var fixture = File.ReadLines(RepoPaths.Fixture("smc-peer", file.Replace(".csv", "_result_data.csv", StringComparison.Ordinal))).First();
            Assert.Equal(fixture, File.ReadLines(Path.Combine(dir, file)).First());
            Assert.Equal(expected.PreviousHigh.Length + 1, File.ReadLines(Path.Combine(dir, file)).Count());
        }
    }

    [Fact]
    public void NormalizedInput_WithDstSessionAndServerClock_MatchesTheLibrary()
    {
        // Real XAUUSD M1 (normalized format, UTC). London 08:00–16:30 in Europe/London (BST in May), 4h periods.
        var input = RepoPaths.Sample("lean-oanda", "XAUUSD_M1_2014-05.norm.csv");
        var dir = KimiCli.TempDir();
        var r = KimiCli.Run("smc", "--input", input, "--out", dir, "--swing-length", "10", "--close-break", "false", "--close-mitigation", "true",
            "--range-percent", "0.02", "--time-frame", "4h", "--session", "Custom", "--start", "08:00", "--end", "16:30", "--session-zone", "Europe/London");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var bars = Time.TimeTestData.LeanBars("XAUUSD_M1_2014-05.norm.csv");
        var sessions = TimeBatch.Sessions(bars, SessionWindow.Custom("08:00", "16:30", MarketTimeZone.London));
        var previous = TimeBatch.PreviousHighLow(bars, PeriodFrame.FourHours);
        var srows = File.ReadAllLines(Path.Combine(dir, "sessions.csv"));
        var prows = File.ReadAllLines(Path.Combine(dir, "previous_high_low.csv"));
        Assert.Equal(bars.Length + 1, srows.Length);
        var active = 0;
        for (var i = 0; i < bars.Length; i++)
        {
            var s = srows[i + 1].Split(',');
            Assert.Equal(sessions.Active[i].ToString(CultureInfo.InvariantCulture), s[0]);
            Assert.True(Same(sessions.High[i], s[1]) && Same(sessions.Low[i], s[2]), $"sessions row {i}: {srows[i + 1]}");
            var p = prows[i + 1].Split(',');
            Assert.True(Same(previous.PreviousHigh[i], p[0]) && Same(previous.PreviousLow[i], p[1]), $"previous row {i}: {prows[i + 1]}");
            active += sessions.Active[i];

            // 2014-05 is BST: 08:00 London = 07:00 UTC, so the first active bar of a day is at 07:00 UTC.
            if (sessions.Active[i] == 1 && (i == 0 || sessions.Active[i - 1] == 0) && bars[i].Time - bars[Math.Max(0, i - 1)].Time < 3600)
            {
                Assert.Equal(new TimeSpan(7, 0, 0), bars[i].OpenDateTime.TimeOfDay);
            }
        }

        Assert.True(active > 1000);
    }

    [Fact]
    public void TimeZoneOption_ReadsTheFileClockWithIsoSign()
    {
        // --time-zone UTC+2: the file's 09:00 is 07:00 UTC, the first London bar; 18:00 is 16:00 UTC, the last (inclusive).
        // On Monday 2022-10-10 the active rows are therefore 09:00…18:00 file time: 37 M15 bars (deviation SessionTimeZoneSign:
        // the peer would shift the other way, to 05:00…14:00).
        var dir = KimiCli.TempDir();
        var r = KimiCli.Run("smc", "--input", PeerInput, "--out", dir, "--time-zone", "UTC+2");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var bars = Time.TimeTestData.PeerBars;
        var rows = File.ReadAllLines(Path.Combine(dir, "sessions.csv"));
        var monday = Enumerable.Range(0, bars.Length).Where(i => bars[i].OpenDateTime.Date == new DateTime(2022, 10, 10)).ToArray();
        var active = monday.Where(i => rows[i + 1].StartsWith("1,", StringComparison.Ordinal)).ToArray();
        Assert.Equal(37, active.Length);
        Assert.Equal(new TimeSpan(9, 0, 0), bars[active[0]].OpenDateTime.TimeOfDay);
        Assert.Equal(new TimeSpan(18, 0, 0), bars[active[^1]].OpenDateTime.TimeOfDay);
    }

    [Fact]
    public void RealVolume_FromNormalizedFile_FeedsOrderBlockVolume()
    {
        // Skender's daily series has real volume (~1e8). Each order block's OBVolume is V[i]+V[i−1]+V[i−2] of its breaking
        // bar i, and Percentage is 100·min/max of (V[i]+V[i−1], V[i−2]) (float32; bullish and bearish only swap
        // the labels), so every row must match some bar i.
        var bars = StructureDetectors.StructureTestData.LoadNormBars(RepoPaths.Fixture("skender", "default.norm.csv"));
        var dir = KimiCli.TempDir();
        var r = KimiCli.Run("smc", "--input", RepoPaths.Fixture("skender", "default.norm.csv"), "--out", dir, "--swing-length", "3");
        Assert.True(r.ExitCode == 0, r.StdErr);
        // Terms before bar 0 count as 0 (reference rule), so bars 0 and 1 are candidates too.
        double V(int k) => k >= 0 ? bars[k].Volume : 0;
        var candidates = new List<(double Volume, double Percentage)>();
        for (var i = 0; i < bars.Length; i++)
        {
            double recent = V(i) + V(i - 1), older = V(i - 2);
            candidates.Add((recent + older, 100 * Math.Min(recent, older) / Math.Max(recent, older)));
        }

        // Both columns are float32 in the reference: compare with its test tolerance (rtol 1e-5).
        static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-5 * Math.Abs(b);

        var rows = File.ReadAllLines(Path.Combine(dir, "ob.csv")).Skip(1).Select(l => l.Split(',')).Where(c => c[0].Length > 0).ToArray();
        Assert.True(rows.Length >= 5, $"only {rows.Length} order blocks");
        foreach (var c in rows)
        {
            double volume = float.Parse(c[3], CultureInfo.InvariantCulture), percentage = float.Parse(c[5], CultureInfo.InvariantCulture);
            Assert.True(candidates.Exists(k => Near(volume, k.Volume) && Near(percentage, k.Percentage)), $"OBVolume {c[3]} / Percentage {c[5]} matches no bar's volumes");
            Assert.True(volume > 1e7);
        }
    }

    [Fact]
    public void Formatting_FollowsPythonRepr_ForTinyAndIntegralValues()
    {
        // Prices in the 1e-5 range print in Python's scientific style (repr(1.234e-05) == '1.234e-05'); 0.0001 and
        // 0.00012 stay fixed (decimal exponent −4 and above); swing levels are printed float64.
        var dir = KimiCli.TempDir();
        var input = Path.Combine(dir, "tiny.csv");
        string[] highs = ["0.0001", "0.00012", "0.00001234", "0.0001", "0.00012", "0.00001234", "0.0001", "0.00012", "0.00001234", "0.0001", "0.00012", "0.00001234"];
        var lines = new List<string> { "Date,Open,High,Low,Close,Volume" };
        for (var i = 0; i < highs.Length; i++)
        {
            lines.Add($"2024.01.02 {i:00}:00:00,{highs[i]},{highs[i]},{highs[i]},{highs[i]},0");
        }

        File.WriteAllLines(input, lines);
        var outDir = Path.Combine(dir, "out");
        var r = KimiCli.Run("smc", "--input", input, "--out", outDir, "--swing-length", "1");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var levels = File.ReadAllLines(Path.Combine(outDir, "swing_highs_lows.csv")).Skip(1).Select(l => l.Split(',')[1]).Where(c => c.Length > 0).ToHashSet();
        Assert.NotEmpty(levels);
        Assert.Subset(new HashSet<string> { "0.0001", "0.00012", "1.234e-05" }, levels);
        Assert.Contains("1.234e-05", levels);
    }

    [Theory]
    [InlineData("unsorted", "Date,Open,High,Low,Close,Volume\n2024.01.02 01:00:00,1,2,0.5,1.5,0\n2024.01.02 00:00:00,1,2,0.5,1.5,0\n", "line 3")]
    [InlineData("duplicate", "Date,Open,High,Low,Close,Volume\n2024.01.02 01:00:00,1,2,0.5,1.5,0\n2024.01.02 01:00:00,1,2,0.5,1.5,0\n", "line 3")]
    [InlineData("nan", "Date,Open,High,Low,Close,Volume\n2024.01.02 01:00:00,1,2,0.5,1.5,0\n2024.01.02 02:00:00,1,NaN,0.5,1.5,0\n", "line 3")]
    [InlineData("highlow", "Date,Open,High,Low,Close,Volume\n2024.01.02 01:00:00,1,2,0.5,1.5,0\n2024.01.02 02:00:00,1,0.4,0.5,0.45,0\n", "line 3")]
    [InlineData("missing", "Date,Open,High,Close,Volume\n2024.01.02 01:00:00,1,2,1.5,0\n", "low")]
    [InlineData("empty", "", "empty")]
    public void BadInput_FailsNamingFileAndProblem_AndLeavesNoOutput(string name, string content, string mustMention)
    {
        var dir = KimiCli.TempDir();
        var input = Path.Combine(dir, $"{name}.csv");
        File.WriteAllText(input, content);
        var outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "unrelated");
        var r = KimiCli.Run("smc", "--input", input, "--out", outDir);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains($"{name}.csv", r.StdErr, StringComparison.Ordinal);
        Assert.Contains(mustMention, r.StdErr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
    }

    [Fact]
    public void UnwritableOutput_FailsAndLeavesNoResultFiles()
    {
        // One of the target names is an existing folder, so moving that file into place fails after some others
        // were moved: the command must fail and take the moved files back.
        var dir = KimiCli.TempDir();
        var outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(Path.Combine(outDir, "sessions.csv", "blocker"));
        var r = KimiCli.Run("smc", "--input", PeerInput, "--out", outDir);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("cannot write the output files", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(["sessions.csv"], Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("--session", "Mars", "Unknown session 'Mars'")]
    [InlineData("--time-frame", "3W", "Unsupported time frame '3W'")]
    [InlineData("--time-zone", "UTC+99", "Unknown time zone 'UTC+99'")]
    [InlineData("--swing-length", "0", "SwingLength")]
    public void BadArguments_FailWithNamedProblem_AndWriteNothing(string option, string value, string message)
    {
        var dir = KimiCli.TempDir();
        var outDir = Path.Combine(dir, "out");
        var r = KimiCli.Run("smc", "--input", PeerInput, "--out", outDir, option, value);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }

    private static bool Same(float expected, string cell) =>
        float.IsNaN(expected) ? cell.Length == 0 : cell.Length > 0 && float.Parse(cell, CultureInfo.InvariantCulture) == expected;

    private static int FirstDiff(byte[] a, byte[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return n;
    }
}
