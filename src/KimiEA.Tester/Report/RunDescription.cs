namespace KimiEA.Tester.Report;

/// <summary>One input file of a run, as the report's header lists it.</summary>
/// <param name="Path">The path as given.</param>
/// <param name="Symbol">The symbol it feeds.</param>
/// <param name="Kind">ticks or bars.</param>
/// <param name="Sha256">SHA-256 of the file's bytes (lower-case hex).</param>
/// <param name="Records">Records accepted.</param>
/// <param name="Quality">What the data reader found (rows read, skipped by problem, gaps): the one source of the counts the console, the report and summary.json show.</param>
public sealed record DataFileInfo(string Path, string Symbol, string Kind, string Sha256, long Records, KimiEA.Data.DataQualityReport Quality)
{
    /// <summary>Where the file's spread came from: "data", "--spread" or "spec typical" (<c>FeedSpread.OriginCode</c>).</summary>
    public string SpreadSource { get; init; } = string.Empty;
    /// <summary>Which spread the file's symbol ran with, in words (<c>FeedSpread.Description</c>).</summary>
    public string Spread { get; init; } = string.Empty;

    /// <summary>The data-quality summary, one line per item (the report's Data table).</summary>
    public IReadOnlyList<string> QualityLines => Quality.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>What a run was: inputs, parameters and provenance. Everything here is deterministic for the same inputs.</summary>
public sealed record RunDescription
{
    /// <summary>The data files.</summary>
    public required IReadOnlyList<DataFileInfo> DataFiles { get; init; }
    /// <summary>Symbols, in agent order.</summary>
    public required IReadOnlyList<string> Symbols { get; init; }
    /// <summary>ticks, m1ohlc or open.</summary>
    public required string Mode { get; init; }
    /// <summary>The timeframe of the data the prices come from: M1 … D1 for bars, ticks (several files: comma-separated).</summary>
    public string DataTimeframe { get; init; } = string.Empty;
    /// <summary>How the prices were generated from the data, in words (the tick model and the bars it used).</summary>
    public string PriceModel { get; init; } = string.Empty;
    /// <summary>Chart timeframe name (M15 ...).</summary>
    public required string Timeframe { get; init; }
    /// <summary>Chart timeframe in seconds.</summary>
    public required long TimeframeSeconds { get; init; }
    /// <summary>Seed of the slippage.</summary>
    public required int Seed { get; init; }
    /// <summary>The account currency every money figure of the run is in.</summary>
    public string Currency { get; init; } = "USD";
    /// <summary>Git commit of the code, or "unknown".</summary>
    public required string Commit { get; init; }
    /// <summary>Fill policy in words.</summary>
    public required string FillPolicy { get; init; }
    /// <summary>Which of SL and TP an M1 bar covering both hits first (<c>--same-bar</c>).</summary>
    public Core.Trading.SameBarRule SameBar { get; init; }
    /// <summary>Every parameter of the run, name → value, in display order.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; }
    /// <summary>The durable broker state of the run (<c>--broker-state</c>), or null.</summary>
    public BrokerStateDescription? BrokerState { get; init; }
}

/// <summary>
/// What a run with a durable broker state (<c>--broker-state</c>) started from and left behind. A resumed run
/// continued a killed or stopped run as a terminal restart does: the broker's deals and open positions came back
/// from the file, the engine's state from its journal, and the replay went on after the last recorded moment.
/// </summary>
public sealed record BrokerStateDescription
{
    /// <summary>The broker state file.</summary>
    public required string Path { get; init; }
    /// <summary>True when the file held a previous run's state and this run continued it; false for a fresh run that wrote it.</summary>
    public bool Resumed { get; init; }
    /// <summary>Server time (ms) the replay continued at: 1 ms after the later of the two times below, or --from when later (0 when not resumed).</summary>
    public long ResumedFromMsc { get; init; }
    /// <summary>The latest server time the broker file recorded (ms, 0 when none).</summary>
    public long BrokerLastTimeMsc { get; init; }
    /// <summary>The latest event time the engine journal recorded (ms, 0 when none).</summary>
    public long JournalLastTimeMsc { get; init; }
    /// <summary>The account's deposit.</summary>
    public double Deposit { get; init; }
    /// <summary>Money of the restored deals that belongs to no trade of this run (the statistics' initial balance is the deposit plus this).</summary>
    public double RestoredDeals { get; init; }
    /// <summary>Deals in the broker's history when the run started.</summary>
    public int RestoredDealCount { get; init; }
    /// <summary>Positions open at the broker when the run started.</summary>
    public int RestoredPositions { get; init; }
    /// <summary>The state each agent started trading with (breaker, positions), after reconciliation.</summary>
    public IReadOnlyList<Terminal.AgentStart> AgentStarts { get; init; } = [];
    /// <summary>Positions left open at the broker when the run stopped before the end of its data (0 otherwise).</summary>
    public int OpenPositionsAtEnd { get; init; }
    /// <summary>Entry commission the positions left open have paid (≤ 0): broker balance = final balance + this.</summary>
    public double OpenEntryCommissionAtEnd { get; init; }
    /// <summary>The broker's balance at the end.</summary>
    public double BalanceAtEnd { get; init; }
}
