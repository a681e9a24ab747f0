using KimiEA.Core.Market;
using KimiEA.Core.Trading;

namespace KimiEA.Risk.Barriers;

/// <summary>Which barrier is assumed hit first when one bar touched both the stop and the take-profit.</summary>
public enum SameBarRule
{
    /// <summary>Pessimistic (default): the stop.</summary>
    StopFirst = 0,
    /// <summary>Optimistic: the take-profit.</summary>
    TargetFirst = 1,
    /// <summary>Adaptive path O→H→L→C when the open is nearer the high, O→L→H→C otherwise (NautilusTrader style).</summary>
    OpenHighLowClose = 2,
}

/// <summary>A horizontal-barrier exit found in a bar.</summary>
/// <param name="Reason"><see cref="ExitReason.StopLoss"/>, <see cref="ExitReason.TakeProfit"/> or <see cref="ExitReason.None"/> (no exit).</param>
/// <param name="Price">Exit price: the barrier, or the bar's open when the bar gapped through it.</param>
/// <param name="Ambiguous">Both barriers were inside the bar and <see cref="SameBarRule"/> decided.</param>
public readonly record struct BarExit(ExitReason Reason, double Price, bool Ambiguous)
{
    /// <summary>No exit in this bar.</summary>
    public static BarExit None => new(ExitReason.None, 0, false);

    /// <summary>True when a barrier was hit.</summary>
    public bool IsExit => Reason != ExitReason.None;
}

/// <summary>
/// THE same-bar rule, used identically by the live engine and the backtester. Bars are bid bars (MT5): a buy exits
/// on the bid, so its barriers are compared with the bar as is; a sell exits on the ask, so the bar is shifted up by
/// the spread. A bar that opens beyond a barrier exits at the open (gap; not ambiguous).
/// </summary>
public static class SameBar
{
    /// <summary>Finds the horizontal-barrier exit of an open position in one bar.</summary>
    /// <param name="direction">Position direction.</param>
    /// <param name="stopLoss">Stop price (0 = none).</param>
    /// <param name="takeProfit">Take-profit price (0 = none).</param>
    /// <param name="bar">The bar (bid prices).</param>
    /// <param name="spread">Ask − bid during the bar, price units (0 for bid-only data).</param>
    /// <param name="rule">Rule for bars that touched both barriers.</param>
    public static BarExit Resolve(Direction direction, double stopLoss, double takeProfit, in Bar bar, double spread, SameBarRule rule)
    {
        if (direction is not (Direction.Buy or Direction.Sell))
        {
            return BarExit.None;
        }

        var shift = direction == Direction.Sell ? spread : 0;
        var open = bar.Open + shift;
        var high = bar.High + shift;
        var low = bar.Low + shift;
        var buy = direction == Direction.Buy;
        var hasStop = stopLoss > 0;
        var hasTarget = takeProfit > 0;

        // gap through a barrier at the open: filled at the open, whichever side
        if (hasStop && (buy ? open <= stopLoss : open >= stopLoss))
        {
            return new BarExit(ExitReason.StopLoss, open, false);
        }

        if (hasTarget && (buy ? open >= takeProfit : open <= takeProfit))
        {
            return new BarExit(ExitReason.TakeProfit, open, false);
        }

        var stopHit = hasStop && (buy ? low <= stopLoss : high >= stopLoss);
        var targetHit = hasTarget && (buy ? high >= takeProfit : low <= takeProfit);
        if (stopHit && !targetHit)
        {
            return new BarExit(ExitReason.StopLoss, stopLoss, false);
        }

        if (targetHit && !stopHit)
        {
            return new BarExit(ExitReason.TakeProfit, takeProfit, false);
        }

        if (!stopHit)
        {
            return BarExit.None;
        }

        var stopFirst = rule switch
        {
            SameBarRule.TargetFirst => false,
            SameBarRule.OpenHighLowClose => HighFirst(open, high, low) != buy,
            _ => true,
        };
        return stopFirst
            ? new BarExit(ExitReason.StopLoss, stopLoss, true)
            : new BarExit(ExitReason.TakeProfit, takeProfit, true);
    }

    // The open nearer the high suggests the high was visited first (ties: high first, as in O→H→L→C).
    private static bool HighFirst(double open, double high, double low) => high - open <= open - low;
}

/// <summary>
/// The same-bar rule with the count of ambiguous exits; one instance is shared by every position of a run
/// (thread-safe counter).
/// </summary>
public sealed class SameBarResolver
{
    private long _ambiguous;

    /// <summary>Creates a resolver applying <paramref name="rule"/>.</summary>
    public SameBarResolver(SameBarRule rule) => Rule = rule;

    /// <summary>The configured rule.</summary>
    public SameBarRule Rule { get; }

    /// <summary>How many exits so far were decided by the rule (both barriers inside one bar).</summary>
    public long AmbiguousExits => Interlocked.Read(ref _ambiguous);

    /// <summary>Resolves a bar with <see cref="SameBar.Resolve"/> and counts it when ambiguous.</summary>
    public BarExit Resolve(Direction direction, double stopLoss, double takeProfit, in Bar bar, double spread)
    {
        var exit = SameBar.Resolve(direction, stopLoss, takeProfit, bar, spread, Rule);
        if (exit.Ambiguous)
        {
            Interlocked.Increment(ref _ambiguous);
        }

        return exit;
    }
}
