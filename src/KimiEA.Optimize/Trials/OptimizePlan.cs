using System.Text.Json;
using System.Text.Json.Serialization;

namespace KimiEA.Optimize.Trials;

/// <summary>
/// A search written down so that any machine can run any part of it: the backtest options (as the CLI took them),
/// the .set file's text, the constraints, the criterion, which grid indices are trials, and how they are cut into
/// shards. Trial k of the plan (<see cref="TrialAt"/>) belongs to shard k mod <see cref="Shards"/>. A trial's result
/// depends on the plan's inputs and its index only, so any number of shards, in any order, on any machine, gives
/// the same files, and the reduce gives the same outputs.
/// </summary>
public sealed record OptimizePlan
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The plan file format.</summary>
    public int Format { get; init; } = 1;
    /// <summary>The backtest options of every trial (the CLI's own argument record, opaque here).</summary>
    public required JsonElement Backtest { get; init; }
    /// <summary>Where the .set file was read from.</summary>
    public required string SetSource { get; init; }
    /// <summary>The .set file's text (the plan carries it: a worker needs no other file than the data).</summary>
    public required string SetText { get; init; }
    /// <summary>Parameter constraints over EA input names.</summary>
    public IReadOnlyList<string> Constraints { get; init; } = [];
    /// <summary>The criterion's CLI name.</summary>
    public required string Criterion { get; init; }
    /// <summary>The custom formula.</summary>
    public string? Custom { get; init; }
    /// <summary>Minimum trades for a ranked pass.</summary>
    public int MinTrades { get; init; }
    /// <summary>Maximum relative equity drawdown (percent) of a ranked pass.</summary>
    public double? MaxDrawdownPercent { get; init; }
    /// <summary>The search ("grid", or "genetic seed S").</summary>
    public required string Search { get; init; }
    /// <summary>Trials of the plan: the complete grid (0 … n − 1) when <see cref="Indices"/> is null.</summary>
    public long TrialCount { get; init; }
    /// <summary>The grid indices to try, in order (a seeded search's), or null for the complete grid.</summary>
    public IReadOnlyList<long>? Indices { get; init; }
    /// <summary>Number of shards.</summary>
    public int Shards { get; init; } = 1;
    /// <summary>CSCV blocks S (0: the largest even S ≤ 16 that leaves every block 2 days or more).</summary>
    public int CscvBlocks { get; init; }

    /// <summary>The grid index of the plan's k-th trial.</summary>
    public long TrialAt(long k) => Indices is { } list ? list[(int)k] : k;

    /// <summary>The plan's trial positions k of one shard, in order.</summary>
    public IEnumerable<long> ShardTrials(int shard)
    {
        for (long k = shard; k < TrialCount; k += Shards)
        {
            yield return k;
        }
    }

    /// <summary>The same search (everything but the shard count) as <paramref name="other"/>.</summary>
    public bool SameSearch(OptimizePlan other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ToJson(this with { Shards = 1 }) == ToJson(other with { Shards = 1 });
    }

    /// <summary>The plan as JSON text.</summary>
    public static string ToJson(OptimizePlan plan) => JsonSerializer.Serialize(plan, Json);

    /// <summary>Reads a plan file.</summary>
    /// <exception cref="InvalidDataException">Not a plan (the message names the file).</exception>
    public static OptimizePlan Load(string path)
    {
        KimiEA.Data.InputFile.CheckExistingRegular(path);
        try
        {
            var plan = JsonSerializer.Deserialize<OptimizePlan>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty plan.");
            if (plan.Format != 1 || plan.Shards < 1 || plan.TrialCount < 0)
            {
                throw new InvalidDataException($"{path}: not a kimi optimize plan of format 1 with at least one shard.");
            }

            return plan;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a kimi optimize plan ({e.Message})", e);
        }
    }

    /// <summary>The trials folder of an optimisation folder.</summary>
    public static string TrialsDir(string dir) => Path.Combine(dir, "trials");

    /// <summary>The file of one trial (by grid index).</summary>
    public static string TrialFile(string dir, long index) => Path.Combine(TrialsDir(dir), index.ToString("D10", System.Globalization.CultureInfo.InvariantCulture) + ".json");

    /// <summary>The marker a finished shard writes.</summary>
    public static string ShardFile(string dir, int shard, int shards) => Path.Combine(dir, "shards", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{shard}-of-{shards}.done"));
}
