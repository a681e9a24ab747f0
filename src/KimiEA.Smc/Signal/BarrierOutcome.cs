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
    /// <summary>The stop was touched first, or both in the same bar (stop-first rule).</summary>
    StopLoss = 2,
    /// <summary>Neither horizontal barrier within <see cref="TradeIntent.MaxHoldingBars"/> bars.</summary>
    Timeout = 3,
}

/// <summary>The resolution of one intent's barriers.</summary>
/// <param name="Outcome">Which barrier came first.</param>
/// <param name="BarsHeld">Bars after the signal bar up to and including the resolving bar (bars seen when unresolved).</param>
public readonly record struct BarrierResult(BarrierOutcome Outcome, int BarsHeld)
{
    /// <summary>True when the take-profit came first.</summary>
    public bool IsHit => Outcome == BarrierOutcome.TakeProfit;

    /// <summary>True when the outcome is a label (TP, SL or timeout).</summary>
    public bool IsResolved => Outcome != BarrierOutcome.Unresolved;
}

/// <summary>
/// Streaming evaluator of an intent's own triple barrier, fed the closed bars that follow the signal bar (the intent
/// enters at the signal bar's close, so that bar is never fed). Per bar, in this order: a bar that opens at or beyond a
/// barrier resolves to that barrier (gap); a bar whose range touches only one barrier resolves to it; a bar touching
/// both resolves to the stop (pessimistic same-bar rule, the same as the risk core's default <c>StopFirst</c>); after
/// <see cref="TradeIntent.MaxHoldingBars"/> bars without a touch the outcome is <see cref="BarrierOutcome.Timeout"/>.
/// Prices are compared as given (bid bars, no spread). A mutable struct: no allocation.
/// </summary>
public struct BarrierTracker
{
    private readonly Direction _direction;
    private readonly double _stop;
    private readonly double _target;
    private readonly int _maxBars;

    /// <summary>Starts tracking <paramref name="intent"/>.</summary>
    /// <exception cref="ArgumentException">The intent has no direction, its stop or target is on the wrong side of the entry, or its vertical barrier is below 1.</exception>
    public BarrierTracker(in TradeIntent intent)
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

        _direction = intent.Direction;
        _stop = intent.StopLoss;
        _target = intent.TakeProfit;
        _maxBars = intent.MaxHoldingBars;
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
        var buy = _direction == Direction.Buy;
        var outcome = BarrierOutcome.Unresolved;
        if (buy ? bar.Open <= _stop : bar.Open >= _stop)
        {
            outcome = BarrierOutcome.StopLoss;
        }
        else if (buy ? bar.Open >= _target : bar.Open <= _target)
        {
            outcome = BarrierOutcome.TakeProfit;
        }
        else if (buy ? bar.Low <= _stop : bar.High >= _stop)
        {
            // also covers the same-bar case: a bar that touched both barriers is a loss (stop-first)
            outcome = BarrierOutcome.StopLoss;
        }
        else if (buy ? bar.High >= _target : bar.Low <= _target)
        {
            outcome = BarrierOutcome.TakeProfit;
        }
        else if (held >= _maxBars)
        {
            outcome = BarrierOutcome.Timeout;
        }

        Result = new BarrierResult(outcome, held);
        return outcome != BarrierOutcome.Unresolved;
    }

    /// <summary>Evaluates <paramref name="intent"/> on the bars after its signal bar (a fold over <see cref="Update"/>).</summary>
    /// <param name="intent">The intent.</param>
    /// <param name="barsAfterSignal">The bars that follow the signal bar, oldest first.</param>
    public static BarrierResult Evaluate(in TradeIntent intent, ReadOnlySpan<Bar> barsAfterSignal)
    {
        var tracker = new BarrierTracker(intent);
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
