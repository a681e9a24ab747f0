using System.Globalization;
using KimiEA.Core.Trading;
using KimiEA.Data;
using KimiEA.Tester;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Report;
using KimiEA.Tester.Server;
using KimiEA.Tester.Terminal;
using Spectre.Console;

namespace KimiEA.Cli.Backtest;

/// <summary>The raw option values of <c>kimi backtest</c>.</summary>
internal sealed record BacktestArguments
{
    public required IReadOnlyList<string> Data { get; init; }
    public required IReadOnlyList<string> Symbols { get; init; }
    public IReadOnlyList<string> Specs { get; init; } = [];
    public bool ListSymbols { get; init; }
    public required string Mode { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public required string Out { get; init; }
    public required string Seed { get; init; }
    public string? Journal { get; init; }
    public string? Calibration { get; init; }
    public string? BrokerState { get; init; }
    public required string Timeframe { get; init; }
    public required string Balance { get; init; }
    public string? Spread { get; init; }
    public required string Commission { get; init; }
    public required string Slippage { get; init; }
    public bool Netting { get; init; }
    public string SameBar { get; init; } = "stop-first";
    public bool SkipBadRows { get; init; }
    public string? Cache { get; init; }
    public string? MinConfidence { get; init; }
    public string? Approve { get; init; }
    public string? DataTimeZone { get; init; }
    public string? Set { get; init; }
    public string Currency { get; init; } = "USD";
    public IReadOnlyList<string> Rates { get; init; } = [];
    public IReadOnlyList<string> ConversionData { get; init; } = [];
}

/// <summary>Runs <c>kimi backtest</c>: argument checks, the run with a progress bar, the output files and the exit code.</summary>
internal static class BacktestCli
{
    public const int Ok = 0;
    public const int BadInput = 2;
    public const int EngineError = 3;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Execute(BacktestArguments args)
    {
        BacktestSettings settings;
        try
        {
            if (args.ListSymbols)
            {
                Console.WriteLine(BacktestRunner.CatalogOf(new BacktestSettings { Data = [], SpecFiles = args.Specs }).Listing());
                return Ok;
            }

            settings = ToSettings(args);
            // Convert the data (or find it in the cache) before loading the engine, so bad data is reported as such.
            var inputs = BacktestRunner.Prepare(settings);
            PrintSkipped(inputs.Select(i => i.Entry.Report).Where(r => settings.SkipBadRows || r.RowsSkipped > 0));
            // An --out the report cannot be written to is refused now, not after the whole run.
            ReportFiles.CheckOutputFolder(args.Out, "--out");
            foreach (var note in BacktestRunner.SymbolNotes(settings, inputs))
            {
                Console.WriteLine(note);
            }
            PrintZoneNotices(settings, inputs.Select(i => i.Entry.Report));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or MarketDataException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {CliErrors.Text(e)}");
            return BadInput;
        }

        try
        {
            var engine = NativeEngine.Load();
            var outcome = RunWithProgress(settings, engine);
            (string Report, string Summary, string Trades) files;
            try
            {
                files = ReportFiles.WriteAll(args.Out, outcome.Result, outcome.Run);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"--out {args.Out}: cannot write the report files: {e.Message}", e);
            }

            var s = outcome.Result.Statistics;
            Console.WriteLine(string.Create(Inv, $"{string.Join(",", outcome.Run.Symbols)} {outcome.Run.Timeframe} {outcome.Run.Mode}: {s.Trades} trades, net profit {s.NetProfit:0.00}, final balance {s.FinalBalance:0.00}, max drawdown {s.EquityDrawdownRelativePercent:0.00} %"));
            // The OHLC and open-price models make exactly 4 prices of every data bar: the replay's bar rate is a quarter.
            var barRate = settings.Model == TickModel.Ticks ? string.Empty : string.Create(Inv, $" ({outcome.TicksPerSecond / 4:#,0} {outcome.Run.DataTimeframe} bars/s)");
            Console.WriteLine(string.Create(Inv, $"{outcome.Result.Counters.Ticks} prices in {outcome.Elapsed.TotalSeconds:0.000} s: {outcome.TicksPerSecond:#,0} ticks/s{barRate}"));
            if (outcome.Run.BrokerState is { } b)
            {
                Console.WriteLine(b.Resumed
                    ? string.Create(Inv, $"resumed run: trades of this run only, from a balance of {s.InitialBalance:0.00} at the restart (deposit {b.Deposit:0.00} + restored deals {b.RestoredDeals:0.00}); broker balance {b.BalanceAtEnd:0.00}, {b.OpenPositionsAtEnd} positions left open at the broker")
                    : string.Create(Inv, $"broker state {b.Path} written; broker balance {b.BalanceAtEnd:0.00}, {b.OpenPositionsAtEnd} positions left open at the broker"));
            }

            Console.WriteLine($"report: {files.Report}");
            return Ok;
        }
        catch (EngineException e)
        {
            Console.Error.WriteLine($"engine error: {e.Message}");
            return EngineError;
        }
        catch (Exception e) when (e is ArgumentException or MarketDataException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // InvalidDataException: a malformed broker state file (the message names the file and line). IOException
            // covers a journal the engine cannot use (JournalUnusableException) and unusable files (InputFileException).
            Console.Error.WriteLine($"error: {CliErrors.Text(e)}");
            return BadInput;
        }
        catch (InvalidOperationException e) when (settings.BrokerStatePath is not null)
        {
            // The broker state cannot be continued (e.g. its balance is gone, or it names a symbol this run lacks).
            Console.Error.WriteLine($"error: broker state {settings.BrokerStatePath}: {e.Message}");
            return BadInput;
        }
    }

