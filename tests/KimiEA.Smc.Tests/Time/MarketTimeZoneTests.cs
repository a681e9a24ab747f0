using KimiEA.Core.Time;
using Xunit;

namespace KimiEA.Smc.Tests.Time;

/// <summary>
/// The one time-zone type: the US transitions of 2014 and 2024 worked by hand for New York and for the broker's
/// New York close clock, the skipped/repeated local time rule, parsing, and the tz database where one is installed.
/// </summary>
public class MarketTimeZoneTests
{
    private const int H = 3600;
    private static readonly MarketTimeZone Ny = MarketTimeZone.NewYork;
    private static readonly MarketTimeZone Broker = MarketTimeZone.NewYorkClose;

    private static long Utc(int y, int mo, int d, int h, int mi = 0) => new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    // A local wall time written as seconds since 1970 on the local calendar (what a CSV reader hands to the zone).
    private static long Local(int y, int mo, int d, int h, int mi = 0) => Utc(y, mo, d, h, mi);

    [Theory]
    // US spring forward: 02:00 EST = 07:00Z; fall back: 02:00 EDT = 06:00Z.
    [InlineData(2014, 3, 9, 7, -5, -4)]
    [InlineData(2014, 11, 2, 6, -4, -5)]
    [InlineData(2024, 3, 10, 7, -5, -4)]
    [InlineData(2024, 11, 3, 6, -4, -5)]
    public void NewYork_SwitchesAtTheUsInstants(int y, int mo, int d, int utcHour, int before, int after)
    {
        var at = Utc(y, mo, d, utcHour);
        Assert.Equal(before * H, Ny.OffsetAt(at - 1));
        Assert.Equal(after * H, Ny.OffsetAt(at));
        // The broker clock is New York's plus 7 hours, switching at the same instant: UTC+2 in winter, UTC+3 in summer.
        Assert.Equal((before + 7) * H, Broker.OffsetAt(at - 1));
        Assert.Equal((after + 7) * H, Broker.OffsetAt(at));
    }

    [Fact]
    public void Broker_ServerTimeOnEachSideOfEachTransition_HandWorked()
    {
        // 2014-03-09: 06:59Z is 01:59 EST = 08:59 server (UTC+2); 07:00Z is 03:00 EDT = 10:00 server (UTC+3).
        Assert.Equal(Local(2014, 3, 9, 8, 59), Broker.ToLocal(Utc(2014, 3, 9, 6, 59)));
        Assert.Equal(Local(2014, 3, 9, 10, 0), Broker.ToLocal(Utc(2014, 3, 9, 7, 0)));
        // 2014-11-02: 05:59Z is 01:59 EDT = 08:59 server (UTC+3); 06:00Z is 01:00 EST = 08:00 server (UTC+2).
        Assert.Equal(Local(2014, 11, 2, 8, 59), Broker.ToLocal(Utc(2014, 11, 2, 5, 59)));
        Assert.Equal(Local(2014, 11, 2, 8, 0), Broker.ToLocal(Utc(2014, 11, 2, 6, 0)));
        // 2024-03-10 and 2024-11-03: the same hours.
        Assert.Equal(Local(2024, 3, 10, 8, 59), Broker.ToLocal(Utc(2024, 3, 10, 6, 59)));
        Assert.Equal(Local(2024, 3, 10, 10, 0), Broker.ToLocal(Utc(2024, 3, 10, 7, 0)));
        Assert.Equal(Local(2024, 11, 3, 8, 59), Broker.ToLocal(Utc(2024, 11, 3, 5, 59)));
        Assert.Equal(Local(2024, 11, 3, 8, 0), Broker.ToLocal(Utc(2024, 11, 3, 6, 0)));
    }

