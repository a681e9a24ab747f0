using KimiEA.Core.Time;
using System.Globalization;
using KimiEA.Core.Market;
using KimiEA.Smc.Time;
using Xunit;

namespace KimiEA.Smc.Tests.Time;

/// <summary>Sessions: parity with the peer fixture, other presets, custom and overnight windows, time zones with DST, and the data clock.</summary>
public class SessionTests
{
    [Fact]
    public void London_Utc_ReproducesFixtureExactly()
    {
        // The fixture is sessions(session="London") with time_zone "UTC": no deviation applies, every row must match.
        var bars = TimeTestData.PeerBars;
        var (header, rows) = TimeTestData.PeerResult("sessions_result_data.csv");
        Assert.Equal(["Active", "High", "Low"], header);
        var cols = TimeBatch.Sessions(bars, SessionWindow.London);
        var active = 0;
        for (var i = 0; i < bars.Length; i++)
        {
            Assert.Equal(rows[i][0], cols.Active[i].ToString(CultureInfo.InvariantCulture));
            if (TimeTestData.F32(rows[i][1]) != cols.High[i])
            {
                Assert.Fail($"row {i} High: fixture {rows[i][1]}, ours {cols.High[i]}");
            }
            if (TimeTestData.F32(rows[i][2]) != cols.Low[i])
            {
                Assert.Fail($"row {i} Low: fixture {rows[i][2]}, ours {cols.Low[i]}");
            }
            active += cols.Active[i];
        }

        Assert.True(active > 5000, $"only {active} active bars");
    }

    [Theory]
    [InlineData("Sydney", 21 * 60, 6 * 60)]
    [InlineData("Tokyo", 0, 9 * 60)]
    [InlineData("Asia", 0, 9 * 60)]
    [InlineData("New York", 13 * 60, 22 * 60)]
    [InlineData("NewYork", 13 * 60, 22 * 60)]
    [InlineData("Asian kill zone", 0, 4 * 60)]
    [InlineData("London open kill zone", 6 * 60, 9 * 60)]
    [InlineData("New York kill zone", 11 * 60, 14 * 60)]
    [InlineData("london close kill zone", 14 * 60, 16 * 60)]
    public void Presets_OnRealM1Data_MatchNaiveWindowAndRunningRange(string name, int start, int end)
    {
        var window = SessionWindow.Parse(name);
        Assert.Equal((start, end), (window.StartMinute, window.EndMinute));
        AssertMatchesNaive(TimeTestData.LeanBars("EURUSD_M1_2014-05.norm.csv"), window, MarketTimeZone.Utc, utc => utc);
    }

    [Fact]
    public void Custom_OvernightWindow_IsInclusiveAtBothEnds()
    {
        // 22:30–01:15 UTC: 22:29 out, 22:30 in, 00:00 in, 01:15 in, 01:16 out.
        var w = SessionWindow.Parse("Custom", "22:30", "01:15");
        var d = new SessionDetector(w);
        long day = 1_400_000_000 - (1_400_000_000 % 86_400);
        bool At(int h, int m) => d.Update(new Bar(day + (h * 3600) + (m * 60), 1, 1, 1, 1, 0)).Active;
        Assert.False(At(22, 29));
        Assert.True(At(22, 30));
        day += 86_400;
        Assert.True(At(0, 0));
        Assert.True(At(1, 15));
        Assert.False(At(1, 16));
    }

    [Fact]
    public void RunningRange_HandComputed_RestartsAfterInactiveBar()
    {
        // Window 10:00–10:30. Bars 10:00 (H 5 L 3), 10:15 (H 6 L 4), 10:30 (H 4 L 2): High 5,6,6  Low 3,3,2.
        // 10:45 is outside: Active 0, High 0, Low 0, and it closes the session whose last bar was index 2.
        var d = new SessionDetector(SessionWindow.Custom("10:00", "10:30", MarketTimeZone.Utc));
        long t0 = 36_000;
        var a = d.Update(new Bar(t0, 4, 5, 3, 4, 0));
        var b = d.Update(new Bar(t0 + 900, 4, 6, 4, 5, 0));
        var c = d.Update(new Bar(t0 + 1800, 4, 4, 2, 3, 0));
        var e = d.Update(new Bar(t0 + 2700, 3, 9, 1, 3, 0));
        Assert.Equal((5f, 3f, true, 0), (a.High, a.Low, a.Opened, a.SessionStartIndex));
        Assert.Equal((6f, 3f, false), (b.High, b.Low, b.Opened));
        Assert.Equal((6f, 2f), (c.High, c.Low));
        Assert.Equal((false, 0f, 0f, 2, 3), (e.Active, e.High, e.Low, e.ClosedSessionLastIndex, e.KnownAtIndex));
    }

