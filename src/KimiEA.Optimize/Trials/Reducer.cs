using System.Globalization;
using System.Text;
using System.Text.Json;
using KimiEA.Optimize.Overfitting;
using KimiEA.Optimize.Report;
using KimiEA.Optimize.Search;

namespace KimiEA.Optimize.Trials;

/// <summary>A shard or trial missing at reduce time (the message names the shard and how to finish it).</summary>
public sealed class IncompleteSearchException(string message) : IOException(message);

/// <summary>The overfitting statistics of a search (overfitting.json, the report).</summary>
/// <param name="Trials">Trials that ran (their returns form the matrix).</param>
/// <param name="Days">Trading days T.</param>
/// <param name="Cscv">PBO and the logits (null when fewer than 2 trials or too few days).</param>
/// <param name="CscvNote">Why CSCV was not computed, or which S was chosen.</param>
/// <param name="BestSharpe">Daily Sharpe ratio of the chosen trial.</param>
/// <param name="BestSkewness">Its skewness.</param>
/// <param name="BestKurtosis">Its kurtosis (not excess).</param>
/// <param name="SharpeVariance">Variance of the daily Sharpe ratios across trials.</param>
/// <param name="EffectiveTrials">N_eff from the trials' mean correlation.</param>
/// <param name="ExpectedMaxSharpe">SR₀ of N_eff independent trials.</param>
/// <param name="Psr">PSR of the chosen trial against 0.</param>
/// <param name="Dsr">DSR of the chosen trial.</param>
public sealed record OverfittingSummary(int Trials, int Days, CscvResult? Cscv, string CscvNote, double BestSharpe, double BestSkewness, double BestKurtosis,
    double SharpeVariance, double EffectiveTrials, double ExpectedMaxSharpe, double? Psr, double? Dsr);

/// <summary>What a reduce wrote.</summary>
/// <param name="Ranked">Ranked trials, best first.</param>
/// <param name="All">Every trial of the plan, in plan order.</param>
/// <param name="Overfitting">The overfitting statistics.</param>
/// <param name="Files">The files written.</param>
public sealed record ReduceOutcome(IReadOnlyList<TrialResult> Ranked, IReadOnlyList<TrialResult> All, OverfittingSummary Overfitting, IReadOnlyList<string> Files);