    [Theory]
    // Friday before and Monday after each transition: the server day starts at 17:00 New York the evening before.
    [InlineData("2014-03-07T12:00Z", "2014-03-06T22:00Z", "2014-03-07T22:00Z")] // EST: 17:00 = 22:00Z
    [InlineData("2014-03-10T12:00Z", "2014-03-09T21:00Z", "2014-03-10T21:00Z")] // EDT: 17:00 = 21:00Z
    [InlineData("2014-10-31T12:00Z", "2014-10-30T21:00Z", "2014-10-31T21:00Z")]
    [InlineData("2014-11-03T12:00Z", "2014-11-02T22:00Z", "2014-11-03T22:00Z")]
    [InlineData("2024-03-08T12:00Z", "2024-03-07T22:00Z", "2024-03-08T22:00Z")]
    [InlineData("2024-03-11T12:00Z", "2024-03-10T21:00Z", "2024-03-11T21:00Z")]
    [InlineData("2024-11-01T12:00Z", "2024-10-31T21:00Z", "2024-11-01T21:00Z")]
    [InlineData("2024-11-04T12:00Z", "2024-11-03T22:00Z", "2024-11-04T22:00Z")]
    // The rollover itself: 21:59Z on a winter Friday is still that server day, 22:00Z starts the next one.
    [InlineData("2014-03-07T21:59Z", "2014-03-06T22:00Z", "2014-03-07T22:00Z")]
    [InlineData("2014-03-07T22:00Z", "2014-03-07T22:00Z", "2014-03-08T22:00Z")]
    public void Broker_ServerDay_StartsAndEndsAt17NewYork(string at, string start, string end)
    {
        var t = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), Broker.DayStart(t));
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(), Broker.NextDayStart(t));
        Assert.Equal(Broker.DayStart(t) * 1000, Broker.DayStartMilliseconds((t * 1000) + 999));
    }

    [Fact]
    public void Broker_IsNewYorkPlusSevenHours_AndItsDayStartsAt17NewYork_EveryHour2007To2030()
    {
        for (var t = Utc(2007, 1, 1, 0); t < Utc(2031, 1, 1, 0); t += H)
        {
            Assert.Equal(Ny.ToLocal(t) + (7 * H), Broker.ToLocal(t));
            var start = Broker.DayStart(t);
            Assert.True(start <= t && t < Broker.NextDayStart(t));
            Assert.Equal(17 * H, CivilTime.FloorMod(Ny.ToLocal(start), CivilTime.SecondsPerDay));
        }
    }

    [Fact]
    public void SkippedAndRepeatedLocalTimes_AreReadWithTheOffsetBeforeTheChange()
    {
        // New York 2014-03-09 02:30 does not exist: read with EST, it lands at 07:30Z (03:30 EDT).
        Assert.Equal(Utc(2014, 3, 9, 7, 30), Ny.ToUtc(Local(2014, 3, 9, 2, 30)));
        Assert.Equal(Utc(2014, 3, 9, 6, 59), Ny.ToUtc(Local(2014, 3, 9, 1, 59)));
        Assert.Equal(Utc(2014, 3, 9, 7, 0), Ny.ToUtc(Local(2014, 3, 9, 3, 0)));
        // 2014-11-02 01:30 happens twice (05:30Z EDT, 06:30Z EST): the first.
        Assert.Equal(Utc(2014, 11, 2, 5, 30), Ny.ToUtc(Local(2014, 11, 2, 1, 30)));
        Assert.Equal(Utc(2014, 11, 2, 7, 0), Ny.ToUtc(Local(2014, 11, 2, 2, 0)));
        // The broker clock: 09:30 server on 2024-03-10 is skipped (read at UTC+2: 07:30Z); 08:30 on 2024-11-03 repeats (first: UTC+3, 05:30Z).
        Assert.Equal(Utc(2024, 3, 10, 7, 30), Broker.ToUtc(Local(2024, 3, 10, 9, 30)));
        Assert.Equal(Utc(2024, 11, 3, 5, 30), Broker.ToUtc(Local(2024, 11, 3, 8, 30)));
        // Milliseconds keep their fraction, also before 1970.
        Assert.Equal((Utc(2017, 7, 1, 4) * 1000) + 250, Ny.ToUtcMilliseconds((Local(2017, 7, 1, 0) * 1000) + 250));
        Assert.Equal((Utc(1969, 12, 31, 5) * 1000) + 1, Ny.ToUtcMilliseconds((Local(1969, 12, 31, 0) * 1000) + 1));
    }

    [Fact]
    public void Pre2007UsRule_AndOtherRegimes_HandChecked()
    {
        // US 2006 (1987 rule): first Sunday of April (2 April) to last Sunday of October (29 October).
        Assert.Equal(-5 * H, Ny.OffsetAt(Utc(2006, 4, 2, 6, 59)));
        Assert.Equal(-4 * H, Ny.OffsetAt(Utc(2006, 4, 2, 7)));
        Assert.Equal(-5 * H, Ny.OffsetAt(Utc(2006, 10, 29, 6)));
        Assert.Equal(Utc(2006, 3, 12, 8), Ny.ToUtc(Local(2006, 3, 12, 3)));
        // EU 2023: summer time from Sun 26 March 01:00 UTC to Sun 29 October 01:00 UTC.
        Assert.Equal(0, MarketTimeZone.London.OffsetAt(Utc(2023, 3, 26, 0, 59)));
        Assert.Equal(H, MarketTimeZone.London.OffsetAt(Utc(2023, 3, 26, 1)));
        Assert.Equal(2 * H, MarketTimeZone.Berlin.OffsetAt(Utc(2023, 10, 29, 0, 59)));
        Assert.Equal(H, MarketTimeZone.Berlin.OffsetAt(Utc(2023, 10, 29, 1)));
        // Sydney 2023: AEDT ended Sat 1 April 16:00 UTC, began Sat 30 September 16:00 UTC.
        Assert.Equal(11 * H, MarketTimeZone.Sydney.OffsetAt(Utc(2023, 4, 1, 15, 59)));
        Assert.Equal(10 * H, MarketTimeZone.Sydney.OffsetAt(Utc(2023, 4, 1, 16)));
        Assert.Equal(11 * H, MarketTimeZone.Sydney.OffsetAt(Utc(2023, 9, 30, 16)));
        Assert.Equal(9 * H, MarketTimeZone.Tokyo.OffsetAt(Utc(2023, 7, 1, 0)));
    }

    [Theory]
    [InlineData("America/New_York")]
    [InlineData("America/Chicago")]
    [InlineData("Europe/London")]
    [InlineData("Europe/Berlin")]
    [InlineData("Australia/Sydney")]
    [InlineData("Asia/Tokyo")]
    [InlineData("Asia/Hong_Kong")]
    public void EveryHour2009To2030_MatchesTheSystemTimeZoneDatabase_WhereOneIsInstalled(string id)
    {
        var zone = MarketTimeZone.Parse(id);
        var tz = SessionTests.TryFindZone(id);
        if (tz is null)
        {
            return; // no tz database here; the hand-worked cases above still run
        }

        for (var t = Utc(2009, 1, 1, 0); t < Utc(2031, 1, 1, 0); t += H)
        {
            var expected = (int)tz.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(t)).TotalSeconds;
            Assert.True(expected == zone.OffsetAt(t), $"{id} at {DateTimeOffset.FromUnixTimeSeconds(t):u}: tzdb {expected}, ours {zone.OffsetAt(t)}");
            var back = zone.ToUtc(zone.ToLocal(t));
            // Only the second pass of a repeated hour maps back elsewhere: to its first pass, one hour earlier.
            Assert.True(back == t || (back == t - H && zone.IsDaylightTime(back) && !zone.IsDaylightTime(t)), $"{id}: ToUtc(ToLocal({t})) = {back}");
        }
    }

    [Theory]
    [InlineData("UTC", TimeZoneKind.Fixed, 0, "UTC")]
    [InlineData("z", TimeZoneKind.Fixed, 0, "UTC")]
    [InlineData("GMT", TimeZoneKind.Fixed, 0, "UTC")]
    [InlineData("+02:00", TimeZoneKind.Fixed, 7200, "UTC+02:00")]
    [InlineData("-5", TimeZoneKind.Fixed, -18000, "UTC-05:00")]
    [InlineData("utc+2", TimeZoneKind.Fixed, 7200, "UTC+02:00")]
    [InlineData("UTC-05:00", TimeZoneKind.Fixed, -18000, "UTC-05:00")]
    [InlineData("GMT+5:30", TimeZoneKind.Fixed, 19800, "UTC+05:30")]
    [InlineData("ny-close", TimeZoneKind.NewYorkClose, 7200, "ny-close")]
    [InlineData("NY-Close", TimeZoneKind.NewYorkClose, 7200, "ny-close")]
    [InlineData("UTC+03:00/ny-close", TimeZoneKind.NewYorkClose, 10800, "UTC+03:00/ny-close")]
    [InlineData("america/new_york", TimeZoneKind.UsDaylight, -18000, "America/New_York")]
    [InlineData("UTC-07:00/US-DST", TimeZoneKind.UsDaylight, -25200, "UTC-07:00/US-DST")]
    [InlineData("Asia/Tokyo", TimeZoneKind.Fixed, 32400, "UTC+09:00")]
    public void Parse_NamesAndOffsets_RoundTripThroughName(string text, TimeZoneKind kind, int offset, string name)
    {
        var z = MarketTimeZone.Parse(text);
        Assert.Equal(kind, z.Kind);
        Assert.Equal(offset, z.StandardOffsetSeconds);
        Assert.Equal(name, z.Name);
        Assert.Equal(z, MarketTimeZone.Parse(z.Name));
        Assert.Equal(z, MarketTimeZone.Create(z.Kind, z.StandardOffsetSeconds));
    }

    [Theory]
    [InlineData("UTC+15")]
    [InlineData("+2:75")]
    [InlineData("Mars/Olympus")]
    [InlineData("UTC2")]
    [InlineData("Europe/Paris")]
    [InlineData("+02:00/XX-DST")]
    [InlineData("")]
    public void Parse_Unknown_NamesTheTextAndWhatIsAccepted(string text)
    {
        var e = Assert.Throws<FormatException>(() => MarketTimeZone.Parse(text));
        Assert.Contains($"'{text}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("ny-close", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RefusesUnknownKindsAndOffsets()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MarketTimeZone.Create((TimeZoneKind)9, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarketTimeZone.Create(TimeZoneKind.Fixed, 15 * H));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarketTimeZone.Fixed(TimeSpan.FromMilliseconds(1500)));
        Assert.Equal(MarketTimeZone.Utc, default);
    }

    [Fact]
    public void Conversions_AllocateNothing()
    {
        var zones = new[] { Broker, Ny, MarketTimeZone.London, MarketTimeZone.Sydney, MarketTimeZone.Utc };
        long sink = 0;
        foreach (var z in zones)
        {
            sink += z.ToLocal(0) + z.ToUtc(0) + z.DayStart(0); // warm up
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var z in zones)
        {
            for (var t = Utc(2014, 1, 1, 0); t < Utc(2015, 1, 1, 0); t += 600)
            {
                sink += z.ToLocal(t) + z.ToUtc(t) + z.DayStart(t) + z.ToUtcMilliseconds(t * 1000);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, sink);
    }

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
