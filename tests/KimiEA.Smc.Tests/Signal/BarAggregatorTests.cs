using KimiEA.Core.Market;
using KimiEA.Core.Time;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Smc.Tests.Signal;

/// <summary>The one bar aggregator: its binning rule (UTC and the broker's server clock, across DST) and its closing rule.</summary>
public sealed class BarAggregatorTests
{
    private const long H = 3600;

    private static long Utc(int y, int mo, int d, int h, int mi = 0) => new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero).ToUnixTimeSeconds();

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
        var m15 = BarAggregator.Resample(m1, PeriodFrame.Parse("15min"));
        Assert.Equal([new Bar(0, 10, 13, 9, 12, 3), new Bar(900, 12, 12.5, 7, 8, 7), new Bar(1800, 8, 9, 7.5, 8.5, 5)], m15);
    }

    [Fact]
    public void Resample_RealM1_MatchesAGroupByOfTheSameBars()
    {
        var m1 = SignalData.Load(RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv"));
        var m15 = BarAggregator.Resample(m1, PeriodFrame.Parse("15min"));
        var groups = m1.GroupBy(b => b.Time - (((b.Time % 900) + 900) % 900)).ToList();
        Assert.Equal(groups.Count, m15.Length);
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i].ToList();
            Assert.Equal(new Bar(groups[i].Key, g[0].Open, g.Max(b => b.High), g.Min(b => b.Low), g[^1].Close, g.Sum(b => b.Volume)), m15[i]);
        }
    }

    [Fact]
    public void D1_OnTheBrokerClock_IsTheServerDay_AcrossTheSpringTransition()
    {
        // H1 bars (UTC) of Friday 2014-03-07 and of the week opening Sunday 2014-03-09 17:00 New York (21:00Z, EDT).
        var bars = new List<Bar>();
        for (var t = Utc(2014, 3, 6, 22); t < Utc(2014, 3, 7, 22); t += H)
        {
            bars.Add(new Bar(t, 1, 2, 0.5, 1.5, 1));
        }

        for (var t = Utc(2014, 3, 9, 21); t < Utc(2014, 3, 10, 21); t += H)
        {
            bars.Add(new Bar(t, 3, 4, 2.5, 3.5, 1));
        }

        var d1 = BarAggregator.Resample(bars.ToArray(), PeriodFrame.Day1, MarketTimeZone.NewYorkClose);
        // Two server days: Friday from 00:00 server = 22:00Z (UTC+2), Monday from 00:00 server = 21:00Z (UTC+3).
        // The Sunday-evening hours belong to Monday: no Sunday bar, as on an MT5 New-York-close server.
        Assert.Equal([new Bar(Utc(2014, 3, 6, 22), 1, 2, 0.5, 1.5, 24), new Bar(Utc(2014, 3, 9, 21), 3, 4, 2.5, 3.5, 24)], d1);

        // The same bars on a UTC clock: Friday splits at midnight and Sunday gets its own 3-hour bar.
        var utc = BarAggregator.Resample(bars.ToArray(), PeriodFrame.Day1);
        Assert.Equal([Utc(2014, 3, 6, 0), Utc(2014, 3, 7, 0), Utc(2014, 3, 9, 0), Utc(2014, 3, 10, 0)], utc.Select(b => b.Time));
        Assert.Equal([2, 22, 3, 21], utc.Select(b => b.Volume));
    }

    [Theory]
    // H4 aligned to server midnight: 00:00 server is 22:00Z in New York's winter, 21:00Z in its summer.
    [InlineData("2014-03-07T01:30Z", "2014-03-06T22:00Z")] // 03:30 server (UTC+2) → 00:00 server
    [InlineData("2014-03-07T02:00Z", "2014-03-07T02:00Z")] // 04:00 server opens the next H4
    [InlineData("2014-03-10T00:59Z", "2014-03-09T21:00Z")] // 03:59 server (UTC+3)
    [InlineData("2014-03-10T01:00Z", "2014-03-10T01:00Z")]
    [InlineData("2014-11-03T00:59Z", "2014-11-02T22:00Z")] // after fall back: 02:59 server (UTC+2)
    [InlineData("2024-11-01T20:59Z", "2024-11-01T17:00Z")] // 23:59 server (UTC+3): the last H4 of the day, 20:00 server
    [InlineData("2024-11-04T01:59Z", "2024-11-03T22:00Z")]
    public void H4_OnTheBrokerClock_IsAlignedToServerMidnight(string at, string barTime)
    {
        var agg = new BarAggregator(4 * H, MarketTimeZone.NewYorkClose);
        Assert.Equal(Seconds(barTime), agg.BarTime(Seconds(at)));
    }

    [Theory]
    // W1 starts Sunday 00:00 server time: Saturday 22:00Z in winter, 21:00Z in summer.
    [InlineData("2014-03-10T12:00Z", "2014-03-08T22:00Z")] // the Sunday 00:00 server before the switch was still UTC+2
    [InlineData("2014-03-15T20:59Z", "2014-03-08T22:00Z")] // Saturday 23:59 server ends that week
    [InlineData("2014-03-15T21:00Z", "2014-03-15T21:00Z")] // Sunday 00:00 server (UTC+3) starts the next one
    [InlineData("2024-11-04T12:00Z", "2024-11-02T21:00Z")] // the week began in summer (UTC+3)
    public void W1_OnTheBrokerClock_StartsSunday0000Server(string at, string barTime)
    {
        var agg = new BarAggregator(PeriodFrame.Week1, MarketTimeZone.NewYorkClose);
        Assert.Equal(Seconds(barTime), agg.BarTime(Seconds(at)));
    }

    [Fact]
    public void Ticks_MakeBars_WithTheSmallestSpread_AndAreClosedByTheNextBarsFirstTick()
    {
        var agg = new BarAggregator(60);
        Assert.False(agg.AddTick(1_000, 1.10, 12, out _));
        Assert.False(agg.AddTick(30_000, 1.12, 10, out _));
        Assert.False(agg.AddTick(59_999, 1.09, 11, out _));
        Assert.True(agg.AddTick(60_000, 1.11, 9, out var m));
        Assert.Equal(new MqlRates(0, 1.10, 1.12, 1.09, 1.09, 3, 10), m);
        Assert.Throws<InvalidOperationException>(() => agg.AddTick(59_000, 1.1, 1, out _));
        Assert.True(agg.TakeForming(out var last));
        Assert.Equal(new MqlRates(60, 1.11, 1.11, 1.11, 1.11, 1, 9), last);
        Assert.False(agg.TakeForming(out _));
    }

    [Fact]
    public void CloseIfComplete_EmitsTheBinWhenTheBarThatEndsItHasClosed()
    {
        // M5 bars into 15 min: 00:10 closes at 00:15, the bin's end
        var a = new BarAggregator(PeriodFrame.Parse("15min"));
        Assert.False(a.Add(new Bar(0, 10, 12, 9, 11, 1), out _));
        Assert.False(a.CloseIfComplete(300, out Bar _));
        Assert.False(a.Add(new Bar(300, 11, 13, 10, 12, 2), out _));
        Assert.False(a.Add(new Bar(600, 12, 12.5, 8, 9, 3), out _));
        Assert.True(a.CloseIfComplete(900, out Bar done));
        Assert.Equal(new Bar(0, 10, 13, 8, 9, 6), done);
        Assert.False(a.CloseIfComplete(900, out Bar _)); // emitted once

        Assert.False(a.Add(new Bar(900, 9, 9.5, 8.5, 9.2, 1), out _));
        Assert.True(a.Flush(out var last));
        Assert.Equal(new Bar(900, 9, 9.5, 8.5, 9.2, 1), last);
    }

    [Fact]
    public void Add_RejectsNonIncreasingTimes_AndBarsInABinAlreadyClosed()
    {
        var a = new BarAggregator(PeriodFrame.Parse("15min"));
        a.Add(new Bar(60, 1, 1, 1, 1, 0), out _);
        Assert.Throws<ArgumentException>(() => a.Add(new Bar(60, 1, 1, 1, 1, 0), out _));

        var b = new BarAggregator(PeriodFrame.Parse("15min"));
        b.Add(new Bar(600, 1, 1, 1, 1, 0), out _);
        Assert.True(b.CloseIfComplete(900, out Bar _));
        Assert.Contains("already completed", Assert.Throws<ArgumentException>(() => b.Add(new Bar(720, 1, 1, 1, 1, 0), out _)).Message);
    }

    private static long Seconds(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
}
