using KimiEA.Core.Market;

namespace KimiEA.Core.Trading;

/// <summary>
/// Which barrier a bar-based resolution assumes was reached first when one bar's range covers both the stop and the
/// take-profit. A setting of the backtester and of the calibration labels; live, the broker's own price stream decides.
/// </summary>
public enum SameBarRule
{
    /// <summary>The stop (pessimistic; the default everywhere).</summary>
    StopFirst = 0,
    /// <summary>The take-profit (optimistic).</summary>
    TargetFirst = 1,
}

/// <summary>Names of <see cref="SameBarRule"/> as the command line and the reports write them.</summary>
public static class SameBarRuleNames
{
    /// <summary>stop-first or target-first.</summary>
    public static string ToCode(this SameBarRule rule) => rule == SameBarRule.TargetFirst ? "target-first" : "stop-first";

    /// <summary>Parses stop-first or target-first (case-insensitive).</summary>
    /// <exception cref="FormatException">Any other text, named in the message.</exception>
    public static SameBarRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToUpperInvariant() switch
        {
            "STOP-FIRST" => SameBarRule.StopFirst,
            "TARGET-FIRST" => SameBarRule.TargetFirst,
            _ => throw new FormatException($"'{text}' is not a same-bar rule (expected stop-first or target-first)."),
        };
    }
}

/// <summary>
/// The three barriers of one position: stop, take-profit (prices; 0 = none) and the vertical barrier in closed bars
/// after entry (0 = none).
/// </summary>
/// <param name="Direction">Buy or sell; a position without a direction never hits anything.</param>
/// <param name="StopLoss">Stop price, 0 = none.</param>
/// <param name="TakeProfit">Take-profit price, 0 = none.</param>
/// <param name="MaxBars">Vertical barrier: closed bars after entry, 0 = none.</param>
public readonly record struct PositionBarriers(Direction Direction, double StopLoss, double TakeProfit, int MaxBars);

/// <summary>What one step of <see cref="BarrierStep"/> found.</summary>
/// <param name="Reason"><see cref="ExitReason.TakeProfit"/>, <see cref="ExitReason.StopLoss"/>, <see cref="ExitReason.Timeout"/> (vertical barrier) or <see cref="ExitReason.None"/>.</param>
/// <param name="Price">Exit price on the position's closing side (a buy closes at the bid, a sell at the ask): the
/// barrier; the price that jumped beyond it (a gap); the bar's close for the vertical barrier; 0 when none.</param>
/// <param name="Ambiguous">The bar's range covered both horizontal barriers, so the <see cref="SameBarRule"/> decided.</param>
/// <param name="Gap">The price jumped beyond a horizontal barrier (a bar's open, a tick after a jump): filled there, not at the barrier.</param>
public readonly record struct BarrierHit(ExitReason Reason, double Price, bool Ambiguous, bool Gap)
{
    /// <summary>Nothing was hit.</summary>
    public static BarrierHit None => default;

    /// <summary>True when a barrier was hit.</summary>
    public bool IsExit => Reason != ExitReason.None;
}

/// <summary>
/// THE barrier rule of the product: one pure step that resolves a position's take-profit, stop and vertical barrier
/// for one bar or one price. The backtester's trade server, the engine's vertical barrier and same-bar counting, and
/// the calibration labels all call it, so a label and a backtest of the same intent on the same bars agree.
/// <list type="bullet">
/// <item>Bars are bid bars (MT5): a buy closes at the bid, so its barriers are compared with the bar as is; a sell
/// closes at the ask, so the bar is shifted up by the spread.</item>
/// <item>A bar that opens at or beyond a barrier exits there at the open (a gap; never ambiguous). Otherwise a range
/// touching one barrier exits at that barrier; a range touching both exits where the <see cref="SameBarRule"/> says
/// (ambiguous).</item>
/// <item>The vertical barrier counts closed bars after entry: when no horizontal barrier was hit and
/// <c>barsHeld</c> (this bar included) has reached <see cref="PositionBarriers.MaxBars"/>, the position times out at the
/// bar's close.</item>
/// <item>A single price hits the stop when it is at or beyond it (checked first), else the take-profit; a price that
/// moved there continuously fills at the barrier, one that jumped there fills where it landed.</item>
/// </list>
/// Allocation-free: structs in, a struct out.
/// </summary>
public static class BarrierStep
{
    /// <summary>True when <paramref name="barsHeld"/> closed bars reach a vertical barrier of <paramref name="maxBars"/> (0 = none).</summary>
    public static bool VerticalReached(int barsHeld, int maxBars) => maxBars > 0 && barsHeld >= maxBars;

