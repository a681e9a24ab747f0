namespace KimiEA.Tester.Report;

/// <summary>One input file of a run, as the report's header lists it.</summary>
/// <param name="Path">The path as given.</param>
/// <param name="Symbol">The symbol it feeds.</param>
/// <param name="Kind">ticks or bars.</param>
/// <param name="Sha256">SHA-256 of the file's bytes (lower-case hex).</param>
/// <param name="Records">Records accepted.</param>
/// <param name="Quality">The data-quality summary (gaps, skipped rows ...), one line per item.</param>
public sealed record DataFileInfo(string Path, string Symbol, string Kind, string Sha256, long Records, IReadOnlyList<string> Quality);

/// <summary>What a run was: inputs, parameters and provenance. Everything here is deterministic for the same inputs.</summary>
public sealed record RunDescription
{
    /// <summary>The data files.</summary>
    public required IReadOnlyList<DataFileInfo> DataFiles { get; init; }
    /// <summary>Symbols, in agent order.</summary>
    public required IReadOnlyList<string> Symbols { get; init; }
    /// <summary>ticks, m1ohlc or open.</summary>
    public required string Mode { get; init; }
    /// <summary>Chart timeframe name (M15 ...).</summary>
    public required string Timeframe { get; init; }
    /// <summary>Chart timeframe in seconds.</summary>
    public required long TimeframeSeconds { get; init; }
    /// <summary>Seed of the run's random generator.</summary>
    public required int Seed { get; init; }
    /// <summary>Git commit of the code, or "unknown".</summary>
    public required string Commit { get; init; }
    /// <summary>Fill policy in words.</summary>
    public required string FillPolicy { get; init; }
    /// <summary>Every parameter of the run, name → value, in display order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; }
}
