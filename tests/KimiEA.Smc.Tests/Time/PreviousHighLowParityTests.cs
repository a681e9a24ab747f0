using KimiEA.Core.Time;
using Xunit;
using KimiEA.Smc.Time;

namespace KimiEA.Smc.Tests.Time;

/// <summary>
/// previous_high_low against the peer fixtures (4h, 1D, W), column by column with the README's rule (float32 levels,
/// exact flags, NaN positions equal). The peer-compatible rule must reproduce each fixture exactly; the default must
/// differ only in rows explained by a named deviation of <see cref="TimePeerDeviations"/>, each checked by an
/// independent naive computation.
/// </summary>
public class PreviousHighLowParityTests
{
    [Theory]
    [InlineData("4h")]
    [InlineData("1D")]
    [InlineData("W")]
    public void PeerCompatibleRule_ReproducesFixtureExactly(string frame)
    {
        var bars = TimeTestData.PeerBars;
        var (header, rows) = TimeTestData.PeerResult($"previous_high_low_result_data_{frame}.csv");
        Assert.Equal(["PreviousHigh", "PreviousLow", "BrokenHigh", "BrokenLow"], header);
        Assert.Equal(bars.Length, rows.Length);
        var cols = TimeBatch.PreviousHighLow(bars, PeriodFrame.Parse(frame), PreviousPeriodRule.PeerCompatible);
        for (var i = 0; i < bars.Length; i++)
        {
            if (!(SameF32(TimeTestData.F32(rows[i][0]), cols.PreviousHigh[i])))
            {
                Assert.Fail($"row {i} PreviousHigh: fixture {rows[i][0]}, ours {cols.PreviousHigh[i]}");
            }
            if (!(SameF32(TimeTestData.F32(rows[i][1]), cols.PreviousLow[i])))
            {
                Assert.Fail($"row {i} PreviousLow: fixture {rows[i][1]}, ours {cols.PreviousLow[i]}");
            }
            Assert.Equal(rows[i][2], cols.BrokenHigh[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(rows[i][3], cols.BrokenLow[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("4h", 0, 1)]
    [InlineData("1D", 0, 1)]
    [InlineData("W", 1, 0)]
    public void Default_DiffersOnlyByNamedDeviations(string frame, int minWeeklyRows, int minOpenBarRows)
    {
        var bars = TimeTestData.PeerBars;
        var (_, rows) = TimeTestData.PeerResult($"previous_high_low_result_data_{frame}.csv");
        var ours = TimeBatch.PreviousHighLow(bars, PeriodFrame.Parse(frame));
        var naive = new NaivePeriods(bars, frame);
        var explained = TimePeerDeviations.All.ToDictionary(d => d.Name, _ => 0);
        var unexplained = new List<string>();
        for (var i = 0; i < bars.Length; i++)
        {
            var peerHigh = TimeTestData.F32(rows[i][0]);
            var peerLow = TimeTestData.F32(rows[i][1]);
            var peerBh = int.Parse(rows[i][2], System.Globalization.CultureInfo.InvariantCulture);
            var peerBl = int.Parse(rows[i][3], System.Globalization.CultureInfo.InvariantCulture);

            // Our default, checked independently on every row: the previous period's levels, broken since the period began.
            var (h1, l1) = naive.Levels(i, 1);
            var periodFirst = naive.FirstBar[naive.PeriodOf[i]];
            var (bh1, bl1) = NaivePeriods.Broken(bars, periodFirst, i, h1, l1);
            if (!(SameF32(h1, ours.PreviousHigh[i]) && SameF32(l1, ours.PreviousLow[i])))
            {
                Assert.Fail($"row {i}: default levels are not the previous period's");
            }
            Assert.Equal((bh1, bl1), (ours.BrokenHigh[i], ours.BrokenLow[i]));

            var same = SameF32(peerHigh, ours.PreviousHigh[i]) && SameF32(peerLow, ours.PreviousLow[i])
                && peerBh == ours.BrokenHigh[i] && peerBl == ours.BrokenLow[i];
            if (same)
            {
                continue;
            }

            string? name = null;
            var (h2, l2) = naive.Levels(i, 2);
            var atPeriodStart = bars[i].OpenDateTime == naive.Start[i];
            if (frame == "W")
            {
                // The peer's week-before-last levels, broken since the first bar of this week.
                var (bh2, bl2) = NaivePeriods.Broken(bars, periodFirst, i, h2, l2);
                if (SameF32(peerHigh, h2) && SameF32(peerLow, l2) && peerBh == bh2 && peerBl == bl2)
                {
                    name = TimePeerDeviations.WeeklyWeekBeforeLast.Name;
                }
            }
            else if (atPeriodStart)
            {
                // The peer's run for the two-back period began inside the previous period (at its first bar, or its
                // second if that period also opened exactly at its start), and continues through this open bar.
                var runFrom = i;
                if (naive.PeriodOf[i] >= 1)
                {
                    var prevFirst = naive.FirstBar[naive.PeriodOf[i] - 1];
                    runFrom = Math.Min(i, bars[prevFirst].OpenDateTime == naive.Start[prevFirst] ? prevFirst + 1 : prevFirst);
                }

                var (bh2, bl2) = NaivePeriods.Broken(bars, runFrom, i, h2, l2);
                if (i == periodFirst && SameF32(peerHigh, h2) && SameF32(peerLow, l2) && peerBh == bh2 && peerBl == bl2)
                {
                    name = TimePeerDeviations.PeriodOpenBarTwoBack.Name;
                }
            }
            else if (bars[periodFirst].OpenDateTime == naive.Start[i] && SameF32(peerHigh, h1) && SameF32(peerLow, l1))
            {
                // Same levels; the peer's run starts after the open bar, so its flags are the breaks of bars periodFirst+1..i.
                var (bhLate, blLate) = NaivePeriods.Broken(bars, periodFirst + 1, i, h1, l1);
                if (peerBh == bhLate && peerBl == blLate)
                {
                    name = TimePeerDeviations.BreakRunStartsAfterOpenBar.Name;
                }
            }

            if (name is null)
            {
                unexplained.Add($"row {i} ({bars[i].OpenDateTime:yyyy-MM-dd HH:mm}): fixture {string.Join(',', rows[i])}, ours {ours.PreviousHigh[i]},{ours.PreviousLow[i]},{ours.BrokenHigh[i]},{ours.BrokenLow[i]}");
            }
            else
            {
                explained[name]++;
            }
        }

        if (unexplained.Count != 0)
        {
            Assert.Fail($"{unexplained.Count} unexplained rows, first: {string.Join(" | ", unexplained.Take(5))}");
        }

        // The deviations are real on this fixture (otherwise the list would hide nothing and the test would be vacuous).
        Assert.True(explained[TimePeerDeviations.WeeklyWeekBeforeLast.Name] >= minWeeklyRows * 1000, $"weekly rows {explained[TimePeerDeviations.WeeklyWeekBeforeLast.Name]}");
        Assert.True(explained[TimePeerDeviations.PeriodOpenBarTwoBack.Name] >= minOpenBarRows * 200, $"open-bar rows {explained[TimePeerDeviations.PeriodOpenBarTwoBack.Name]}");
    }

    private static bool SameF32(float a, float b) => (float.IsNaN(a) && float.IsNaN(b)) || a == b;
}
