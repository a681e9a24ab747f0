using KimiEA.Core.Abi;
using KimiEA.Core.Time;
using KimiEA.Smc.Signal;
using KimiEA.Smc.Time;
using Xunit;

namespace KimiEA.Smc.Tests.Signal;

/// <summary>
/// Issue 14, "broker time": the chart's server clock input reaches the signal's sessions and kill zones. Around the US
/// switch to daylight saving (Sunday 2024-03-10), a New York close server (UTC+2, then UTC+3) keeps New York's hours at
/// the same server hours; the same server read as a fixed UTC+2 clock misplaces them by an hour after the switch.
/// Expected values are worked out by hand from the calendar (EST = UTC−5 until 2024-03-10 07:00 UTC, EDT = UTC−4 after).
/// </summary>
public sealed class ServerClockSessionTests
{
    private static long Server(int month, int day, int hour) => new DateTimeOffset(2024, month, day, hour, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private static SmcSignalOptions Mapped(long zone, long offsetMinutes)
    {
        var config = KimiConfig.Defaults(magic: 1, timeframeSeconds: 900);
        config.ServerTimeZone = zone;
        config.ServerUtcOffsetMinutes = offsetMinutes;
        return SmcSignalOptions.FromInputs(config);
    }

    [Fact]
    public void The_eas_default_inputs_map_to_the_new_york_close_clock()
    {
        Assert.Equal(MarketTimeZone.NewYorkClose, SmcSignalOptions.FromInputs(KimiConfig.Defaults(1, 900)).DataClock);
        Assert.Equal(MarketTimeZone.Fixed(TimeSpan.FromHours(3)), Mapped(AbiCodes.TzFixed, 180).DataClock);
        Assert.Equal(MarketTimeZone.Utc, Mapped(AbiCodes.TzFixed, 0).DataClock);
    }

    [Fact]
    public void New_york_close_keeps_the_new_york_session_at_the_same_server_hour_across_the_dst_switch()
    {
        var clock = Mapped(AbiCodes.TzNewYorkClose, 120).DataClock;
        var session = new SessionDetector(SessionWindow.NewYorkLocal, clock); // 08:00–17:00 New York local time

        // Friday 2024-03-08 15:00 server (UTC+2) = 13:00 UTC = 08:00 EST; Monday 2024-03-11 15:00 server (UTC+3) = 12:00 UTC = 08:00 EDT
        Assert.Equal(8 * 60, session.LocalMinuteOfDay(Server(3, 8, 15)));
        Assert.Equal(8 * 60, session.LocalMinuteOfDay(Server(3, 11, 15)));
        Assert.Equal(7 * 60, session.LocalMinuteOfDay(Server(3, 11, 14))); // an hour before: not yet open, on both sides
        Assert.Equal(7 * 60, session.LocalMinuteOfDay(Server(3, 8, 14)));

        // the same broker read as a fixed UTC+2 clock: after the switch its 15:00 is 13:00 UTC = 09:00 EDT, an hour late
        var fixedTwo = new SessionDetector(SessionWindow.NewYorkLocal, Mapped(AbiCodes.TzFixed, 120).DataClock);
        Assert.Equal(8 * 60, fixedTwo.LocalMinuteOfDay(Server(3, 8, 15)));
        Assert.Equal(9 * 60, fixedTwo.LocalMinuteOfDay(Server(3, 11, 15)));
    }

    [Fact]
    public void The_utc_kill_zones_move_one_server_hour_with_us_daylight_saving()
    {
        // the signal's New York kill zone is 11:00–14:00 UTC: server 13:00 while the server is UTC+2, 14:00 once UTC+3
        var clock = Mapped(AbiCodes.TzNewYorkClose, 120).DataClock;
        var kz = new SessionDetector(SessionWindow.NewYorkKillZone, clock);
        Assert.Equal(11 * 60, kz.LocalMinuteOfDay(Server(3, 8, 13)));
        Assert.Equal(11 * 60, kz.LocalMinuteOfDay(Server(3, 11, 14)));
        Assert.False(SessionWindow.NewYorkKillZone.Contains(kz.LocalMinuteOfDay(Server(3, 11, 13)))); // 10:00 UTC
        Assert.Contains(SessionWindow.NewYorkKillZone, new SmcSignalOptions().KillZones);
    }

    [Fact]
    public void The_server_day_starts_at_17_00_new_york_on_both_sides_of_the_switch()
    {
        // the breaker's trading day is the server day (reset hour 0): its start in UTC is 17:00 New York every day
        var clock = Mapped(AbiCodes.TzNewYorkClose, 120).DataClock;
        Assert.Equal(new DateTimeOffset(2024, 3, 7, 22, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), clock.ToUtc(Server(3, 8, 0))); // 17:00 EST
        Assert.Equal(new DateTimeOffset(2024, 3, 10, 21, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), clock.ToUtc(Server(3, 11, 0))); // 17:00 EDT
    }
}
