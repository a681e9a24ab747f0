using KimiEA.Tester.Server;

namespace KimiEA.Optimize.Trials;

/// <summary>
/// A trial's daily returns, the rows of the trials × days matrix the overfitting statistics use. Days are the
/// Monday–Friday UTC dates from the first to the last price of the run (the same for every trial of a search, which
/// replays the same data); a trade closed on a Saturday or Sunday counts to the Friday before. The return of a day
/// is Σ net pnl of the trades closed that day / the balance at the start of that day (realised, as the balance curve).
/// </summary>
public static class DailyReturns
{
    /// <summary>The trading days (UTC dates, Monday to Friday) between two times in ms.</summary>
    public static DateOnly[] Days(long firstMsc, long lastMsc)
    {
        if (lastMsc < firstMsc)
        {
            return [];
        }

        var list = new List<DateOnly>();
        for (var d = Key(firstMsc); d <= Key(lastMsc); d = d.AddDays(1))
        {
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                list.Add(d);
            }
        }

        return [.. list];
    }

    /// <summary>The returns per day of <paramref name="days"/> from the closed trades (in closing order).</summary>
    public static double[] Of(double initialBalance, IReadOnlyList<ClosedTrade> trades, DateOnly[] days)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(days);
        var pnlCents = new long[days.Length];
        foreach (var t in trades)
        {
            var i = Array.BinarySearch(days, Key(t.ExitTimeMsc));
            // Outside the day list only when the run's days are cut short; such a trade counts to the nearest day.
            i = i >= 0 ? i : Math.Clamp(~i, 0, days.Length - 1);
            if (days.Length > 0)
            {
                pnlCents[i] += t.PnlCents;
            }
        }

        var returns = new double[days.Length];
        var balanceCents = (long)Math.Round(initialBalance * 100, MidpointRounding.AwayFromZero);
        for (var i = 0; i < days.Length; i++)
        {
            returns[i] = balanceCents > 0 ? (double)pnlCents[i] / balanceCents : 0;
            balanceCents += pnlCents[i];
        }

        return returns;
    }

    /// <summary>The trading day a time belongs to: its UTC date, Saturday and Sunday moved to the Friday before.</summary>
    private static DateOnly Key(long msc)
    {
        var d = DateOnly.FromDateTime(DateTime.UnixEpoch.AddMilliseconds(msc));
        return d.DayOfWeek switch
        {
            DayOfWeek.Saturday => d.AddDays(-1),
            DayOfWeek.Sunday => d.AddDays(-2),
            _ => d,
        };
    }
}
