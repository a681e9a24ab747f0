using System.Globalization;
using System.Net;
using System.Text;
using KimiEA.Optimize.WalkForward;

namespace KimiEA.Optimize.Report;

/// <summary>
/// optimize.html of a walk-forward run: the stitched out-of-sample equity beside the in-sample equity of the chosen
/// passes (inline SVG), its statistics, and the windows; each window's in-sample search has its own optimize.html.
/// </summary>
public static class WalkForwardHtml
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The page.</summary>
    public static string Render(string kind, WalkForwardSummary s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kimi optimize: walk-forward</title><style>")
          .Append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f3f3f3}</style></head><body>");
        sb.Append("<h1>Walk-forward (").Append(WebUtility.HtmlEncode(kind)).Append(")</h1>");
        var m = s.OutOfSampleMoments;
        sb.Append(string.Create(Inv, $"<p><b>Out of sample (the headline):</b> return {s.OutOfSampleReturn * 100:0.00} % over {s.OutOfSampleDays.Count} trading days, daily Sharpe {m.Sharpe:0.####}"));
        if (m.StandardDeviation > 0 && m.Count >= 2 && 1 - (m.Skewness * m.Sharpe) + ((m.Kurtosis - 1) / 4 * m.Sharpe * m.Sharpe) > 0)
        {
            sb.Append(string.Create(Inv, $", PSR {KimiEA.Optimize.Overfitting.SharpeStatistics.Probabilistic(m.Sharpe, 0, m.Count, m.Skewness, m.Kurtosis):0.###}"));
        }

        sb.Append(string.Create(Inv, $".<br><b>In sample (the chosen passes, each on its own window):</b> return {s.InSampleReturn * 100:0.00} % over {s.InSampleDays.Count} trading days. A large gap between the two is what overfitting looks like.</p>"));
        Chart(sb, s);
        sb.Append("<h2>Windows</h2><table><tr><th>#</th><th>in sample</th><th>out of sample</th><th>chosen inputs</th><th>IS score</th><th>IS profit</th><th>IS trades</th><th>OOS profit</th><th>OOS trades</th></tr>");
        foreach (var r in s.Rows)
        {
            var w = r.Window;
            sb.Append(string.Create(Inv, $"<tr><td>{w.Index + 1}</td><td>{w.InSampleStart:yyyy-MM-dd} – {w.InSampleEnd:yyyy-MM-dd}</td><td>{w.OutOfSampleStart:yyyy-MM-dd} – {w.OutOfSampleEnd:yyyy-MM-dd}</td>"));
            sb.Append(r.InSample is { } i && r.OutOfSample is { } o
                ? string.Create(Inv, $"<td style=\"text-align:left\">{WebUtility.HtmlEncode(r.Inputs)}</td><td>{i.Score:0.####}</td><td>{i.Statistics!.NetProfit:0.00}</td><td>{i.Statistics.Trades}</td><td>{o.Statistics?.NetProfit ?? 0:0.00}</td><td>{o.Statistics?.Trades ?? 0}</td></tr>")
                : "<td style=\"text-align:left\">none ranked (flat)</td><td></td><td></td><td></td><td>0.00</td><td>0</td></tr>");
        }

        sb.Append("</table><p>Each window's search: wf/NN-in-sample/optimize.html; data: walk-forward.csv, walk-forward-equity.csv.</p></body></html>\n");
        return sb.ToString();
    }

    private static void Chart(StringBuilder sb, WalkForwardSummary s)
    {
        static List<double> Equity(IReadOnlyList<(DateOnly Day, double Return)> days)
        {
            var e = new List<double> { 1 };
            foreach (var (_, r) in days)
            {
                e.Add(e[^1] * (1 + r));
            }

            return e;
        }

        var oos = Equity(s.OutOfSampleDays);
        var ins = Equity(s.InSampleDays);
        var lo = Math.Min(oos.Min(), ins.Min());
        var hi = Math.Max(oos.Max(), ins.Max());
        if (hi - lo < 1e-9)
        {
            hi = lo + 1e-3;
        }

        const double w = 640, h = 220;
        string Path(List<double> e) => string.Join(" ", e.Select((v, i) => string.Create(Inv, $"{(e.Count > 1 ? i * w / (e.Count - 1) : 0):0.#},{h - ((v - lo) / (hi - lo) * h):0.#}")));
        sb.Append(string.Create(Inv, $"<svg width=\"{w + 20}\" height=\"{h + 30}\" xmlns=\"http://www.w3.org/2000/svg\"><g transform=\"translate(10,10)\">"));
        sb.Append("<polyline fill=\"none\" stroke=\"#aaa\" stroke-width=\"1.5\" points=\"").Append(Path(ins)).Append("\"><title>in sample (chosen passes)</title></polyline>");
        sb.Append("<polyline fill=\"none\" stroke=\"#1f6fb2\" stroke-width=\"2\" points=\"").Append(Path(oos)).Append("\"><title>out of sample</title></polyline>");
        sb.Append(string.Create(Inv, $"</g><text x=\"10\" y=\"{h + 28}\" font-size=\"11\">blue: out-of-sample equity (stitched), grey: in-sample equity of the chosen passes; growth of 1 from {lo:0.####} to {hi:0.####}</text></svg>"));
    }
}
