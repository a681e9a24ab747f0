using System.Diagnostics;
using System.Globalization;
using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Time;
using KimiEA.Core.Trading;
using KimiEA.Data;
using KimiEA.Smc.Signal;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Report;
using KimiEA.Tester.Server;
using KimiEA.Tester.Server.Money;
using KimiEA.Tester.Terminal;

namespace KimiEA.Tester;

/// <summary>One data file of a run and the symbol it feeds (null: guessed from the file name, e.g. EURUSD_M1_….csv).</summary>
/// <param name="Path">The file.</param>
/// <param name="Symbol">Symbol name as the broker spells it (EURUSD.m), or null.</param>
/// <param name="SpecName">The catalogue entry <paramref name="Symbol"/> maps onto (<c>--symbol EURUSD.m=EURUSD</c>), or null to resolve the name itself.</param>
public sealed record DataInput(string Path, string? Symbol = null, string? SpecName = null);

/// <summary>Everything a backtest needs, with the CLI's defaults.</summary>
public sealed record BacktestSettings
{
    /// <summary>The data files, one per symbol (ticks, or bars of any timeframe from M1 to D1 up to the chart's).</summary>
    public required IReadOnlyList<DataInput> Data { get; init; }
    /// <summary>
    /// The clock of the data files' naive timestamps (<c>--data-time-zone</c>); null: each format's default
    /// (<see cref="DataReadOptions.DefaultZone"/>: MT5 exports ny-close, HistData America/New_York, normalized UTC).
    /// </summary>
    public MarketTimeZone? DataTimeZone { get; init; }
    /// <summary>Tick model.</summary>
    public TickModel Model { get; init; } = TickModel.Ticks;
    /// <summary>Chart timeframe name: M1, M5, M15, M30, H1, H4 or D1.</summary>
    public string Timeframe { get; init; } = "M15";
    /// <summary>Start (UTC, inclusive); earlier data only warms the engine up.</summary>
    public DateTime? From { get; init; }
    /// <summary>End (UTC, exclusive).</summary>
    public DateTime? To { get; init; }
    /// <summary>Seed of the slippage (an order's slippage depends on the seed and its ticket only, so a resumed run fills as an uninterrupted one).</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Deposit, in <see cref="Currency"/>.</summary>
    public double Balance { get; init; } = 10_000;
    /// <summary>Fixed spread in symbol points replacing the data's, or null (data without spreads then takes the spec's typical spread).</summary>
    public int? SpreadPoints { get; init; }
    /// <summary>Symbol specification files (<c>--spec</c>, docs/symbol-specs.md) laid over the built-in catalogue.</summary>
    public IReadOnlyList<string> SpecFiles { get; init; } = [];
    /// <summary>The account currency (<c>--currency</c>): every symbol's profit, margin and swap is converted to it.</summary>
    public string Currency { get; init; } = "USD";
    /// <summary>Fixed conversion rates by pair (<c>--rate USDJPY=110.5</c>), used for a pair no data file provides.</summary>
    public IReadOnlyDictionary<string, double> Rates { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);
    /// <summary>
    /// Data of conversion pairs replayed alongside the run without being traded (<c>--conversion-data</c>); a traded
    /// <see cref="Data"/> file of a pair converts too.
    /// </summary>
    public IReadOnlyList<DataInput> ConversionData { get; init; } = [];
    /// <summary>When the server day ends and swaps are charged (default 00:00 of the server time, the data's UTC).</summary>
    public RolloverSchedule Rollover { get; init; } = RolloverSchedule.ServerMidnight;
    /// <summary>Round-turn commission per lot, account currency.</summary>
    public double CommissionPerLot { get; init; } = 7;
    /// <summary>Maximal adverse slippage of market orders in points (uniform, seeded).</summary>
    public int MaxSlippagePoints { get; init; } = 2;
    /// <summary>Hedging (true) or netting account.</summary>
    public bool Hedging { get; init; } = true;
    /// <summary>Which of SL and TP an M1 bar covering both hits first (generated ticks); the report and summary name it.</summary>
    public SameBarRule SameBar { get; init; } = SameBarRule.StopFirst;
    /// <summary>The engine's journal file, or null.</summary>
    public string? JournalPath { get; init; }
    /// <summary>
    /// The broker's durable state (a <see cref="BrokerJournalFile"/>), or null. Missing or empty: a fresh run writes
    /// it. Holding state: the run is a restart — the broker's deals and positions come back, the engine restores
    /// itself from <see cref="JournalPath"/> (required) and reconciles, and the replay continues after the later of
    /// the last moment the broker file and the journal recorded. A run with a broker state that stops before the end
    /// of its data (<see cref="To"/>) leaves its positions open at the broker, as a terminal shutdown does.
    /// </summary>
    public string? BrokerStatePath { get; init; }
    /// <summary>
    /// False (the default): the first bad data row stops the run with a <see cref="MarketDataException"/> naming the
    /// file, line and problem. True (<c>--skip-bad-rows</c>): bad rows are skipped and counted per problem in each
    /// file's <see cref="DataQualityReport"/>.
    /// </summary>
    public bool SkipBadRows { get; init; }
    /// <summary>
    /// A signal calibration file (<c>kimi calibrate --fit --out</c>) every chart loads instead of the shipped fit; it
    /// must have been fitted for the EA's inputs in force and the run's time frame. Null: the shipped calibration.
    /// </summary>
    public string? CalibrationPath { get; init; }
    /// <summary>Binary cache folder (null: the Data library's default, ~/.cache/kimi).</summary>
    public string? CacheDirectory { get; init; }
    /// <summary>
    /// Overrides the EA inputs min_confidence and auto_execute_confidence (both set to this value) for exploring what
    /// the engine would trade below its defaults; null keeps the EA defaults.
    /// </summary>
    public double? MinConfidence { get; init; }
    /// <summary>
    /// The simulated trader's answer to intents in the approval band: true approves every one at once
    /// (<c>--approve all</c>), false lets them expire (<c>--approve none</c>, the default).
    /// </summary>
    public bool ApproveAll { get; init; }
    /// <summary>A pass of <c>kimi optimize</c>: as the EA under MQL_OPTIMIZATION, the charts draw no zones (<see cref="TerminalOptions.OptimizationPass"/>).</summary>
    public bool OptimizationPass { get; init; }
    /// <summary>Git commit to print in the report ("unknown" when null).</summary>
    public string? Commit { get; init; }
    /// <summary>
    /// The EA's inputs (a .set file, <c>--set</c>) applied to every chart's config over the EA defaults, as the EA's
    /// BuildConfig applies them; <see cref="MinConfidence"/> still overrides. Null: the EA defaults.
    /// </summary>
    public Func<KimiConfig, KimiConfig>? Inputs { get; init; }
    /// <summary>Where <see cref="Inputs"/> came from (the .set file), for the report.</summary>
    public string? InputsSource { get; init; }

