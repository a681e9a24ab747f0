using Xunit;

namespace KimiEA.Native.Tests.Standin;

/// <summary>
/// The panel's buttons through the library (issue #14, "A panel"): "close this chart's positions" hands out a CLOSE
/// with exit reason MANUAL for each position the chart's agent owns, and Halt / Resume go through the journal, where the
/// agent (and every other chart writing it) takes them within the journal's control poll; without a journal the halt
/// is refused with KIMI_E_JOURNAL (the stand-in checks each and counts a violation otherwise).
/// </summary>
public sealed class StandinPanelTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kimiea-panel-");
    private readonly DirectoryInfo _bare = Directory.CreateTempSubdirectory("kimiea-panel-bare-");

    [Fact]
    public void Close_button_flattens_the_chart_and_halt_resume_reach_the_agent_through_the_journal()
    {
        var (run, trace) = StandinRun.Execute(_work.FullName, [.. StandinRun.Inputs, "--close-drill"]);
        Assert.True(run.ExitCode == 0, $"the stand-in exited with {run.ExitCode}:\n{run.Tail()}");
        var s = StandinProcess.Summary(run.StdOut);
        Assert.Equal(0, StandinProcess.Number(s, "violations"));
        Assert.True(StandinProcess.Number(s, "manual_closes") >= 2, "the two adopted positions were not closed with reason MANUAL");
        Assert.Contains(" reason 6 -> retcode 10009", trace, StringComparison.Ordinal); // KIMI_EXIT_MANUAL executed
        Assert.Equal(1, StandinProcess.Number(s, "halt_drill"));
        // the EA's pop-up alerts over the run (KimiAlerts.mqh mirrored): at least the emergency drill's closes
        Assert.True(StandinProcess.Number(s, "alerts") >= 1, "no event of the run would have alerted the trader");

        var (bare, _) = StandinRun.Execute(_bare.FullName, [.. StandinRun.Inputs, "--no-journal"]);
        Assert.True(bare.ExitCode == 0, $"the stand-in without a journal exited with {bare.ExitCode}:\n{bare.Tail()}");
        Assert.Equal(0, StandinProcess.Number(StandinProcess.Summary(bare.StdOut), "halt_drill")); // refused: KIMI_E_JOURNAL (checked by the stand-in)
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _work.Delete(recursive: true);
        _bare.Delete(recursive: true);
    }
}
