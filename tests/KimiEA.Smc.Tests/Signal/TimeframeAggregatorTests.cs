using KimiEA.Core.Market;
using KimiEA.Smc.Signal;
using KimiEA.Smc.Time;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Smc.Tests.Signal;

/// <summary>Resampling M1 to M15 for the signal.</summary>
public sealed class TimeframeAggregatorTests
{
    [Fact]
    public void Resample_HandBuiltMinutes_GivesTheExpectedBins()
    {
        // 00:14 closes bin 00:00; 00:15 and 00:29 form bin 00:15; 00:31 opens bin 00:30 (flushed at the end)
        Bar[] m1 =
        [
            new(0 * 60, 10, 12, 9, 11, 1), new(14 * 60, 11, 13, 10, 12, 2),
            new(15 * 60, 12, 12.5, 8, 9, 3), new(29 * 60, 9, 10, 7, 8, 4),
            new(31 * 60, 8, 9, 7.5, 8.5, 5),
        ];
        var m15 = TimeframeAggregator.Resample(m1, PeriodFrame.Parse("15min"));
        Assert.Equal(
            [new Bar(0, 10, 13, 9, 12, 3), new Bar(900, 12, 12.5, 7, 8, 7), new Bar(1800, 8, 9, 7.5, 8.5, 5)],
            m15);
    }

    [Fact]
    public void Resample_RealM1_MatchesAGroupByOfTheSameBars()
    {
        var m1 = SignalData.Load(RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv"));
        var m15 = TimeframeAggregator.Resample(m1, PeriodFrame.Parse("15min"));
        var groups = m1.GroupBy(b => b.Time - (((b.Time % 900) + 900) % 900)).ToList();
        Assert.Equal(groups.Count, m15.Length);
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i].ToList();
            Assert.Equal(new Bar(groups[i].Key, g[0].Open, g.Max(b => b.High), g.Min(b => b.Low), g[^1].Close, g.Sum(b => b.Volume)), m15[i]);
        }
    }

    [Fact]
    public void Add_RejectsNonIncreasingTime()
    {
        var a = new TimeframeAggregator(PeriodFrame.Parse("15min"));
        a.Add(new Bar(60, 1, 1, 1, 1, 0), out _);
        Assert.Throws<ArgumentException>(() => a.Add(new Bar(60, 1, 1, 1, 1, 0), out _));
    }

    [Fact]
    public void CloseIfComplete_EmitsTheBinWhenTheBarThatEndsItHasClosed()
    {
        // M5 bars into 15 min: 00:10 closes at 00:15, the bin's end
        var a = new TimeframeAggregator(PeriodFrame.Parse("15min"));
        Assert.False(a.Add(new Bar(0, 10, 12, 9, 11, 1), out _));
        Assert.False(a.CloseIfComplete(300, out _));
        Assert.False(a.Add(new Bar(300, 11, 13, 10, 12, 2), out _));
        Assert.False(a.CloseIfComplete(600, out _));
        Assert.False(a.Add(new Bar(600, 12, 12.5, 8, 9, 3), out _));
        Assert.True(a.CloseIfComplete(900, out var done));
        Assert.Equal(new Bar(0, 10, 13, 8, 9, 6), done);
        Assert.False(a.CloseIfComplete(900, out _)); // emitted once

        // the next bin: its first bar opens it, no earlier bin is pending
        Assert.False(a.Add(new Bar(900, 9, 9.5, 8.5, 9.2, 1), out _));
        Assert.True(a.Flush(out var last));
        Assert.Equal(new Bar(900, 9, 9.5, 8.5, 9.2, 1), last);
    }

    [Fact]
    public void Add_RejectsABarInABinAlreadyClosedByTheClock()
    {
        // a bar claimed to close at 00:15 completed the bin; a bar at 00:12 cannot belong to it any more
        var a = new TimeframeAggregator(PeriodFrame.Parse("15min"));
        a.Add(new Bar(600, 1, 1, 1, 1, 0), out _);
        Assert.True(a.CloseIfComplete(900, out _));
        var e = Assert.Throws<ArgumentException>(() => a.Add(new Bar(720, 1, 1, 1, 1, 0), out _));
        Assert.Contains("already completed", e.Message);
    }
}