/// <summary>
/// Merges the trial files of a plan into the search's outputs: results.csv (MT5's optimisation results columns, then
/// the inputs, best first), daily-returns.csv (every trial that ran × trading day), overfitting.json (PBO by CSCV,
/// PSR, DSR), best.set (the best trial's inputs over the search file's ranges, UTF-16LE like MT5's) and optimize.html.
/// Every shard must have finished and every trial be on disk, or nothing is written and the error names the shard.
/// The outputs depend on the trial files only: the same search reduced from one process, a local pool or a cluster
/// gives the same bytes.
/// </summary>
public static class Reducer
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Reduces the plan's trials in <paramref name="dir"/> into <paramref name="outDir"/>.</summary>
    /// <exception cref="IncompleteSearchException">A shard has not finished or a trial file is missing.</exception>
    /// <exception cref="InvalidDataException">A trial file is unreadable.</exception>
    public static ReduceOutcome Run(OptimizePlan plan, string dir, string outDir, SearchSpace space, CriterionSpec criterion)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(criterion);
        for (var s = 0; s < plan.Shards; s++)
        {
            if (!File.Exists(OptimizePlan.ShardFile(dir, s, plan.Shards)))
            {
                throw new IncompleteSearchException(string.Create(Inv,
                    $"shard {s} of {plan.Shards} has not finished ({OptimizePlan.ShardFile(dir, s, plan.Shards)} is missing): run `kimi optimize run-shard --plan {Path.Combine(dir, "plan.json")} --index {s}` again; it skips the trials already on disk. Nothing was merged."));
            }
        }

        var all = new List<TrialResult>((int)Math.Min(plan.TrialCount, 1 << 20));
        for (long k = 0; k < plan.TrialCount; k++)
        {
            var file = OptimizePlan.TrialFile(dir, plan.TrialAt(k));
            if (!File.Exists(file))
            {
                var shard = (int)(k % plan.Shards);
                throw new IncompleteSearchException(string.Create(Inv,
                    $"shard {shard} of {plan.Shards} is incomplete: trial {plan.TrialAt(k)} ({file}) is missing; run `kimi optimize run-shard --plan {Path.Combine(dir, "plan.json")} --index {shard}` again. Nothing was merged."));
            }

            all.Add(TrialResult.Read(file));
        }

        var ranked = all.Where(t => t.Status == TrialStatus.Ranked).OrderByDescending(t => t.Score).ThenBy(t => t.Index).ToList();
        var ran = all.Where(t => t.Ran).ToList();
        var overfitting = Overfitting(ran, ranked.FirstOrDefault(), plan.CscvBlocks);
        Directory.CreateDirectory(outDir);
        var files = new List<string>();
        void Write(string name, string text)
        {
            var path = Path.Combine(outDir, name);
            AtomicFile.WriteText(path, text);
            files.Add(path);
        }

        Write("results.csv", ResultsCsv(space, criterion, ranked, all));
        Write("daily-returns.csv", DailyCsv(space, ran));
        Write("overfitting.json", OverfittingJson(overfitting, ranked.FirstOrDefault()));
        if (ranked.Count > 0)
        {
            var best = space.ToSetFile(space.Combination(ranked[0].Index));
            var path = Path.Combine(outDir, "best.set");
            best.Save(path);
            files.Add(path);
        }

        Write("optimize.html", OptimizeHtml.Render(plan, space, criterion, ranked, all, overfitting));
        return new ReduceOutcome(ranked, all, overfitting, files);
    }

    /// <summary>The overfitting statistics of the trials that ran, for the chosen (best ranked) trial.</summary>
    public static OverfittingSummary Overfitting(IReadOnlyList<TrialResult> ran, TrialResult? best, int blocks)
    {
        ArgumentNullException.ThrowIfNull(ran);
        var matrix = ran.Select(t => t.Daily.ToArray()).ToList();
        var days = matrix.Count > 0 ? matrix[0].Length : 0;
        CscvResult? cscv = null;
        string note;
        var s = blocks > 0 ? blocks : Math.Min(16, days / 2 / 2 * 2);
        var traded = matrix.Count(r => r.Any(x => x != 0));
        if (matrix.Count < 2 || traded < 2)
        {
            // Trials without a single return have nothing to rank: their ties would make any PBO meaningless.
            note = string.Create(Inv, $"CSCV needs at least 2 trials with returns; {matrix.Count} ran, {traded} of them traded.");
        }
        else if (s < 2 || days / s < 2)
        {
            note = string.Create(Inv, $"CSCV needs at least 2 days per block: {days} days cannot make {Math.Max(s, 2)} blocks.");
        }
        else
        {
            cscv = Cscv.Run(matrix, s);
            note = string.Create(Inv, $"S = {s} blocks of {days / s} days ({cscv.Splits} splits){(blocks > 0 ? string.Empty : ", the largest even S ≤ 16 leaving 2 days a block")}.");
        }

        var sharpes = matrix.Select(r => ReturnMoments.Of(r).Sharpe).ToList();
        var variance = sharpes.Count > 1 ? sharpes.Sum(x => (x - sharpes.Average()) * (x - sharpes.Average())) / (sharpes.Count - 1) : 0;
        var nEff = SharpeStatistics.EffectiveTrials(matrix);
        var sr0 = SharpeStatistics.ExpectedMaxSharpe(nEff, variance);
        if (best is null || days < 2)
        {
            return new OverfittingSummary(matrix.Count, days, cscv, note, 0, 0, 3, variance, nEff, sr0, null, null);
        }

        var m = ReturnMoments.Of(best.Daily.ToArray());
        double? psr = null, dsr = null;
        var v = 1 - (m.Skewness * m.Sharpe) + ((m.Kurtosis - 1) / 4 * m.Sharpe * m.Sharpe);
        if (m.StandardDeviation > 0 && v > 0)
        {
            psr = SharpeStatistics.Probabilistic(m.Sharpe, 0, days, m.Skewness, m.Kurtosis);
            dsr = SharpeStatistics.Probabilistic(m.Sharpe, sr0, days, m.Skewness, m.Kurtosis);
        }

        return new OverfittingSummary(matrix.Count, days, cscv, note, m.Sharpe, m.Skewness, m.Kurtosis, variance, nEff, sr0, psr, dsr);
    }

    /// <summary>MT5's optimisation results columns (Pass, Result, Profit, Expected Payoff, Profit Factor, Recovery Factor, Sharpe Ratio, Custom, Equity DD %, Trades), the inputs, then Status.</summary>
    private static string ResultsCsv(SearchSpace space, CriterionSpec criterion, IReadOnlyList<TrialResult> ranked, IReadOnlyList<TrialResult> all)
    {
        var sb = new StringBuilder();
        sb.Append("Pass,Result,Profit,Expected Payoff,Profit Factor,Recovery Factor,Sharpe Ratio,Custom,Equity DD %,Trades");
        foreach (var p in space.Parameters)
        {
            sb.Append(',').Append(p.Input.Name);
        }

        sb.Append(",Status\n");
        var rankedSet = ranked.Select(t => t.Index).ToHashSet();
        foreach (var t in ranked.Concat(all.Where(t => !rankedSet.Contains(t.Index))))
        {
            var s = t.Statistics;
            sb.Append(t.Index.ToString(Inv)).Append(',')
              .Append(s is null ? string.Empty : Num(ResultOf(criterion, s))).Append(',')
              .Append(s is null ? string.Empty : s.NetProfit.ToString("0.00", Inv)).Append(',')
              .Append(s is null ? string.Empty : Num(s.ExpectedPayoff)).Append(',')
              .Append(s?.ProfitFactor is { } pf ? Num(pf) : string.Empty).Append(',')
              .Append(s?.RecoveryFactor is { } rf ? Num(rf) : string.Empty).Append(',')
              .Append(s is null ? string.Empty : Num(s.Sharpe)).Append(',')
              .Append(double.IsNaN(t.Custom) ? string.Empty : Num(t.Custom)).Append(',')
              .Append(s is null ? string.Empty : Num(s.EquityDrawdownRelativePercent)).Append(',')
              .Append(s is null ? string.Empty : s.Trades.ToString(Inv));
            foreach (var v in t.Values)
            {
                sb.Append(',').Append(v);
            }

            sb.Append(',').Append(t.Status).Append(t.Note is null ? string.Empty : ": " + t.Note.Replace(',', ';').Replace('\n', ' ')).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>MT5's "Result" column: the criterion's value (the drawdown itself, not its negation).</summary>
    private static double ResultOf(CriterionSpec criterion, KimiEA.Tester.Stats.BacktestStatistics s) => criterion.Criterion switch
    {
        OptimizationCriterion.DrawdownMin => s.EquityDrawdownRelativePercent,
        _ => criterion.Score(s) is var v && double.IsNegativeInfinity(v) ? double.NaN : v,
    };

    private static string DailyCsv(SearchSpace space, List<TrialResult> ran)
    {
        var sb = new StringBuilder();
        sb.Append("pass");
        foreach (var p in space.Parameters)
        {
            sb.Append(',').Append(p.Input.Name);
        }

        var days = ran.Count > 0 ? DailyReturns.Days(ran[0].FirstPriceMsc, ran[0].LastPriceMsc) : [];
        foreach (var d in days)
        {
            sb.Append(',').Append(d.ToString("yyyy-MM-dd", Inv));
        }

        sb.Append('\n');
        foreach (var t in ran)
        {
            sb.Append(t.Index.ToString(Inv));
            foreach (var v in t.Values)
            {
                sb.Append(',').Append(v);
            }

            foreach (var r in t.Daily)
            {
                sb.Append(',').Append(r.ToString("R", Inv));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string OverfittingJson(OverfittingSummary o, TrialResult? best)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            if (best is not null)
            {
                w.WriteNumber("chosen_pass", best.Index);
            }

            w.WriteNumber("trials", o.Trials);
            w.WriteNumber("days", o.Days);
            if (o.Cscv is { } c)
            {
                w.WriteNumber("pbo", c.Pbo);
                w.WriteNumber("cscv_blocks", c.Blocks);
                w.WriteNumber("cscv_splits", c.Splits);
                w.WriteStartArray("cscv_logits");
                foreach (var l in c.Logits)
                {
                    w.WriteNumberValue(l);
                }

                w.WriteEndArray();
            }

            w.WriteString("cscv_note", o.CscvNote);
            w.WriteNumber("sharpe_daily", o.BestSharpe);
            w.WriteNumber("skewness", o.BestSkewness);
            w.WriteNumber("kurtosis", o.BestKurtosis);
            w.WriteNumber("sharpe_variance_across_trials", o.SharpeVariance);
            w.WriteNumber("effective_trials", o.EffectiveTrials);
            w.WriteNumber("expected_max_sharpe", o.ExpectedMaxSharpe);
            if (o.Psr is { } psr)
            {
                w.WriteNumber("psr", psr);
            }

            if (o.Dsr is { } dsr)
            {
                w.WriteNumber("dsr", dsr);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static string Num(double v) => double.IsNaN(v) ? string.Empty : v.ToString("0.######", Inv);
}
