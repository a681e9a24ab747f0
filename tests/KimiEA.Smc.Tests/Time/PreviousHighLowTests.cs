using KimiEA.Core.Time;
using KimiEA.Core.Market;
using KimiEA.Smc.Time;
using Xunit;

namespace KimiEA.Smc.Tests.Time;

/// <summary>previous_high_low with other frames and other real data, events, causality and bad input.</summary>
public class PreviousHighLowTests
{
    [Theory]
    [InlineData("EURUSD_H1_2007-2018.norm.csv", "4h")]
    [InlineData("EURUSD_H1_2007-2018.norm.csv", "1D")]
    [InlineData("EURUSD_H1_2007-2018.norm.csv", "W")]
    [InlineData("XAUUSD_M1_2014-05.norm.csv", "15min")]
    [InlineData("XAUUSD_M1_2014-05.norm.csv", "1h")]
    [InlineData("NZDUSD_M1_2014-05.norm.csv", "1D")]
    [InlineData("NZDUSD_M1_2014-05.norm.csv", "W")]
    public void Default_OnRealData_IsThePreviousNonEmptyPeriod(string file, string frame)
    {
        var bars = TimeTestData.LeanBars(file);
        var naive = new NaivePeriods(bars, frame);
        var det = new PreviousHighLowDetector(PeriodFrame.Parse(frame));
        var breaks = 0;
        for (var i = 0; i < bars.Length; i++)
        {
            var s = det.Update(bars[i]);
            var (h, l) = naive.Levels(i, 1);
            var p = naive.PeriodOf[i];
            var periodFirst = naive.FirstBar[p];
            var (bh, bl) = NaivePeriods.Broken(bars, periodFirst, i, h, l);
            Assert.Equal(!float.IsNaN(h), s.HasLevels);
            if (!((float.IsNaN(h) && float.IsNaN(s.PreviousHigh)) || h == s.PreviousHigh))
            {
                Assert.Fail($"bar {i}: high {h} vs {s.PreviousHigh}");
            }
            if (!((float.IsNaN(l) && float.IsNaN(s.PreviousLow)) || l == s.PreviousLow))
            {
                Assert.Fail($"bar {i}: low {l} vs {s.PreviousLow}");
            }
            Assert.Equal((bh == 1, bl == 1), (s.BrokenHigh, s.BrokenLow));
            Assert.Equal((i, i), (s.BarIndex, s.KnownAtIndex));
            if (s.HasLevels)
            {
                // The reference period is the previous one, known complete at this period's first bar.
                Assert.Equal(naive.FirstBar[p - 1], s.ReferenceFirstBar);
                Assert.Equal(periodFirst - 1, s.ReferenceLastBar);
                Assert.Equal(periodFirst, s.ReferenceKnownAt);
                Assert.Equal(new DateTimeOffset(naive.Start[periodFirst - 1], TimeSpan.Zero).ToUnixTimeSeconds(), s.ReferenceStart);
            }

            if (s.BrokenHighAt == i)
            {
                breaks++;
                Assert.True(bars[i].High > s.PreviousHigh);
            }
        }

        Assert.True(breaks > 0, "no break event on real data");
    }

    [Fact]
    public void Weekly_HandChecked_OnPeerFixture()
    {
        // Bars of Monday 2022-11-07 compare with the week 31 Oct–6 Nov (ours); the peer reports 24–30 Oct (spec example).
        var bars = TimeTestData.PeerBars;
        var i = Array.FindIndex(bars, b => b.OpenDateTime == new DateTime(2022, 11, 7, 10, 0, 0));
        var lastWeek = bars.Where(b => b.OpenDateTime >= new DateTime(2022, 10, 31) && b.OpenDateTime < new DateTime(2022, 11, 7)).ToArray();
        var weekBefore = bars.Where(b => b.OpenDateTime >= new DateTime(2022, 10, 24) && b.OpenDateTime < new DateTime(2022, 10, 31)).ToArray();
        var ours = TimeBatch.PreviousHighLow(bars, PeriodFrame.Week);
        var peer = TimeBatch.PreviousHighLow(bars, PeriodFrame.Week, PreviousPeriodRule.PeerCompatible);
        Assert.Equal((float)lastWeek.Max(b => b.High), ours.PreviousHigh[i]);
        Assert.Equal((float)weekBefore.Max(b => b.High), peer.PreviousHigh[i]);
        Assert.Equal((float)weekBefore.Min(b => b.Low), peer.PreviousLow[i]);
    }

