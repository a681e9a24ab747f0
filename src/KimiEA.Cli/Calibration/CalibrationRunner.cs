using KimiEA.Core.Time;
using System.Globalization;
using System.Text;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Risk.Sizing;
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

    /// <summary>With <see cref="Fit"/>: write the fit as a calibration file here.</summary>
    public string? Out { get; init; }

    /// <summary>Replace an existing <see cref="Out"/> file (refused otherwise).</summary>
    public bool Overwrite { get; init; }

    /// <summary>Symbol recorded in the calibration file (default: the data file name up to its first '_').</summary>
    public string? Symbol { get; init; }

    /// <summary>Round-turn cost in R charged to every intent when the confidence is computed (the bars carry no spread).</summary>
    public double CostR { get; init; }

    /// <summary>The clock of the file's naive timestamps (<c>--data-time-zone</c>); null: the format's default.</summary>
    public MarketTimeZone? DataTimeZone { get; init; }
}

/// <summary>
/// Runs the signal over a data file, labels each intent with its own barriers and prints the reliability table
/// (confidence buckets against realised hit rates with Wilson intervals, Brier score), the outcome counts and the
/// per-factor hit rates, and the realised mean R per confidence bucket; with <c>--fit</c> it fits the weights and the
/// isotonic map (<see cref="SignalEvaluation.Fit"/>) and, with <c>--out</c>, writes them as a calibration file.
/// </summary>
internal static class CalibrationRunner
{
    public static int Run(CalibrationRequest request, TextWriter output)
    {
        var series = BarReader.ReadAll(request.Input, new DataReadOptions { TimeZone = request.DataTimeZone });
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
            bars = BarAggregator.Resample(bars, frame);
            period = frame.Seconds;
        }

        var signal = request.Signal.ChartPeriodSeconds > 0 ? request.Signal : request.Signal with { ChartPeriodSeconds = period };
        signal.Validate();

        // The signal runs over the whole file (warm-up before --from is real history); only intents whose signal
        // bar lies in [from, to) are reported, and their barriers may resolve on later bars of the file.
        List<LabelledIntent> selected;
        int unresolved;
        CalibrationFit? fit = null;
        if (request.Fit)
        {
            fit = SignalEvaluation.Fit(bars, signal, request.From, request.To, request.PriorStrength, request.SameBar);
            (signal, selected, unresolved) = (fit.Options, fit.Labelled, fit.Unresolved);
        }
        else
        {
            (selected, unresolved) = SignalEvaluation.Window(SignalEvaluation.Run(bars, signal, request.SameBar), request.From, request.To);
        }

        var w = output;
        w.WriteLine(Invariant($"input {request.Input}: {bars.Length} bars{(request.Timeframe is null ? string.Empty : " (" + request.Timeframe + ")")}, {Time(bars.Length > 0 ? bars[0].Time : 0)} .. {Time(bars.Length > 0 ? bars[^1].Time : 0)} UTC (file clock {series.Report.TimeZone}{(request.DataTimeZone is null ? ", the format's default; --data-time-zone to change" : string.Empty)})"));
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
            conf[i] = selected[i].Intent.HitProbability;
            ambiguous += selected[i].Result.Ambiguous ? 1 : 0;
            switch (selected[i].Result.Outcome)
            {
                case BarrierOutcome.TakeProfit: tp++; break;
                case BarrierOutcome.StopLoss: sl++; break;
                default: to++; break;
            }
        }

        ConfidenceCalibration? fittedMap = null;
        w.WriteLine(Invariant($"outcomes: take-profit {tp}, stop {sl}, timeout {to}; {ambiguous} bars touched both barriers, resolved {(request.SameBar == SameBarRule.TargetFirst ? "take-profit" : "stop")} first (--same-bar {request.SameBar.ToCode()})"));
        if (request.Fit)
        {
            var fitted = fit!.Calibration;
            fittedMap = fitted;
            w.WriteLine("fitted weights (bit order): " + string.Join(", ", Weights(fit.Weights)));
            w.WriteLine(Invariant($"fitted calibration (prior strength {request.PriorStrength}), knot score → hit probability (labelled intents):"));
            w.WriteLine("    " + Code(fitted));
            for (var i = 0; i < conf.Length; i++)
            {
                conf[i] = fitted.Map(scores[i]);
            }

            w.WriteLine("reliability below is IN-SAMPLE (the fitted map on the data it was fitted on).");
            if (request.Out is { } outPath)
            {
                var file = new SignalCalibrationFile
                {
                    Symbol = request.Symbol ?? SymbolOf(request.Input),
                    TimeframeSeconds = request.Timeframe is { Length: > 0 } tf2 ? ParseFrame(tf2).Seconds : series.Report.Period,
                    Inputs = SignalCalibrationFile.InputsOf(request.Signal),
                    Weights = fit.Weights,
                    FittedOn = new CalibrationProvenance(
                        [new CalibrationDataFile(request.Input, Sha256(request.Input))], request.From, request.To, bars.Length,
                        bars[0].Time, bars[^1].Time, selected.Count),
                    Calibration = fitted,
                };
                WriteFile(outPath, file.ToJson(), request.Overwrite);
                w.WriteLine(Invariant($"calibration file written: {outPath} ({file.Symbol}, {file.TimeframeSeconds} s bars, {fitted.Knots.Length} knots)"));
            }
        }

        Print(CalibrationReport.Build(conf, hits, request.Buckets), w);
        PrintConfidence(selected, bars, fittedMap ?? signal.Calibration, request, w);
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
        w.WriteLine("hit probability of the take-profit coming first, against the realised hit rate:");
        w.WriteLine("hit prob.      count  mean prob  hit rate  95% Wilson       prob in CI");
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

    /// <summary>
    /// Reliability of the confidence (trade-worthiness): it claims P(expectancy in R &gt; 0), which no single trade
    /// reveals, so each confidence bucket is judged by the realised mean R of its intents (take-profit +b, stop −1,
    /// timeout the R of the close at the vertical barrier, each minus the cost) with its 95 % interval; a confidence
    /// that means something shows positive mean R in its high buckets and not in its low ones. Computed as the engine
    /// would at the signal's own price with no closed trades of the agent.
    /// </summary>
    private static void PrintConfidence(List<LabelledIntent> selected, Bar[] bars, ConfidenceCalibration map, CalibrationRequest request, TextWriter w)
    {
        var confidence = new double[selected.Count];
        var r = new double[selected.Count];
        for (var i = 0; i < selected.Count; i++)
        {
            var li = selected[i];
            var it = li.Intent;
            var b = it.RewardRisk;
            var score = li.RawScore;
            confidence[i] = TradeWorthiness.Confidence(map.Map(score), map.Evidence(score), 0, 0, b, request.CostR);
            r[i] = li.Result.Outcome switch
            {
                BarrierOutcome.TakeProfit => b,
                BarrierOutcome.StopLoss => -1,
                _ => (bars[li.BarIndex + li.Result.BarsHeld].Close - it.Entry) * (it.Direction == Direction.Buy ? 1 : -1) / it.StopDistance,
            } - request.CostR;
        }

        w.WriteLine();
        w.WriteLine(Invariant($"confidence = P(expectancy > 0) at the signal price, cost {request.CostR} R; realised R per intent (TP +b, SL -1, timeout at its close):"));
        w.WriteLine("confidence     count  mean conf  hit rate  mean b   mean R  95% interval of mean R");
        var edges = new[] { 0.0, 0.1, 0.3, 0.5, 0.7, 0.85, 1.0000001 };
        for (var e = 0; e + 1 < edges.Length; e++)
        {
            PrintGroup(Invariant($"[{edges[e]:0.00}, {Math.Min(1, edges[e + 1]):0.00}{(e + 2 == edges.Length ? "]" : ")")}"), i => confidence[i] >= edges[e] && confidence[i] < edges[e + 1]);
        }

