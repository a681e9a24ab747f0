using System.Globalization;
using System.Text;
using KimiEA.Cli.Backtest;
using KimiEA.Optimize.Overfitting;
using KimiEA.Optimize.Report;
using KimiEA.Optimize.Trials;
using KimiEA.Optimize.WalkForward;
using KimiEA.Tester;

namespace KimiEA.Cli.Optimize;

/// <summary>
/// Walk-forward analysis: every window's in-sample part is searched like a whole <c>kimi optimize</c> run (its own
/// folder wf/NN-in-sample, resumable), the best pass's inputs then run on the window's out-of-sample part (wf/NN-out-of-sample),
/// with the data before each part warming the engine up as in <c>kimi backtest --from</c>. The stitched out-of-sample
/// daily returns are the headline: walk-forward.csv, walk-forward-equity.csv and optimize.html.
/// </summary>
internal static class WalkForwardRun
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(OptimizeArguments a, int workers)
    {
        if (a.WalkForward is not null && a.Forward is not null)
        {
            throw new ArgumentException("Give either --walk-forward (rolling or anchored windows) or --forward (MT5's single forward split), not both.");
        }

        var bt = OptimizeCli.BacktestArgs(a.BacktestTokens);
        var settings = BacktestCli.ToSettings(bt);
        var (start, end) = Period(settings);
        var windows = Windows(a, start, end);
        Directory.CreateDirectory(a.Out);
        var rows = new List<WalkForwardRow>();
        foreach (var w in windows)
        {
            Console.WriteLine(string.Create(Inv, $"window {w.Index + 1} of {windows.Count}: in sample {Day(w.InSampleStart)} to {Day(w.InSampleEnd)}, out of sample to {Day(w.OutOfSampleEnd)}"));
            var isDir = Path.Combine(a.Out, "wf", string.Create(Inv, $"{w.Index:D2}-in-sample"));
            var isArgs = bt with { From = Iso(w.InSampleStart), To = Iso(w.InSampleEnd) };
            var (plan, space, criterion) = OptimizeCli.MakePlan(a, workers, allowGenetic: true, isArgs);
            plan = OptimizeCli.Search(a, plan, space, workers, isDir);
            var reduced = Reducer.Run(plan, isDir, isDir, space, criterion);
            if (reduced.Ranked.Count == 0)
            {
                rows.Add(new WalkForwardRow(w, null, null, null));
                Console.WriteLine("  no pass met the constraints in sample: the out-of-sample part stays flat");
                continue;
            }

            var chosen = reduced.Ranked[0];
            var oosDir = Path.Combine(a.Out, "wf", string.Create(Inv, $"{w.Index:D2}-out-of-sample"));
            var oosArgs = bt with { From = Iso(w.OutOfSampleStart), To = Iso(w.OutOfSampleEnd) };
            var (oosPlan, _, _) = OptimizeCli.MakePlan(a with { Search = "grid", MaxGrid = long.MaxValue }, 1, allowGenetic: false, oosArgs);
            oosPlan = oosPlan with { Indices = [chosen.Index], TrialCount = 1, Search = "walk-forward out of sample" };
            OptimizeCli.RunPool(oosPlan, oosDir, 1, null);
            var oos = TrialResult.Read(OptimizePlan.TrialFile(oosDir, chosen.Index));
            rows.Add(new WalkForwardRow(w, chosen, oos, string.Join(", ", space.Parameters.Select((p, i) => $"{p.Input.Name}={chosen.Values[i]}"))));
            Console.WriteLine(string.Create(Inv, $"  chosen {rows[^1].Inputs}: in sample {chosen.Statistics!.NetProfit:0.00}, out of sample {oos.Statistics?.NetProfit ?? 0:0.00} ({oos.Statistics?.Trades ?? 0} trades)"));
        }

        var summary = WalkForwardSummary.Of(rows, settings.Balance);
        AtomicFile.WriteText(Path.Combine(a.Out, "walk-forward.csv"), summary.WindowsCsv());
        AtomicFile.WriteText(Path.Combine(a.Out, "walk-forward-equity.csv"), summary.EquityCsv());
        AtomicFile.WriteText(Path.Combine(a.Out, "optimize.html"), WalkForwardHtml.Render(a.WalkForward ?? "forward " + a.Forward, summary));
        Console.WriteLine(string.Create(Inv, $"walk-forward: {rows.Count} windows, out-of-sample return {summary.OutOfSampleReturn * 100:0.00} % over {summary.OutOfSampleDays.Count} days (in sample, chosen passes: {summary.InSampleReturn * 100:0.00} %), out-of-sample daily Sharpe {summary.OutOfSampleMoments.Sharpe:0.####}"));
        Console.WriteLine($"report: {Path.Combine(a.Out, "optimize.html")}");
        return OptimizeCli.Ok;
    }

    private static IReadOnlyList<WalkForwardWindow> Windows(OptimizeArguments a, DateTime start, DateTime end)
    {
        if (a.Forward is { } f)
        {
            return [f switch
            {
                "2" or "1/2" => WalkForwardWindows.ForwardFraction(start, end, 2),
                "3" or "1/3" => WalkForwardWindows.ForwardFraction(start, end, 3),
                "4" or "1/4" => WalkForwardWindows.ForwardFraction(start, end, 4),
                _ when DateTime.TryParseExact(f, "yyyy-MM-dd", Inv, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d)
                    => WalkForwardWindows.ForwardFrom(start, end, DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                _ => throw new ArgumentException($"--forward must be 1/2, 1/3, 1/4 or a date (2024-03-01), got '{f}'."),
            }];
        }

        var inSample = TimeSpan.FromDays(a.InSampleDays);
        var outOfSample = TimeSpan.FromDays(a.OutOfSampleDays);
        var step = a.StepDays is { } s ? TimeSpan.FromDays(s) : outOfSample;
        return a.WalkForward switch
        {
            "rolling" => WalkForwardWindows.Rolling(start, end, inSample, outOfSample, step),
            "anchored" => WalkForwardWindows.Anchored(start, end, inSample, outOfSample, step),
            _ => throw new ArgumentException($"--walk-forward must be rolling or anchored, got '{a.WalkForward}'."),
        };
    }

    /// <summary>The period the windows cut: --from/--to, else the data's first day (UTC midnight) to the day after its last.</summary>
    private static (DateTime Start, DateTime End) Period(BacktestSettings settings)
    {
        var inputs = BacktestRunner.Prepare(settings);
        var first = inputs.Min(i => i.Entry.Kind == KimiEA.Data.RecordKind.Bars ? i.Entry.Report.FirstTime * 1000 : i.Entry.Report.FirstTime);
        var last = inputs.Max(i => i.Entry.Kind == KimiEA.Data.RecordKind.Bars ? i.Entry.Report.LastTime * 1000 : i.Entry.Report.LastTime);
        var start = settings.From ?? DateTime.UnixEpoch.AddMilliseconds(first).Date;
        var end = settings.To ?? DateTime.UnixEpoch.AddMilliseconds(last).Date.AddDays(1);
        return (DateTime.SpecifyKind(start, DateTimeKind.Utc), DateTime.SpecifyKind(end, DateTimeKind.Utc));
    }

    private static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Inv);

    private static string Day(DateTime t) => t.ToString("yyyy-MM-dd", Inv);
}
