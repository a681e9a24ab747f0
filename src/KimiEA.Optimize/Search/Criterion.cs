using System.Globalization;
using KimiEA.Tester.Stats;

namespace KimiEA.Optimize.Search;

/// <summary>
/// What ranks the passes, as MT5's optimiser offers it (codes in its order: balance, profit factor, expected payoff,
/// drawdown, recovery factor, Sharpe, custom). The EA's OnTester returns the same numbers by code (docs/optimize.md),
/// so MT5's own optimiser ranks as <c>kimi optimize</c> does.
/// </summary>
public enum OptimizationCriterion
{
    /// <summary>Final balance, maximised.</summary>
    Balance = 0,
    /// <summary>Profit factor (gross profit / |gross loss|), maximised.</summary>
    ProfitFactor = 1,
    /// <summary>Expected payoff (net profit / trades), maximised.</summary>
    ExpectedPayoff = 2,
    /// <summary>Relative equity drawdown in percent, minimised.</summary>
    DrawdownMin = 3,
    /// <summary>Recovery factor (net profit / maximal equity drawdown in money), maximised.</summary>
    RecoveryFactor = 4,
    /// <summary>Per-trade Sharpe ratio, maximised.</summary>
    Sharpe = 5,
    /// <summary>A formula over the statistics (<see cref="CriterionSpec.CustomFormula"/>), maximised.</summary>
    Custom = 6,
}

/// <summary>
/// The criterion of a search and its constraints. Every number comes from <see cref="BacktestStatistics"/>, the
/// statistics <c>kimi backtest</c> reports (summary.json, report.html), so a pass's score can be checked against its
/// backtest. Undefined ratios (a profit factor without a losing trade, a recovery factor without drawdown) rank below
/// every defined value (score −∞), as a pass whose ratio cannot be computed proves nothing.
/// </summary>
public sealed class CriterionSpec
{
    /// <summary>The statistics a custom formula may name, in this order.</summary>
    public static readonly IReadOnlyList<string> StatisticNames =
    [
        "balance", "net_profit", "gross_profit", "gross_loss", "profit_factor", "expected_payoff", "recovery_factor",
        "sharpe", "sortino", "equity_dd_pct", "equity_dd", "balance_dd_pct", "trades", "win_rate", "wins", "losses",
    ];

    private readonly Expression? _custom;

    /// <summary>A criterion with constraints.</summary>
    /// <exception cref="ExpressionException">The custom formula does not parse or names an unknown statistic.</exception>
    /// <exception cref="ArgumentException">Custom without a formula, or a negative constraint.</exception>
    public CriterionSpec(OptimizationCriterion criterion, string? customFormula = null, int minTrades = 0, double? maxDrawdownPercent = null)
    {
        Criterion = criterion;
        if (criterion == OptimizationCriterion.Custom)
        {
            if (string.IsNullOrWhiteSpace(customFormula))
            {
                throw new ArgumentException("The custom criterion needs a formula (--custom \"net_profit / (1 + equity_dd_pct)\").", nameof(customFormula));
            }

            _custom = Expression.Parse(customFormula, n => StatisticNames.ToList().IndexOf(n) is var i and >= 0 ? i : null, string.Join(", ", StatisticNames));
        }

        if (minTrades < 0)
        {
            throw new ArgumentException($"--min-trades must be ≥ 0, got {minTrades}.", nameof(minTrades));
        }

        if (maxDrawdownPercent is { } dd && !(dd >= 0))
        {
            throw new ArgumentException($"--max-drawdown must be a percentage ≥ 0, got {dd}.", nameof(maxDrawdownPercent));
        }

        CustomFormula = customFormula;
        MinTrades = minTrades;
        MaxDrawdownPercent = maxDrawdownPercent;
    }