    /// <summary>Resolves one closed bar of an open position.</summary>
    /// <param name="position">The position's barriers.</param>
    /// <param name="barsHeld">Closed bars after entry including this one (for the vertical barrier; pass 0 to ignore it).</param>
    /// <param name="bar">The bar, bid prices.</param>
    /// <param name="spread">Ask − bid during the bar, price units (0 for bid-only data).</param>
    /// <param name="rule">Which barrier wins when the bar touched both.</param>
    public static BarrierHit OnBar(in PositionBarriers position, int barsHeld, in Bar bar, double spread, SameBarRule rule)
    {
        var direction = position.Direction;
        if (direction is not (Direction.Buy or Direction.Sell))
        {
            return BarrierHit.None;
        }

        var shift = direction == Direction.Sell ? spread : 0;
        var open = bar.Open + shift;
        var high = bar.High + shift;
        var low = bar.Low + shift;
        var buy = direction == Direction.Buy;
        var stop = position.StopLoss;
        var target = position.TakeProfit;
        var hasStop = stop > 0;
        var hasTarget = target > 0;

        // A bar that opens beyond a barrier was never between them: filled at the open, whichever side.
        if (hasStop && (buy ? open <= stop : open >= stop))
        {
            return new BarrierHit(ExitReason.StopLoss, open, false, true);
        }

        if (hasTarget && (buy ? open >= target : open <= target))
        {
            return new BarrierHit(ExitReason.TakeProfit, open, false, true);
        }

        var stopHit = hasStop && (buy ? low <= stop : high >= stop);
        var targetHit = hasTarget && (buy ? high >= target : low <= target);
        if (stopHit && targetHit)
        {
            return rule == SameBarRule.TargetFirst
                ? new BarrierHit(ExitReason.TakeProfit, target, true, false)
                : new BarrierHit(ExitReason.StopLoss, stop, true, false);
        }

        if (stopHit)
        {
            return new BarrierHit(ExitReason.StopLoss, stop, false, false);
        }

        if (targetHit)
        {
            return new BarrierHit(ExitReason.TakeProfit, target, false, false);
        }

        return VerticalReached(barsHeld, position.MaxBars)
            ? new BarrierHit(ExitReason.Timeout, bar.Close + shift, false, false)
            : BarrierHit.None;
    }

    /// <summary>Resolves one price (a tick) of an open position: a buy against the bid, a sell against the ask.</summary>
    /// <param name="position">The position's barriers (the vertical barrier is counted in bars, not here).</param>
    /// <param name="bid">Bid.</param>
    /// <param name="ask">Ask.</param>
    /// <param name="continuous">True when the price moved here continuously from the previous one (a path price
    /// generated inside a bar): a barrier it reached fills at the barrier. False for real ticks and bar opens: a
    /// barrier it jumped over fills at this price (a gap).</param>
    public static BarrierHit OnPrice(in PositionBarriers position, double bid, double ask, bool continuous)
    {
        var direction = position.Direction;
        if (direction is not (Direction.Buy or Direction.Sell))
        {
            return BarrierHit.None;
        }

        var buy = direction == Direction.Buy;
        var price = buy ? bid : ask;
        var stop = position.StopLoss;
        var target = position.TakeProfit;
        if (stop > 0 && (buy ? price <= stop : price >= stop))
        {
            return Fill(ExitReason.StopLoss, stop, price, continuous);
        }

        if (target > 0 && (buy ? price >= target : price <= target))
        {
            return Fill(ExitReason.TakeProfit, target, price, continuous);
        }

        return BarrierHit.None;
    }

    private static BarrierHit Fill(ExitReason reason, double barrier, double price, bool continuous) =>
        continuous || price == barrier
            ? new BarrierHit(reason, barrier, false, false)
            : new BarrierHit(reason, price, false, true);
}
