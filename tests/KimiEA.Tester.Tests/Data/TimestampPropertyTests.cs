using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using KimiEA.Data;
using Xunit;

namespace KimiEA.Tester.Tests.Data;

/// <summary>The readers' calendar arithmetic against the BCL's, over random instants 1900–2100 in every time layout.</summary>
public class TimestampPropertyTests
{
    private static readonly long Min = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long Max = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    // Naive times (the MT5 layout) are read as UTC here: this is about the calendar arithmetic, not the clock.
    private static long[] Parse(string text) =>
        TickReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)), "generated", new DataReadOptions { TimeZone = KimiEA.Core.Time.MarketTimeZone.Utc })
            .ReadToEnd().Select(t => t.TimeMsc).ToArray();

    [Fact]
    public void RandomInstants_RoundTripThroughEveryTimeLayout()
    {
        var instants = Gen.Choose(0, int.MaxValue).Select(x => Min + (long)((Max - Min) * (x / (double)int.MaxValue)));
        Prop.ForAll(instants.ArrayOf().ToArbitrary(), raw =>
        {
            var ms = raw.Distinct().Order().ToArray();
            if (ms.Length == 0)
            {
                return true;
            }

            var dates = ms.Select(m => DateTimeOffset.FromUnixTimeMilliseconds(m).UtcDateTime).ToArray();
            var iso = new StringBuilder("time_utc,bid,ask\n");
            var mt5 = new StringBuilder("<DATE>\t<TIME>\t<BID>\t<ASK>\t<LAST>\t<VOLUME>\t<FLAGS>\n");
            var offset = new StringBuilder("timestamp,bid,ask\n");
            foreach (var d in dates)
            {
                iso.Append(CultureInfo.InvariantCulture, $"{d:yyyy-MM-ddTHH:mm:ss.fff}Z,1.1,1.2\n");
                mt5.Append(CultureInfo.InvariantCulture, $"{d:yyyy.MM.dd}\t{d:HH:mm:ss.fff}\t1.1\t1.2\t\t\t6\n");
                // The same instant written as local time at UTC+05:30 with a 6-digit fraction.
                offset.Append(CultureInfo.InvariantCulture, $"{d.AddMinutes(330):yyyy-MM-dd HH:mm:ss.ffffff}+05:30,1.1,1.2\n");
            }

            return Parse(iso.ToString()).SequenceEqual(ms)
                && Parse(mt5.ToString()).SequenceEqual(ms)
                && Parse(offset.ToString()).SequenceEqual(ms);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("2023-02-29T00:00:00Z")] // not a leap year
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-01-01T24:00:00Z")]
    [InlineData("2024-01-01T00:60:00Z")]
    [InlineData("2024-01-01T00:00:00+15:00")]
    [InlineData("2024-01-01X00:00:00Z")]
    [InlineData("2024-01-01T00:00:00.Z")]
    public void InvalidTimestamps_AreMalformed(string time)
    {
        var ex = Assert.Throws<MarketDataException>(() => Parse($"time_utc,bid,ask\n{time},1.1,1.2\n"));
        Assert.Equal($"generated: line 2: cannot read the time '{time}'", ex.Message);
    }

    [Fact]
    public void LeapDay_IsValid()
    {
        Assert.Equal([new DateTimeOffset(2024, 2, 29, 23, 59, 59, 999, TimeSpan.Zero).ToUnixTimeMilliseconds()], Parse("time_utc,bid,ask\n2024-02-29T23:59:59.999Z,1.1,1.2\n"));
    }
}
