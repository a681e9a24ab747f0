namespace KimiEA.Optimize.Overfitting;

/// <summary>The result of combinatorially symmetric cross-validation.</summary>
/// <param name="Pbo">Probability of backtest overfitting: the share of splits whose in-sample best trial ranks at or below the out-of-sample median (logit ≤ 0).</param>
/// <param name="Logits">λ of every split, in the order of the combinations (lexicographic in the chosen blocks).</param>
/// <param name="Blocks">S, the number of blocks the observations were cut into.</param>
/// <param name="Splits">C(S, S/2), the number of train/test splits.</param>
public sealed record CscvResult(double Pbo, IReadOnlyList<double> Logits, int Blocks, int Splits);

/// <summary>
/// Probability of Backtest Overfitting by CSCV (Bailey, Borwein, López de Prado &amp; Zhu, "The Probability of
/// Backtest Overfitting", Journal of Computational Finance 20(4), 2017; working paper 2015). The T × N matrix of
/// returns (observations × trials) is cut into S contiguous blocks of equal size (the first T mod S observations are
/// dropped so every block is whole, as the paper requires); for every way of choosing S/2 blocks as the training set J
/// (the other half J̄ tests), the trial with the best Sharpe ratio on J is found, ω̄ = its rank on J̄ / (N + 1) (rank 1 =
/// worst, ties get their average rank) and λ = ln(ω̄ / (1 − ω̄)). PBO = the share of λ ≤ 0. Ties for the best
/// in-sample trial go to the lowest trial index, so the result is deterministic.
/// </summary>
public static class Cscv
{
    /// <summary>Runs CSCV over <paramref name="returns"/> (trials × observations).</summary>
    /// <exception cref="ArgumentException">Fewer than 2 trials, S odd or &lt; 2, fewer observations than blocks, or ragged rows.</exception>
    public static CscvResult Run(IReadOnlyList<double[]> returns, int blocks)
    {
        ArgumentNullException.ThrowIfNull(returns);
        var n = returns.Count;
        if (n < 2)
        {
            throw new ArgumentException($"CSCV compares trials: it needs at least 2, got {n}.", nameof(returns));
        }

        if (blocks < 2 || blocks % 2 != 0)
        {
            throw new ArgumentException($"The number of CSCV blocks S must be even and at least 2, got {blocks}.", nameof(blocks));
        }

        var t = returns[0].Length;
        if (returns.Any(r => r.Length != t))
        {
            throw new ArgumentException("Every trial needs the same observations.", nameof(returns));
        }

        var size = t / blocks;
        if (size < 2)
        {
            throw new ArgumentException($"{t} observations cannot be cut into {blocks} blocks of at least 2 (a Sharpe ratio needs 2); use fewer blocks or more data.", nameof(blocks));
        }

        var offset = t - (size * blocks);
        // Per block and trial: Σr and Σr², so that any union of blocks gives its Sharpe ratio in O(S).
        var sum = new double[blocks, n];
        var sumSq = new double[blocks, n];
        for (var j = 0; j < n; j++)
        {
            var r = returns[j];
            for (var b = 0; b < blocks; b++)
            {
                for (var k = offset + (b * size); k < offset + ((b + 1) * size); k++)
                {
                    sum[b, j] += r[k];
                    sumSq[b, j] += r[k] * r[k];
                }
            }
        }

        var logits = new List<double>();
        var half = blocks / 2;
        var chosen = new int[half];
        for (var i = 0; i < half; i++)
        {
            chosen[i] = i;
        }

        var inTrain = new bool[blocks];
        var train = new double[n];
        var test = new double[n];
        var count = half * size;
        while (true)
        {
            Array.Clear(inTrain);
            foreach (var c in chosen)
            {
                inTrain[c] = true;
            }

            for (var j = 0; j < n; j++)
            {
                double s1 = 0, q1 = 0, s2 = 0, q2 = 0;
                for (var b = 0; b < blocks; b++)
                {
                    if (inTrain[b])
                    {
                        s1 += sum[b, j];
                        q1 += sumSq[b, j];
                    }
                    else
                    {
                        s2 += sum[b, j];
                        q2 += sumSq[b, j];
                    }
                }

                train[j] = Sharpe(s1, q1, count);
                test[j] = Sharpe(s2, q2, count);
            }

            var best = 0;
            for (var j = 1; j < n; j++)
            {
                if (train[j] > train[best])
                {
                    best = j;
                }
            }

            // Average rank of test[best] among the test values, 1 = worst.
            double below = 0, equal = 0;
            for (var j = 0; j < n; j++)
            {
                if (test[j] < test[best])
                {
                    below++;
                }
                else if (test[j] == test[best])
                {
                    equal++;
                }
            }

            var rank = below + ((equal + 1) / 2);
            var omega = rank / (n + 1);
            logits.Add(Math.Log(omega / (1 - omega)));
            if (!Next(chosen, blocks))
            {
                break;
            }
        }

        var overfit = logits.Count(l => l <= 0);
        return new CscvResult((double)overfit / logits.Count, logits, blocks, logits.Count);
    }

    /// <summary>Mean / sample standard deviation from Σr, Σr² and the count (0 without dispersion).</summary>
    private static double Sharpe(double sum, double sumSq, int count)
    {
        var mean = sum / count;
        var variance = (sumSq - (sum * mean)) / (count - 1);
        // Rounding leaves a constant series a variance of ~1e-16 of its mean square: that is no dispersion.
        return variance > 1e-12 * (sumSq / count) && variance > 0 ? mean / Math.Sqrt(variance) : 0;
    }

    /// <summary>The next S/2-combination of 0..S−1 in lexicographic order; false after the last.</summary>
    private static bool Next(int[] c, int s)
    {
        var k = c.Length;
        var i = k - 1;
        while (i >= 0 && c[i] == s - k + i)
        {
            i--;
        }

        if (i < 0)
        {
            return false;
        }

        c[i]++;
        for (var j = i + 1; j < k; j++)
        {
            c[j] = c[j - 1] + 1;
        }

        return true;
    }
}
