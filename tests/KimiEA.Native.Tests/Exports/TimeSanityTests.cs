using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using Xunit;
using static KimiEA.Native.Tests.Exports.NativeAccount;

namespace KimiEA.Native.Tests.Exports;

/// <summary>
/// Issue 10, time sanity, through the C exports: only plausible market time (ticks, closed bars) moves the account's
/// clock, which alone rolls the breaker's trading day; implausible times are refused and change nothing.
/// The breaker trips at 2 % of the day's starting equity: 10 000 → trip at 9 800; 9 790 is −2.1 %.
/// </summary>
[Collection(NativeAccountGroup.Name)]
public sealed unsafe class TimeSanityTests
{
    private const long Hour = 3_600_000;
    private static readonly long Year2200Ms = new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void A_timer_two_days_ahead_does_not_reset_a_tripped_breaker_but_a_confirmed_new_day_does()
    {
        var day = FreshDayMs() + (2 * MsPerDay); // a Wednesday
        var h = Create(Config(101), "TSA");
        try
        {
            Assert.True(Tick(h, day + (10 * Hour), 10_000) >= 0);
            Assert.True(Tick(h, day + (10 * Hour) + 1_000, 9_790) >= 0);
            Assert.Equal(AbiCodes.BreakerHalted, Status(h).BreakerState);

            // The server clock two days on (plausible on a weekend) is accepted, but it is not market time.
            Assert.True(Timer(h, day + (10 * Hour) + (2 * MsPerDay), 9_790) >= 0);
            Assert.Equal(AbiCodes.BreakerHalted, Status(h).BreakerState);

            // The rest of the real day: still halted.
            Assert.True(Tick(h, day + (11 * Hour), 9_790) >= 0);
            Assert.Equal(AbiCodes.BreakerHalted, Status(h).BreakerState);

            // One tick two days ahead is a gap: alone it does not move the clock (a glitch would reset the breaker).
            var thursdayGlitch = day + (11 * Hour) + (2 * MsPerDay);
            Assert.True(Tick(h, thursdayGlitch, 9_790) >= 0);
            Assert.Equal(AbiCodes.BreakerHalted, Status(h).BreakerState);
            Assert.True(Tick(h, day + (11 * Hour) + 2_000, 9_790) >= 0);
            Assert.Equal(AbiCodes.BreakerHalted, Status(h).BreakerState);

            // The next real day (two market times agree): a new trading day starts from its own equity.
            Assert.True(Tick(h, day + MsPerDay + (1 * Hour), 9_790) >= 0);
            Assert.Equal(AbiCodes.BreakerHalted, Status(h).BreakerState);
            Assert.True(Tick(h, day + MsPerDay + (1 * Hour) + 500, 9_790) >= 0);
            var next = Status(h);
            Assert.Equal(AbiCodes.BreakerActive, next.BreakerState);
            Assert.Equal(9_790, next.DayStartEquity, 9);
        }
        finally
        {
            Lib.Destroy(h, 1);
        }
    }

