using System.Text.Json;
using System.Text.Json.Serialization;
using KimiEA.Tester.Stats;

namespace KimiEA.Optimize.Trials;

/// <summary>What became of a trial.</summary>
public static class TrialStatus
{
    /// <summary>Ran and meets the constraints: ranked.</summary>
    public const string Ranked = "ranked";
    /// <summary>Ran, but breaks --min-trades or --max-drawdown: not ranked (its returns still count as a trial).</summary>
    public const string Refused = "refused";
    /// <summary>Not run: the combination breaks a parameter constraint (it is no trial).</summary>
    public const string Constraint = "constraint";
    /// <summary>Not run: the EA would refuse the combination at start (INIT_PARAMETERS_INCORRECT in MT5's words).</summary>
    public const string Invalid = "invalid";
    /// <summary>The engine failed on this pass.</summary>
    public const string Failed = "failed";
}

/// <summary>
/// One pass of a search, as a worker writes it (one file per trial, atomically) and the reducer reads it: the grid
/// index, the inputs, the statistics of <c>kimi backtest</c>, the score, the daily returns and the closed trades' exit
/// times and pnl (for walk-forward re-scoring). Serialised deterministically (same inputs → same bytes).
/// </summary>
public sealed record TrialResult
{
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Grid index of the combination.</summary>
    public long Index { get; init; }
    /// <summary>The optimised inputs' values as the .set file writes them, in the search space's order.</summary>
    public required IReadOnlyList<string> Values { get; init; }
    /// <summary>A <see cref="TrialStatus"/> value.</summary>
    public required string Status { get; init; }
    /// <summary>Why it was not ranked or failed.</summary>
    public string? Note { get; init; }
    /// <summary>The statistics (null when not run).</summary>
    public BacktestStatistics? Statistics { get; init; }
    /// <summary>The criterion's score (higher is better; −∞ when not ranked).</summary>
    public double Score { get; init; } = double.NegativeInfinity;
    /// <summary>The custom formula's value (NaN unless the criterion is custom).</summary>
    public double Custom { get; init; } = double.NaN;
    /// <summary>Daily returns over the run's trading days (<see cref="DailyReturns"/>).</summary>
    public IReadOnlyList<double> Daily { get; init; } = [];
    /// <summary>Time of the run's first price (ms): with <see cref="LastPriceMsc"/>, the days of <see cref="Daily"/>.</summary>
    public long FirstPriceMsc { get; init; }
    /// <summary>Time of the run's last price (ms).</summary>
    public long LastPriceMsc { get; init; }
    /// <summary>Exit time (ms) of each closed trade, in closing order.</summary>
    public IReadOnlyList<long> TradeExitMsc { get; init; } = [];
    /// <summary>Net pnl (cents) of each closed trade.</summary>
    public IReadOnlyList<long> TradePnlCents { get; init; } = [];

    /// <summary>True when the trial ran (ranked or refused): its returns belong to the overfitting statistics.</summary>
    [JsonIgnore]
    public bool Ran => Status is TrialStatus.Ranked or TrialStatus.Refused;

    /// <summary>The JSON bytes.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads a trial file.</summary>
    /// <exception cref="InvalidDataException">Not a trial file (the message names it).</exception>
    public static TrialResult Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrialResult>(File.ReadAllBytes(path), Json) ?? throw new InvalidDataException($"{path}: empty trial file.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a trial result ({e.Message})", e);
        }
    }
}