    [Fact]
    public void NewYorkLocal_FollowsUsDaylightSaving_OnRealH1Data()
    {
        // New York 08:00–17:00 America/New_York. 2014-03-09 the US switched to EDT (UTC−4):
        // Friday 2014-03-07 (EST, UTC−5) the first active UTC hour is 13:00; Monday 2014-03-10 (EDT) it is 12:00.
        // 2014-11-02 it switched back: Friday 10-31 first active 12:00 UTC, Monday 11-03 first active 13:00 UTC.
        var bars = TimeTestData.LeanBars("EURUSD_H1_2007-2018.norm.csv");
        var window = SessionWindow.NewYork.WithTimes("08:00", "17:00").InZone(MarketTimeZone.NewYork);
        var cols = TimeBatch.Sessions(bars, window);
        int FirstActiveHour(string date)
        {
            var day = DateTime.Parse(date, CultureInfo.InvariantCulture);
            for (var i = 0; i < bars.Length; i++)
            {
                if (bars[i].OpenDateTime.Date == day && cols.Active[i] == 1)
                {
                    return bars[i].OpenDateTime.Hour;
                }
            }

            return -1;
        }

        Assert.Equal(13, FirstActiveHour("2014-03-07"));
        Assert.Equal(12, FirstActiveHour("2014-03-10"));
        Assert.Equal(12, FirstActiveHour("2014-10-31"));
        Assert.Equal(13, FirstActiveHour("2014-11-03"));

        // Every bar of the 12 years against the system time-zone database, when the machine has one.
        if (TryFindZone("America/New_York") is { } tz)
        {
            AssertMatchesNaive(bars, window, MarketTimeZone.Utc, utc => TimeZoneInfo.ConvertTimeFromUtc(utc, tz));
        }
    }

    [Fact]
    public void LondonLocal_FollowsEuDaylightSaving_AcrossEveryTransitionOnRealH1Data()
    {
        // London 08:00–16:30 Europe/London: 07:00–15:30 UTC in summer (BST), 08:00–16:30 UTC in winter.
        var bars = TimeTestData.LeanBars("EURUSD_H1_2007-2018.norm.csv");
        var window = SessionWindow.Custom("08:00", "16:30", MarketTimeZone.London);
        AssertMatchesNaive(bars, window, MarketTimeZone.Utc, utc =>
        {
            // Independent EU rule: BST from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
            static DateTime LastSunday(int y, int m)
            {
                var d = new DateTime(y, m, DateTime.DaysInMonth(y, m), 1, 0, 0, DateTimeKind.Utc);
                return d.AddDays(-(int)d.DayOfWeek);
            }

            var bst = utc >= LastSunday(utc.Year, 3) && utc < LastSunday(utc.Year, 10);
            return utc.AddHours(bst ? 1 : 0);
        });
    }

