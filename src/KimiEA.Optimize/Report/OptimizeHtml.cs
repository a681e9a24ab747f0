using System.Globalization;
using System.Net;
using System.Text;
using KimiEA.Optimize.Search;
using KimiEA.Optimize.Trials;

namespace KimiEA.Optimize.Report;

/// <summary>
/// optimize.html: one self-contained file (inline CSS and SVG, no script, no network) with the ranked trials, a
/// heatmap of the first two optimised inputs, each input's sensitivity, the CSCV logit histogram with the PBO, and the
/// PSR and DSR of the chosen trial. Deterministic: the same trials give the same bytes.
/// </summary>
public static class OptimizeHtml
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The page.</summary>
    public static string Render(OptimizePlan plan, SearchSpace space, CriterionSpec criterion, IReadOnlyList<TrialResult> ranked, IReadOnlyList<TrialResult> all, OverfittingSummary o)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(criterion);
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(o);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kimi optimize</title><style>")
          .Append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}")
          .Append("td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}")
          .Append(".bar{display:inline-block;height:10px;background:#4a7fb5}.warn{color:#a33}h2{margin-top:28px}</style></head><body>");
        sb.Append("<h1>kimi optimize</h1><p>");
        Line(sb, "search", $"{plan.Search} over {Esc(plan.SetSource)}: {string.Join(", ", space.Parameters.Select((p, i) => $"{p.Input.Name} {space.Format(i, p.Start!.Value)}…{space.Format(i, p.At(p.RangeCount - 1))} step {p.Step!.Value.ToString(Inv)}"))}");
        Line(sb, "criterion", CriterionSpec.Name(criterion.Criterion) + (criterion.CustomFormula is { } f ? $" ({Esc(f)})" : string.Empty)
            + (criterion.MinTrades > 0 ? $"; at least {criterion.MinTrades} trades" : string.Empty)
            + (criterion.MaxDrawdownPercent is { } dd ? $"; equity drawdown at most {dd.ToString(Inv)} %" : string.Empty));
        if (space.Constraints.Count > 0)
        {
            Line(sb, "constraints", string.Join("; ", space.Constraints.Select(Esc)));
        }

        Line(sb, "trials", string.Join(", ", all.GroupBy(t => t.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}")) + $" of {all.Count}");
        if (ranked.Count > 0)
        {
            Line(sb, "chosen pass", $"{ranked[0].Index}: {Inputs(space, ranked[0])} (best.set)");
        }

        sb.Append("</p>");
        Overfitting(sb, o);
        Ranked(sb, space, ranked);
        if (space.Parameters.Count >= 2 && ranked.Count > 0)
        {
            Heatmap(sb, space, ranked);
        }

        Sensitivity(sb, space, ranked);
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string name, string value) => sb.Append("<b>").Append(name).Append(":</b> ").Append(value).Append("<br>");

    private static string Esc(string s) => WebUtility.HtmlEncode(s);

    private static string N(double v, string format = "0.####") => double.IsFinite(v) ? v.ToString(format, Inv) : "–";

    private static string Inputs(SearchSpace space, TrialResult t) => string.Join(", ", space.Parameters.Select((p, i) => $"{p.Input.Name}={t.Values[i]}"));

    private static void Overfitting(StringBuilder sb, OverfittingSummary o)
    {
        sb.Append("<h2>Is it overfit?</h2><p>");
        Line(sb, "daily returns", $"{o.Trials} trials × {o.Days} trading days (daily-returns.csv)");
        if (o.Cscv is { } c)
        {
            Line(sb, "PBO (CSCV)", $"<span class=\"{(c.Pbo > 0.5 ? "warn" : string.Empty)}\">{N(c.Pbo, "0.###")}</span>: the share of the {c.Splits} train/test splits where the in-sample best trial ranks at or below the median out of sample. {Esc(o.CscvNote)}");
        }
        else
        {
            Line(sb, "PBO (CSCV)", "not computed: " + Esc(o.CscvNote));
        }

        Line(sb, "chosen trial", $"daily Sharpe {N(o.BestSharpe)}, skewness {N(o.BestSkewness)}, kurtosis {N(o.BestKurtosis)}");
        Line(sb, "PSR", o.Psr is { } psr ? $"{N(psr, "0.###")}: the probability that the chosen trial's true Sharpe ratio is above 0" : "not computed (no dispersion in the chosen trial's returns)");
        Line(sb, "DSR", o.Dsr is { } dsr
            ? $"<span class=\"{(dsr < 0.95 ? "warn" : string.Empty)}\">{N(dsr, "0.###")}</span>: the probability that it is above SR₀ = {N(o.ExpectedMaxSharpe)}, the expected best daily Sharpe of {N(o.EffectiveTrials, "0.#")} independent trials (effective N from the trials' mean correlation) with a cross-trial Sharpe variance of {N(o.SharpeVariance, "0.######")}"
            : "not computed");
        sb.Append("</p>");
        if (o.Cscv is { } cs)
        {
            Histogram(sb, cs.Logits);
        }
    }

    private static void Histogram(StringBuilder sb, IReadOnlyList<double> logits)
    {
        const int bins = 20;
        var lo = Math.Min(-1, logits.Min());
        var hi = Math.Max(1, logits.Max());
        var width = (hi - lo) / bins;
        var counts = new int[bins];
        foreach (var l in logits)
        {
            counts[Math.Min(bins - 1, (int)((l - lo) / width))]++;
        }

        var max = Math.Max(1, counts.Max());
        sb.Append("<p>CSCV logits λ (overfit when λ ≤ 0, left of the red line):</p><svg width=\"520\" height=\"160\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (var i = 0; i < bins; i++)
        {
            var h = 120.0 * counts[i] / max;
            var from = lo + (i * width);
            sb.Append(string.Create(Inv, $"<rect x=\"{10 + (i * 25)}\" y=\"{130 - h:0.#}\" width=\"23\" height=\"{h:0.#}\" fill=\"{(from + width <= 0 ? "#c66" : "#4a7fb5")}\"><title>{from:0.##} to {from + width:0.##}: {counts[i]}</title></rect>"));
        }

        var zero = 10 + ((0 - lo) / width * 25);
        sb.Append(string.Create(Inv, $"<line x1=\"{zero:0.#}\" x2=\"{zero:0.#}\" y1=\"5\" y2=\"135\" stroke=\"red\"/><text x=\"10\" y=\"150\" font-size=\"11\">{lo:0.##}</text><text x=\"470\" y=\"150\" font-size=\"11\">{hi:0.##}</text></svg>"));
    }

    private static void Ranked(StringBuilder sb, SearchSpace space, IReadOnlyList<TrialResult> ranked)
    {
        sb.Append("<h2>Ranked trials</h2>");
        if (ranked.Count == 0)
        {
            sb.Append("<p class=\"warn\">No trial met the constraints.</p>");
            return;
        }

        sb.Append("<table><tr><th>#</th><th>pass</th><th>score</th><th>profit</th><th>trades</th><th>PF</th><th>Sharpe</th><th>equity DD %</th>");
        foreach (var p in space.Parameters)
        {
            sb.Append("<th>").Append(p.Input.Name).Append("</th>");
        }

        sb.Append("</tr>");
        foreach (var (t, i) in ranked.Take(100).Select((t, i) => (t, i)))
        {
            var s = t.Statistics!;
            sb.Append(string.Create(Inv, $"<tr><td>{i + 1}</td><td>{t.Index}</td><td>{N(t.Score)}</td><td>{s.NetProfit:0.00}</td><td>{s.Trades}</td><td>{(s.ProfitFactor is { } pf ? N(pf) : "–")}</td><td>{N(s.Sharpe)}</td><td>{N(s.EquityDrawdownRelativePercent, "0.##")}</td>"));
            foreach (var v in t.Values)
            {
                sb.Append("<td>").Append(v).Append("</td>");
            }

            sb.Append("</tr>");
        }

        sb.Append("</table>");
        if (ranked.Count > 100)
        {
            sb.Append(string.Create(Inv, $"<p>… and {ranked.Count - 100} more in results.csv.</p>"));
        }
    }

    private static void Heatmap(StringBuilder sb, SearchSpace space, IReadOnlyList<TrialResult> ranked)
    {
        // Cell (x value, y value): the best score over every other input.
        var best = new Dictionary<(string, string), double>();
        foreach (var t in ranked)
        {
            var key = (t.Values[0], t.Values[1]);
            best[key] = best.TryGetValue(key, out var b) ? Math.Max(b, t.Score) : t.Score;
        }

        var xs = Enumerable.Range(0, (int)Math.Min(space.Sizes[0], 60)).Select(i => space.Format(0, space.Parameters[0].At(i))).ToList();
        var ys = Enumerable.Range(0, (int)Math.Min(space.Sizes[1], 60)).Select(i => space.Format(1, space.Parameters[1].At(i))).ToList();
        var finite = best.Values.Where(double.IsFinite).ToList();
        var lo = finite.Count > 0 ? finite.Min() : 0;
        var hi = finite.Count > 0 ? finite.Max() : 1;
        const int cell = 22;
        sb.Append("<h2>Heatmap</h2><p>").Append(space.Parameters[0].Input.Name).Append(" (across) × ").Append(space.Parameters[1].Input.Name)
          .Append(" (down): the best score over the other inputs; blank = no ranked trial.</p>");
        sb.Append(string.Create(Inv, $"<svg width=\"{90 + (xs.Count * cell)}\" height=\"{40 + (ys.Count * cell)}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"10\">"));
        for (var i = 0; i < xs.Count; i++)
        {
            sb.Append(string.Create(Inv, $"<text x=\"{90 + (i * cell)}\" y=\"12\">{Esc(xs[i])}</text>"));
        }

        for (var j = 0; j < ys.Count; j++)
        {
            sb.Append(string.Create(Inv, $"<text x=\"0\" y=\"{32 + (j * cell)}\">{Esc(ys[j])}</text>"));
            for (var i = 0; i < xs.Count; i++)
            {
                if (!best.TryGetValue((xs[i], ys[j]), out var v) || !double.IsFinite(v))
                {
                    continue;
                }

                var f = hi > lo ? (v - lo) / (hi - lo) : 1;
                var colour = string.Create(Inv, $"rgb({(int)(230 - (180 * f))},{(int)(120 + (100 * f))},{(int)(90 + (60 * f))})");
                sb.Append(string.Create(Inv, $"<rect x=\"{90 + (i * cell)}\" y=\"{18 + (j * cell)}\" width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"{colour}\"><title>{Esc(xs[i])}, {Esc(ys[j])}: {N(v)}</title></rect>"));
            }
        }

        sb.Append("</svg>");
    }

    private static void Sensitivity(StringBuilder sb, SearchSpace space, IReadOnlyList<TrialResult> ranked)
    {
        sb.Append("<h2>Sensitivity</h2><p>Per input value: the best and the mean score of the ranked trials with that value. A robust choice sits on a plateau, not a needle.</p>");
        for (var p = 0; p < space.Parameters.Count; p++)
        {
            var groups = ranked.Where(t => double.IsFinite(t.Score)).GroupBy(t => t.Values[p]).ToDictionary(g => g.Key, g => (Best: g.Max(t => t.Score), Mean: g.Average(t => t.Score), Count: g.Count()), StringComparer.Ordinal);
            var finite = groups.Values.Select(g => g.Best).ToList();
            var lo = finite.Count > 0 ? Math.Min(0, finite.Min()) : 0;
            var hi = finite.Count > 0 ? finite.Max() : 1;
            sb.Append("<table><tr><th class=\"l\">").Append(space.Parameters[p].Input.Name).Append("</th><th>ranked</th><th>best</th><th>mean</th><th class=\"l\">best (bar)</th></tr>");
            for (long i = 0; i < Math.Min(space.Sizes[p], 200); i++)
            {
                var v = space.Format(p, space.Parameters[p].At(i));
                if (!groups.TryGetValue(v, out var g))
                {
                    sb.Append("<tr><td class=\"l\">").Append(Esc(v)).Append("</td><td>0</td><td>–</td><td>–</td><td></td></tr>");
                    continue;
                }

                var w = hi > lo ? 200 * (g.Best - lo) / (hi - lo) : 200;
                sb.Append(string.Create(Inv, $"<tr><td class=\"l\">{Esc(v)}</td><td>{g.Count}</td><td>{N(g.Best)}</td><td>{N(g.Mean)}</td><td class=\"l\"><span class=\"bar\" style=\"width:{w:0}px\"></span></td></tr>"));
            }

            sb.Append("</table>");
        }
    }
}
