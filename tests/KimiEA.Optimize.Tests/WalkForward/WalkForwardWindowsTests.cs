using KimiEA.Optimize.WalkForward;
using Xunit;

namespace KimiEA.Optimize.Tests.WalkForward;

public class WalkForwardWindowsTests
{
    private static DateTime D(int month, int day) => new(2024, month, day, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Rolling_HandWorked()
    {
        // Jan 1 – Apr 1 (91 days), IS 30 d, OOS 10 d, step 10 d: starts Jan 1, 11, 21, 31, Feb 10, 20, Mar 1;
        // the last must end by Apr 1: start + 40 ≤ Apr 1 ⇔ start ≤ Feb 21 → starts Jan 1 … Feb 20 (6 windows).
        var w = WalkForwardWindows.Rolling(D(1, 1), D(4, 1), TimeSpan.FromDays(30), TimeSpan.FromDays(10), TimeSpan.FromDays(10));
        Assert.Equal(6, w.Count);
        Assert.Equal(new WalkForwardWindow(0, D(1, 1), D(1, 31), D(2, 10)), w[0]);
        Assert.Equal(new WalkForwardWindow(1, D(1, 11), D(2, 10), D(2, 20)), w[1]);
        Assert.Equal(new WalkForwardWindow(5, D(2, 20), D(3, 21), D(3, 31)), w[5]);
        // step = OOS: the out-of-sample parts are contiguous.
        for (var i = 1; i < w.Count; i++)
        {
            Assert.Equal(w[i - 1].OutOfSampleEnd, w[i].OutOfSampleStart);
        }
    }

    [Fact]
    public void Anchored_HandWorked()
    {
        // Jan 1 – Mar 1 (60 days), IS 20 d, OOS 15 d, step 15 d: IS ends Jan 21, Feb 5, Feb 20 (Feb 20 + 15 = Mar 6 > Mar 1: stop).
        var w = WalkForwardWindows.Anchored(D(1, 1), D(3, 1), TimeSpan.FromDays(20), TimeSpan.FromDays(15), TimeSpan.FromDays(15));
        Assert.Equal(
            [new WalkForwardWindow(0, D(1, 1), D(1, 21), D(2, 5)), new WalkForwardWindow(1, D(1, 1), D(2, 5), D(2, 20))],
            w);
    }

    [Theory]
    [InlineData(2, 1, 31)] // 60 days · 1/2 = Jan 31
    [InlineData(3, 2, 10)] // 60 · 2/3 = 40 days → Feb 10
    [InlineData(4, 2, 15)] // 60 · 3/4 = 45 days → Feb 15
    public void ForwardFraction_LastPartIsForward(int denominator, int month, int day)
    {
        var w = WalkForwardWindows.ForwardFraction(D(1, 1), D(3, 1), denominator);
        Assert.Equal(new WalkForwardWindow(0, D(1, 1), D(month, day), D(3, 1)), w);
    }

    [Fact]
    public void ForwardFraction_BoundaryIsRoundedDownToMidnight()
    {
        // 7 days from Jan 1 00:00 · 2/3 = 4 d 16 h → Jan 5 00:00.
        var w = WalkForwardWindows.ForwardFraction(D(1, 1), D(1, 8), 3);
        Assert.Equal(D(1, 5), w.OutOfSampleStart);
    }

    [Fact]
    public void BadWindows_ClearErrors()
    {
        var e = Assert.Throws<WalkForwardException>(() => WalkForwardWindows.Rolling(D(1, 1), D(2, 1), TimeSpan.FromDays(30), TimeSpan.FromDays(10), TimeSpan.FromDays(10)));
        Assert.Contains("too short", e.Message, StringComparison.Ordinal);
        Assert.Contains("31 days", e.Message, StringComparison.Ordinal);
        Assert.Contains("40 days", e.Message, StringComparison.Ordinal);
        Assert.Throws<WalkForwardException>(() => WalkForwardWindows.Rolling(D(1, 1), D(3, 1), TimeSpan.Zero, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        Assert.Throws<WalkForwardException>(() => WalkForwardWindows.ForwardFraction(D(1, 1), D(3, 1), 5));
        Assert.Throws<WalkForwardException>(() => WalkForwardWindows.ForwardFrom(D(1, 1), D(3, 1), D(3, 1)));
        Assert.Throws<WalkForwardException>(() => WalkForwardWindows.ForwardFraction(D(1, 1), new DateTime(2024, 1, 1, 12, 0, 0, DateTimeKind.Utc), 2));
    }
}
