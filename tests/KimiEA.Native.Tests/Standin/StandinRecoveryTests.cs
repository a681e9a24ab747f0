using Xunit;

namespace KimiEA.Native.Tests.Standin;

/// <summary>
/// Nothing lost (issue #14): the stand-in mirrors the EA's SendClosedBars and ForwardDealHistory (KimiEA.mq5). With the
/// terminal's CopyRates failing on the tick of every 3rd bar close and every 2nd DEAL_ADD never delivered, every closed
/// bar still reaches the engine in order, the dropped deals are booked from the history forwarded on the next bar
/// (the engine ignores the deals it already knows: no error, nothing counted twice), and the run ends exactly as the
/// undisturbed run: the same trades closed, the same balance, no position out of step.
/// </summary>
public sealed class StandinRecoveryTests : IDisposable
{
    private readonly DirectoryInfo _a = Directory.CreateTempSubdirectory("kimiea-recovery-a-");
    private readonly DirectoryInfo _b = Directory.CreateTempSubdirectory("kimiea-recovery-b-");

    [Fact]
    public void Failed_copies_and_dropped_deals_lose_no_bar_and_no_deal()
    {
        var (plain, _) = StandinRun.Execute(_a.FullName, [.. StandinRun.Inputs, "--no-journal"]);
        var (lossy, _) = StandinRun.Execute(_b.FullName, [.. StandinRun.Inputs, "--no-journal", "--copyrates-fail", "3", "--drop-deals", "2"]);
        Assert.True(plain.ExitCode == 0, $"the undisturbed stand-in exited with {plain.ExitCode}:\n{plain.Tail()}");
        Assert.True(lossy.ExitCode == 0, $"the disturbed stand-in exited with {lossy.ExitCode}:\n{lossy.Tail()}");
        var p = StandinProcess.Summary(plain.StdOut);
        var l = StandinProcess.Summary(lossy.StdOut);

        // the disturbance happened: 191 closes, every 3rd copy failed once; half the deals never came as transactions
        Assert.Equal(191 / 3, StandinProcess.Number(l, "copy_failures"));
        Assert.True(StandinProcess.Number(l, "dropped_deals") >= 1, "no DEAL_ADD was dropped");
        Assert.True(StandinProcess.Number(l, "history_deals") >= StandinProcess.Number(l, "dropped_deals"), "the dropped deals were not forwarded from the history");
        // every closed bar reached the engine (the stand-in also checks bars_seen = warm-up + bars sent)
        Assert.Equal(StandinProcess.Number(l, "chart_bars"), StandinProcess.Number(l, "bars"));
        Assert.Equal(StandinProcess.Number(p, "engine_bars"), StandinProcess.Number(l, "engine_bars"));
        // the dropped deals were booked from the history: the same trades, the same money, nothing open out of step
        Assert.Equal(0, StandinProcess.Number(l, "violations"));
        Assert.Equal(StandinProcess.Number(p, "engine_trades_closed"), StandinProcess.Number(l, "engine_trades_closed"));
        Assert.Equal(p["balance"], l["balance"]);
        Assert.Equal(StandinProcess.Number(p, "open_positions"), StandinProcess.Number(l, "open_positions"));
    }

    /// <summary>
    /// A VPS restart (issue #14, "Start like a professional EA"): the terminal is not connected, then reports login 0,
    /// no price, tick value 0 and no margin, one second each, and the chart holds only 60 closed bars while two
    /// positions of this EA are open. The stand-in retries like the EA's OnTimer (KimiStartWait), never unloads,
    /// starts the engine as soon as the conditions clear with the short warm-up (KimiHistoryReady: open positions need
    /// their barriers now), and the engine then runs the whole two days and manages the adopted positions.
    /// </summary>
    [Fact]
    public void A_start_with_no_connection_login_0_no_price_tick_value_0_and_short_history_reaches_a_running_agent()
    {
        var (run, _) = StandinRun.Execute(_a.FullName, [.. StandinRun.Inputs, "--no-journal", "--start-wait"]);
        Assert.True(run.ExitCode == 0, $"the stand-in exited with {run.ExitCode}:\n{run.Tail()}");
        var s = StandinProcess.Summary(run.StdOut);
        Assert.Equal(5, StandinProcess.Number(s, "start_waits")); // disconnected, login 0, no price, tick value 0, margin
        Assert.Equal(60, StandinProcess.Number(s, "warmup"));
        Assert.Equal(191, StandinProcess.Number(s, "bars"));
        Assert.Equal(60 + 191, StandinProcess.Number(s, "engine_bars"));
        Assert.Equal("exercised", s["emergency"]); // the adopted positions were the engine's to close
        Assert.Equal(0, StandinProcess.Number(s, "violations"));
    }

    /// <summary>
    /// Netting: the symbol's one position holds 0.30 lots, 0.10 of them from this EA's deals and 0.20 from another
    /// magic's. The snapshot reports the 0.10 share (KimiNettingOwnVolume), the emergency stop makes the engine close
    /// its position, and the CLOSE sends exactly 0.10 lots (KimiCloseVolume): the other magic's 0.20 stay open.
    /// </summary>
    [Fact]
    public void A_netting_close_leaves_another_magics_volume_alone()
    {
        var (run, trace) = StandinRun.Execute(_b.FullName, [.. StandinRun.Inputs, "--no-journal", "--netting-drill"]);
        Assert.True(run.ExitCode == 0, $"the stand-in exited with {run.ExitCode}:\n{run.Tail()}");
        var s = StandinProcess.Summary(run.StdOut);
        Assert.Equal(1, StandinProcess.Number(s, "netting_drill")); // the stand-in found 0.20 lots left in the position
        var close = trace.Split('\n').Single(l => l.Contains(" kind 3 ", StringComparison.Ordinal) && l.Contains(" pos 990001 ", StringComparison.Ordinal));
        Assert.Contains(" vol 0.10 ", close, StringComparison.Ordinal);
        Assert.Contains("-> retcode 10009", close, StringComparison.Ordinal);
        Assert.Equal(0, StandinProcess.Number(s, "violations"));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _a.Delete(recursive: true);
        _b.Delete(recursive: true);
    }
}
