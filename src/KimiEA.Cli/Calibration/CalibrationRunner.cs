using System.Globalization;
using System.Text;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Data;
using KimiEA.Smc.Signal;
using KimiEA.Smc.Time;

namespace KimiEA.Cli.Calibration;

/// <summary>What <c>kimi calibrate</c> was asked to do.</summary>
internal sealed record CalibrationRequest
{
    public required string Input { get; init; }
    public string? Timeframe { get; init; }
    public long? From { get; init; }
    public long? To { get; init; }
    public int Buckets { get; init; } = 10;
    public bool Fit { get; init; }
    public double PriorStrength { get; init; } = 20;
    public required SmcSignalOptions Signal { get; init; }
    /// <summary>Same-bar rule of the labels, as <c>kimi backtest --same-bar</c>.</summary>
    public SameBarRule SameBar { get; init; } = SameBarRule.StopFirst;
}

/// <summary>
/// Runs the signal over a data file, labels each intent with its own barriers and prints the reliability table
/// (confidence buckets against realised hit rates with Wilson intervals, Brier score), the outcome counts and the
/// per-factor hit rates; with <c>--fit</c> also fits the isotonic calibration and prints it as code to check in.
/// </summary>
internal static class CalibrationRunner
{
    public static int Run(CalibrationRequest request, TextWriter output)
    {
        var series = BarReader.ReadAll(request.Input);
        var bars = new Bar[series.Bars.Length];
        for (var i = 0; i < bars.Length; i++)
        {
            bars[i] = Bar.FromRates(series.Bars[i]);
        }

        // The chart period picks the higher timeframe of the structure bias: the resampled frame, else the file's own
        // (given or inferred by the reader).
        var period = series.Report.Period;
        if (request.Timeframe is { Length: > 0 } tf)
        {
            var frame = ParseFrame(tf);
            bars = TimeframeAggregator.Resample(bars, frame);
            period = frame.Seconds;
        }

        var signal = request.Signal.ChartPeriodSeconds > 0 ? request.Signal : request.Signal with { ChartPeriodSeconds = period };
        signal.Validate();

        // The signal runs over the whole file (warm-up before --from is real history); only intents whose signal
        // bar lies in [from, to) are reported, and their barriers may resolve on later bars of the file.
        var all = SignalEvaluation.Run(bars, signal, request.SameBar);
        var selected = new List<LabelledIntent>();
        var unresolved = 0;
        foreach (var li in all)
        {
            if ((request.From is { } f && li.Intent.SignalBarTime < f) || (request.To is { } t && li.Intent.SignalBarTime >= t))
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

        var w = output;
        w.WriteLine(Invariant($"input {request.Input}: {bars.Length} bars{(request.Timeframe is null ? string.Empty : " (" + request.Timeframe + ")")}, {Time(bars.Length > 0 ? bars[0].Time : 0)} .. {Time(bars.Length > 0 ? bars[^1].Time : 0)}"));
        w.WriteLine(Invariant($"bias: HtfBias = {signal.HtfBiasSource} (HtfStructure: {(HigherTimeframe.For(signal.ChartPeriodSeconds, out var htf) ? "structure on " + htf.Name : "no higher timeframe for a " + signal.ChartPeriodSeconds + " s chart")}; EmaTrend: EMA({signal.HtfEmaPeriod}))"));
        w.WriteLine(Invariant($"window [{(request.From is { } f2 ? Time(f2) : "start")}, {(request.To is { } t2 ? Time(t2) : "end")}): {selected.Count} labelled intents, {unresolved} unresolved (data ended) excluded"));
        if (selected.Count == 0)
        {
            w.WriteLine("no labelled intents: nothing to calibrate.");
            return 0;
        }

        var scores = new double[selected.Count];
        var hits = new bool[selected.Count];
        var conf = new double[selected.Count];
        int tp = 0, sl = 0, to = 0, ambiguous = 0;
        for (var i = 0; i < selected.Count; i++)
        {
            scores[i] = selected[i].RawScore;
            hits[i] = selected[i].Result.IsHit;
            conf[i] = selected[i].Intent.Confidence;
            ambiguous += selected[i].Result.Ambiguous ? 1 : 0;
            switch (selected[i].Result.Outcome)
            {
                case BarrierOutcome.TakeProfit: tp++; break;
                case BarrierOutcome.StopLoss: sl++; break;
                default: to++; break;
            }
        }

        w.WriteLine(Invariant($"outcomes: take-profit {tp}, stop {sl}, timeout {to}; {ambiguous} bars touched both barriers, resolved {(request.SameBar == SameBarRule.TargetFirst ? "take-profit" : "stop")} first (--same-bar {request.SameBar.ToCode()})"));
        if (request.Fit)
        {
            var fitted = ConfidenceCalibration.Fit(scores, hits, request.PriorStrength);
            w.WriteLine(Invariant($"fitted calibration (prior strength {request.PriorStrength}), to check in as ConfidenceCalibration.Default:"));
            w.WriteLine("    " + Code(fitted));
            for (var i = 0; i < conf.Length; i++)
            {
                conf[i] = fitted.Map(scores[i]);
            }

            w.WriteLine("reliability below is IN-SAMPLE (the fitted map on the data it was fitted on).");
        }

        Print(CalibrationReport.Build(conf, hits, request.Buckets), w);
        PrintFactors(selected, w);
        return 0;
    }

    /// <summary>M1/M5/M15/M30/H1/H4/D1 (MT5 names) or a pandas-style frequency (15min, 1h, 1D).</summary>
    public static PeriodFrame ParseFrame(string text) => text.ToUpperInvariant() switch
    {
        "M1" => PeriodFrame.Parse("1min"),
        "M5" => PeriodFrame.Parse("5min"),
        "M15" => PeriodFrame.Parse("15min"),
        "M30" => PeriodFrame.Parse("30min"),
        "H1" => PeriodFrame.Parse("1h"),
        "H4" => PeriodFrame.Parse("4h"),
        "D1" => PeriodFrame.Parse("1D"),
        _ => PeriodFrame.Parse(text),
    };

    private static void Print(CalibrationReport r, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine("confidence     count  mean conf  hit rate  95% Wilson       conf in CI");
        foreach (var b in r.Buckets)
        {
            if (b.Count == 0)
            {
                continue;
            }

            w.WriteLine(Invariant($"[{b.Lower:0.00}, {b.Upper:0.00})  {b.Count,6}  {b.MeanConfidence,9:0.000}  {b.HitRate,8:0.000}  [{b.WilsonLow:0.000}, {b.WilsonHigh:0.000}]  {(b.IsConsistent ? "yes" : "NO")}"));
        }

        var (lo, hi) = CalibrationReport.Wilson(r.Hits, r.Count, CalibrationReport.Z95);
        w.WriteLine(Invariant($"all            {r.Count,6}  {r.MeanConfidence,9:0.000}  {r.BaseRate,8:0.000}  [{lo:0.000}, {hi:0.000}]"));
        w.WriteLine(Invariant($"Brier score {r.BrierScore:0.0000} (always predicting the base rate: {r.BaseRateBrierScore:0.0000}; lower is better)"));
    }

    private static void PrintFactors(List<LabelledIntent> selected, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine("factor              with: count  hit rate   without: count  hit rate   lift ln(odds with/without)");
        for (var bit = 0; bit < ConfluenceWeights.FactorCount; bit++)
        {
            var f = (SignalFactor)(1u << bit);
            int nw = 0, hw = 0, nwo = 0, hwo = 0;
            foreach (var li in selected)
            {
                if ((li.Intent.Factors & (uint)f) != 0)
                {
                    nw++;
                    hw += li.Result.IsHit ? 1 : 0;
                }
                else
                {
                    nwo++;
                    hwo += li.Result.IsHit ? 1 : 0;
                }
            }

            w.WriteLine(Invariant($"{f,-18} {nw,11}  {Rate(hw, nw),8}  {nwo,15}  {Rate(hwo, nwo),8}   {Lift(hw, nw, hwo, nwo),8}"));
        }
    }

    // The factor's log-odds lift of the hit rate, ln(odds with / odds without): the quantity the weights are 4× of.
    private static string Lift(int hw, int nw, int hwo, int nwo)
    {
        if (nw == 0 || nwo == 0 || hw == 0 || hw == nw || hwo == 0 || hwo == nwo)
        {
            return "-";
        }

        var odds = (double)hw / (nw - hw) / ((double)hwo / (nwo - hwo));
        return Math.Log(odds).ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
    }

    private static string Rate(int h, int n) => n == 0 ? "-" : ((double)h / n).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Code(ConfidenceCalibration c)
    {
        var sb = new StringBuilder("new([");
        for (var i = 0; i < c.Knots.Length; i++)
        {
            sb.Append(i > 0 ? ", " : string.Empty).Append(c.Knots[i].ToString("R", CultureInfo.InvariantCulture));
        }

        sb.Append("], [");
        for (var i = 0; i < c.Probabilities.Length; i++)
        {
            sb.Append(i > 0 ? ", " : string.Empty).Append(Math.Round(c.Probabilities[i], 4).ToString("0.0###", CultureInfo.InvariantCulture));
        }

        return sb.Append("])").ToString();
    }

    private static string Time(long t) => DateTime.UnixEpoch.AddSeconds(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
