using KimiEA.Smc.Signal;
using Xunit;
using Xunit.Abstractions;

namespace KimiEA.Smc.Tests.Signal;

/// <summary>
/// The shipped calibration of the hit probability against real outcomes. It was fitted on EURUSD H1 intents before 2013; these tests judge
/// it on the held-out 2013-2018 intents and on the EURUSD M15 fixture (another time frame and year), with tolerances
/// stated as statistics (99 % Wilson intervals), never as numbers copied from a run. The tables are written to the
/// test output so the deviation is visible (docs/signal.md reports them).
/// </summary>
public sealed class CalibrationOnRealDataTests(ITestOutputHelper output)
{
    private const double Z99 = 2.5758293035489;

    [Fact]
    public void HeldOutH1_BucketsAgreeWithRealisedHitRates()
    {
        var held = SignalData.H1Run.Where(x => x.Intent.SignalBarTime >= SignalData.HeldOutFrom && x.Result.IsResolved).ToList();
        AssertCalibrated(held, "EURUSD H1 2013-2018 (held out)");
    }

    [Fact]
    public void M15Fixture_BucketsAgreeWithRealisedHitRates()
    {
        var all = SignalData.M15Run.Where(x => x.Result.IsResolved).ToList();
        AssertCalibrated(all, "EURUSD M15 2022-2023 (other time frame, never fitted)");
    }

    [Fact]
    public void Shipped_calibration_is_what_the_documented_command_fits()
    {
        // provenance of the shipped file: the procedure of `kimi calibrate --fit` (docs/signal.md) on the documented
        // training set, at the EA's default inputs, must reproduce it; a change to the signal or to those defaults that
        // moves the fit fails here until the documented command is run again
        var shipped = ShippedCalibration.File;
        var defaults = new SmcSignalOptions { ChartPeriodSeconds = 3600 }; // the fit period is H1
        shipped.EnsureMatches(defaults, "EURUSD", 3600);
        Assert.Equal(SignalData.HeldOutFrom, shipped.FittedOn.To);
        Assert.Equal(SignalData.H1.Length, shipped.FittedOn.Bars);

        var fit = SignalEvaluation.Fit(SignalData.H1, defaults, from: null, to: SignalData.HeldOutFrom, shipped.Calibration.PriorStrength);
        Assert.Equal(shipped.Weights, fit.Weights);
        Assert.Equal(fit.Labelled.Count, shipped.FittedOn.LabelledIntents);
        var fitted = fit.Calibration;
        Assert.Equal(shipped.Calibration.Knots.ToArray(), fitted.Knots.ToArray());
        Assert.Equal(shipped.Calibration.Probabilities.ToArray(), fitted.Probabilities.ToArray());
        Assert.Equal(shipped.Calibration.Trials.ToArray(), fitted.Trials.ToArray());
    }

    [Fact]
    public void Fit_OnRealScores_IsMonotone()
    {
        var run = SignalData.M15Run.Where(x => x.Result.IsResolved).ToList();
        var c = ConfidenceCalibration.Fit(run.Select(x => x.RawScore).ToArray(), run.Select(x => x.Result.IsHit).ToArray(), 0);
        for (var i = 1; i < c.Probabilities.Length; i++)
        {
            Assert.True(c.Probabilities[i] >= c.Probabilities[i - 1]);
        }
    }

    private void AssertCalibrated(List<LabelledIntent> sample, string title)
    {
        Assert.True(sample.Count >= 200, $"{title}: only {sample.Count} labelled intents");
        var conf = sample.Select(x => x.Intent.HitProbability).ToArray();
        var hits = sample.Select(x => x.Result.IsHit).ToArray();
        var report = CalibrationReport.Build(conf, hits, 10);
        output.WriteLine($"{title}: {report.Count} intents, hit rate {report.BaseRate:0.000}, mean confidence {conf.Average():0.000}, Brier {report.BrierScore:0.0000} (base rate {report.BaseRateBrierScore:0.0000})");
        foreach (var b in report.Buckets.Where(b => b.Count > 0))
        {
            var (lo99, hi99) = CalibrationReport.Wilson(b.Hits, b.Count, Z99);
            output.WriteLine($"  [{b.Lower:0.0},{b.Upper:0.0}) n={b.Count} conf={b.MeanConfidence:0.000} hit={b.HitRate:0.000} 95%=[{b.WilsonLow:0.000},{b.WilsonHigh:0.000}] 99%=[{lo99:0.000},{hi99:0.000}]");
        }

        // calibration in the large: the average confidence is a plausible hit rate for the whole sample
        var (lo, hi) = CalibrationReport.Wilson(report.Hits, report.Count, Z99);
        Assert.InRange(conf.Average(), lo, hi);

        // every bucket with enough intents: its mean confidence is inside the 99 % Wilson interval of its hit rate
        foreach (var b in report.Buckets.Where(b => b.Count >= 30))
        {
            var (blo, bhi) = CalibrationReport.Wilson(b.Hits, b.Count, Z99);
            Assert.True(b.MeanConfidence >= blo && b.MeanConfidence <= bhi, $"{title}: bucket [{b.Lower},{b.Upper}) confidence {b.MeanConfidence:0.000} outside 99 % interval [{blo:0.000}, {bhi:0.000}] of hit rate {b.HitRate:0.000} (n={b.Count})");
        }

        // a calibrated forecast is not materially worse than always predicting the sample's own base rate
        Assert.True(report.BrierScore <= report.BaseRateBrierScore + 0.005, $"{title}: Brier {report.BrierScore:0.0000} vs base rate {report.BaseRateBrierScore:0.0000}");
    }
}
