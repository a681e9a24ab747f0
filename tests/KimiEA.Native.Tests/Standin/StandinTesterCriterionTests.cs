using Xunit;

namespace KimiEA.Native.Tests.Standin;

/// <summary>
/// Issue 14, "OnTester": the EA returns kimi optimize's criterion chosen by an input, computed by
/// mql5/Include/KimiEA/KimiTester.mqh. The stand-in mirrors that helper function for function and checks it on
/// hand-worked cases (four trades on a 10 000 deposit: balance, profit factor, expected payoff, drawdown, recovery
/// factor, per-trade Sharpe; undefined ratios; the entry-commission share of partial closes); a wrong value is a
/// violation and a non-zero exit.
/// </summary>
public sealed class StandinTesterCriterionTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kimiea-ontester-");

    [Fact]
    public void Every_criterion_case_is_checked_and_none_differs_from_its_hand_worked_value()
    {
        var (run, _) = StandinRun.Execute(_work.FullName, StandinRun.Inputs);
        Assert.True(run.ExitCode == 0, $"the stand-in exited with {run.ExitCode}:\n{run.Tail()}");
        var s = StandinProcess.Summary(run.StdOut);
        Assert.Equal(15, StandinProcess.Number(s, "tester_criteria")); // 12 tabled values + 3 edge cases
        Assert.Equal(0, StandinProcess.Number(s, "violations"));
    }

    /// <inheritdoc/>
    public void Dispose() => _work.Delete(recursive: true);
}
