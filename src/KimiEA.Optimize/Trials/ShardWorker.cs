using System.Globalization;

namespace KimiEA.Optimize.Trials;

/// <summary>The count a finished shard records in its marker file.</summary>
/// <param name="Shard">Shard index.</param>
/// <param name="Shards">Shard count of the plan.</param>
/// <param name="Trials">Trials of the shard.</param>
/// <param name="Computed">Trials this run computed (the others were on disk already).</param>
public sealed record ShardSummary(int Shard, int Shards, long Trials, long Computed);

/// <summary>
/// Runs one shard of a plan: every trial of the shard whose result file is not on disk yet, one after another in this
/// process, each result written atomically the moment it is known (a kill loses at most the pass in flight); then the
/// shard's marker, written atomically, says the shard is complete. Running a finished shard again computes nothing.
/// </summary>
public static class ShardWorker
{
    /// <summary>Runs shard <paramref name="shard"/> of <paramref name="plan"/> into <paramref name="dir"/>.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="dir">The optimisation folder (trials/ and shards/ are created in it).</param>
    /// <param name="shard">0 ≤ shard &lt; plan.Shards.</param>
    /// <param name="runner">The runner of the plan's search.</param>
    /// <param name="done">Called after each trial with its grid index and whether it was computed now.</param>
    /// <exception cref="ArgumentOutOfRangeException">No such shard.</exception>
    public static ShardSummary Run(OptimizePlan plan, string dir, int shard, TrialRunner runner, Action<long, bool>? done = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(runner);
        if (shard < 0 || shard >= plan.Shards)
        {
            throw new ArgumentOutOfRangeException(nameof(shard), shard, string.Create(CultureInfo.InvariantCulture, $"The plan has shards 0 to {plan.Shards - 1}; there is no shard {shard}."));
        }

        Directory.CreateDirectory(OptimizePlan.TrialsDir(dir));
        Directory.CreateDirectory(Path.GetDirectoryName(OptimizePlan.ShardFile(dir, shard, plan.Shards))!);
        long trials = 0, computed = 0;
        foreach (var k in plan.ShardTrials(shard))
        {
            trials++;
            var index = plan.TrialAt(k);
            var file = OptimizePlan.TrialFile(dir, index);
            if (File.Exists(file))
            {
                done?.Invoke(index, false);
                continue;
            }

            AtomicFile.Write(file, runner.Run(index).ToJson(), durable: false);
            computed++;
            done?.Invoke(index, true);
        }

        var summary = new ShardSummary(shard, plan.Shards, trials, computed);
        AtomicFile.WriteText(OptimizePlan.ShardFile(dir, shard, plan.Shards), System.Text.Json.JsonSerializer.Serialize(summary with { Computed = 0 }) + "\n");
        return summary;
    }
}
