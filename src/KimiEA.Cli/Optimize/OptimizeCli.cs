using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KimiEA.Cli.Backtest;
using KimiEA.Cli.Commands;
using KimiEA.Data;
using KimiEA.Optimize.Inputs;
using KimiEA.Optimize.Search;
using KimiEA.Optimize.Trials;
using KimiEA.Tester.Terminal;

namespace KimiEA.Cli.Optimize;

/// <summary>The option values of <c>kimi optimize</c> and <c>kimi optimize plan</c> (backtest options travel as tokens).</summary>
internal sealed record OptimizeArguments
{
    public required string Set { get; init; }
    public required string Out { get; init; }
    public required string Criterion { get; init; }
    public string? Custom { get; init; }
    public int MinTrades { get; init; }
    public double? MaxDrawdown { get; init; }
    public IReadOnlyList<string> Constraints { get; init; } = [];
    public long MaxGrid { get; init; } = 100_000;
    public string Search { get; init; } = "grid";
    public long Passes { get; init; } = 1_000;
    public int Population { get; init; } = 32;
    public ulong SearchSeed { get; init; } = 1;
    public int CscvBlocks { get; init; }
    public IReadOnlyList<string> BacktestTokens { get; init; } = [];
    /// <summary>rolling, anchored, or null (no walk-forward).</summary>
    public string? WalkForward { get; init; }
    public double InSampleDays { get; init; }
    public double OutOfSampleDays { get; init; }
    public double? StepDays { get; init; }
    /// <summary>MT5's forward split: 2, 3, 4 (the last 1/n) or a date.</summary>
    public string? Forward { get; init; }
}

/// <summary>
/// Runs <c>kimi optimize</c>: the local pool (worker processes, one per core, each running its shard's trials one
/// after another), the plan / run-shard / reduce steps of a cluster run, and the seeded genetic search.
/// </summary>
internal static class OptimizeCli
{
    public const int Ok = 0;
    public const int BadInput = 2;
    public const int EngineError = 3;
    public const int Incomplete = 4;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Json = new();

    /// <summary><c>kimi optimize</c>: the whole search on this machine, then the reduce into --out.</summary>
    public static int RunLocal(OptimizeArguments a, int workers)
    {
        return Guard(() =>
        {
            if (workers < 1)
            {
                throw new ArgumentException($"--workers must be at least 1, got {workers}.");
            }

            if (a.WalkForward is not null || a.Forward is not null)
            {
                return WalkForwardRun.Run(a, workers);
            }

            var (plan, space, criterion) = MakePlan(a, workers, allowGenetic: true);
            plan = Search(a, plan, space, workers, a.Out);
            return Reduce(plan, a.Out, a.Out, space, criterion);
        });
    }

    /// <summary>Runs a search (grid or genetic) in <paramref name="dir"/>, resuming what is on disk; returns the final plan.</summary>
    internal static OptimizePlan Search(OptimizeArguments a, OptimizePlan plan, SearchSpace space, int workers, string dir)
    {
        {
            Directory.CreateDirectory(dir);
            var planPath = Path.Combine(dir, "plan.json");
            if (File.Exists(planPath))
            {
                var old = OptimizePlan.Load(planPath);
                if (!old.SameSearch(plan with { Indices = old.Indices, TrialCount = old.TrialCount }))
                {
                    throw new ArgumentException($"{dir} holds another search (its plan.json differs): use another --out, or delete it to start over.");
                }

                Console.WriteLine($"resuming the search in {dir}: finished trials are not run again");
            }

            if (a.Search == "genetic")
            {
                var search = new GeneticSearch(space, a.SearchSeed, a.Population);
                var scores = new Dictionary<long, double>();
                while (true)
                {
                    var batch = search.Next(scores, a.Passes);
                    if (batch.Count == 0)
                    {
                        break;
                    }

                    plan = plan with { Indices = [.. search.Proposed], TrialCount = search.Proposed.Count };
                    RunPool(plan, dir, workers, batch);
                    foreach (var i in batch)
                    {
                        scores[i] = TrialResult.Read(OptimizePlan.TrialFile(dir, i)).Score;
                    }
                }
            }
            else
            {
                RunPool(plan, dir, workers, null);
            }

            return plan with { Shards = workers };
        }
    }

