using FsCheck;
using FsCheck.Fluent;
using KimiEA.Risk.Account;
using Xunit;

namespace KimiEA.Risk.Tests;

public class BreakerTests
{
    // 1 700 000 000 s = 2023-11-14 22:13:20 server time
    private const long T0 = 1_700_000_000_000;
    // with a 22:00 reset the next trading day starts 2023-11-15 22:00:00 = 1 700 000 000 − 800 + 86 400 s
    private const long NextDay22 = (1_700_000_000 - 800 + 86_400) * 1000L;

    [Fact]
    public void Trips_at_two_percent_below_the_days_first_equity()
    {
        var b = new DrawdownBreaker(0.02, 0);
        Assert.Equal(BreakerStatus.Active, b.Update(10_000, T0, 0));
        Assert.Equal(BreakerStatus.Active, b.Update(10_500, T0 + 1, 0)); // a rise does not move the reference
        Assert.Equal(9_800, b.TripLevel, 9);
        Assert.Equal(BreakerStatus.Active, b.Update(9_800.01, T0 + 2, 0));
        Assert.Equal(BreakerStatus.Halted, b.Update(9_800, T0 + 3, 0));
        // recovery the same day does not re-arm it
        Assert.Equal(BreakerStatus.Halted, b.Update(10_400, T0 + 4, 0));
        Assert.False(b.AllowsNewRisk);
        Assert.Equal(new BreakerState(b.TradingDayOf(T0), 10_000, BreakerStatus.Halted, T0 + 3, 9_800), b.State);
    }

    [Fact]
    public void Resets_only_at_the_configured_hour_of_the_next_trading_day()
    {
        var b = new DrawdownBreaker(0.02, 22);
        b.Update(10_000, T0, 0);
        b.Update(9_700, T0 + 1_000, 0);
        Assert.Equal(BreakerStatus.Halted, b.Update(9_700, NextDay22 - 1, 0)); // 21:59:59.999 next day: same trading day
        Assert.Equal(BreakerStatus.Active, b.Update(9_700, NextDay22, 0));     // 22:00: new day, reference 9 700
        Assert.Equal(9_700 * 0.98, b.TripLevel, 9);
    }

    [Fact]
    public void Midnight_reset_hour_starts_the_day_at_midnight()
    {
        var b = new DrawdownBreaker(0.02, 0);
        b.Update(10_000, T0, 0);                       // 22:13 on the 14th
        b.Update(9_000, T0 + 60_000, 0);
        var midnight15 = (1_700_000_000 - 80_000 + 86_400) * 1000L; // 22:13:20 = 80 000 s after midnight
        Assert.Equal(BreakerStatus.Halted, b.Update(9_000, midnight15 - 1, 0));
        Assert.Equal(BreakerStatus.Active, b.Update(9_000, midnight15, 0));
    }

    [Fact]
    public void ReducingOnly_while_positions_are_open_then_Halted()
    {
        var book = GateFixture.Book(GateFixture.Paper with { FlattenOnTrip = true });
        var eur = book.RegisterSymbol("EURUSD");
        book.OnEquity(10_000, T0);
        var d = GateFixture.Decide(book, eur, GateFixture.BuyEurUsd, T0);
        Assert.True(d.IsApproved);

        Assert.Equal(BreakerStatus.ReducingOnly, book.OnEquity(9_750, T0 + 5_000));
        Assert.True(book.ShouldFlatten);
        book.Release(d.Reservation);
        Assert.Equal(BreakerStatus.Halted, book.BreakerState.Status);
        Assert.False(book.ShouldFlatten);
    }

    [Fact]
    public void Older_tick_from_another_chart_never_moves_the_day_back()
    {
        var b = new DrawdownBreaker(0.02, 0);
        b.Update(10_000, NextDay22, 0);
        b.Update(9_500, NextDay22 + 1, 0);
        Assert.Equal(BreakerStatus.Halted, b.Update(10_000, T0, 0));
    }

    [Fact]
    public void State_restores_after_a_restart()
    {
        var book = GateFixture.Book(GateFixture.Paper);
        var eur = book.RegisterSymbol("EURUSD");
        book.OnEquity(10_000, T0);
        book.OnEquity(9_700, T0 + 1);
        var saved = book.BreakerState;

        var restarted = GateFixture.Book(GateFixture.Paper);
        var eur2 = restarted.RegisterSymbol("EURUSD");
        restarted.RestoreBreaker(saved);
        Assert.Equal(saved, restarted.BreakerState);
        // later the same day, equity back at 10 000: still no new risk
        var d = GateFixture.Decide(restarted, eur2, GateFixture.BuyEurUsd, T0 + 3_600_000);
        Assert.Equal(Gate.DenyReason.BreakerTripped, d.Reason);
        Assert.Equal(eur, eur2);
    }

    [Fact]
    public void A_halted_state_from_an_earlier_day_resets_on_the_first_tick_of_today()
    {
        var yesterday = new DrawdownBreaker(0.02, 22);
        yesterday.Update(10_000, T0, 0);
        yesterday.Update(9_000, T0 + 1, 0);

        var restarted = new DrawdownBreaker(0.02, 22);
        restarted.Restore(yesterday.State);
        Assert.Equal(BreakerStatus.Halted, restarted.Update(9_000, NextDay22 - 1, 0));
        Assert.Equal(BreakerStatus.Active, restarted.Update(9_100, NextDay22 + 5, 0));
        Assert.Equal(9_100 * 0.98, restarted.TripLevel, 9);
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_named_problem()
    {
        var b = new DrawdownBreaker(0.02, 0);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => b.Update(double.NaN, T0, 0));
        Assert.Equal("equity", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DrawdownBreaker(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DrawdownBreaker(0.02, 24));
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Restore(BreakerState.Initial with { Status = (BreakerStatus)9 }));
    }

    /// <summary>
    /// Property against an independent model: per trading day the reference is the first equity seen; the breaker
    /// allows new risk exactly when no equity of the day so far was at or below 98 % of it. In particular, after a
    /// trip it never allows new risk until the next reset.
    /// </summary>
    [Fact]
    public void After_a_trip_no_new_risk_until_the_reset_property()
    {
        // steps: (milliseconds forward up to 6 h, equity change in basis points −150…+100)
        var step = Gen.Two(Gen.Choose(0, 6 * 3_600_000)).Select(t => (Dt: (long)t.Item1, Bp: (t.Item2 % 251) - 150));
        var arb = Gen.Zip(Gen.Choose(0, 23), Gen.ListOf(step)).ToArbitrary();

        Prop.ForAll(arb, input =>
        {
            var (resetHour, steps) = input;
            var breaker = new DrawdownBreaker(0.02, resetHour);
            var time = T0;
            var equity = 10_000.0;
            long modelDay = long.MinValue;
            double modelRef = 0;
            var modelTripped = false;
            foreach (var (dt, bp) in steps)
            {
                time += dt;
                equity *= 1 + (bp / 10_000.0);
                var status = breaker.Update(equity, time, 0);
                var day = (long)Math.Floor((time - (resetHour * 3_600_000L)) / 86_400_000.0);
                if (day != modelDay)
                {
                    modelDay = day;
                    modelRef = equity;
                    modelTripped = false;
                }

                modelTripped |= equity <= modelRef * 0.98;
                if (breaker.AllowsNewRisk == modelTripped || (status == BreakerStatus.Active) == modelTripped)
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }
}
