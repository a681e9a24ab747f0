using System.Globalization;
using System.Text;
using KimiEA.Optimize.Overfitting;
using KimiEA.Optimize.Trials;

namespace KimiEA.Optimize.WalkForward;

/// <summary>One walk-forward window's outcome: the chosen in-sample pass (null when none was ranked) and its out-of-sample run.</summary>
/// <param name="Window">The window.</param>
/// <param name="InSample">The best in-sample pass, or null.</param>
/// <param name="OutOfSample">Its run on the out-of-sample part, or null.</param>
/// <param name="Inputs">The chosen inputs as text, or null.</param>
public sealed record WalkForwardRow(WalkForwardWindow Window, TrialResult? InSample, TrialResult? OutOfSample, string? Inputs);

/// <summary>
/// The stitched result of a walk-forward analysis: the out-of-sample daily returns of every window one after the
/// other (a window whose in-sample search ranked nothing stays flat), and beside them the in-sample daily returns of
/// the passes chosen, each window's in-sample part one after the other (rolling windows overlap, so a day can appear
/// in two of them); equity = deposit × Π(1 + r).
/// </summary>
public sealed class WalkForwardSummary
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private WalkForwardSummary(IReadOnlyList<WalkForwardRow> rows, double deposit, List<(DateOnly Day, double Return)> oos, List<(DateOnly Day, double Return)> inSample)
    {
        Rows = rows;
        Deposit = deposit;
        OutOfSampleDays = oos;
        InSampleDays = inSample;
        OutOfSampleMoments = ReturnMoments.Of([.. oos.Select(x => x.Return)]);
        OutOfSampleReturn = oos.Aggregate(1.0, (e, x) => e * (1 + x.Return)) - 1;
        InSampleReturn = inSample.Aggregate(1.0, (e, x) => e * (1 + x.Return)) - 1;
    }

    /// <summary>The windows.</summary>
    public IReadOnlyList<WalkForwardRow> Rows { get; }
    /// <summary>Deposit of every run.</summary>
    public double Deposit { get; }
    /// <summary>Stitched out-of-sample daily returns.</summary>
    public IReadOnlyList<(DateOnly Day, double Return)> OutOfSampleDays { get; }
    /// <summary>Stitched in-sample daily returns of the chosen passes.</summary>
    public IReadOnlyList<(DateOnly Day, double Return)> InSampleDays { get; }
    /// <summary>Moments (and daily Sharpe) of the stitched out-of-sample returns.</summary>
    public ReturnMoments OutOfSampleMoments { get; }
    /// <summary>Compounded out-of-sample return.</summary>
    public double OutOfSampleReturn { get; }
    /// <summary>Compounded in-sample return of the chosen passes.</summary>
    public double InSampleReturn { get; }

    /// <summary>Stitches the windows.</summary>
    public static WalkForwardSummary Of(IReadOnlyList<WalkForwardRow> rows, double deposit)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var oos = new List<(DateOnly, double)>();
        var ins = new List<(DateOnly, double)>();
        foreach (var r in rows)
        {
            var w = r.Window;
            // The run's own days (from its first to its last price) within the window's days: a day without prices, or
            // a window whose in-sample search ranked nothing, has a return of 0.
            var byDay = new Dictionary<DateOnly, double>();
            if (r.OutOfSample is { } o)
            {
                var runDays = DailyReturns.Days(o.FirstPriceMsc, o.LastPriceMsc);
                for (var i = 0; i < runDays.Length && i < o.Daily.Count; i++)
                {
                    byDay[runDays[i]] = o.Daily[i];
                }
            }

            foreach (var day in DailyReturns.Days(Ms(w.OutOfSampleStart), Ms(w.OutOfSampleEnd) - 1))
            {
                oos.Add((day, byDay.GetValueOrDefault(day)));
            }

            if (r.InSample is { } s)
            {
                var isDays = DailyReturns.Days(s.FirstPriceMsc, s.LastPriceMsc);
                for (var i = 0; i < isDays.Length && i < s.Daily.Count; i++)
                {
                    ins.Add((isDays[i], s.Daily[i]));
                }
            }
        }

        return new WalkForwardSummary(rows, deposit, oos, ins);
    }

    /// <summary>walk-forward.csv: one row per window.</summary>
    public string WindowsCsv()
    {
        var sb = new StringBuilder("window,in_sample_start,in_sample_end,out_of_sample_end,chosen_pass,inputs,in_sample_score,in_sample_net_profit,in_sample_trades,out_of_sample_net_profit,out_of_sample_trades,out_of_sample_max_drawdown_pct\n");
        foreach (var r in Rows)
        {
            var w = r.Window;
            sb.Append(string.Create(Inv, $"{w.Index},{w.InSampleStart:yyyy-MM-dd},{w.InSampleEnd:yyyy-MM-dd},{w.OutOfSampleEnd:yyyy-MM-dd},"));
            if (r.InSample is { } s && r.OutOfSample is { } o)
            {
                sb.Append(string.Create(Inv, $"{s.Index},\"{r.Inputs}\",{s.Score:0.######},{s.Statistics!.NetProfit:0.00},{s.Statistics.Trades},{o.Statistics?.NetProfit ?? 0:0.00},{o.Statistics?.Trades ?? 0},{o.Statistics?.EquityDrawdownRelativePercent ?? 0:0.######}\n"));
            }
            else
            {
                sb.Append(",none ranked,,,,0.00,0,0\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>walk-forward-equity.csv: the stitched out-of-sample equity by day.</summary>
    public string EquityCsv()
    {
        var sb = new StringBuilder("date,out_of_sample_return,out_of_sample_equity\n");
        var equity = Deposit;
        foreach (var (day, r) in OutOfSampleDays)
        {
            equity *= 1 + r;
            sb.Append(string.Create(Inv, $"{day:yyyy-MM-dd},{r:R},{equity:0.00}\n"));
        }

        return sb.ToString();
    }

    private static long Ms(DateTime t) => (long)(t - DateTime.UnixEpoch).TotalMilliseconds;
}