    /// <summary>Parses and checks the option values; throws ArgumentException/FormatException naming the option.</summary>
    public static BacktestSettings ToSettings(BacktestArguments a)
    {
        var model = TickModelNames.Parse(a.Mode);
        var data = a.Data.Count > 0 ? a.Data : [DefaultSample(model)];
        if (a.Symbols.Count > 0 && a.Symbols.Count != data.Count)
        {
            throw new ArgumentException($"--symbol was given {a.Symbols.Count} times for {data.Count} --data files; give one per file or none.");
        }

        BacktestSettings.TimeframeSeconds(a.Timeframe);
        var inputs = a.Set is null ? null : KimiEA.Optimize.Inputs.SetFile.Load(a.Set);
        foreach (var notice in inputs?.HostOnlyNotices() ?? [])
        {
            Console.WriteLine(notice);
        }

        return new BacktestSettings
        {
            Inputs = inputs is null ? null : inputs.Apply,
            InputsSource = a.Set,
            Data = [.. data.Select((d, i) => a.Symbols.Count > 0 ? SymbolOption(d, a.Symbols[i]) : new DataInput(d))],
            SpecFiles = a.Specs,
            Model = model,
            Timeframe = a.Timeframe.ToUpperInvariant(),
            From = a.From is null ? null : Date("--from", a.From),
            To = a.To is null ? null : Date("--to", a.To),
            Seed = Int("--seed", a.Seed, int.MinValue),
            Balance = Number("--balance", a.Balance, positive: true),
            SpreadPoints = a.Spread is null ? null : Int("--spread", a.Spread, 0),
            CommissionPerLot = Number("--commission", a.Commission, positive: false),
            MaxSlippagePoints = Int("--slippage", a.Slippage, 0),
            Hedging = !a.Netting,
            SameBar = SameBarOption("--same-bar", a.SameBar),
            JournalPath = a.Journal,
            SkipBadRows = a.SkipBadRows,
            CalibrationPath = a.Calibration,
            BrokerStatePath = a.BrokerState is null ? null
                : a.Journal is null ? throw new ArgumentException("--broker-state needs --journal: a restarted run gets the engine's state back from its journal and reconciles it with the broker's.")
                : a.BrokerState,
            CacheDirectory = a.Cache,
            DataTimeZone = a.DataTimeZone is null ? null : DataZone(a.DataTimeZone),
            MinConfidence = a.MinConfidence is null ? null : Number("--min-confidence", a.MinConfidence, positive: false),
            ApproveAll = (a.Approve ?? "none") switch
            {
                "all" => true,
                "none" => false,
                _ => throw new ArgumentException($"--approve must be all or none, got '{a.Approve}'."),
            },
            Currency = a.Currency.ToUpperInvariant(),
            Rates = RateOptions(a.Rates),
            ConversionData = [.. a.ConversionData.Select(c => new DataInput(c))],
            Commit = GitInfo.ReadCommit(Directory.GetCurrentDirectory()) is var c && c != "unknown" ? c : GitInfo.ReadCommit(AppContext.BaseDirectory),
        };
    }

