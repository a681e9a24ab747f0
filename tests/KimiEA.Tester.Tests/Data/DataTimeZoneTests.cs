using FsCheck;
using FsCheck.Fluent;
using KimiEA.Data;
using Xunit;
using static KimiEA.Tester.Tests.Data.DataTestHelpers;

namespace KimiEA.Tester.Tests.Data;

public class DataTimeZoneTests
{
    private static readonly DataTimeZone Ny = DataTimeZone.NewYork;

    // Local wall time read as if it were UTC (the "naive seconds" the readers hand to the zone).
    private static long Local(int y, int mo, int d, int h, int mi = 0) => Utc(y, mo, d, h, mi);

    [Fact]
    public void NewYork_HandComputedSwitches()
    {
        // 2017: DST from Sunday March 12 02:00 to Sunday November 5 02:00.
        Assert.Equal(Utc(2017, 3, 12, 6, 59), Ny.ToUtcSeconds(Local(2017, 3, 12, 1, 59))); // EST, UTC-5
        Assert.Equal(Utc(2017, 3, 12, 7, 0), Ny.ToUtcSeconds(Local(2017, 3, 12, 3, 0)));   // EDT, UTC-4
        Assert.Equal(Utc(2017, 11, 5, 5, 30), Ny.ToUtcSeconds(Local(2017, 11, 5, 1, 30))); // repeated hour: first (EDT)
        Assert.Equal(Utc(2017, 11, 5, 7, 0), Ny.ToUtcSeconds(Local(2017, 11, 5, 2, 0)));   // EST again
        // 2006 (the 1987 rule): first Sunday of April (Apr 2) to last Sunday of October (Oct 29).
        Assert.Equal(Utc(2006, 3, 12, 8, 0), Ny.ToUtcSeconds(Local(2006, 3, 12, 3, 0)));   // still EST in March 2006
        Assert.Equal(Utc(2006, 4, 2, 7, 0), Ny.ToUtcSeconds(Local(2006, 4, 2, 3, 0)));
        Assert.Equal(Utc(2006, 10, 29, 7, 0), Ny.ToUtcSeconds(Local(2006, 10, 29, 2, 0)));
        // Milliseconds keep their fraction, also before 1970.
        Assert.Equal((Utc(2017, 7, 1, 4, 0) * 1000) + 250, Ny.ToUtcMilliseconds((Local(2017, 7, 1, 0) * 1000) + 250));
        Assert.Equal(Utc(1969, 12, 31, 5, 0), Ny.ToUtcSeconds(Local(1969, 12, 31, 0)));
    }

    [Fact]
    public void NewYork_AgreesWithTheSystemTimeZoneDatabase_WhereOneIsInstalled()
    {
        TimeZoneInfo tz;
        try
        {
            tz = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        }
        catch (TimeZoneNotFoundException)
        {
            return; // no tz database on this machine; the hand-computed cases above still run
        }

        // Every local hour 1990..2035 that is neither skipped nor repeated: our rule equals the database's.
        var gen = Gen.Choose(0, (int)((Utc(2035, 12, 31) - Utc(1990, 1, 1)) / 60)).Select(m => Utc(1990, 1, 1) + (m * 60L));
        Prop.ForAll(gen.ToArbitrary(), local =>
        {
            return Agrees(tz, local);
        }).QuickCheckThrowOnFailure();

        // And exhaustively, every hour of the months in which the US switches (both rules).
        for (var y = 1990; y <= 2035; y++)
        {
            foreach (var mo in new[] { 3, 4, 10, 11 })
            {
                for (var h = Utc(y, mo, 1); h < Utc(y, mo, 1) + (31 * 86400); h += 3600)
                {
                    Assert.True(Agrees(tz, h), $"local {DateTime.UnixEpoch.AddSeconds(h):O}");
                }
            }
        }
    }

    private static bool Agrees(TimeZoneInfo tz, long local)
    {
        var wall = DateTime.SpecifyKind(DateTime.UnixEpoch.AddSeconds(local), DateTimeKind.Unspecified);
        if (tz.IsInvalidTime(wall) || tz.IsAmbiguousTime(wall))
        {
            return true;
        }

        var expected = new DateTimeOffset(wall, tz.GetUtcOffset(wall)).ToUnixTimeSeconds();
        return Ny.ToUtcSeconds(local) == expected;
    }

    [Theory]
    [InlineData("UTC", "UTC", 0)]
    [InlineData("utc+2", "UTC+02:00", -7200)]
    [InlineData("UTC-05:00", "UTC-05:00", 18000)]
    [InlineData("UTC+5:30", "UTC+05:30", -19800)]
    [InlineData("America/New_York", "America/New_York", 18000)]
    public void Parse_NamesAndOffsets(string text, string name, long shiftOfJanuaryMidnight)
    {
        var z = DataTimeZone.Parse(text);
        Assert.Equal(name, z.Name);
        Assert.Equal(Utc(2017, 1, 1) + shiftOfJanuaryMidnight, z.ToUtcSeconds(Utc(2017, 1, 1)));
    }

    [Theory]
    [InlineData("Europe/Paris")]
    [InlineData("UTC+15")]
    [InlineData("GMT+1")]
    public void Parse_UnknownZone_SaysWhatIsAccepted(string text)
    {
        var ex = Assert.Throws<FormatException>(() => DataTimeZone.Parse(text));
        Assert.Equal($"Unknown time zone '{text}': use UTC, UTC+H, UTC-HH:MM or America/New_York.", ex.Message);
    }
}