    /// <summary>The criterion.</summary>
    public OptimizationCriterion Criterion { get; }
    /// <summary>The custom formula (null unless custom).</summary>
    public string? CustomFormula { get; }
    /// <summary>A pass with fewer closed trades is not ranked.</summary>
    public int MinTrades { get; }
    /// <summary>A pass whose relative equity drawdown exceeds this (percent) is not ranked.</summary>
    public double? MaxDrawdownPercent { get; }

    /// <summary>The criterion names of the CLI, by code.</summary>
    public static OptimizationCriterion Parse(string text) => text.ToUpperInvariant() switch
    {
        "BALANCE" => OptimizationCriterion.Balance,
        "PROFIT-FACTOR" => OptimizationCriterion.ProfitFactor,
        "EXPECTED-PAYOFF" => OptimizationCriterion.ExpectedPayoff,
        "DRAWDOWN" => OptimizationCriterion.DrawdownMin,
        "RECOVERY-FACTOR" => OptimizationCriterion.RecoveryFactor,
        "SHARPE" => OptimizationCriterion.Sharpe,
        "CUSTOM" => OptimizationCriterion.Custom,
        _ => throw new ArgumentException($"--criterion must be balance, profit-factor, expected-payoff, drawdown, recovery-factor, sharpe or custom, got '{text}'."),
    };

    /// <summary>The CLI name of a criterion.</summary>
    public static string Name(OptimizationCriterion c) => c switch
    {
        OptimizationCriterion.Balance => "balance",
        OptimizationCriterion.ProfitFactor => "profit-factor",
        OptimizationCriterion.ExpectedPayoff => "expected-payoff",
        OptimizationCriterion.DrawdownMin => "drawdown",
        OptimizationCriterion.RecoveryFactor => "recovery-factor",
        OptimizationCriterion.Sharpe => "sharpe",
        _ => "custom",
    };

    /// <summary>The statistics as the custom formula sees them (<see cref="StatisticNames"/> order).</summary>
    public static double[] Values(BacktestStatistics s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return
        [
            s.FinalBalance, s.NetProfit, s.GrossProfit, s.GrossLoss, s.ProfitFactor ?? double.NaN, s.ExpectedPayoff, s.RecoveryFactor ?? double.NaN,
            s.Sharpe, s.Sortino, s.EquityDrawdownRelativePercent, s.EquityDrawdownMaximal, s.BalanceDrawdownRelativePercent, s.Trades, s.WinRatePercent, s.Wins, s.Losses,
        ];
    }

    /// <summary>The custom formula's value (NaN when not custom).</summary>
    public double CustomValue(BacktestStatistics s) => _custom?.Evaluate(Values(s)) ?? double.NaN;

    /// <summary>
    /// The ranking score (higher is better): the criterion's value, negated for the drawdown; −∞ for an undefined
    /// ratio or a NaN formula.
    /// </summary>
    public double Score(BacktestStatistics s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var v = Criterion switch
        {
            OptimizationCriterion.Balance => s.FinalBalance,
            OptimizationCriterion.ProfitFactor => s.ProfitFactor ?? double.NegativeInfinity,
            OptimizationCriterion.ExpectedPayoff => s.ExpectedPayoff,
            OptimizationCriterion.DrawdownMin => -s.EquityDrawdownRelativePercent,
            OptimizationCriterion.RecoveryFactor => s.RecoveryFactor ?? double.NegativeInfinity,
            OptimizationCriterion.Sharpe => s.Sharpe,
            _ => CustomValue(s),
        };
        return double.IsNaN(v) ? double.NegativeInfinity : v;
    }

    /// <summary>Why a pass is not ranked (fewer trades than the minimum, more drawdown than the maximum), or null.</summary>
    public string? Refusal(BacktestStatistics s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Trades < MinTrades)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{s.Trades} trades < --min-trades {MinTrades}");
        }

        return MaxDrawdownPercent is { } dd && s.EquityDrawdownRelativePercent > dd
            ? string.Create(CultureInfo.InvariantCulture, $"equity drawdown {s.EquityDrawdownRelativePercent:0.##} % > --max-drawdown {dd}")
            : null;
    }
}