    /// <summary>A chart's config: the EA defaults it is given, then <see cref="Inputs"/>, then <see cref="MinConfidence"/>.</summary>
    public KimiConfig Configure(KimiConfig config)
    {
        config = Inputs is { } inputs ? inputs(config) : config;
        return MinConfidence is { } mc ? config with { MinConfidence = mc, AutoExecuteConfidence = mc } : config;
    }

    /// <summary>Timeframe name → seconds.</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static long TimeframeSeconds(string name) => name.ToUpperInvariant() switch
    {
        "M1" => 60,
        "M5" => 300,
        "M15" => 900,
        "M30" => 1_800,
        "H1" => 3_600,
        "H4" => 14_400,
        "D1" => 86_400,
        _ => throw new ArgumentException($"'{name}' is not a timeframe (expected M1, M5, M15, M30, H1, H4 or D1).", nameof(name)),
    };
}

/// <summary>A finished backtest.</summary>
/// <param name="Result">What the terminal produced.</param>
/// <param name="Run">The run's description (inputs, parameters).</param>
/// <param name="Elapsed">Wall time of the replay (not written to summary.json or trades.csv).</param>
public sealed record BacktestOutcome(BacktestResult Result, RunDescription Run, TimeSpan Elapsed)
{
    /// <summary>Prices replayed per second of wall time.</summary>
    public double TicksPerSecond => Elapsed.TotalSeconds > 0 ? Result.Counters.Ticks / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Runs a backtest from data files: each file is converted once into the binary cache (KimiEA.Data) and replayed in
/// chunks, each symbol gets its agent, all share one simulated account.
/// </summary>
public static class BacktestRunner
{
    /// <summary>
    /// Prices the replay will produce at most (for a progress bar): 4 per data bar, one per tick (fewer when ticks are
    /// first turned into M1 bars).
    /// </summary>
    public static long ExpectedTicks(IEnumerable<CacheEntry> entries) =>
        entries.Sum(e => e.Kind == RecordKind.Bars ? e.Count * 4 : e.Count);

    /// <summary>Runs the backtest.</summary>
    /// <param name="settings">What to run.</param>
    /// <param name="engine">The engine (<see cref="NativeEngine"/> for real runs).</param>
    /// <param name="progress">Receives the prices processed so far, from the replay thread.</param>
    /// <param name="notice">Receives lines worth showing while the run goes on (a restart: what was restored), from the replay thread.</param>
    /// <exception cref="ArgumentException">Bad settings (unknown symbol, timeframe, two files for one symbol, a broker state of another account ...).</exception>
    /// <exception cref="InvalidDataException">The broker state file is malformed, or not a broker state (left untouched).</exception>
    /// <exception cref="MarketDataException">Unreadable data.</exception>
    /// <exception cref="InputFileException">A file is missing, a folder, a FIFO or unreadable.</exception>
    /// <exception cref="JournalUnusableException">The engine cannot use the journal (checked when the agents are created, before the replay).</exception>
    /// <exception cref="EngineException">The engine returned an error.</exception>
    public static BacktestOutcome Run(BacktestSettings settings, IEngineHost engine, Action<long>? progress = null, Action<string>? notice = null)
    {
        var inputs = Prepare(settings);
        return Run(settings, inputs, engine, progress, notice, PrepareConversion(settings, inputs));
    }

