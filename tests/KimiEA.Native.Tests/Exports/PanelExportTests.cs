using KimiEA.Core.Abi;
using KimiEA.Journal;
using Xunit;
using static KimiEA.Native.Tests.Exports.NativeAccount;

namespace KimiEA.Native.Tests.Exports;

/// <summary>
/// The panel's "close this chart's positions" through the C export (issue 14, "every click is journaled"): the click
/// is a MANUAL_CLOSE row whether or not a position is open, and each of the chart's positions gets one CLOSE of its
/// whole volume; another chart's position is left alone.
/// </summary>
[Collection(NativeAccountGroup.Name)]
public sealed unsafe class PanelExportTests
{
    private const long Hour = 3_600_000;

    [Fact]
    public void Close_chart_positions_closes_only_this_charts_positions_and_journals_every_click()
    {
        var day = FreshDayMs();
        var end = day + (10 * Hour) + 10_000;
        var none = stackalloc KimiPosition[1];
        var journal = Path.Combine(Path.GetTempPath(), $"kimi-panel-{Guid.NewGuid():N}.db");
        var h = Lib.CreateAgent(Config(301), "PNL", Spec, Account(), journal, null);
        Assert.True(h > 0, Lib.ReadLastError(0));
        var other = Lib.CreateAgent(Config(302), "PNL", Spec, Account(), journal, null);
        Assert.True(other > 0, Lib.ReadLastError(0));
        try
        {
            var now = day + (10 * Hour);
            Assert.True(Tick(h, now, 10_000) >= 0);
            Assert.True(Tick(other, now, 10_000) >= 0);
            var mine = new KimiPosition { Ticket = 7001, Type = 0, Magic = 301, TimeMsc = now - 60_000, Volume = 0.30, PriceOpen = 1.0990, Sl = 1.0950, Tp = 1.1100 };
            var theirs = new KimiPosition { Ticket = 7002, Type = 1, Magic = 302, TimeMsc = now - 60_000, Volume = 0.20, PriceOpen = 1.1010, Sl = 1.1050, Tp = 1.0900 };
            Assert.True(Lib.SyncPositions(h, &mine, 1, now + 1_000) >= 0, Lib.ReadLastError(h));
            Assert.True(Lib.SyncPositions(other, &theirs, 1, now + 1_000) >= 0, Lib.ReadLastError(other));
            Drain(h);
            Drain(other);
            Assert.Equal(1, Status(h).OpenPositions);

            var pending = Lib.ClosePositions(h);
            Assert.True(pending >= 0, Lib.ReadLastError(h));
            var buf = stackalloc KimiInstruction[8];
            var n = Lib.PollInstructions(h, buf, 8);
            Assert.Equal(1, n);
            Assert.Equal(AbiCodes.InstrClose, buf[0].Kind);
            Assert.Equal(7001, buf[0].PositionTicket);
            Assert.Equal(AbiCodes.ExitManual, buf[0].Reason);
            Assert.Equal(0.30, buf[0].Volume, 9);
            Assert.Equal(0, Lib.PollInstructions(other, buf, 8)); // the other chart was not asked

            // A click on a chart with nothing open is journaled too.
            var empty = Lib.CreateAgent(Config(303), "PNL", Spec, Account(), journal, null);
            Assert.True(empty > 0, Lib.ReadLastError(0));
            Assert.True(Tick(empty, now + 2_000, 10_000) >= 0);
            Assert.True(Lib.ClosePositions(empty) >= 0, Lib.ReadLastError(empty));
            Assert.Equal(0, Lib.PollInstructions(empty, buf, 8));
            Lib.Destroy(empty, 1);
        }
        finally
        {
            // The positions are gone at the broker: their reservations must not outlive the test (a detached chart
            // keeps them, as it must for a real terminal).
            Lib.SyncPositions(h, none, 0, end);
            Lib.SyncPositions(other, none, 0, end);
            Lib.Destroy(h, 1);
            Lib.Destroy(other, 1);
        }

        try
        {
            using var reader = JournalReader.Open(journal);
            var clicks = reader.ReadEvents().Select(r => r.Event).Where(e => e.Kind == JournalEventKind.ManualClose).ToList();
            Assert.Equal([(301L, 1), (303L, 0)], clicks.Select(e => (e.Magic, e.Code)));
            Assert.All(clicks, e => Assert.StartsWith("close requested from the chart panel", e.Text, StringComparison.Ordinal));
            Assert.Equal("MANUAL_CLOSE", JournalEventKind.ManualClose.ToCode());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(journal) + "*"))
            {
                File.Delete(f);
            }
        }
    }
}
