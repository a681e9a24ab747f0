using KimiEA.Tester.Server;

namespace KimiEA.Tester.Stats;

/// <summary>
/// MT5-Strategy-Tester-style statistics of a run. Money in the account currency. Ratios that are undefined (no
/// losing trade for the profit factor, no drawdown for the recovery factor) are null.
/// </summary>
/// <remarks>
/// Sharpe and Sortino are computed, as MT5's tester does, over the per-trade returns r = pnl / balance before the
/// trade, not annualised: Sharpe = mean(r) / sample standard deviation(r); Sortino = mean(r) / √(Σ min(r, 0)² / n).
/// Both are 0 with fewer than two trades or no dispersion.
/// </remarks>
public sealed record BacktestStatistics
{
    /// <summary>Deposit.</summary>
    public double InitialBalance { get; init; }
    /// <summary>Balance at the end (every position closed).</summary>
    public double FinalBalance { get; init; }
    /// <summary>Σ pnl of the closed trades (net of commission and swap).</summary>
    public double NetProfit { get; init; }
    /// <summary>Σ pnl of the winning trades.</summary>
    public double GrossProfit { get; init; }
    /// <summary>Σ pnl of the losing trades (≤ 0).</summary>
    public double GrossLoss { get; init; }
    /// <summary>Gross profit / |gross loss|; null without a losing trade.</summary>
    public double? ProfitFactor { get; init; }
    /// <summary>Net profit / trades (0 without trades).</summary>
    public double ExpectedPayoff { get; init; }
    /// <summary>Net profit / maximal equity drawdown in money; null without drawdown.</summary>
    public double? RecoveryFactor { get; init; }
    /// <summary>Per-trade Sharpe ratio.</summary>
    public double Sharpe { get; init; }
    /// <summary>Per-trade Sortino ratio.</summary>
    public double Sortino { get; init; }
    /// <summary>Balance: fall below the deposit.</summary>
    public double BalanceDrawdownAbsolute { get; init; }
    /// <summary>Balance: maximal drawdown in money.</summary>
    public double BalanceDrawdownMaximal { get; init; }
    /// <summary>Balance: that drawdown in percent of its peak.</summary>
    public double BalanceDrawdownMaximalPercent { get; init; }
    /// <summary>Balance: relative (largest percentage) drawdown.</summary>
    public double BalanceDrawdownRelativePercent { get; init; }
    /// <summary>Equity: fall below the deposit.</summary>
    public double EquityDrawdownAbsolute { get; init; }
    /// <summary>Equity: maximal drawdown in money.</summary>
    public double EquityDrawdownMaximal { get; init; }
    /// <summary>Equity: that drawdown in percent of its peak.</summary>
    public double EquityDrawdownMaximalPercent { get; init; }
    /// <summary>Equity: relative (largest percentage) drawdown; summary.json's max_drawdown_pct.</summary>
    public double EquityDrawdownRelativePercent { get; init; }
    /// <summary>Closed trades.</summary>
    public int Trades { get; init; }
    /// <summary>Trades with pnl &gt; 0.</summary>
    public int Wins { get; init; }
    /// <summary>Trades with pnl &lt; 0.</summary>
    public int Losses { get; init; }
    /// <summary>Wins / trades, percent.</summary>
    public double WinRatePercent { get; init; }
    /// <summary>Mean pnl of the winners.</summary>
    public double AverageWin { get; init; }
    /// <summary>Mean pnl of the losers (≤ 0).</summary>
    public double AverageLoss { get; init; }
    /// <summary>Largest winning pnl.</summary>
    public double LargestWin { get; init; }
    /// <summary>Largest losing pnl (≤ 0).</summary>
    public double LargestLoss { get; init; }
    /// <summary>Longest run of consecutive winners.</summary>
    public int MaxConsecutiveWins { get; init; }
    /// <summary>Longest run of consecutive losers.</summary>
    public int MaxConsecutiveLosses { get; init; }
    /// <summary>Long trades.</summary>
    public int LongTrades { get; init; }
    /// <summary>Long trades won.</summary>
    public int LongWins { get; init; }
    /// <summary>Short trades.</summary>
    public int ShortTrades { get; init; }
    /// <summary>Short trades won.</summary>
    public int ShortWins { get; init; }
    /// <summary>Σ commission (≤ 0).</summary>
    public double CommissionTotal { get; init; }
    /// <summary>Σ swap paid (negative) or received with the closed trades.</summary>
    public double SwapTotal { get; init; }

