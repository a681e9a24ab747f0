using KimiEA.Core.Market;
using KimiEA.Core.Trading;

namespace KimiEA.Smc.Signal;

/// <summary>An intent together with where it came from and how its own barriers resolved.</summary>
/// <param name="BarIndex">Index of the signal bar in the evaluated series.</param>
/// <param name="Intent">The intent as emitted (calibrated hit probability).</param>
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

    /// <summary>The resolved intents whose signal bar opens in [from, to), and how many there were unresolved (data ended).</summary>
    public static (List<LabelledIntent> Selected, int Unresolved) Window(List<LabelledIntent> all, long? from, long? to)
    {
        ArgumentNullException.ThrowIfNull(all);
        var selected = new List<LabelledIntent>();
        var unresolved = 0;
        foreach (var li in all)
        {
            if ((from is { } f && li.Intent.SignalBarTime < f) || (to is { } t && li.Intent.SignalBarTime >= t))
            {
                continue;
            }

            if (li.Result.IsResolved)
            {
                selected.Add(li);
            }
            else
            {
                unresolved++;
            }
        }

        return (selected, unresolved);
    }

    /// <summary>
    /// The calibration fit of <c>kimi calibrate --fit</c> (docs/signal.md): label the intents of the window with
    /// uniform weights (so a refit never depends on the weights it replaces), fit the weights on them, run the signal
    /// again with the fitted weights and fit the hit-probability map on the window's scores.
    /// </summary>
    /// <param name="bars">The whole series (the signal runs over all of it; the window selects the fitted intents).</param>
    /// <param name="options">Signal options (their weights and map are replaced).</param>
    /// <param name="from">Window start (signal bar time), or null.</param>
    /// <param name="to">Window end (exclusive), or null.</param>
    /// <param name="priorStrength">Beta prior strength of the map.</param>
    /// <param name="rule">Same-bar rule of the labels (the backtester's <c>--same-bar</c>).</param>
    /// <returns>The fitted weights and map, the options with them, and the window's labelled intents under them.</returns>
    /// <exception cref="ArgumentException">The window holds no labelled intent, or no factor raised the hit rate.</exception>
    public static CalibrationFit Fit(ReadOnlySpan<Bar> bars, SmcSignalOptions options, long? from, long? to, double priorStrength, SameBarRule rule = SameBarRule.StopFirst)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (labelled, _) = Window(Run(bars, options with { Weights = ConfluenceWeights.Uniform }, rule), from, to);
        if (labelled.Count == 0)
        {
            throw new ArgumentException("The fitting window holds no labelled intent: nothing to fit.", nameof(bars));
        }

        var weights = ConfluenceWeights.Fit(labelled.Select(x => x.Intent.Factors).ToArray(), labelled.Select(x => x.Result.IsHit).ToArray());
        var (selected, unresolved) = Window(Run(bars, options with { Weights = weights }, rule), from, to);
        var map = ConfidenceCalibration.Fit(selected.Select(x => x.RawScore).ToArray(), selected.Select(x => x.Result.IsHit).ToArray(), priorStrength);
        return new CalibrationFit(weights, map, options with { Weights = weights, Calibration = map }, selected, unresolved);
    }
}

/// <summary>The result of <see cref="SignalEvaluation.Fit"/>.</summary>
/// <param name="Weights">The fitted confluence weights.</param>
/// <param name="Calibration">The fitted hit-probability map.</param>
/// <param name="Options">The options with both.</param>
/// <param name="Labelled">The window's labelled intents under the fitted weights.</param>
/// <param name="Unresolved">The window's intents whose data ended first.</param>
public sealed record CalibrationFit(ConfluenceWeights Weights, ConfidenceCalibration Calibration, SmcSignalOptions Options, List<LabelledIntent> Labelled, int Unresolved);