    /// <summary>
    /// How many rows of each file were skipped and why, with the first examples: every file under --skip-bad-rows, and
    /// without it a file whose only dropped rows are exact repeats of the previous tick. The counts are the data
    /// reader's report, the same object the report's Data table and summary.json's data_files print.
    /// </summary>
    private static void PrintSkipped(IEnumerable<DataQualityReport> reports)
    {
        foreach (var r in reports)
        {
            var why = r.SkippedByProblem.Where(kv => kv.Value > 0).Select(kv => string.Create(Inv, $"{DataQualityReport.ProblemName(kv.Key)} {kv.Value}"));
            Console.WriteLine(string.Create(Inv, $"{r.Source}: {r.RowsSkipped} of {r.RowsRead} data rows skipped{(r.RowsSkipped > 0 ? ": " + string.Join(", ", why) : string.Empty)}"));
            foreach (var e in r.Examples.Take(3))
            {
                Console.WriteLine(string.Create(Inv, $"  line {e.Line}: {e.Message}"));
            }
        }
    }

    /// <summary>A --symbol value: NAME (as the broker spells it) or NAME=SPEC (NAME mapped onto the catalogue entry SPEC).</summary>
    private static DataInput SymbolOption(string path, string text)
    {
        var parts = text.Split('=');
        if (parts.Length > 2 || parts.Any(p => p.Trim().Length == 0))
        {
            throw new FormatException($"--symbol: '{text}' is neither NAME nor NAME=SPEC (e.g. EURUSD.m=EURUSD).");
        }

        return new DataInput(path, parts[0].Trim(), parts.Length == 2 ? parts[1].Trim() : null);
    }

    /// <summary>
    /// An MT5 export read in the default broker clock says so: its times are the broker's server time, which the file
    /// does not state, and a broker on another clock needs --data-time-zone.
    /// </summary>
    private static void PrintZoneNotices(BacktestSettings settings, IEnumerable<DataQualityReport> reports)
    {
        if (settings.DataTimeZone is not null)
        {
            return;
        }

        foreach (var r in reports.Where(r => r.Format is DataFormat.Mt5Bars or DataFormat.Mt5Ticks))
        {
            Console.WriteLine($"notice: {r.Source} is an MT5 export: its times are read as broker server time {r.TimeZone} (UTC+2, UTC+3 while New York is on daylight saving; the server day starts at 17:00 New York) and converted to UTC; pass --data-time-zone (e.g. +02:00 or UTC) if your broker's clock differs.");
        }
    }

    /// <summary>Parses a --data-time-zone value; the error names the option.</summary>
    public static KimiEA.Core.Time.MarketTimeZone DataZone(string text)
    {
        try
        {
            return KimiEA.Core.Time.MarketTimeZone.Parse(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"--data-time-zone: {e.Message}", e);
        }
    }