    [Fact]
    public void Float32Level_DecidesExactTies()
    {
        // Previous day high 1.1 (not representable): float32(1.1) = 1.10000002384…, so a later high of exactly 1.1
        // (float64) is NOT above it, while 1.1000001 is.
        var d = new PreviousHighLowDetector(PeriodFrame.Day1);
        d.Update(new Bar(0, 1, 1.1, 1.0, 1.05, 0));
        Assert.False(d.Update(new Bar(86_400, 1.05, 1.1, 1.05, 1.05, 0)).BrokenHigh);
        Assert.True(d.Update(new Bar(86_400 + 60, 1.05, 1.1000001, 1.05, 1.05, 0)).BrokenHigh);
    }

    [Fact]
    public void StreamingPrefix_IsIdenticalToLongerRun()
    {
        // No look-ahead: the first n states of a run on 2n bars equal a run on n bars.
        var bars = TimeTestData.PeerBars;
        var n = bars.Length / 2;
        foreach (var frame in new[] { "4h", "1D", "W" })
        {
            var a = new PreviousHighLowDetector(PeriodFrame.Parse(frame));
            var b = new PreviousHighLowDetector(PeriodFrame.Parse(frame));
            var s1 = new SessionDetector(SessionWindow.NewYorkKillZone);
            var s2 = new SessionDetector(SessionWindow.NewYorkKillZone);
            var shortRun = new List<(PreviousHighLowBar, SessionBar)>();
            for (var i = 0; i < n; i++)
            {
                shortRun.Add((a.Update(bars[i]), s1.Update(bars[i])));
            }

            for (var i = 0; i < 2 * n; i++)
            {
                var x = (b.Update(bars[i]), s2.Update(bars[i]));
                if (i < n)
                {
                    Assert.Equal(shortRun[i], x);
                }
            }
        }
    }

    [Fact]
    public void Batch_EqualsTheStreamingStates_ForEveryFrameAndRule()
    {
        // The batch API is the fold of the streaming detectors: column values equal the states bar by bar.
        var bars = TimeTestData.LeanBars("EURUSD_M1_2014-05.norm.csv");
        foreach (var frame in new[] { "15min", "4h", "1D", "W" })
        {
            foreach (var rule in new[] { PreviousPeriodRule.LastCompleted, PreviousPeriodRule.PeerCompatible })
            {
                var cols = TimeBatch.PreviousHighLow(bars, PeriodFrame.Parse(frame), rule);
                var det = new PreviousHighLowDetector(PeriodFrame.Parse(frame), rule);
                for (var i = 0; i < bars.Length; i++)
                {
                    var s = det.Update(bars[i]);
                    if (!s.PreviousHigh.Equals(cols.PreviousHigh[i]) || !s.PreviousLow.Equals(cols.PreviousLow[i])
                        || (s.BrokenHigh ? 1 : 0) != cols.BrokenHigh[i] || (s.BrokenLow ? 1 : 0) != cols.BrokenLow[i])
                    {
                        Assert.Fail($"{frame} {rule} bar {i}: streaming {s} differs from batch");
                    }
                }
            }
        }

        var sessions = TimeBatch.Sessions(bars, SessionWindow.LondonOpenKillZone, MarketTimeZone.Utc);
        var sd = new SessionDetector(SessionWindow.LondonOpenKillZone);
        for (var i = 0; i < bars.Length; i++)
        {
            var s = sd.Update(bars[i]);
            Assert.Equal((s.Active ? 1 : 0, s.High, s.Low), (sessions.Active[i], sessions.High[i], sessions.Low[i]));
        }
    }

    [Theory]
    [InlineData("5h")]
    [InlineData("7min")]
    [InlineData("2D")]
    [InlineData("M")]
    [InlineData("")]
    public void Parse_Unsupported_NamesTheInput(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => PeriodFrame.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void UnsortedBars_AreRejected()
    {
        var d = new PreviousHighLowDetector(PeriodFrame.FourHours);
        d.Update(new Bar(5000, 1, 1, 1, 1, 0));
        var ex = Assert.Throws<ArgumentException>(() => d.Update(new Bar(4000, 1, 1, 1, 1, 0)));
        Assert.Contains("Bar 1 at time 4000", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => d.Update(new Bar(6000, 1, double.NaN, 1, 1, 0)));
    }
}