        PrintGroup(">= 0.70", i => confidence[i] >= 0.70);
        PrintGroup(">= 0.85", i => confidence[i] >= 0.85);
        PrintGroup("all", _ => true);

        void PrintGroup(string label, Func<int, bool> member)
        {
            int n = 0, h = 0;
            double sumC = 0, sumB = 0, sumR = 0, sumR2 = 0;
            for (var i = 0; i < selected.Count; i++)
            {
                if (!member(i))
                {
                    continue;
                }

                n++;
                h += selected[i].Result.IsHit ? 1 : 0;
                sumC += confidence[i];
                sumB += selected[i].Intent.RewardRisk;
                sumR += r[i];
                sumR2 += r[i] * r[i];
            }

            if (n == 0)
            {
                return;
            }

            var mean = sumR / n;
            var sd = n > 1 ? Math.Sqrt(Math.Max(0, (sumR2 - (n * mean * mean)) / (n - 1))) : double.NaN;
            var half = CalibrationReport.Z95 * sd / Math.Sqrt(n);
            w.WriteLine(Invariant($"{label,-13} {n,6}  {sumC / n,9:0.000}  {(double)h / n,8:0.000}  {sumB / n,6:0.00}  {mean,7:+0.000;-0.000}  [{mean - half:+0.000;-0.000}, {mean + half:+0.000;-0.000}]"));
        }
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
        var sb = new StringBuilder();
        for (var i = 0; i < c.Knots.Length; i++)
        {
            sb.Append(i > 0 ? ", " : string.Empty).Append(Invariant($"{c.Knots[i]:0.000} → {c.Probabilities[i]:0.0000} ({c.Trials[i]})"));
        }

        return sb.ToString();
    }

    private static List<string> Weights(ConfluenceWeights weights)
    {
        Span<double> w = stackalloc double[ConfluenceWeights.FactorCount];
        weights.Fill(w);
        var list = new List<string>();
        for (var bit = 0; bit < w.Length; bit++)
        {
            list.Add(Invariant($"{(SignalFactor)(1u << bit)} {w[bit]}"));
        }

        return list;
    }

    /// <summary>The symbol of a data file named like EURUSD_H1_2007-2018.norm.csv.</summary>
    private static string SymbolOf(string path)
    {
        var name = Path.GetFileName(path);
        var cut = name.IndexOfAny(['_', '.']);
        var symbol = cut > 0 ? name[..cut] : name;
        return symbol.Length > 0 ? symbol.ToUpperInvariant() : throw new ArgumentException($"cannot tell the symbol from the file name '{name}': pass --symbol.");
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    // Written next to the target and renamed over it, so a failed write never leaves half a file; an existing file
    // is only replaced when asked to.
    private static void WriteFile(string path, string text, bool overwrite)
    {
        if (File.Exists(path) && !overwrite)
        {
            throw new IOException($"'{path}' exists; pass --overwrite to replace it.");
        }

        var temp = path + ".tmp";
        File.WriteAllText(temp, text, new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    private static string Time(long t) => DateTime.UnixEpoch.AddSeconds(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
