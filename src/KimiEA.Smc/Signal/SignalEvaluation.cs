using KimiEA.Core.Market;
using KimiEA.Core.Trading;

namespace KimiEA.Smc.Signal;

/// <summary>An intent together with where it came from and how its own barriers resolved.</summary>
/// <param name="BarIndex">Index of the signal bar in the evaluated series.</param>
/// <param name="Intent">The intent as emitted (calibrated confidence).</param>
/// <param name="RawScore">Its raw confluence score.</param>
/// <param name="Result">How its barriers resolved on the following bars.</param>
public readonly record struct LabelledIntent(int BarIndex, TradeIntent Intent, double RawScore, BarrierResult Result);

/// <summary>
/// Batch evaluation of the signal: a fold of <see cref="SmcSignal.OnBar"/> over a series, each intent then labelled by
/// <see cref="BarrierTracker"/> on the bars after its signal bar. Used by calibration and its tests; not a hot path.
/// </summary>
public static class SignalEvaluation
{
    /// <summary>Runs a fresh signal over <paramref name="bars"/> and labels every intent.</summary>
    /// <param name="bars">Closed bars, oldest first.</param>
    /// <param name="options">Signal parameters (defaults when null).</param>
    /// <param name="rule">Same-bar rule of the labels (the backtester's <c>--same-bar</c>).</param>
    /// <returns>Every intent in bar order, unresolved ones (data ended) included.</returns>
    public static List<LabelledIntent> Run(ReadOnlySpan<Bar> bars, SmcSignalOptions? options = null, SameBarRule rule = SameBarRule.StopFirst)
    {
        var signal = new SmcSignal(options);
        var result = new List<LabelledIntent>();
        for (var i = 0; i < bars.Length; i++)
        {
            if (signal.OnBar(bars[i], out var intent))
            {
                result.Add(new LabelledIntent(i, intent, signal.LastRawScore, BarrierTracker.Evaluate(intent, bars[(i + 1)..], rule)));
            }
        }

        return result;
    }
}