    [Fact]
    public void Year_2200_is_refused_on_every_entry_and_changes_nothing()
    {
        var day = FreshDayMs();
        var h = Create(Config(102), "TSB");
        try
        {
            var now = day + (9 * Hour);
            Assert.True(Tick(h, now, 10_000) >= 0);
            Assert.True(Tick(h, now + 1_000, 9_790) >= 0);
            var before = Status(h);
            Assert.Equal(AbiCodes.BreakerHalted, before.BreakerState);

            Assert.Equal(AbiCodes.EInvalidArgument, Tick(h, Year2200Ms, 10_000));
            Assert.Contains("tick.time_msc", Lib.ReadLastError(h), StringComparison.Ordinal);
            Assert.Equal(AbiCodes.EInvalidArgument, Timer(h, Year2200Ms, 10_000));
            Assert.Contains("2100", Lib.ReadLastError(h), StringComparison.Ordinal);

            var bar = new MqlRates(Year2200Ms / 1000, 1.1, 1.1002, 1.0998, 1.1);
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.OnBar(h, &bar));
            var deal = new KimiDeal
            {
                DealTicket = 77, PositionTicket = 78, TimeMsc = Year2200Ms, Entry = AbiCodes.DealEntryOut, Type = AbiCodes.DealTypeSell,
                Reason = AbiCodes.DealReasonClient, Magic = 102, Volume = 0.1, Price = 1.1,
            };
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.OnTradeTransaction(h, &deal));
            Assert.Contains("deal.time_msc", Lib.ReadLastError(h), StringComparison.Ordinal);
            var position = new KimiPosition { Ticket = 5, Type = 0, Magic = 102, TimeMsc = Year2200Ms, Volume = 0.1, PriceOpen = 1.1 };
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.SyncPositions(h, &position, 1, now));
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.SyncPositions(h, null, 0, Year2200Ms));

            // Seconds passed where milliseconds are expected land in January 1970: refused too.
            Assert.Equal(AbiCodes.EInvalidArgument, Tick(h, now / 1000, 10_000));

            // A tick an hour older than the account's market time (charts interleave by seconds, not hours).
            Assert.Equal(AbiCodes.EInvalidArgument, Tick(h, now - Hour, 10_000));
            Assert.Contains("behind", Lib.ReadLastError(h), StringComparison.Ordinal);

            Assert.Equal(before, Status(h));

            // Later that day: still the same day, still halted (year 2200 did not become "today").
            Assert.True(Tick(h, now + Hour, 9_790) >= 0);
            Assert.Equal(AbiCodes.BreakerHalted, Status(h).BreakerState);
        }
        finally
        {
            Lib.Destroy(h, 1);
        }
    }

    [Fact]
    public void A_deal_stamped_days_ahead_does_not_stop_a_real_drop_from_tripping_the_breaker()
    {
        var day = FreshDayMs() + MsPerDay;
        var h = Create(Config(103), "TSC");
        try
        {
            var now = day + (14 * Hour);
            Assert.True(Tick(h, now, 10_000) >= 0);

            // A closing deal of a position this agent does not hold, stamped three days ahead: accepted as a fact,
            // but a deal never moves a clock.
            var deal = new KimiDeal
            {
                DealTicket = 901, OrderTicket = 901, PositionTicket = 900, TimeMsc = now + (3 * MsPerDay), Entry = AbiCodes.DealEntryOut,
                Type = AbiCodes.DealTypeSell, Reason = AbiCodes.DealReasonClient, Magic = 103, Volume = 0.1, Price = 1.1, Profit = -210,
            };
            Assert.True(Lib.OnTradeTransaction(h, &deal) >= 0, Lib.ReadLastError(h));

            Assert.True(Tick(h, now + 60_000, 9_790) >= 0);
            var s = Status(h);
            Assert.Equal(AbiCodes.BreakerHalted, s.BreakerState);
            Assert.Equal(10_000, s.DayStartEquity, 9);
        }
        finally
        {
            Lib.Destroy(h, 1);
        }
    }

    [Fact]
    public void A_far_future_timer_on_one_chart_does_not_move_the_clock_of_another()
    {
        var day = FreshDayMs() + (3 * MsPerDay);
        var a = Create(Config(104), "TSD1");
        var b = Create(Config(105), "TSD2");
        try
        {
            var now = day + (8 * Hour);
            Assert.True(Tick(a, now, 10_000) >= 0);
            Assert.True(Tick(b, now + 100, 10_000) >= 0);

            // Chart A's timer: three days ahead (accepted: the server clock runs on over a weekend), then 30 days
            // ahead (refused: more than 14 days ahead of the account's market time).
            Assert.True(Timer(a, now + (3 * MsPerDay), 10_000) >= 0);
            Assert.Equal(AbiCodes.EInvalidArgument, Timer(a, now + (30 * MsPerDay), 10_000));
            Assert.Contains("ahead", Lib.ReadLastError(a), StringComparison.Ordinal);

            // Chart B's ticks at the real time are still current (not "behind"), and the day did not roll: a drop of
            // 2.1 % from this morning's equity trips the breaker for both charts.
            Assert.True(Tick(b, now + 1_000, 10_000) >= 0, Lib.ReadLastError(b));
            Assert.True(Tick(b, now + 2_000, 9_790) >= 0);
            Assert.Equal(AbiCodes.BreakerHalted, Status(b).BreakerState);
            Assert.Equal(AbiCodes.BreakerHalted, Status(a).BreakerState);
            Assert.Equal(10_000, Status(a).DayStartEquity, 9);
        }
        finally
        {
            Lib.Destroy(a, 1);
            Lib.Destroy(b, 1);
        }
    }

    [Fact]
    public void A_carried_breaker_state_from_a_future_day_keeps_its_trip_only_until_the_next_real_day()
    {
        var block = FreshDayMs();
        var a = Create(Config(108), "TSF1");
        try
        {
            // A chart trips the breaker on a day ten days on (an older build could journal such a day) ...
            Assert.True(Tick(a, block + (10 * MsPerDay) + Hour, 10_000) >= 0);
            Assert.True(Tick(a, block + (10 * MsPerDay) + Hour + 1_000, 9_790) >= 0);
            Assert.Equal(AbiCodes.BreakerHalted, Status(a).BreakerState);
        }
        finally
        {
            Lib.Destroy(a, 1); // every chart gone: the clock is forgotten, the breaker's state is kept
        }

        var b = Create(Config(109), "TSF2");
        try
        {
            // ... and the market is really at the block's first day: the trip holds today ...
            Assert.True(Tick(b, block + (9 * Hour), 10_000) >= 0);
            Assert.Equal(AbiCodes.BreakerHalted, Status(b).BreakerState);
            Assert.True(Tick(b, block + (12 * Hour), 10_000) >= 0);
            Assert.True(Tick(b, block + (12 * Hour) + 1_000, 10_000) >= 0);
            Assert.Equal(AbiCodes.BreakerHalted, Status(b).BreakerState);

            // ... and ends at the next real trading day, not ten days later.
            Assert.True(Tick(b, block + MsPerDay + Hour, 10_000) >= 0);
            Assert.True(Tick(b, block + MsPerDay + Hour + 1_000, 10_000) >= 0);
            Assert.Equal(AbiCodes.BreakerActive, Status(b).BreakerState);
        }
        finally
        {
            Lib.Destroy(b, 1);
        }
    }

    [Fact]
    public void The_status_is_one_snapshot_while_another_thread_toggles_the_emergency_stop()
    {
        var day = FreshDayMs();
        var h = Create(Config(110), "TSG");
        try
        {
            Assert.True(Tick(h, day + Hour, 10_000) >= 0);
            using var stop = new CancellationTokenSource();
            var toggler = new Thread(() =>
            {
                fixed (char* why = "toggle")
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        Lib.EmergencyStop(i & 1, why);
                    }
                }
            });
            toggler.Start();
            var inconsistent = 0;
            var engagedSeen = 0;
            for (var i = 0; i < 200_000; i++)
            {
                var s = Status(h);
                engagedSeen += (int)s.Emergency;
                inconsistent += s.Emergency == 1 && s.Halted == 0 ? 1 : 0;
            }

            stop.Cancel();
            toggler.Join();
            Assert.True(engagedSeen > 0, "the toggling thread never showed an engaged stop: nothing was tested");
            Assert.Equal(0, inconsistent);
        }
        finally
        {
            fixed (char* why = "end")
            {
                Lib.EmergencyStop(0, why);
            }

            Lib.Destroy(h, 1);
        }
    }

    [Fact]
    public void Monday_after_a_weekend_and_slightly_out_of_order_charts_are_normal()
    {
        var monday = FreshDayMs();
        var friday = monday - (3 * MsPerDay) + (21 * Hour);
        var a = Create(Config(106), "TSE1");
        var b = Create(Config(107), "TSE2");
        try
        {
            Assert.True(Tick(a, friday, 10_000) >= 0);
            Assert.True(Tick(b, friday + 2_000, 10_000) >= 0);
            Assert.True(Tick(a, friday + 1_500, 10_000) >= 0); // another chart's tick a moment older: fine

            // History deals forwarded at init may be weeks old.
            var old = new KimiDeal
            {
                DealTicket = 1001, OrderTicket = 1001, PositionTicket = 1000, TimeMsc = friday - (20 * MsPerDay), Entry = AbiCodes.DealEntryOut,
                Type = AbiCodes.DealTypeSell, Reason = AbiCodes.DealReasonSl, Magic = 106, Volume = 0.1, Price = 1.09, Profit = -20,
            };
            Assert.True(Lib.OnTradeTransaction(a, &old) >= 0, Lib.ReadLastError(a));

            // Monday 00:05: the first ticks after the weekend, from both charts.
            Assert.True(Tick(a, monday + 300_000, 10_050) >= 0);
            Assert.True(Tick(b, monday + 300_400, 10_050) >= 0);
            var s = Status(a);
            Assert.Equal(AbiCodes.BreakerActive, s.BreakerState);
            Assert.Equal(10_050, s.DayStartEquity, 9);
        }
        finally
        {
            Lib.Destroy(a, 1);
            Lib.Destroy(b, 1);
        }
    }
}
