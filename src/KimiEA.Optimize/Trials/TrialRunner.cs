using KimiEA.Core.Abi;
using KimiEA.Data;
using KimiEA.Optimize.Inputs;
using KimiEA.Optimize.Search;
using KimiEA.Tester;
using KimiEA.Tester.Server;
using KimiEA.Tester.Terminal;

namespace KimiEA.Optimize.Trials;

/// <summary>
/// Runs trials one after another in this process: the data is prepared (converted into the binary cache, validated)
/// once; each trial gets a fresh engine host (<see cref="InProcessEngine"/>: no account-wide state survives a pass),
/// creates its agents, replays and destroys them, so a trial's result depends on its inputs only (the serial =
/// parallel = sharded tests prove it by running the same trials in different orders in different processes).
/// </summary>
public sealed class TrialRunner
{
    private readonly BacktestSettings _settings;
    private readonly IReadOnlyList<(DataInput Input, TesterSymbol Symbol, CacheEntry Entry)> _inputs;
    private readonly Func<IEngineHost> _engine;

    /// <summary>Prepares the data of <paramref name="settings"/> once; <paramref name="engine"/> makes each pass's engine host.</summary>
    /// <exception cref="ArgumentException">Bad settings.</exception>
    /// <exception cref="MarketDataException">Unreadable data.</exception>
    public TrialRunner(SearchSpace space, CriterionSpec criterion, BacktestSettings settings, Func<IEngineHost> engine)
    {
        Space = space ?? throw new ArgumentNullException(nameof(space));
        Criterion = criterion ?? throw new ArgumentNullException(nameof(criterion));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        if (settings.JournalPath is not null || settings.BrokerStatePath is not null)
        {
            throw new ArgumentException("An optimisation runs without --journal and --broker-state: every pass is a fresh terminal.", nameof(settings));
        }

        _inputs = BacktestRunner.Prepare(settings);
    }

    /// <summary>The search space.</summary>
    public SearchSpace Space { get; }

    /// <summary>The criterion.</summary>
    public CriterionSpec Criterion { get; }

    /// <summary>Wall time spent in the replays of the trials run so far (what the rest of a pass costs is measured against it).</summary>
    public TimeSpan ReplayTime { get; private set; }

    /// <summary>Runs the trial of grid index <paramref name="index"/>.</summary>
    public TrialResult Run(long index)
    {
        var values = Space.Combination(index);
        IReadOnlyList<string> texts = [.. values.Select((v, i) => Space.Format(i, v))];
        if (!Space.Admits(values))
        {
            return new TrialResult { Index = index, Values = texts, Status = TrialStatus.Constraint };
        }

        var settings = _settings with { Inputs = c => Space.Apply(c, values), OptimizationPass = true };
        var config = settings.Configure(KimiConfig.Defaults(0, BacktestSettings.TimeframeSeconds(settings.Timeframe)));
        if (EaInputs.Problem(config) is { } problem)
        {
            return new TrialResult { Index = index, Values = texts, Status = TrialStatus.Invalid, Note = problem };
        }

        BacktestOutcome outcome;
        try
        {
            outcome = BacktestRunner.Run(settings, _inputs, _engine());
        }
        catch (EngineException e)
        {
            return new TrialResult { Index = index, Values = texts, Status = TrialStatus.Failed, Note = e.Message };
        }

        ReplayTime += outcome.Elapsed;
        var r = outcome.Result;
        var s = r.Statistics;
        var days = DailyReturns.Days(r.Counters.FirstTimeMsc, r.Counters.LastTimeMsc);
        var refusal = Criterion.Refusal(s);
        return new TrialResult
        {
            Index = index,
            Values = texts,
            Status = refusal is null ? TrialStatus.Ranked : TrialStatus.Refused,
            Note = refusal,
            Statistics = s,
            Score = refusal is null ? Criterion.Score(s) : double.NegativeInfinity,
            Custom = Criterion.CustomValue(s),
            Daily = DailyReturns.Of(s.InitialBalance, r.Trades, days),
            FirstPriceMsc = r.Counters.FirstTimeMsc,
            LastPriceMsc = r.Counters.LastTimeMsc,
            TradeExitMsc = [.. r.Trades.Select(t => t.ExitTimeMsc)],
            TradePnlCents = [.. r.Trades.Select(t => t.PnlCents)],
        };
    }
}
