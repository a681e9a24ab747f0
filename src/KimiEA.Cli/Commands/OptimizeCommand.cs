using System.CommandLine;
using KimiEA.Cli.Optimize;

namespace KimiEA.Cli.Commands;

/// <summary>
/// <c>kimi optimize</c>: searches the EA's inputs (a MetaEditor .set file) on every local core and reports how likely
/// the best result is overfit; <c>plan</c>, <c>run-shard</c> and <c>reduce</c> run the same search as a Slurm job array
/// or a Kubernetes Indexed Job. Exit codes: 0 ok, 2 bad input, 3 engine error, 4 a shard or trial missing at reduce.
/// </summary>
internal static class OptimizeCommand
{
    public static Command Create()
    {
        var cmd = new Command("optimize", "Search the EA's inputs (.set file: value||start||step||stop||Y) with a worker process per core; writes results.csv, daily-returns.csv, overfitting.json (PBO, PSR, DSR), best.set and optimize.html. "
            + "Every kimi backtest option (--data, --mode, --from, --to, --timeframe, …) is accepted and applies to each pass, except --out, --journal, --broker-state and --set.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var common = CommonOptions(cmd, "out/optimize");
        var walkForward = new Option<string?>("--walk-forward") { Description = "rolling or anchored: search every window's in-sample part, run the best pass on its out-of-sample part; the stitched out-of-sample result is the headline." };
        var inSample = new Option<double>("--is-days") { Description = "Walk-forward: in-sample length in days.", DefaultValueFactory = _ => 0 };
        var outOfSample = new Option<double>("--oos-days") { Description = "Walk-forward: out-of-sample length in days.", DefaultValueFactory = _ => 0 };
        var step = new Option<double?>("--step-days") { Description = "Walk-forward: step between windows in days (default: the out-of-sample length)." };
        var forward = new Option<string?>("--forward") { Description = "MT5's forward split: 1/2, 1/3 or 1/4 (the last part of the period is out of sample) or a date (out of sample from it)." };
        foreach (var o in new Option[] { walkForward, inSample, outOfSample, step, forward })
        {
            cmd.Options.Add(o);
        }

        var workers = new Option<int>("--workers") { Description = "Worker processes (1: run every pass in this process).", DefaultValueFactory = _ => Environment.ProcessorCount };
        cmd.Options.Add(workers);
        cmd.SetAction(parse => OptimizeCli.RunLocal(
            common(parse) with
            {
                WalkForward = parse.GetValue(walkForward),
                InSampleDays = parse.GetValue(inSample),
                OutOfSampleDays = parse.GetValue(outOfSample),
                StepDays = parse.GetValue(step),
                Forward = parse.GetValue(forward),
            },
            parse.GetValue(workers)));

        var plan = new Command("plan", "Write a deterministic plan of a grid search cut into shards (plan.json in --out) for run-shard and reduce. Takes the options of kimi optimize.") { TreatUnmatchedTokensAsErrors = false };
        var planCommon = CommonOptions(plan, "out/optimize");
        var shards = new Option<int>("--shards") { Description = "Number of shards (e.g. the Slurm array size).", Required = true };
        plan.Options.Add(shards);
        plan.SetAction(parse => OptimizeCli.Plan(planCommon(parse), parse.GetValue(shards)));
        cmd.Subcommands.Add(plan);

        var runShard = new Command("run-shard", "Run one shard of a plan; each trial's result is written atomically next to the plan (trials/), then the shard's marker (shards/). Finished trials are not run again.");
        var planPath = new Option<string>("--plan") { Description = "The plan.json of kimi optimize plan.", Required = true };
        var index = new Option<string?>("--index") { Description = "The shard (default: SLURM_ARRAY_TASK_ID, else JOB_COMPLETION_INDEX)." };
        var progressLines = new Option<bool>("--progress-lines") { Description = "Print one line per finished trial (used by the local worker pool).", Hidden = true };
        runShard.Options.Add(planPath);
        runShard.Options.Add(index);
        runShard.Options.Add(progressLines);
        runShard.SetAction(parse => OptimizeCli.RunShard(parse.GetValue(planPath)!, parse.GetValue(index), parse.GetValue(progressLines)));
        cmd.Subcommands.Add(runShard);

        var reduce = new Command("reduce", "Merge every shard's trials into the outputs; a shard or trial that is missing is an error naming it (nothing is merged).");
        var reducePlan = new Option<string>("--plan") { Description = "The plan.json.", Required = true };
        var reduceOut = new Option<string?>("--out") { Description = "Output folder (default: the plan's folder)." };
        reduce.Options.Add(reducePlan);
        reduce.Options.Add(reduceOut);
        reduce.SetAction(parse => OptimizeCli.ReducePlan(parse.GetValue(reducePlan)!, parse.GetValue(reduceOut)));
        cmd.Subcommands.Add(reduce);
        return cmd;
    }

    /// <summary>The search options of kimi optimize and kimi optimize plan; the result reads them (and the unmatched backtest tokens).</summary>
    private static Func<ParseResult, OptimizeArguments> CommonOptions(Command cmd, string defaultOut)
    {
        var set = new Option<string>("--set") { Description = "The search space: a MetaEditor .set file of the EA's inputs (UTF-16LE or UTF-8); Y lines are optimised over start..stop by step.", Required = true };
        var outDir = new Option<string>("--out") { Description = "Folder of the search: plan.json, trials/, the outputs.", DefaultValueFactory = _ => defaultOut };
        var criterion = new Option<string>("--criterion") { Description = "balance, profit-factor, expected-payoff, drawdown (minimised), recovery-factor, sharpe or custom (as kimi backtest reports them).", DefaultValueFactory = _ => "balance" };
        var custom = new Option<string?>("--custom") { Description = "The custom criterion's formula over the statistics, e.g. \"net_profit / (1 + equity_dd_pct)\"." };
        var minTrades = new Option<int>("--min-trades") { Description = "Passes with fewer closed trades are not ranked.", DefaultValueFactory = _ => 0 };
        var maxDrawdown = new Option<double?>("--max-drawdown") { Description = "Passes whose relative equity drawdown exceeds this percentage are not ranked." };
        var constraint = new Option<string[]>("--constraint") { Description = "A parameter constraint over EA input names, e.g. \"InpMinConfidence <= InpAutoConfidence\"; repeatable. Combinations that break one are not run." };
        var maxGrid = new Option<long>("--max-grid") { Description = "A grid with more combinations is refused (use --search genetic).", DefaultValueFactory = _ => 100_000 };
        var search = new Option<string>("--search") { Description = "grid (complete) or genetic (seeded).", DefaultValueFactory = _ => "grid" };
        var passes = new Option<long>("--passes") { Description = "Genetic search: at most this many passes.", DefaultValueFactory = _ => 1_000 };
        var population = new Option<int>("--population") { Description = "Genetic search: individuals per generation.", DefaultValueFactory = _ => 32 };
        var searchSeed = new Option<ulong>("--search-seed") { Description = "Genetic search: the seed (same seed, same trials).", DefaultValueFactory = _ => 1 };
        var blocks = new Option<int>("--cscv-blocks") { Description = "CSCV blocks S (even; 0: the largest even S ≤ 16 leaving 2 trading days a block).", DefaultValueFactory = _ => 0 };
        foreach (var o in new Option[] { set, outDir, criterion, custom, minTrades, maxDrawdown, constraint, maxGrid, search, passes, population, searchSeed, blocks })
        {
            cmd.Options.Add(o);
        }

        return parse => new OptimizeArguments
        {
            Set = parse.GetValue(set)!,
            Out = parse.GetValue(outDir)!,
            Criterion = parse.GetValue(criterion)!,
            Custom = parse.GetValue(custom),
            MinTrades = parse.GetValue(minTrades),
            MaxDrawdown = parse.GetValue(maxDrawdown),
            Constraints = parse.GetValue(constraint) ?? [],
            MaxGrid = parse.GetValue(maxGrid),
            Search = parse.GetValue(search)!,
            Passes = parse.GetValue(passes),
            Population = parse.GetValue(population),
            SearchSeed = parse.GetValue(searchSeed),
            CscvBlocks = parse.GetValue(blocks),
            BacktestTokens = [.. parse.UnmatchedTokens],
        };
    }
}