    /// <summary>
    /// Runs the backtest on inputs <see cref="Prepare"/> already resolved (the benchmarks time the replay alone this
    /// way; the fixed cost of preparing — format detection, the source hash that validates the cache — is measured
    /// on its own).
    /// </summary>
    /// <exception cref="ArgumentException">Bad settings.</exception>
    /// <exception cref="MarketDataException">Unreadable data.</exception>
    /// <exception cref="EngineException">The engine returned an error.</exception>
    public static BacktestOutcome Run(
        BacktestSettings settings,
        IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> inputs,
        IEngineHost engine,
        Action<long>? progress = null,
        Action<string>? notice = null,
        IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)>? conversion = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(engine);
        conversion ??= PrepareConversion(settings, inputs);
        var account = new AccountSettings { InitialBalance = settings.Balance, Hedging = settings.Hedging, Currency = settings.Currency };
        // The broker state is read (and refused when it is not one) before anything is written to it.
        var replayed = settings.BrokerStatePath is { } statePath ? BrokerJournalFile.Replay(statePath) : null;
        var resume = replayed is not null ? ResumptionOf(settings.BrokerStatePath!, replayed, settings, account, inputs) : null;
        var feeds = new List<SymbolFeed>();
        var series = new List<IDisposable>();
        BrokerJournalFile? brokerFile = null;
        var starts = new List<AgentStart>();
        var conversionSeries = new List<ConversionSeries>();
        try
        {
            var spreads = new List<FeedSpread>();
            var money = new MoneySettings { Series = OpenConversionSeries(settings.Currency, conversion, inputs, conversionSeries), FixedRates = settings.Rates, Rollover = settings.Rollover };
            foreach (var (input, symbol, entry) in inputs)
            {
                var spread = FeedSpread.For(settings.SpreadPoints, symbol, entry);
                spreads.Add(spread);
                if (entry.Kind == RecordKind.Ticks)
                {
                    var s = entry.OpenTicks();
                    series.Add(s);
                    feeds.Add(new SymbolFeed(symbol, settings.Model, new ChunkedRecords<MqlTick>(s.TryReadChunk), null, spread.FixedPoints));
                }
                else
                {
                    var s = entry.OpenBars();
                    series.Add(s);
                    feeds.Add(new SymbolFeed(symbol, settings.Model, null, new ChunkedRecords<MqlRates>(s.TryReadChunk), spread.FixedPoints, spread.DataPointSize, entry.Report.Period));
                }
            }

            var execution = new ExecutionSettings
            {
                Seed = settings.Seed,
                MaxSlippagePoints = settings.MaxSlippagePoints,
                CommissionPerLot = settings.CommissionPerLot,
                SameBar = settings.SameBar,
            };
            TesterSymbol[] symbols = [.. inputs.Select(i => i.Symbol)];
            var fromMsc = settings.From is { } f ? ToMsc(f) : long.MinValue;
            var toMsc = settings.To is { } t ? ToMsc(t) : long.MaxValue;
            // A restart goes on after the last recorded moment (or later, when --from says so).
            var startMsc = resume is null ? fromMsc : Math.Max(fromMsc, resume.FromMsc);
            TradeServer server;
            if (settings.BrokerStatePath is { } path)
            {
                if (replayed!.TornTailBytes > 0)
                {
                    notice?.Invoke(string.Create(CultureInfo.InvariantCulture,
                        $"broker state {path}: cutting the last {replayed.TornTailBytes} bytes ({replayed.TornTailLines} lines after the last complete request: a write the previous run did not finish, never applied)"));
                }

                brokerFile = new BrokerJournalFile(path, replayed);
                if (resume is null)
                {
                    brokerFile.WriteAccount(AccountOf(account, inputs));
                    server = new TradeServer(account, symbols, execution, brokerFile, money);
                }
                else
                {
                    server = TradeServer.Resume(account, symbols, execution, resume.State, brokerFile, money);
                    notice?.Invoke(string.Create(CultureInfo.InvariantCulture,
                        $"resumed from broker state {path}: {resume.State.Positions.Count} open positions, {resume.State.Deals.Count} deals, balance {server.Balance:0.00} (deposit {server.Deposit:0.00}); the replay continues {(startMsc == long.MinValue ? "from the start of the data (nothing was recorded yet)" : "at " + ReportFiles.Time(startMsc))}"));
                }
            }
            else
            {
                server = new TradeServer(account, symbols, execution, money: money);
            }

            var tf = BacktestSettings.TimeframeSeconds(settings.Timeframe);
            var host = settings.BrokerStatePath is null ? engine : new TerminalRestart(engine, symbols, resume?.State, s =>
            {
                starts.Add(s);
                notice?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"start {s.Symbol}: breaker={s.Breaker} breaker_code={s.BreakerCode} day_start_equity={s.DayStartEquity:R} open_positions={s.OpenPositions} halted={s.Halted}"));
            });
            var terminal = new SimulatedTerminal(host, server, feeds, new TerminalOptions
            {
                TimeframeSeconds = tf,
                FromMsc = startMsc,
                ToMsc = toMsc,
                JournalPath = settings.JournalPath,
                CalibrationPath = settings.CalibrationPath,
                Progress = progress,
                Configure = settings.Inputs is null && settings.MinConfidence is null ? null : settings.Configure,
                ApproveAll = settings.ApproveAll,
                OptimizationPass = settings.OptimizationPass,
                // A terminal shutdown is not the end of the test: the broker keeps the positions for the next run.
                CloseAtEnd = settings.BrokerStatePath is null || ReachesEndOfData(inputs, settings.Model, toMsc),
            });
            var clock = Stopwatch.StartNew();
            var result = terminal.Run();
            clock.Stop();
            if (WarmupShortfall(settings, result.Counters) is { } shortfall)
            {
                notice?.Invoke("warm-up: " + shortfall);
            }

