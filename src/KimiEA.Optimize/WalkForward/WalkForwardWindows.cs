using System.Globalization;

namespace KimiEA.Optimize.WalkForward;

/// <summary>One walk-forward step: optimise on [InSampleStart, InSampleEnd), run the choice on [InSampleEnd, OutOfSampleEnd).</summary>
/// <param name="Index">0-based window number.</param>
/// <param name="InSampleStart">In-sample start (UTC, inclusive).</param>
/// <param name="InSampleEnd">In-sample end = out-of-sample start (UTC, exclusive for the in-sample part).</param>
/// <param name="OutOfSampleEnd">Out-of-sample end (UTC, exclusive).</param>
public readonly record struct WalkForwardWindow(int Index, DateTime InSampleStart, DateTime InSampleEnd, DateTime OutOfSampleEnd)
{
    /// <summary>Out-of-sample start (the in-sample end).</summary>
    public DateTime OutOfSampleStart => InSampleEnd;
}

/// <summary>Data too short for the walk-forward windows asked for, or windows that make no sense (the message says which).</summary>
public sealed class WalkForwardException(string message) : ArgumentException(message);

/// <summary>
/// Window arithmetic of walk-forward analysis over a data period [start, end):
/// <list type="bullet">
/// <item><b>Rolling</b>: in-sample [s, s + IS), out-of-sample [s + IS, s + IS + OOS), s = start + k·step, as long as the
/// out-of-sample part ends within the data (a shorter last piece is not run).</item>
/// <item><b>Anchored</b>: the same, but every in-sample part starts at the data's start (it grows by step).</item>
/// <item><b>MT5's forward split</b>: one window; the last 1/2, 1/3 or 1/4 of the period (the boundary rounded down
/// to a UTC midnight, as MT5's tester picks a forward date) or everything from a given date is out of sample.</item>
/// </list>
/// With step = OOS the out-of-sample parts are contiguous and their stitched equity covers [start + IS, last end).
/// </summary>
public static class WalkForwardWindows
{
    /// <summary>Rolling windows.</summary>
    /// <exception cref="WalkForwardException">Non-positive lengths or data shorter than one window.</exception>
    public static IReadOnlyList<WalkForwardWindow> Rolling(DateTime start, DateTime end, TimeSpan inSample, TimeSpan outOfSample, TimeSpan step) =>
        Make(start, end, inSample, outOfSample, step, anchored: false);

    /// <summary>Anchored windows (every in-sample part starts at <paramref name="start"/>).</summary>
    /// <exception cref="WalkForwardException">Non-positive lengths or data shorter than one window.</exception>
    public static IReadOnlyList<WalkForwardWindow> Anchored(DateTime start, DateTime end, TimeSpan inSample, TimeSpan outOfSample, TimeSpan step) =>
        Make(start, end, inSample, outOfSample, step, anchored: true);

    /// <summary>MT5's forward split: the last <paramref name="denominator"/>-th (2, 3 or 4) of the period is out of sample.</summary>
    /// <exception cref="WalkForwardException">Another fraction, or a period too short to leave a whole day on each side.</exception>
    public static WalkForwardWindow ForwardFraction(DateTime start, DateTime end, int denominator)
    {
        if (denominator is not (2 or 3 or 4))
        {
            throw new WalkForwardException($"MT5's forward period is 1/2, 1/3 or 1/4 of the test period, not 1/{denominator}.");
        }

        CheckPeriod(start, end);
        var boundary = start + ((end - start) * (denominator - 1) / denominator);
        boundary = boundary.Date;
        if (boundary <= start || boundary >= end)
        {
            throw new WalkForwardException($"The period {Day(start)} to {Day(end)} is too short to split 1/{denominator} on a day boundary.");
        }

        return new WalkForwardWindow(0, start, boundary, end);
    }

    /// <summary>MT5's forward split at a date: everything from <paramref name="forwardFrom"/> on is out of sample.</summary>
    /// <exception cref="WalkForwardException">The date is not strictly inside the period.</exception>
    public static WalkForwardWindow ForwardFrom(DateTime start, DateTime end, DateTime forwardFrom)
    {
        CheckPeriod(start, end);
        if (forwardFrom <= start || forwardFrom >= end)
        {
            throw new WalkForwardException($"The forward date {Day(forwardFrom)} must lie inside the period {Day(start)} to {Day(end)}.");
        }

        return new WalkForwardWindow(0, start, forwardFrom, end);
    }

    private static List<WalkForwardWindow> Make(DateTime start, DateTime end, TimeSpan inSample, TimeSpan outOfSample, TimeSpan step, bool anchored)
    {
        CheckPeriod(start, end);
        if (inSample <= TimeSpan.Zero || outOfSample <= TimeSpan.Zero || step <= TimeSpan.Zero)
        {
            throw new WalkForwardException($"The in-sample ({Days(inSample)}), out-of-sample ({Days(outOfSample)}) lengths and the step ({Days(step)}) must be positive.");
        }

        if (start + inSample + outOfSample > end)
        {
            throw new WalkForwardException($"The data is too short for the windows: it covers {Days(end - start)} ({Day(start)} to {Day(end)}); one window needs {Days(inSample)} in sample + {Days(outOfSample)} out of sample = {Days(inSample + outOfSample)}.");
        }

        var list = new List<WalkForwardWindow>();
        for (var s = start; s + inSample + outOfSample <= end; s += step)
        {
            var isEnd = s + inSample;
            list.Add(new WalkForwardWindow(list.Count, anchored ? start : s, isEnd, isEnd + outOfSample));
        }

        return list;
    }

    private static void CheckPeriod(DateTime start, DateTime end)
    {
        if (end <= start)
        {
            throw new WalkForwardException($"The period ends ({Day(end)}) before it starts ({Day(start)}).");
        }
    }

    private static string Day(DateTime t) => t.ToString(t.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    private static string Days(TimeSpan t) => t.TotalDays.ToString("0.##", CultureInfo.InvariantCulture) + " days";
}
