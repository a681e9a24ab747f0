using KimiEA.Smc.Time;
using Xunit;
using KimiEA.Core.Time;

namespace KimiEA.Smc.Tests.Time;

/// <summary>The DST rules computed in code, against hand-checked transition instants and the system tz database.</summary>
public class TimeZoneRuleTests
{
    private static long Utc(int y, int mo, int d, int h, int mi = 0) => new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    [Fact]
    public void Transitions_HandChecked()
    {
        // EU 2023: summer time from Sun 26 March 01:00 UTC to Sun 29 October 01:00 UTC.
        var london = TimeZoneRule.EuropeLondon;
        Assert.Equal(0, london.OffsetAt(Utc(2023, 3, 26, 0, 59)));
        Assert.Equal(3600, london.OffsetAt(Utc(2023, 3, 26, 1)));
        Assert.Equal(3600, london.OffsetAt(Utc(2023, 10, 29, 0, 59)));
        Assert.Equal(0, london.OffsetAt(Utc(2023, 10, 29, 1)));

        // US 2022: EDT from Sun 13 March 02:00 EST (07:00 UTC) to Sun 6 November 02:00 EDT (06:00 UTC).
        var ny = TimeZoneRule.AmericaNewYork;
        Assert.Equal(-5 * 3600, ny.OffsetAt(Utc(2022, 3, 13, 6, 59)));
        Assert.Equal(-4 * 3600, ny.OffsetAt(Utc(2022, 3, 13, 7)));
        Assert.Equal(-4 * 3600, ny.OffsetAt(Utc(2022, 11, 6, 5, 59)));
        Assert.Equal(-5 * 3600, ny.OffsetAt(Utc(2022, 11, 6, 6)));

        // US 2006 (old rule): first Sunday of April (2 April) to last Sunday of October (29 October).
        Assert.Equal(-5 * 3600, ny.OffsetAt(Utc(2006, 4, 2, 6, 59)));
        Assert.Equal(-4 * 3600, ny.OffsetAt(Utc(2006, 4, 2, 7)));
        Assert.Equal(-5 * 3600, ny.OffsetAt(Utc(2006, 10, 29, 6)));

        // Sydney 2023: AEDT ended Sun 2 April 03:00 AEDT (Sat 1 April 16:00 UTC), began Sun 1 October 02:00 AEST (Sat 30 Sep 16:00 UTC).
        var syd = TimeZoneRule.AustraliaSydney;
        Assert.Equal(11 * 3600, syd.OffsetAt(Utc(2023, 4, 1, 15, 59)));
        Assert.Equal(10 * 3600, syd.OffsetAt(Utc(2023, 4, 1, 16)));
        Assert.Equal(10 * 3600, syd.OffsetAt(Utc(2023, 9, 30, 15, 59)));
        Assert.Equal(11 * 3600, syd.OffsetAt(Utc(2023, 9, 30, 16)));

        Assert.Equal(9 * 3600, TimeZoneRule.AsiaTokyo.OffsetAt(Utc(2023, 7, 1, 0)));
    }

    [Theory]
    [InlineData("Europe/London")]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    [InlineData("America/Chicago")]
    [InlineData("Asia/Tokyo")]
    [InlineData("Asia/Hong_Kong")]
    [InlineData("Asia/Singapore")]
    [InlineData("Australia/Sydney")]
    public void EveryHour2009To2030_MatchesSystemTimeZoneDatabase(string id)
    {
        var rule = TimeZoneRule.Parse(id);
        Assert.Equal(id, rule.Id);
        var tz = SessionTests.TryFindZone(id);
        if (tz is null)
        {
            // No tz database on this machine (e.g. Windows without ICU): the hand-checked transitions above still run.
            return;
        }

        for (var t = Utc(2009, 1, 1, 0); t < Utc(2031, 1, 1, 0); t += 3600)
        {
            var expected = (int)tz.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(t)).TotalSeconds;
            if (expected != rule.OffsetAt(t))
            {
                Assert.Fail($"{id} at {DateTimeOffset.FromUnixTimeSeconds(t):u}: tzdb {expected}, ours {rule.OffsetAt(t)}");
            }
            var local = rule.ToLocal(t);
            if (rule.ToUtc(local) != t)
            {
                // Only the repeated autumn hour may map back elsewhere; it is read as daylight time, one hour earlier.
                if (!(rule.IsDaylightTime(rule.ToUtc(local)) && rule.ToUtc(local) == t - 3600))
                {
                    Assert.Fail($"{id}: ToUtc(ToLocal({t})) = {rule.ToUtc(local)}");
                }
            }
        }
    }

    [Theory]
    [InlineData("UTC", 0)]
    [InlineData("GMT", 0)]
    [InlineData("UTC+2", 7200)]
    [InlineData("GMT+2", 7200)]
    [InlineData("UTC-5", -18000)]
    [InlineData("UTC+5:30", 19800)]
    [InlineData("utc+10", 36000)]
    public void Parse_FixedOffsets_UseIsoSign(string text, int seconds)
    {
        var r = TimeZoneRule.Parse(text);
        Assert.Equal(seconds, r.OffsetAt(Utc(2023, 7, 1, 0)));
        Assert.Equal(DstRegime.None, r.Dst);
    }

    [Theory]
    [InlineData("UTC+15")]
    [InlineData("UTC+2:75")]
    [InlineData("Mars/Olympus")]
    [InlineData("UTC2")]
    public void Parse_Bad_NamesTheInput(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => TimeZoneRule.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void CivilTime_RoundTripsAgainstDateTime()
    {
        for (var days = -700_000L; days < 800_000; days += 97)
        {
            var dt = DateTime.UnixEpoch.AddDays(days);
            Assert.Equal((dt.Year, dt.Month, dt.Day), CivilTime.CivilFromDays(days));
            Assert.Equal(days, CivilTime.DaysFromCivil(dt.Year, dt.Month, dt.Day));
            Assert.Equal((int)dt.DayOfWeek, CivilTime.DayOfWeek(days));
        }
    }
}