            var run = Describe(settings, inputs, tf, spreads, result.Counters, server);
            if (settings.BrokerStatePath is { } p2)
            {
                run = run with
                {
                    BrokerState = new BrokerStateDescription
                    {
                        Path = p2,
                        Resumed = resume is not null,
                        ResumedFromMsc = resume is not null && startMsc > 0 ? startMsc : 0,
                        BrokerLastTimeMsc = resume?.State.LastTimeMsc ?? 0,
                        JournalLastTimeMsc = resume?.JournalLastTimeMsc ?? 0,
                        Deposit = server.Deposit,
                        RestoredDeals = server.RestoredDealsCents / 100.0,
                        RestoredDealCount = resume?.State.Deals.Count ?? 0,
                        RestoredPositions = resume?.State.Positions.Count ?? 0,
                        AgentStarts = [.. starts],
                        OpenPositionsAtEnd = server.Positions.Count,
                        OpenEntryCommissionAtEnd = server.OpenEntryCommissionCents / 100.0,
                        BalanceAtEnd = server.Balance,
                    },
                };
            }

            return new BacktestOutcome(result, run, clock.Elapsed);
        }
        finally
        {
            brokerFile?.Dispose();
            foreach (var c in conversionSeries)
            {
                c.Dispose();
            }

            foreach (var f in feeds)
            {
                f.Dispose();
            }

            foreach (var s in series)
            {
                s.Dispose();
            }
        }
    }

    /// <summary>Resolves symbols and builds (or reuses) the cache of every input; validates the settings.</summary>
    public static IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> Prepare(BacktestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Data.Count == 0)
        {
            throw new ArgumentException("No data file given.", nameof(settings));
        }

        BacktestSettings.TimeframeSeconds(settings.Timeframe);
        if (settings.From is { } from && settings.To is { } to && to <= from)
        {
            throw new ArgumentException($"--to {to.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} must be after --from {from.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}.");
        }

        if (settings.MinConfidence is { } conf && !(conf >= 0 && conf <= 1))
        {
            throw new ArgumentException($"--min-confidence must be within 0..1, got {conf.ToString(CultureInfo.InvariantCulture)}.", nameof(settings));
        }

        if (settings.CalibrationPath is { } calibration)
        {
            // refused before any replay, naming the file's problem or each input that differs (the engine checks again)
            var config = settings.Configure(KimiConfig.Defaults(0, BacktestSettings.TimeframeSeconds(settings.Timeframe)));
            SignalCalibrationFile.Load(calibration).EnsureMatches(SmcSignalOptions.FromInputs(config), symbol: null, config.TimeframeSeconds, calibration);
        }

        if (settings.BrokerStatePath is not null && string.IsNullOrWhiteSpace(settings.JournalPath))
        {
            throw new ArgumentException("--broker-state needs --journal: a restarted run gets the engine's state back from its journal and reconciles it with the broker's.", nameof(settings));
        }

        // Refused up front: a folder, a FIFO (whose open would block forever) or a missing folder; what the engine
        // cannot use beyond that (corrupt, foreign, read-only, locked) stops the run when its agent is created.
        if (!string.IsNullOrWhiteSpace(settings.JournalPath))
        {
            InputFile.CheckCreatable(settings.JournalPath);
        }

        if (settings.BrokerStatePath is { } brokerState)
        {
            InputFile.CheckCreatable(brokerState);
        }

        if (settings.SpreadPoints < 0)
        {
            throw new ArgumentException($"The spread cannot be negative, got {settings.SpreadPoints} points.", nameof(settings));
        }

        var catalog = CatalogOf(settings);
        var cache = new MarketDataCache(settings.CacheDirectory);
        var list = new List<(DataInput, TesterSymbol, CacheEntry)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var options = (settings.SkipBadRows ? DataReadOptions.Lenient : DataReadOptions.Default) with { TimeZone = settings.DataTimeZone };
        var chart = BacktestSettings.TimeframeSeconds(settings.Timeframe);
        foreach (var input in settings.Data)
        {
            // Before anything else about the file: a missing file is reported as missing, a FIFO is never opened.
            InputFile.CheckExistingRegular(input.Path);
            var symbol = ResolveSymbol(catalog, input).Symbol;

            if (!seen.Add(symbol.Name))
            {
                throw new ArgumentException($"Two data files for {symbol.Name}: one file per symbol (each symbol is one agent).", nameof(settings));
            }

            var entry = cache.Get(input.Path, options);
            if (entry.Kind == RecordKind.Bars && settings.Model == TickModel.Ticks)
            {
                throw new ArgumentException($"{input.Path} holds bars; the real-ticks mode needs tick data (use --mode m1ohlc or --mode open).", nameof(settings));
            }

            if (entry.Kind == RecordKind.Bars)
            {
                CheckDataTimeframe(input.Path, entry.Report.Period, chart, settings.Timeframe);
            }

            // Refused here, before the engine loads, when the file has no spread and nothing says which to use.
            FeedSpread.For(settings.SpreadPoints, symbol, entry);
            list.Add((input, symbol, entry));
        }

        CheckWindow(settings, list);
        // A currency no data file or fixed rate converts refuses the run here, before anything is replayed.
        new AccountSettings { Currency = settings.Currency }.Validate();
        var pairs = list.Select(i => i.Item2).Concat(settings.ConversionData.Select(c => ConversionSymbolOf(c, settings)))
            .Where(s => s.BaseCurrency != s.ProfitCurrency).Select(s => new CurrencyPair(s.BaseCurrency, s.ProfitCurrency));
        CurrencyConverter.Check(settings.Currency, [.. list.Select(i => i.Item2)], pairs, settings.Rates);
        return list;
    }

    /// <summary>The symbol catalogue of a run: the built-in one with the run's <c>--spec</c> files over it.</summary>
    /// <exception cref="SymbolSpecException">A spec file is not valid (file, line and field named).</exception>
    /// <exception cref="InputFileException">A spec file is missing or unreadable.</exception>
    public static SymbolCatalog CatalogOf(BacktestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.SpecFiles.Count == 0 ? SymbolCatalog.BuiltIn : SymbolCatalog.BuiltIn.WithFiles(settings.SpecFiles);
    }

    /// <summary>
    /// One line per input saying which specification and which spread it runs with, and why (printed before the run;
    /// the report and summary.json carry the same).
    /// </summary>
    public static IReadOnlyList<string> SymbolNotes(BacktestSettings settings, IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var catalog = CatalogOf(settings);
        return [.. inputs.Select(i => $"{ResolveSymbol(catalog, i.Input).Describe()}; spread {FeedSpread.For(settings.SpreadPoints, i.Symbol, i.Entry).Description}")];
    }

    /// <summary>The specification of an input: its --symbol (resolved, or mapped with NAME=SPEC), else the symbol its file is named after.</summary>
    private static SymbolResolution ResolveSymbol(SymbolCatalog catalog, DataInput input) =>
        input.Symbol is { } name
            ? catalog.Resolve(name, input.SpecName)
            : catalog.GuessFromFileName(input.Path)
                ?? throw new ArgumentException($"Cannot tell the symbol of {input.Path} from its name: no part of it is a symbol of the {string.Join(" or ", catalog.Sources)}. "
                    + "Pass --symbol NAME (NAME=SPEC maps a broker name onto a known symbol); `kimi backtest --list-symbols` lists the known ones, docs/symbol-specs.md says how to add one with --spec.");

    /// <summary>
    /// Resolves the conversion-only data files (<see cref="BacktestSettings.ConversionData"/>) and builds their cache. A
    /// file that starts after the run's first traded price is refused: a deal before its first price would be converted
    /// at a price from the future.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown pair, or data that starts too late.</exception>
    public static IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> PrepareConversion(
        BacktestSettings settings, IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> inputs)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(inputs);
        if (settings.ConversionData.Count == 0)
        {
            return [];
        }

        var cache = new MarketDataCache(settings.CacheDirectory);
        var options = settings.SkipBadRows ? DataReadOptions.Lenient : DataReadOptions.Default;
        var firstTraded = Math.Max(settings.From is { } f ? ToMsc(f) : long.MinValue, inputs.Min(i => FirstPriceMsc(i.Entry)));
        var list = new List<(DataInput, TesterSymbol, CacheEntry)>();
        foreach (var input in settings.ConversionData)
        {
            var symbol = ConversionSymbolOf(input, settings);
            if (symbol.BaseCurrency == symbol.ProfitCurrency)
            {
                throw new ArgumentException($"--conversion-data {input.Path}: {symbol.Name} is not a currency pair (its base and profit currency are both {symbol.BaseCurrency}), so it converts nothing.", nameof(settings));
            }

            var entry = cache.Get(input.Path, options);
            if (FirstPriceMsc(entry) > firstTraded)
            {
                throw new ArgumentException($"--conversion-data {input.Path}: its first {symbol.Name} price is at {ReportFiles.Time(FirstPriceMsc(entry))}, after the run's first traded price at {ReportFiles.Time(firstTraded)}; give data that covers the whole run (or a fixed --rate).", nameof(settings));
            }

            list.Add((input, symbol, entry));
        }

        return list;
    }

    /// <summary>A conversion file's pair: a missing file is reported as missing before its name is read.</summary>
    private static TesterSymbol ConversionSymbolOf(DataInput input, BacktestSettings settings)
    {
        InputFile.CheckExistingRegular(input.Path);
        var catalog = CatalogOf(settings);
        if (input.Symbol is null && catalog.GuessFromFileName(input.Path) is null)
        {
            throw new ArgumentException($"Cannot tell the pair of --conversion-data {input.Path} from its name; name the file after its pair (e.g. USDJPY_M1.csv) or give it as PAIR=FILE.", nameof(settings));
        }

        return ResolveSymbol(catalog, input).Symbol;
    }


    /// <summary>
    /// The conversion series of a run: for each pair some symbol's money needs (not its own pair), the first
    /// conversion-only file of that pair, else a traded file of it (opened a second time, so its conversion price follows
    /// its data whatever order the terminal replays in). Files no conversion needs are not opened.
    /// </summary>
    private static List<ConversionSeries> OpenConversionSeries(
        string accountCurrency,
        IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> conversion,
        IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> inputs,
        List<ConversionSeries> opened)
    {
        var needed = new HashSet<CurrencyPair>();
        foreach (var (_, s, _) in inputs)
        {
            foreach (var currency in new[] { s.ProfitCurrency, s.MarginCurrency, s.SwapMode == SwapMode.CurrencySymbol ? s.BaseCurrency : accountCurrency })
            {
                var own = new CurrencyPair(s.BaseCurrency, s.ProfitCurrency);
                var pair = new CurrencyPair(currency, accountCurrency);
                var inverse = new CurrencyPair(accountCurrency, currency);
                if (currency != accountCurrency && own != pair && own != inverse)
                {
                    needed.Add(pair);
                    needed.Add(inverse);
                }
            }
        }

        foreach (var (input, symbol, entry) in conversion.Concat(inputs))
        {
            var pair = new CurrencyPair(symbol.BaseCurrency, symbol.ProfitCurrency);
            if (symbol.BaseCurrency == symbol.ProfitCurrency || !needed.Remove(pair))
            {
                continue;
            }

            needed.Remove(new CurrencyPair(pair.Quote, pair.Base));
            var source = Path.GetFileName(input.Path);
            if (entry.Kind == RecordKind.Ticks)
            {
                var ticks = entry.OpenTicks();
                opened.Add(new ConversionSeries(pair, source, ConversionSeries.FromTicks(ticks.TryReadChunk), ticks));
            }
            else
            {
                var bars = entry.OpenBars();
                opened.Add(new ConversionSeries(pair, source, ConversionSeries.FromBars(bars.TryReadChunk, ConversionSpreadPoint(symbol, entry)), bars));
            }
        }

        return opened;
    }

    /// <summary>
    /// The price of one unit of a conversion file's spread column, by the one rule of <see cref="FeedSpread"/> (the
    /// format decides the unit). A file without a spread column reads spreads of 0: the pair converts at its bid.
    /// </summary>
    private static double ConversionSpreadPoint(TesterSymbol symbol, CacheEntry entry) =>
        FeedSpread.For(null, symbol, entry.Report.Format, RecordKind.Bars, hasSpreadColumn: true, entry.SourcePath).DataPointSize;

    /// <summary>What a restart continues from: the broker's state and the moment the replay goes on at.</summary>
    private sealed record Resumption(BrokerState State, long FromMsc, long JournalLastTimeMsc);

    private static BrokerAccount AccountOf(AccountSettings account, IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> inputs) =>
        new((long)Math.Round(account.InitialBalance * 100, MidpointRounding.AwayFromZero), account.Hedging, [.. inputs.Select(i => i.Symbol.Name)]) { Currency = account.Currency };

    /// <summary>
    /// What the replayed broker state continues: null for a fresh run (missing or empty file), else the state and where the replay
    /// continues — 1 ms after the later of the last time the broker file and the engine journal recorded. Everything
    /// durable happened at or before that moment; whatever the killed run did after it left no trace, so a restart
    /// neither repeats a recorded decision nor skips one.
    /// </summary>
    private static Resumption? ResumptionOf(string path, BrokerState state, BacktestSettings settings, AccountSettings account,
        IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> inputs)
    {
        if (state.IsEmpty)
        {
            return null;
        }

        var expected = AccountOf(account, inputs);
        // Replay refuses a file whose first line is not the account record, so a completed request carries it.
        var written = state.Account ?? throw new InvalidDataException($"{path}: the broker state has no account record.");

        if (written.DepositCents != expected.DepositCents || written.Hedging != expected.Hedging || written.Currency != expected.Currency
            || !written.Symbols.SequenceEqual(expected.Symbols, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The broker state {path} belongs to another account ({written}); this run has {expected}. Restart with the same --data, --balance, --currency and account type, or use a new file.", nameof(settings));
        }

        long? journalTime;
        try
        {
            journalTime = KimiEA.Journal.JournalReader.LastEventTime(settings.JournalPath!);
        }
        catch (KimiEA.Journal.JournalException e)
        {
            throw new ArgumentException($"--journal: {e.Message}", nameof(settings), e);
        }

        var last = Math.Max(state.LastTimeMsc, journalTime ?? 0);
        return new Resumption(state, last > 0 ? last + 1 : long.MinValue, journalTime ?? 0);
    }

    /// <summary>True when the replay runs to the end of every input (no <c>--to</c> cutting data off).</summary>
    private static bool ReachesEndOfData(IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> inputs, TickModel model, long toMsc)
    {
        foreach (var (_, _, entry) in inputs)
        {
            if (toMsc <= LastPriceMsc(entry, model))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Bars of any timeframe from M1 to D1 replay on a chart of that timeframe or a multiple of it (MT5 generates the
    /// prices from the lowest timeframe available); a chart below the data's timeframe cannot be built from it.
    /// </summary>
    private static void CheckDataTimeframe(string path, long period, long chart, string chartName)
    {
        if (period is < 60 or > 86_400 || 86_400 % period != 0 || period % 60 != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{path}: its bars are {period} seconds apart, which is not a timeframe from M1 to D1 (whole minutes dividing a day); the tester replays such bars, or ticks."));
        }

        var data = DataTimeframeName(period);
        if (chart < period)
        {
            throw new ArgumentException($"The chart timeframe {chartName.ToUpperInvariant()} is below the timeframe of {path} ({data}): a chart needs data of its timeframe or shorter; use --timeframe {data} or above, or data of a shorter timeframe.");
        }

        if (chart % period != 0)
        {
            throw new ArgumentException($"The chart timeframe {chartName.ToUpperInvariant()} is not a whole number of {data} bars ({path}): use a chart timeframe that is a multiple of {data}.");
        }
    }

    /// <summary>MT5's name of a bar period that divides a day: M1 … M30, H1 … H12, D1.</summary>
    public static string DataTimeframeName(long periodSeconds) => PeriodFrame.OfSeconds(periodSeconds).Name;

    /// <summary>What the run said about the engine's warm-up, or null when every chart got the bars it asks for.</summary>
    private static string? WarmupShortfall(BacktestSettings settings, RunCounters c) =>
        c.WarmupBars >= c.WarmupBarsWanted ? null
        : settings.From is null
            ? string.Create(CultureInfo.InvariantCulture, $"no --from: the engine starts cold at the start of the data with {c.WarmupBars} of the {c.WarmupBarsWanted} warm-up bars the EA asks for; pass --from later in the data so the bars before it warm the engine up")
            : string.Create(CultureInfo.InvariantCulture, $"only {c.WarmupBars} of the {c.WarmupBarsWanted} warm-up bars the EA asks for lie in the data before --from; the engine starts with less history than the EA would have");

    /// <summary>The last price a file can produce (ms): a bar's path ticks stay inside its bar; ticks turned into M1 bars too.</summary>
    private static long LastPriceMsc(CacheEntry entry, TickModel model) =>
        entry.Kind == RecordKind.Bars
            ? ((entry.Report.LastTime + entry.Report.Period) * 1000) - 1
            : model == TickModel.Ticks ? entry.Report.LastTime : (entry.Report.LastTime / 60_000 * 60_000) + 59_999;

    /// <summary>The first price a file produces (ms).</summary>
    private static long FirstPriceMsc(CacheEntry entry) =>
        entry.Kind == RecordKind.Bars ? entry.Report.FirstTime * 1000 : entry.Report.FirstTime;

    /// <summary>--from and --to must leave some data to replay: a window outside every file is an error, not an empty run.</summary>
    private static void CheckWindow(BacktestSettings settings, IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> inputs)
    {
        var first = inputs.Min(i => FirstPriceMsc(i.Entry));
        var last = inputs.Max(i => LastPriceMsc(i.Entry, settings.Model));
        var range = $"the data runs from {ReportFiles.Time(first)} to {ReportFiles.Time(last)}";
        if (settings.From is { } from && ToMsc(from) > last)
        {
            throw new ArgumentException($"--from {from.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} is after the end of the data: {range}.");
        }

        if (settings.To is { } to && ToMsc(to) <= first)
        {
            throw new ArgumentException($"--to {to.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} is before the start of the data: {range}.");
        }
    }

    /// <summary>How each symbol's money reaches the account currency, for the report (e.g. "EURJPY profit JPY via USDJPY from USDJPY_M1_2013-02.norm.csv").</summary>
    private static string DescribeConversion(TradeServer server)
    {
        var c = server.Converter;
        var parts = new List<string>();
        for (var i = 0; i < server.Symbols.Count; i++)
        {
            var sym = server.Symbols[i];
            foreach (var (what, currency, route) in new[] { ("profit", sym.ProfitCurrency, c.ProfitRoute(i)), ("margin", sym.MarginCurrency, c.MarginRoute(i)), ("swap", sym.BaseCurrency, c.BaseRoute(i)) })
            {
                if (route.Kind != ConversionKind.Identity)
                {
                    parts.Add($"{sym.Name} {what} {currency} via {c.Describe(route)}");
                }
            }
        }

        return parts.Count == 0
            ? $"none (every symbol's money is in {c.AccountCurrency})"
            : string.Join("; ", parts) + "; profits converted at the pair's bid, losses and margin at its ask (divided: the other way round)";
    }

    /// <summary>The swap terms of the symbols that charge swaps, for the report.</summary>
    private static string DescribeSwaps(TradeServer server, RolloverSchedule rollover)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = server.Symbols.Where(s => s.SwapMode != SwapMode.Disabled && (s.SwapLong != 0 || s.SwapShort != 0))
            .Select(s => string.Create(inv, $"{s.Name} {s.SwapMode} long {s.SwapLong:0.####} short {s.SwapShort:0.####}, triple on {s.TripleSwapDay}"))
            .ToList();
        return parts.Count == 0
            ? "none (no symbol charges swaps)"
            : string.Join("; ", parts) + $"; charged at each server day's end ({rollover.Description}), none for Saturday and Sunday, paid with the closing deal";
    }

    private static long ToMsc(DateTime t) =>
        (long)(DateTime.SpecifyKind(t, t.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : t.Kind).ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;

    private static RunDescription Describe(BacktestSettings s, IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> inputs, long tf, List<FeedSpread> spreads, RunCounters counters, TradeServer server)
    {
        var inv = CultureInfo.InvariantCulture;
        var catalog = CatalogOf(s);
        var dataTimeframes = string.Join(", ", inputs.Select(i => i.Entry.Kind == RecordKind.Ticks ? "ticks" : DataTimeframeName(i.Entry.Report.Period)).Distinct());
        var barSource = string.Join(" and ", inputs.Select(i => i.Entry.Kind == RecordKind.Ticks
            ? "M1 bars built from the ticks"
            : DataTimeframeName(i.Entry.Report.Period) + " bars of the data (the lowest timeframe available)").Distinct());
        var priceModel = s.Model switch
        {
            TickModel.Ticks => "every tick (real ticks as recorded)",
            TickModel.M1Ohlc => $"OHLC: 4 ticks per bar (open, first and second extreme, close) from {barSource}",
            _ => $"open prices only: the EA sees the first price of each chart bar; 4 hidden ticks per bar from {barSource} move the server (SL/TP)",
        };
        var fill = $"market orders at ask (buy) / bid (sell) with 0–{s.MaxSlippagePoints} points of seeded adverse slippage; "
            + "server-side SL/TP against the bid for buys and the ask for sells, a gap fills at the first price beyond the level; "
            + $"SL and TP inside one data bar: {(s.SameBar == SameBarRule.TargetFirst ? "take-profit first" : "stop first")} (--same-bar {s.SameBar.ToCode()}); "
            + $"commission {s.CommissionPerLot.ToString("0.00", inv)} {s.Currency} per lot round turn, half per deal; "
            + $"{(s.Hedging ? "hedging" : "netting")} account 1:30, stop-out at 50 %";
        return new RunDescription
        {
            DataFiles = [.. inputs.Select((i, n) => new DataFileInfo(i.Input.Path, i.Symbol.Name, i.Entry.Kind == RecordKind.Ticks ? "ticks" : DataTimeframeName(i.Entry.Report.Period) + " bars",
                i.Entry.SourceSha256, i.Entry.Count, i.Entry.Report) { SpreadSource = spreads[n].OriginCode, Spread = spreads[n].Description })],
            Symbols = [.. inputs.Select(i => i.Symbol.Name)],
            Mode = s.Model.ToCode(),
            DataTimeframe = dataTimeframes,
            PriceModel = priceModel,
            Timeframe = s.Timeframe.ToUpperInvariant(),
            TimeframeSeconds = tf,
            Seed = s.Seed,
            Currency = s.Currency,
            Commit = s.Commit ?? "unknown",
            FillPolicy = fill,
            SameBar = s.SameBar,
            Parameters =
            [
                new("data timeframe", dataTimeframes),
                new("price model", priceModel),
                new("data time zone", string.Join(", ", inputs.Select(i => i.Entry.Report.TimeZone).Distinct()) + (s.DataTimeZone is null ? " (the format's default; --data-time-zone to change)" : " (--data-time-zone)")),
                new("warm-up", string.Create(inv, $"{counters.WarmupBars} of {counters.WarmupBarsWanted} bars from the data before the start") + (WarmupShortfall(s, counters) is { } w ? ": " + w : string.Empty)),
                new("balance", s.Balance.ToString("0.00", inv)),
                new("from", s.From?.ToString("yyyy-MM-dd HH:mm 'UTC'", inv) ?? "start of data"),
                new("to", s.To?.ToString("yyyy-MM-dd HH:mm 'UTC'", inv) ?? "end of data"),
                new("bad data rows", s.SkipBadRows ? "skipped and counted (--skip-bad-rows)" : "refused: the first one stops the run (a tick repeating the previous one exactly is dropped and counted)"),
                .. inputs.Select(i => new KeyValuePair<string, string>($"spec {i.Symbol.Name}", ResolveSymbol(catalog, i.Input).Describe())),
                .. inputs.Select((i, n) => new KeyValuePair<string, string>($"spread {i.Symbol.Name}", spreads[n].Description)),
                .. s.SpecFiles.Count > 0 ? [new KeyValuePair<string, string>("symbol specifications", string.Join(", ", s.SpecFiles) + " over the built-in catalogue")] : Array.Empty<KeyValuePair<string, string>>(),
                new("commission per lot", s.CommissionPerLot.ToString("0.00", inv)),
                new("account currency", s.Currency),
                new("conversion", DescribeConversion(server)),
                new("swaps", DescribeSwaps(server, s.Rollover)),
                new("max slippage", $"{s.MaxSlippagePoints} points"),
                new("account", s.Hedging ? "hedging" : "netting"),
                new("same-bar rule", s.SameBar.ToCode()),
                new("journal", s.JournalPath ?? "none"),
                new("min confidence", s.MinConfidence is { } mc ? mc.ToString("0.00", inv) + " (overrides the EA defaults)" : "EA defaults"),
                new("approval band", s.ApproveAll ? "every intent approved (--approve all)" : "no intent approved, they expire (--approve none)"),
                .. s.InputsSource is { } set ? [new KeyValuePair<string, string>("EA inputs", set)] : Array.Empty<KeyValuePair<string, string>>(),
                .. s.BrokerStatePath is { } b ? [new KeyValuePair<string, string>("broker state", b)] : Array.Empty<KeyValuePair<string, string>>(),
            ],
        };
    }
}

/// <summary>Presents a chunked reader (the binary cache's replay) as an enumerable of records, copying each chunk once.</summary>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class ChunkedRecords<T>(ChunkedRecords<T>.ReadChunk read) : IEnumerable<T>
    where T : struct
{
    /// <summary>Reads the next chunk; false at the end.</summary>
    public delegate bool ReadChunk(out ReadOnlySpan<T> chunk);

    public IEnumerator<T> GetEnumerator() => new Enumerator(read);

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Enumerator(ReadChunk read) : IEnumerator<T>
    {
        private T[] _buffer = [];
        private int _length;
        private int _index = -1;

        public T Current => _buffer[_index];

        object System.Collections.IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (++_index < _length)
            {
                return true;
            }

            if (!read(out var chunk))
            {
                _index = _length;
                return false;
            }

            if (_buffer.Length < chunk.Length)
            {
                // Pooled for the same reason as the cache's chunk buffer: no large-object allocation per run.
                ReturnBuffer();
                _buffer = System.Buffers.ArrayPool<T>.Shared.Rent(chunk.Length);
            }

            chunk.CopyTo(_buffer);
            _length = chunk.Length;
            _index = 0;
            return _length > 0;
        }

        public void Reset() => throw new NotSupportedException("The cache replay is forward-only.");

        public void Dispose()
        {
            ReturnBuffer();
            _length = 0;
            _index = -1;
        }

        private void ReturnBuffer()
        {
            if (_buffer.Length > 0)
            {
                System.Buffers.ArrayPool<T>.Shared.Return(_buffer);
                _buffer = [];
            }
        }
    }
}