    /// <summary>Parses a same-bar rule option (stop-first or target-first); the error names the option.</summary>
    public static SameBarRule SameBarOption(string option, string text)
    {
        try
        {
            return SameBarRuleNames.Parse(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{option}: {e.Message}", e);
        }
    }

    /// <summary>The shipped sample for the mode, found under data/samples from the current folder or the executable upwards.</summary>
    public static string DefaultSample(TickModel model)
    {
        var file = model == TickModel.Ticks ? "EURUSD_ticks_2014-05-07_08.norm.csv" : "EURUSD_M1_2014-05.norm.csv";
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var p = Path.Combine(dir.FullName, "data", "samples", "lean-oanda", file);
                if (File.Exists(p))
                {
                    return p;
                }
            }
        }

        throw new FileNotFoundException($"The default sample data/samples/lean-oanda/{file} was not found above {Directory.GetCurrentDirectory()}; run from the repository or pass --data.");
    }

    private static BacktestOutcome RunWithProgress(BacktestSettings settings, IEngineHost engine)
    {
        long done = 0;
        // Notices (what a restart restored) are printed as they happen: a run killed later has already said them.
        var run = Task.Run(() => BacktestRunner.Run(settings, engine, n => Interlocked.Exchange(ref done, n), Console.Out.WriteLine));
        // Only runs longer than a second on a terminal get the live bar. Waiting on the handle (not Task.Wait) lets a
        // failed run's own exception (bad broker state, engine error) reach the exit-code handlers unwrapped.
        var finished = ((IAsyncResult)run).AsyncWaitHandle;
        if (finished.WaitOne(TimeSpan.FromSeconds(1)) || Console.IsOutputRedirected)
        {
            return run.GetAwaiter().GetResult();
        }

        var total = BacktestRunner.ExpectedTicks(BacktestRunner.Prepare(settings).Select(i => i.Entry));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var startCount = Interlocked.Read(ref done);
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("replaying", maxValue: Math.Max(1, total));
                while (!finished.WaitOne(TimeSpan.FromMilliseconds(200)))
                {
                    var n = Interlocked.Read(ref done);
                    task.Value = Math.Min(n, total);
                    var rate = (n - startCount) / Math.Max(1e-3, clock.Elapsed.TotalSeconds);
                    task.Description = string.Create(Inv, $"replaying {rate:#,0} ticks/s");
                }

                task.Value = total;
            });
        return run.GetAwaiter().GetResult();
    }

    /// <summary>Parses the --rate options (PAIR=RATE, e.g. USDJPY=110.5); the error names the option and the value.</summary>
    private static Dictionary<string, double> RateOptions(IReadOnlyList<string> values)
    {
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var v in values)
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"--rate: '{v}' is not PAIR=RATE (e.g. USDJPY=110.5).");
            }

            string pair;
            try
            {
                pair = Tester.Server.Money.CurrencyPair.Parse(v[..eq]).Name;
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"--rate: {CliErrors.Text(e)}", e);
            }

            var rate = Number("--rate " + pair, v[(eq + 1)..], positive: true);
            if (!rates.TryAdd(pair, rate))
            {
                throw new ArgumentException($"--rate: {pair} is given twice.");
            }
        }

        return rates;
    }

    private static DateTime Date(string option, string text)
    {
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy.MM.dd"];
        if (DateTime.TryParseExact(text, formats, Inv, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
        {
            return DateTime.SpecifyKind(d, DateTimeKind.Utc);
        }

        throw new FormatException($"{option}: '{text}' is not a UTC date (expected 2014-05-07 or 2014-05-07T08:00:00Z).");
    }

    private static int Int(string option, string text, int min)
    {
        if (int.TryParse(text, NumberStyles.Integer, Inv, out var v) && v >= min)
        {
            return v;
        }

        throw new FormatException($"{option}: '{text}' is not a whole number{(min > int.MinValue ? $" ≥ {min}" : string.Empty)}.");
    }

    private static double Number(string option, string text, bool positive)
    {
        if (double.TryParse(text, NumberStyles.Float, Inv, out var v) && double.IsFinite(v) && (positive ? v > 0 : v >= 0))
        {
            return v;
        }

        throw new FormatException($"{option}: '{text}' is not a {(positive ? "positive" : "non-negative")} number.");
    }
}