    /// <summary><c>kimi optimize plan</c>: writes the plan of a grid search cut into shards.</summary>
    public static int Plan(OptimizeArguments a, int shards)
    {
        return Guard(() =>
        {
            if (shards < 1)
            {
                throw new ArgumentException($"--shards must be at least 1, got {shards}.");
            }

            var (plan, _, _) = MakePlan(a, shards, allowGenetic: false);
            Directory.CreateDirectory(a.Out);
            var path = Path.Combine(a.Out, "plan.json");
            if (File.Exists(path) && !OptimizePlan.Load(path).SameSearch(plan))
            {
                throw new ArgumentException($"{path} holds another search: use another --out, or delete it to start over.");
            }

            AtomicFile.WriteText(path, OptimizePlan.ToJson(plan));
            Console.WriteLine(string.Create(Inv, $"plan {path}: {plan.TrialCount} trials in {shards} shards (shard i runs trials i, i+{shards}, …); run `kimi optimize run-shard --plan {path} --index I` for I = 0…{shards - 1}, then `kimi optimize reduce --plan {path}`"));
            return Ok;
        });
    }

    /// <summary><c>kimi optimize run-shard</c>: one shard of a plan, results next to the plan.</summary>
    public static int RunShard(string planPath, string? index, bool progressLines)
    {
        return Guard(() =>
        {
            var shard = ShardIndex(index);
            var plan = OptimizePlan.Load(planPath);
            var dir = Path.GetDirectoryName(Path.GetFullPath(planPath))!;
            var runner = Runner(plan);
            var clock = Stopwatch.StartNew();
            var summary = ShardWorker.Run(plan, dir, shard, runner, (i, computed) =>
            {
                if (progressLines)
                {
                    Console.Out.WriteLine(string.Create(Inv, $"done {i} {(computed ? 1 : 0)}"));
                    Console.Out.Flush();
                }
            });
            if (!progressLines)
            {
                Console.WriteLine(string.Create(Inv, $"shard {shard} of {plan.Shards}: {summary.Trials} trials, {summary.Computed} computed now in {clock.Elapsed.TotalSeconds:0.0} s (replay {runner.ReplayTime.TotalSeconds:0.0} s)"));
            }

            return Ok;
        });
    }

    /// <summary><c>kimi optimize reduce</c>: merges every shard's trials into the outputs.</summary>
    public static int ReducePlan(string planPath, string? outDir)
    {
        return Guard(() =>
        {
            var plan = OptimizePlan.Load(planPath);
            var dir = Path.GetDirectoryName(Path.GetFullPath(planPath))!;
            var (space, criterion) = SpaceOf(plan);
            return Reduce(plan, dir, outDir ?? dir, space, criterion);
        });
    }

