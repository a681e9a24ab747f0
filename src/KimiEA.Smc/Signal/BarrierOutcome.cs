using KimiEA.Core.Market;
using KimiEA.Core.Trading;

namespace KimiEA.Smc.Signal;

/// <summary>How the barriers of one <see cref="TradeIntent"/> resolved on the bars after its signal bar.</summary>
public enum BarrierOutcome
{
    /// <summary>The data ended before any barrier (including the vertical one) was reached; not a label.</summary>
    Unresolved = 0,
    /// <summary>The take-profit was touched first: the intent was right (a "hit").</summary>
    TakeProfit = 1,
    /// <summary>The stop was touched first, or both in the same bar under the stop-first rule.</summary>
    StopLoss = 2,
    /// <summary>Neither horizontal barrier within <see cref="TradeIntent.MaxHoldingBars"/> bars.</summary>
    Timeout = 3,
}

/// <summary>The resolution of one intent's barriers.</summary>
/// <param name="Outcome">Which barrier came first.</param>
/// <param name="BarsHeld">Bars after the signal bar up to and including the resolving bar (bars seen when unresolved).</param>
/// <param name="Ambiguous">The resolving bar touched both the stop and the take-profit: the same-bar rule decided.</param>
/// <param name="Gap">The resolving bar opened beyond the barrier (the exit is at that open, not at the barrier).</param>
public readonly record struct BarrierResult(BarrierOutcome Outcome, int BarsHeld, bool Ambiguous = false, bool Gap = false)
{
    /// <summary>True when the take-profit came first.</summary>
    public bool IsHit => Outcome == BarrierOutcome.TakeProfit;

    /// <summary>True when the outcome is a label (TP, SL or timeout).</summary>
    public bool IsResolved => Outcome != BarrierOutcome.Unresolved;
}

/// <summary>
/// Streaming evaluator of an intent's own triple barrier, fed the closed bars that follow the signal bar (the intent
/// enters at the signal bar's close, so that bar is never fed). Each bar goes through <see cref="BarrierStep.OnBar"/>,
/// the rule the backtester's trade server applies to the same bars: a bar that opens at or beyond a barrier resolves to
/// that barrier (gap); a bar whose range touches one barrier resolves to it; a bar touching both resolves by the
/// <see cref="SameBarRule"/> (stop first unless told otherwise); after <see cref="TradeIntent.MaxHoldingBars"/> bars
/// without a touch the outcome is <see cref="BarrierOutcome.Timeout"/>. Bars are bid bars; a sell is judged on the ask,
/// the bar plus the given spread (0 for bid-only data). A mutable struct: no allocation.
/// </summary>
public struct BarrierTracker
{
    private readonly PositionBarriers _barriers;
    private readonly double _spread;
    private readonly SameBarRule _rule;

    /// <summary>Starts tracking <paramref name="intent"/>.</summary>
    /// <param name="intent">The intent.</param>
    /// <param name="rule">Which barrier wins when one bar touched both.</param>
    /// <param name="spread">Ask − bid, price units, added to the bars for a sell (0 for bid-only data).</param>
    /// <exception cref="ArgumentException">The intent has no direction, its stop or target is on the wrong side of the entry, its vertical barrier is below 1, or the spread is negative.</exception>
    public BarrierTracker(in TradeIntent intent, SameBarRule rule = SameBarRule.StopFirst, double spread = 0)
    {
        var buy = intent.Direction == Direction.Buy;
        if (intent.Direction is not (Direction.Buy or Direction.Sell))
        {
            throw new ArgumentException("The intent has no direction.", nameof(intent));
        }

        if (buy ? !(intent.StopLoss < intent.Entry && intent.TakeProfit > intent.Entry) : !(intent.StopLoss > intent.Entry && intent.TakeProfit < intent.Entry))
        {
            throw new ArgumentException(
                $"The intent's barriers are on the wrong side: {intent.Direction} entry {intent.Entry}, stop {intent.StopLoss}, take-profit {intent.TakeProfit}.",
                nameof(intent));
        }

        if (intent.MaxHoldingBars < 1)
        {
            throw new ArgumentException($"The intent's vertical barrier must be at least 1 bar, got {intent.MaxHoldingBars}.", nameof(intent));
        }

        if (!(spread >= 0) || double.IsInfinity(spread))
        {
            throw new ArgumentException($"The spread must be a non-negative number, got {spread}.", nameof(spread));
        }

        if (!Enum.IsDefined(rule))
        {
            throw new ArgumentException($"Unknown same-bar rule {rule}.", nameof(rule));
        }

        _barriers = new PositionBarriers(intent.Direction, intent.StopLoss, intent.TakeProfit, intent.MaxHoldingBars);
        _spread = spread;
        _rule = rule;
        Result = new BarrierResult(BarrierOutcome.Unresolved, 0);
    }

    /// <summary>The outcome so far (<see cref="BarrierOutcome.Unresolved"/> until a barrier is reached).</summary>
    public BarrierResult Result { get; private set; }

    /// <summary>Feeds the next closed bar after the signal bar; returns true once the outcome is resolved (later bars are ignored).</summary>
    public bool Update(in Bar bar)
    {
        if (Result.IsResolved)
        {
            return true;
        }

        var held = Result.BarsHeld + 1;
        var hit = BarrierStep.OnBar(_barriers, held, bar, _spread, _rule);
        var outcome = hit.Reason switch
        {
            ExitReason.TakeProfit => BarrierOutcome.TakeProfit,
            ExitReason.StopLoss => BarrierOutcome.StopLoss,
            ExitReason.Timeout => BarrierOutcome.Timeout,
            _ => BarrierOutcome.Unresolved,
        };
        Result = new BarrierResult(outcome, held, hit.Ambiguous, hit.Gap);
        return outcome != BarrierOutcome.Unresolved;
    }

    /// <summary>Evaluates <paramref name="intent"/> on the bars after its signal bar (a fold over <see cref="Update"/>).</summary>
    /// <param name="intent">The intent.</param>
    /// <param name="barsAfterSignal">The bars that follow the signal bar, oldest first.</param>
    /// <param name="rule">Which barrier wins when one bar touched both.</param>
    /// <param name="spread">Ask − bid, price units, added to the bars for a sell (0 for bid-only data).</param>
    public static BarrierResult Evaluate(in TradeIntent intent, ReadOnlySpan<Bar> barsAfterSignal, SameBarRule rule = SameBarRule.StopFirst, double spread = 0)
    {
        var tracker = new BarrierTracker(intent, rule, spread);
        foreach (ref readonly var bar in barsAfterSignal)
        {
            if (tracker.Update(bar))
            {
                break;
            }
        }

        return tracker.Result;
    }
}
