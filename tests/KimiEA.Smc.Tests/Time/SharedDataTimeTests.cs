using KimiEA.Core.Time;
using KimiEA.Smc.Tests.StructureDetectors;
using KimiEA.Smc.Time;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Smc.Tests.Time;

/// <summary>
/// Extra checks on the other real data sets of ../shared/data (they run only where that folder exists; a fresh clone
/// has the shipped samples, which the other tests use). The files span DST transitions of 2012–2018 (EU and US in
/// March 2016 and 2017, October/November 2017).
/// </summary>
public class SharedDataTimeTests
{
    [Theory]
    [InlineData("histdata-btgym", "EURUSD_M1_2017-01_03.norm.csv")]
    [InlineData("histdata-calvincouch", "USDJPY_M1_2016-01_03.norm.csv")]
    [InlineData("backtestingpy", "EURUSD_H1_2017-04_2018-02.norm.csv")]
    [InlineData("nautilus-fx", "GBPUSD_M1_2012-02.norm.csv")]
    [InlineData("lean-oanda", "DE30EUR_M1_2019-02.norm.csv")]
    public void PreviousHighLowAndExchangeSessions_MatchNaiveOracles(string folder, string file)
    {
        if (RepoPaths.SharedData is not { } shared)
        {
            return;
        }

        var bars = StructureTestData.LoadNormBars(Path.Combine(shared, folder, file));
        Assert.True(bars.Length > 3000, $"{file}: {bars.Length} bars");
        foreach (var frame in new[] { "4h", "1D", "W" })
        {
            var naive = new NaivePeriods(bars, frame);
            var cols = TimeBatch.PreviousHighLow(bars, PeriodFrame.Parse(frame));
            double max = 0, min = 0;
            for (var i = 0; i < bars.Length; i++)
            {
                var (h, l) = naive.Levels(i, 1);

                // Running extremes since the period's first bar (kept incrementally: these files have up to 7,000 bars a week).
                var first = naive.FirstBar[naive.PeriodOf[i]] == i;
                max = first ? bars[i].High : Math.Max(max, bars[i].High);
                min = first ? bars[i].Low : Math.Min(min, bars[i].Low);
                var (bh, bl) = float.IsNaN(h) ? (0, 0) : (max > h ? 1 : 0, min < l ? 1 : 0);
                if (!h.Equals(cols.PreviousHigh[i]) || !l.Equals(cols.PreviousLow[i]) || bh != cols.BrokenHigh[i] || bl != cols.BrokenLow[i])
                {
                    Assert.Fail($"{file} {frame} bar {i} ({bars[i].OpenDateTime:u}): expected {h},{l},{bh},{bl}, got {cols.PreviousHigh[i]},{cols.PreviousLow[i]},{cols.BrokenHigh[i]},{cols.BrokenLow[i]}");
                }
            }
        }

        foreach (var (window, zoneId) in new[] { (SessionWindow.LondonLocal, "Europe/London"), (SessionWindow.NewYorkLocal, "America/New_York") })
        {
            if (SessionTests.TryFindZone(zoneId) is { } tz)
            {
                SessionTests.AssertMatchesNaive(bars, window, MarketTimeZone.Utc, utc => TimeZoneInfo.ConvertTimeFromUtc(utc, tz));
            }
        }
    }
}