    [Theory]
    [InlineData("London", "2014-01-15", 8, 17, "2014-07-15", 7, 16)]
    [InlineData("NewYork", "2014-01-15", 13, 22, "2014-07-15", 12, 21)]
    [InlineData("Sydney", "2014-07-15", 21, 6, "2014-01-15", 20, 5)]
    [InlineData("Asia", "2014-01-15", 0, 9, "2014-07-15", 0, 9)]
    public void ExchangeLocalPresets_MoveWithDaylightSaving_OnRealH1Data(string name, string winter, int wStart, int wEnd, string summer, int sStart, int sEnd)
    {
        // Hand-computed UTC hours: London 08:00–17:00 local = 08–17 UTC in GMT, 07–16 UTC in BST; New York 08:00–17:00
        // local = 13–22 UTC in EST, 12–21 in EDT; Sydney 07:00–16:00 local = 21–06 UTC in AEST (July), 20–05 UTC in AEDT
        // (January); Tokyo never moves. The summer values of London equal the reference's fixed UTC window.
        var bars = TimeTestData.LeanBars("EURUSD_H1_2007-2018.norm.csv");
        var cols = TimeBatch.Sessions(bars, SessionWindow.ParseExchangeLocal(name));
        int[] ActiveHours(string date)
        {
            var day = DateTime.Parse(date, CultureInfo.InvariantCulture);
            return Enumerable.Range(0, bars.Length).Where(i => bars[i].OpenDateTime.Date == day && cols.Active[i] == 1).Select(i => bars[i].OpenDateTime.Hour).ToArray();
        }

        static int[] Hours(int from, int to) => from <= to
            ? Enumerable.Range(from, to - from + 1).ToArray()
            : [.. Enumerable.Range(0, to + 1), .. Enumerable.Range(from, 24 - from)];

        Assert.Equal(Hours(wStart, wEnd), ActiveHours(winter));
        Assert.Equal(Hours(sStart, sEnd), ActiveHours(summer));
        Assert.Throws<FormatException>(() => SessionWindow.ParseExchangeLocal("New York kill zone"));
    }

    [Fact]
    public void DataClock_ShiftedServerTime_GivesTheSameSessions()
    {
        // The same real bars stamped in a UTC+3 server clock, and in a UTC+2/US-DST broker clock, must give exactly the
        // sessions of the UTC-stamped bars once the data clock is declared.
        var utcBars = TimeTestData.LeanBars("NZDUSD_M1_2014-05.norm.csv");
        var expected = TimeBatch.Sessions(utcBars, SessionWindow.Tokyo);
        var plus3 = utcBars.Select(b => b with { Time = b.Time + (3 * 3600) }).ToArray();
        Assert.Equal(expected.Active, TimeBatch.Sessions(plus3, SessionWindow.Tokyo, MarketTimeZone.Parse("UTC+3")).Active);
        var broker = MarketTimeZone.NewYorkClose;
        var brokerBars = utcBars.Select(b => b with { Time = broker.ToLocal(b.Time) }).ToArray();
        var got = TimeBatch.Sessions(brokerBars, SessionWindow.Tokyo, broker);
        Assert.Equal(expected.Active, got.Active);
        Assert.Equal(expected.High, got.High);

        // Declaring the wrong clock shifts the window: read as UTC, data stamped UTC+3 is active three hours late.
        Assert.NotEqual(expected.Active, TimeBatch.Sessions(plus3, SessionWindow.Tokyo).Active);
    }

    [Theory]
    [InlineData("UTC+2/US-DST", "Europe/London")]
    [InlineData("UTC+3", "America/New_York")]
    [InlineData("UTC", "Australia/Sydney")]
    [InlineData("UTC+5:30", "Europe/Berlin")]
    public void PerHourConversionCache_EqualsDirectConversion_AcrossEveryTransitionOf2014(string dataClock, string sessionZone)
    {
        // Minute bars through every 2014 DST transition of the EU, US and Australia (±2 days around each), read
        // through the detector's hour cache, must equal the direct conversion data clock → UTC → session zone.
        var clock = MarketTimeZone.Parse(dataClock);
        var zone = MarketTimeZone.Parse(sessionZone);
        var d = new SessionDetector(SessionWindow.London.InZone(zone), clock);
        string[] transitions = ["2014-03-09", "2014-03-30", "2014-04-06", "2014-10-05", "2014-10-26", "2014-11-02"];
        foreach (var day in transitions)
        {
            var mid = new DateTimeOffset(DateTime.Parse(day, CultureInfo.InvariantCulture), TimeSpan.Zero).ToUnixTimeSeconds();
            for (var t = mid - (2 * 86_400); t < mid + (2 * 86_400); t += 60)
            {
                var local = zone.ToLocal(clock.ToUtc(t));
                var expected = (int)(((local % 86_400) + 86_400) % 86_400 / 60);
                if (d.LocalMinuteOfDay(t) != expected)
                {
                    Assert.Fail($"{dataClock} → {sessionZone} at data time {DateTimeOffset.FromUnixTimeSeconds(t):u}: cached {d.LocalMinuteOfDay(t)}, direct {expected}");
                }
            }
        }
    }