    /// <summary>
    /// Computes the statistics from the closed trades (in closing order) and the drawdowns the tracker measured
    /// over the run.
    /// </summary>
    public static BacktestStatistics Compute(double initialBalance, IReadOnlyList<ClosedTrade> trades, EquityTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(tracker);
        long net = 0, grossProfit = 0, grossLoss = 0, commission = 0, swap = 0;
        long largestWin = 0, largestLoss = 0;
        int wins = 0, losses = 0, longs = 0, longWins = 0, shorts = 0, shortWins = 0;
        int winRun = 0, lossRun = 0, maxWinRun = 0, maxLossRun = 0;
        var initialCents = (long)Math.Round(initialBalance * 100, MidpointRounding.AwayFromZero);
        var returns = new double[trades.Count];
        for (var i = 0; i < trades.Count; i++)
        {
            var t = trades[i];
            var pnl = t.PnlCents;
            var before = initialCents + net;
            returns[i] = before > 0 ? (double)pnl / before : 0;
            net += pnl;
            commission += t.CommissionCents;
            swap += t.SwapCents;
            if (t.Direction > 0)
            {
                longs++;
            }
            else
            {
                shorts++;
            }

            if (pnl > 0)
            {
                wins++;
                grossProfit += pnl;
                largestWin = Math.Max(largestWin, pnl);
                if (t.Direction > 0)
                {
                    longWins++;
                }
                else
                {
                    shortWins++;
                }

                winRun++;
                lossRun = 0;
            }
            else if (pnl < 0)
            {
                losses++;
                grossLoss += pnl;
                largestLoss = Math.Min(largestLoss, pnl);
                lossRun++;
                winRun = 0;
            }
            else
            {
                winRun = 0;
                lossRun = 0;
            }

            maxWinRun = Math.Max(maxWinRun, winRun);
            maxLossRun = Math.Max(maxLossRun, lossRun);
        }

        var n = trades.Count;
        var eq = tracker.Equity;
        var bal = tracker.Balance;
        return new BacktestStatistics
        {
            InitialBalance = initialCents / 100.0,
            FinalBalance = (initialCents + net) / 100.0,
            NetProfit = net / 100.0,
            GrossProfit = grossProfit / 100.0,
            GrossLoss = grossLoss / 100.0,
            ProfitFactor = grossLoss < 0 ? grossProfit / (double)-grossLoss : null,
            ExpectedPayoff = n > 0 ? net / 100.0 / n : 0,
            RecoveryFactor = eq.MaximalMoney > 0 ? net / 100.0 / eq.MaximalMoney : null,
            Sharpe = SharpeOf(returns),
            Sortino = SortinoOf(returns),
            BalanceDrawdownAbsolute = bal.Absolute,
            BalanceDrawdownMaximal = bal.MaximalMoney,
            BalanceDrawdownMaximalPercent = bal.MaximalMoneyPercent,
            BalanceDrawdownRelativePercent = bal.RelativePercent,
            EquityDrawdownAbsolute = eq.Absolute,
            EquityDrawdownMaximal = eq.MaximalMoney,
            EquityDrawdownMaximalPercent = eq.MaximalMoneyPercent,
            EquityDrawdownRelativePercent = eq.RelativePercent,
            Trades = n,
            Wins = wins,
            Losses = losses,
            WinRatePercent = n > 0 ? 100.0 * wins / n : 0,
            AverageWin = wins > 0 ? grossProfit / 100.0 / wins : 0,
            AverageLoss = losses > 0 ? grossLoss / 100.0 / losses : 0,
            LargestWin = largestWin / 100.0,
            LargestLoss = largestLoss / 100.0,
            MaxConsecutiveWins = maxWinRun,
            MaxConsecutiveLosses = maxLossRun,
            LongTrades = longs,
            LongWins = longWins,
            ShortTrades = shorts,
            ShortWins = shortWins,
            CommissionTotal = commission / 100.0,
            SwapTotal = swap / 100.0,
        };
    }

    private static double Mean(double[] r)
    {
        var s = 0.0;
        foreach (var x in r)
        {
            s += x;
        }

        return s / r.Length;
    }

    private static double SharpeOf(double[] r)
    {
        if (r.Length < 2)
        {
            return 0;
        }

        var mean = Mean(r);
        var ss = 0.0;
        foreach (var x in r)
        {
            ss += (x - mean) * (x - mean);
        }

        var sd = Math.Sqrt(ss / (r.Length - 1));
        return sd > 0 ? mean / sd : 0;
    }

    private static double SortinoOf(double[] r)
    {
        if (r.Length < 2)
        {
            return 0;
        }

        var down = 0.0;
        foreach (var x in r)
        {
            if (x < 0)
            {
                down += x * x;
            }
        }

        var dd = Math.Sqrt(down / r.Length);
        return dd > 0 ? Mean(r) / dd : 0;
    }
}