    internal static int Reduce(OptimizePlan plan, string dir, string outDir, SearchSpace space, CriterionSpec criterion)
    {
        var r = Reducer.Run(plan, dir, outDir, space, criterion);
        var o = r.Overfitting;
        Console.WriteLine(string.Create(Inv, $"{r.All.Count} trials: {r.Ranked.Count} ranked, {r.All.Count(t => t.Status == TrialStatus.Refused)} refused by the constraints, {r.All.Count(t => t.Status == TrialStatus.Invalid)} invalid inputs, {r.All.Count(t => t.Status == TrialStatus.Constraint)} outside the parameter constraints, {r.All.Count(t => t.Status == TrialStatus.Failed)} failed"));
        if (r.Ranked.Count > 0)
        {
            var best = r.Ranked[0];
            Console.WriteLine(string.Create(Inv, $"best pass {best.Index}: {string.Join(", ", space.Parameters.Select((p, i) => $"{p.Input.Name}={best.Values[i]}"))}; {CriterionSpec.Name(criterion.Criterion)} {best.Score:0.####}"));
        }

        Console.WriteLine(string.Create(Inv, $"PBO {(o.Cscv is { } c ? c.Pbo.ToString("0.###", Inv) : "n/a (" + o.CscvNote + ")")}, PSR {(o.Psr is { } p ? p.ToString("0.###", Inv) : "n/a")}, DSR {(o.Dsr is { } d ? d.ToString("0.###", Inv) : "n/a")} (effective trials {o.EffectiveTrials:0.#})"));
        Console.WriteLine($"report: {Path.Combine(outDir, "optimize.html")}");
        return Ok;
    }

    /// <summary>
    /// Runs the plan's trials (those of <paramref name="only"/>, or all) on <paramref name="workers"/> processes — one
    /// worker runs in this process — printing passes done, passes/s and the ETA.
    /// </summary>
    internal static void RunPool(OptimizePlan plan, string dir, int workers, IReadOnlyList<long>? only)
    {
        plan = plan with { Shards = workers };
        Directory.CreateDirectory(dir);
        var planPath = Path.Combine(dir, "plan.json");
        AtomicFile.WriteText(planPath, OptimizePlan.ToJson(plan));
        var total = only?.Count ?? plan.TrialCount;
        long done = 0, computed = 0;
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        var gate = new object();
        void Tick(long index, bool wasComputed)
        {
            if (only is not null && !only.Contains(index))
            {
                return;
            }

            lock (gate)
            {
                done++;
                computed += wasComputed ? 1 : 0;
                if (clock.Elapsed - last < TimeSpan.FromSeconds(Console.IsOutputRedirected ? 10 : 0.5) && done < total)
                {
                    return;
                }

                last = clock.Elapsed;
                var rate = computed / Math.Max(1e-3, clock.Elapsed.TotalSeconds);
                var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
                var line = string.Create(Inv, $"{done}/{total} passes ({computed} computed now), {rate:0.0} passes/s, ETA {eta:hh\\:mm\\:ss}");
                if (Console.IsOutputRedirected)
                {
                    Console.WriteLine(line);
                }
                else
                {
                    Console.Write("\r" + line + "   ");
                }
            }
        }

        if (workers == 1)
        {
            ShardWorker.Run(plan, dir, 0, Runner(plan), Tick);
        }
        else
        {
            var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell this program's path to start the workers.");
            var procs = new List<(Process P, StringBuilder Err)>();
            for (var i = 0; i < workers; i++)
            {
                var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var arg in new[] { "optimize", "run-shard", "--plan", planPath, "--index", i.ToString(Inv), "--progress-lines" })
                {
                    psi.ArgumentList.Add(arg);
                }

                var p = Process.Start(psi) ?? throw new IOException("Could not start a worker process.");
                var err = new StringBuilder();
                p.OutputDataReceived += (_, e) =>
                {
                    if (e.Data is { } d && d.Split(' ') is ["done", var index, var now])
                    {
                        Tick(long.Parse(index, Inv), now == "1");
                    }
                };
                p.ErrorDataReceived += (_, e) =>
                {
                    if (e.Data is { } d)
                    {
                        lock (err)
                        {
                            err.AppendLine(d);
                        }
                    }
                };
                p.BeginOutputReadLine();
                p.BeginErrorReadLine();
                procs.Add((p, err));
            }

            foreach (var (p, _) in procs)
            {
                p.WaitForExit();
            }

            var failed = procs.Select((x, i) => (x, i)).Where(t => t.x.P.ExitCode != 0).ToList();
            if (failed.Count > 0)
            {
                var (x, i) = failed[0];
                throw new IOException(string.Create(Inv, $"worker {i} (shard {i} of {workers}) failed with exit code {x.P.ExitCode}: {x.Err.ToString().Trim()} — the trials already written are kept; run the same command again to resume."));
            }
        }

        if (!Console.IsOutputRedirected)
        {
            Console.WriteLine();
        }
    }

    private static TrialRunner Runner(OptimizePlan plan)
    {
        var (space, criterion) = SpaceOf(plan);
        var bt = plan.Backtest.Deserialize<BacktestArguments>(Json) ?? throw new InvalidDataException("The plan has no backtest options.");
        return new TrialRunner(space, criterion, BacktestCli.ToSettings(bt), () => new InProcessEngine());
    }

    private static (SearchSpace Space, CriterionSpec Criterion) SpaceOf(OptimizePlan plan)
    {
        var set = SetFile.Parse(Encoding.UTF8.GetBytes(plan.SetText), plan.SetSource);
        return (new SearchSpace(set, plan.Constraints), new CriterionSpec(CriterionSpec.Parse(plan.Criterion), plan.Custom, plan.MinTrades, plan.MaxDrawdownPercent));
    }

    /// <summary>Checks every option and builds the plan (the complete grid; a genetic search fills Indices as it goes).</summary>
    internal static (OptimizePlan Plan, SearchSpace Space, CriterionSpec Criterion) MakePlan(OptimizeArguments a, int shards, bool allowGenetic, BacktestArguments? parsed = null)
    {
        var set = SetFile.Load(a.Set);
        foreach (var notice in set.HostOnlyNotices())
        {
            Console.WriteLine(notice);
        }

        var space = new SearchSpace(set, a.Constraints);
        var criterion = new CriterionSpec(CriterionSpec.Parse(a.Criterion), a.Custom, a.MinTrades, a.MaxDrawdown);
        var bt = parsed ?? BacktestArgs(a.BacktestTokens);
        BacktestCli.ToSettings(bt);
        if (bt.MinConfidence is not null && space.Parameters.Any(p => p.Input.Name is "InpMinConfidence" or "InpAutoConfidence"))
        {
            throw new ArgumentException("--min-confidence overrides InpMinConfidence and InpAutoConfidence in every pass, so optimising them would try one setting many times: drop --min-confidence or the Y of those lines.");
        }
        if (a.CscvBlocks != 0 && (a.CscvBlocks < 2 || a.CscvBlocks % 2 != 0))
        {
            throw new ArgumentException($"--cscv-blocks must be an even number ≥ 2 (or 0: chosen from the data), got {a.CscvBlocks}.");
        }

        string search;
        long count;
        switch (a.Search)
        {
            case "grid":
                if (space.GridCount > a.MaxGrid)
                {
                    throw new ArgumentException(space.TooManyMessage(a.MaxGrid));
                }

                search = "grid";
                count = space.GridCount;
                break;
            case "genetic" when allowGenetic:
                if (a.Passes < 1 || a.Population < 2)
                {
                    throw new ArgumentException($"--passes must be ≥ 1 and --population ≥ 2, got {a.Passes} and {a.Population}.");
                }

                search = string.Create(Inv, $"genetic (seed {a.SearchSeed}, population {a.Population}, at most {a.Passes} passes)");
                count = 0;
                break;
            case "genetic":
                throw new ArgumentException("The seeded search runs generation by generation (each depends on the last), so it runs on one machine: use `kimi optimize --search genetic`. A plan shards the complete grid.");
            default:
                throw new ArgumentException($"--search must be grid or genetic, got '{a.Search}'.");
        }

        var text = set.ToText();
        var plan = new OptimizePlan
        {
            Backtest = JsonSerializer.SerializeToElement(bt, Json),
            SetSource = Path.GetFileName(a.Set),
            SetText = text,
            Constraints = a.Constraints,
            Criterion = CriterionSpec.Name(criterion.Criterion),
            Custom = a.Custom,
            MinTrades = a.MinTrades,
            MaxDrawdownPercent = a.MaxDrawdown,
            Search = search,
            TrialCount = count,
            Indices = a.Search == "genetic" ? [] : null,
            Shards = shards,
            CscvBlocks = a.CscvBlocks,
        };
        return (plan, space, criterion);
    }

    /// <summary>The backtest options of every trial, parsed by <c>kimi backtest</c>'s own parser, with absolute paths.</summary>
    internal static BacktestArguments BacktestArgs(IReadOnlyList<string> tokens)
    {
        foreach (var t in tokens)
        {
            if (t is "--journal" or "--broker-state" or "--set" or "--out")
            {
                throw new ArgumentException($"{t} is not an option of kimi optimize: every pass is a fresh terminal with the .set file's inputs (--set) and writes nothing but its trial file.");
            }
        }

        BacktestArguments? captured = null;
        var parse = BacktestCommand.Create(a =>
        {
            captured = a;
            return 0;
        }).Parse([.. tokens]);
        if (parse.Errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", parse.Errors.Select(e => e.Message)) + " (kimi optimize takes every kimi backtest option but --out, --journal, --broker-state and --set)");
        }

        parse.Invoke();
        var a = captured ?? throw new ArgumentException("The backtest options could not be read.");
        var model = KimiEA.Tester.Feed.TickModelNames.Parse(a.Mode);
        return a with
        {
            Data = a.Data.Count > 0 ? [.. a.Data.Select(Path.GetFullPath)] : [BacktestCli.DefaultSample(model)],
            Calibration = a.Calibration is null ? null : Path.GetFullPath(a.Calibration),
            Cache = a.Cache is null ? null : Path.GetFullPath(a.Cache),
        };
    }

    /// <summary>The shard index: the option, else SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs).</summary>
    private static int ShardIndex(string? option)
    {
        var (text, source) = option is not null ? (option, "--index")
            : Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID") is { Length: > 0 } s ? (s, "SLURM_ARRAY_TASK_ID")
            : Environment.GetEnvironmentVariable("JOB_COMPLETION_INDEX") is { Length: > 0 } k ? (k, "JOB_COMPLETION_INDEX")
            : throw new ArgumentException("No shard index: pass --index I, or run under a Slurm job array (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX).");
        return int.TryParse(text, NumberStyles.None, Inv, out var i) ? i : throw new ArgumentException($"{source}: '{text}' is not a shard index.");
    }

    internal static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (EngineException e)
        {
            Console.Error.WriteLine($"engine error: {e.Message}");
            return EngineError;
        }
        catch (IncompleteSearchException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return Incomplete;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or MarketDataException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: {CliErrors.Text(e)}");
            return BadInput;
        }
    }
}