    [Fact]
    public void TimeZoneSign_IsIso_NotThePeersPosixInversion()
    {
        // Deviation SessionTimeZoneSign: data stamped 09:00 in UTC+2 is 07:00 UTC, the first minute of London (07:00–16:00 UTC).
        // The peer would read it as 11:00 UTC. 08:59 UTC+2 = 06:59 UTC is outside.
        var d = new SessionDetector(SessionWindow.London, MarketTimeZone.Parse("UTC+2"));
        const long day = 19_000 * 86_400L;
        Assert.False(d.Update(new Bar(day + (8 * 3600) + (59 * 60), 1, 1, 1, 1, 0)).Active);
        Assert.True(d.Update(new Bar(day + (9 * 3600), 1, 1, 1, 1, 0)).Active);
        Assert.Contains(TimePeerDeviations.SessionTimeZoneSign, TimePeerDeviations.All);
    }

    [Fact]
    public void BadInput_IsRejectedWithNamedProblem()
    {
        Assert.Contains("HH:MM", Assert.Throws<FormatException>(() => SessionWindow.Parse("Custom", "25:00", "10:00")).Message, StringComparison.Ordinal);
        Assert.Contains("needs both", Assert.Throws<FormatException>(() => SessionWindow.Parse("Custom")).Message, StringComparison.Ordinal);
        Assert.Contains("Unknown session 'Mars'", Assert.Throws<FormatException>(() => SessionWindow.Parse("Mars")).Message, StringComparison.Ordinal);
        var d = new SessionDetector(SessionWindow.London);
        d.Update(new Bar(1000, 1, 1, 1, 1, 0));
        var ex = Assert.Throws<ArgumentException>(() => d.Update(new Bar(1000, 1, 1, 1, 1, 0)));
        Assert.Contains("strictly increasing", ex.Message, StringComparison.Ordinal);
        Assert.Contains("below low", Assert.Throws<ArgumentException>(() => d.Update(new Bar(2000, 1, 1, 2, 1, 0))).Message, StringComparison.Ordinal);
    }

    internal static TimeZoneInfo? TryFindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Naive oracle: active iff the local HH:MM is in the window; High/Low are running extremes since the session's first bar.</summary>
    internal static void AssertMatchesNaive(Bar[] bars, SessionWindow w, MarketTimeZone dataClock, Func<DateTime, DateTime> utcToLocal)
    {
        var cols = TimeBatch.Sessions(bars, w, dataClock);
        double hi = 0, lo = 0;
        var prevActive = false;
        var activeCount = 0;
        for (var i = 0; i < bars.Length; i++)
        {
            var local = utcToLocal(bars[i].OpenDateTime);
            var minute = (local.Hour * 60) + local.Minute;
            var active = w.StartMinute < w.EndMinute
                ? minute >= w.StartMinute && minute <= w.EndMinute
                : minute >= w.StartMinute || minute <= w.EndMinute;
            if ((active ? 1 : 0) != cols.Active[i])
            {
                Assert.Fail($"bar {i} {bars[i].OpenDateTime:u} local {local:HH:mm}: expected active={active}");
            }
            if (active)
            {
                hi = prevActive ? Math.Max(hi, bars[i].High) : bars[i].High;
                lo = prevActive ? Math.Min(lo, bars[i].Low) : bars[i].Low;
                Assert.Equal((float)hi, cols.High[i]);
                Assert.Equal((float)lo, cols.Low[i]);
                activeCount++;
            }
            else
            {
                Assert.Equal((0f, 0f), (cols.High[i], cols.Low[i]));
            }

            prevActive = active;
        }

        Assert.InRange(activeCount, 1, bars.Length - 1);
    }
}
