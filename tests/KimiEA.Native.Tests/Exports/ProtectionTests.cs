using KimiEA.Core.Abi;
using Xunit;

namespace KimiEA.Native.Tests.Exports;

/// <summary>
/// Issue 10's protections through the exported ABI: the emergency stop flattens until flat (a refused CLOSE is sent
/// again after a back-off; a chart attached under the stop closes what it adopts), a detached chart's position keeps
/// its reservation and a re-attached chart takes it over without counting it twice, and no fixed table caps symbols.
/// </summary>
[Collection(NativeAccountGroup.Name)]
public sealed unsafe class ProtectionTests
{
    private static KimiPosition Held(long magic, long ticket, double volume) => new()
    {
        Ticket = ticket, Type = 0, Magic = magic, TimeMsc = 0, InstructionId = 0, Volume = volume,
        PriceOpen = 1.1000, Sl = 1.0980, Tp = 1.1040,
    };

    private static int Sync(long h, long timeMs, params KimiPosition[] positions)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i].TimeMsc = timeMs - 60_000;
        }

        fixed (KimiPosition* p = positions)
        {
            return NativeAccount.Lib.SyncPositions(h, p, positions.Length, timeMs);
        }
    }

    private static KimiInstruction[] Poll(long h)
    {
        var buf = new KimiInstruction[16];
        fixed (KimiInstruction* p = buf)
        {
            var n = NativeAccount.Lib.PollInstructions(h, p, buf.Length);
            Assert.True(n >= 0, NativeAccount.Lib.ReadLastError(h));
            return buf[..n];
        }
    }

    private static void Report(long h, long id, long retcode, long timeMs)
    {
        var r = new KimiOrderResult { InstructionId = id, Retcode = retcode, TimeMsc = timeMs };
        Assert.True(NativeAccount.Lib.ReportResult(h, &r) >= 0, NativeAccount.Lib.ReadLastError(h));
    }

    private static void Emergency(bool engage)
    {
        fixed (char* why = "protection test")
        {
            Assert.Equal(AbiCodes.Ok, NativeAccount.Lib.EmergencyStop(engage ? 1 : 0, why));
        }
    }

    [Fact]
    public void Under_the_emergency_stop_a_refused_close_is_sent_again_after_the_back_off()
    {
        var t = NativeAccount.FreshDayMs() + (10 * 3_600_000);
        var h = NativeAccount.Create(NativeAccount.Config(9301), "EURUSD");
        try
        {
            Assert.True(NativeAccount.Tick(h, t, 10_000) >= 0, NativeAccount.Lib.ReadLastError(h));
            Assert.True(Sync(h, t, Held(9301, 88001, 0.10)) >= 0, NativeAccount.Lib.ReadLastError(h));
            Emergency(true);
            t += 1_000;
            NativeAccount.Tick(h, t, 10_000);
            var first = Assert.Single(Poll(h));
            Assert.Equal(AbiCodes.InstrClose, first.Kind);
            Assert.Equal(88001, first.PositionTicket);
            Report(h, first.Id, 10018, t); // MARKET_CLOSED: refused

            NativeAccount.Tick(h, t + 500, 10_000);
            Assert.Empty(Poll(h)); // inside the 1 s back-off
            NativeAccount.Tick(h, t + 1_000, 10_000);
            var second = Assert.Single(Poll(h));
            Assert.Equal(88001, second.PositionTicket);
            Assert.NotEqual(first.Id, second.Id);
            Report(h, second.Id, 10018, t + 1_000);

            NativeAccount.Tick(h, t + 2_500, 10_000);
            Assert.Empty(Poll(h)); // the second refusal doubles the back-off to 2 s
            NativeAccount.Tick(h, t + 3_000, 10_000);
            Assert.Single(Poll(h));
        }
        finally
        {
            Emergency(false);
            Sync(h, t + 5_000); // the position is gone at the broker: its reservation must not outlive the test
            NativeAccount.Lib.Destroy(h, 1);
        }
    }

    [Fact]
    public void A_chart_attached_under_the_emergency_stop_closes_the_position_it_adopts()
    {
        var t = NativeAccount.FreshDayMs() + (10 * 3_600_000);
        Emergency(true);
        var h = NativeAccount.Create(NativeAccount.Config(9302), "EURUSD");
        try
        {
            Assert.True(NativeAccount.Tick(h, t, 10_000) >= 0, NativeAccount.Lib.ReadLastError(h));
            Assert.True(Sync(h, t, Held(9302, 88002, 0.20)) >= 0, NativeAccount.Lib.ReadLastError(h));
            NativeAccount.Tick(h, t + 1_000, 10_000);
            var close = Assert.Single(Poll(h));
            Assert.Equal(AbiCodes.InstrClose, close.Kind);
            Assert.Equal(88002, close.PositionTicket);
            Assert.Equal(AbiCodes.ExitEmergency, close.Reason);
        }
        finally
        {
            Emergency(false);
            Sync(h, t + 5_000); // the position is gone at the broker: its reservation must not outlive the test
            NativeAccount.Lib.Destroy(h, 1);
        }
    }

    [Fact]
    public void A_detached_charts_position_keeps_its_reservation_and_its_return_counts_it_once()
    {
        var t = NativeAccount.FreshDayMs() + (10 * 3_600_000);
        var a = NativeAccount.Create(NativeAccount.Config(9303), "EURUSD");
        long other = 0, back = 0;
        try
        {
            NativeAccount.Tick(a, t, 10_000);
            Assert.True(Sync(a, t, Held(9303, 88003, 0.50)) >= 0, NativeAccount.Lib.ReadLastError(a));
            var risk = NativeAccount.Status(a).OpenRisk;
            Assert.Equal(100.0, risk, 6); // 0.50 lot, 200 points to the stop at 1 USD per point per lot
            Assert.Equal(AbiCodes.Ok, NativeAccount.Lib.Destroy(a, 1)); // the trader removes the chart
            a = 0;

            other = NativeAccount.Create(NativeAccount.Config(9304), "GBPUSD");
            NativeAccount.Tick(other, t + 1_000, 10_000);
            Assert.Equal(risk, NativeAccount.Status(other).OpenRisk, 6); // still reserved for the account

            back = NativeAccount.Create(NativeAccount.Config(9303), "EURUSD");
            NativeAccount.Tick(back, t + 2_000, 10_000);
            Assert.True(Sync(back, t + 2_000, Held(9303, 88003, 0.50)) >= 0, NativeAccount.Lib.ReadLastError(back));
            Assert.Equal(risk, NativeAccount.Status(back).OpenRisk, 6); // taken over, not added
            Assert.Equal(1, NativeAccount.Status(back).OpenPositions);

            Assert.True(Sync(back, t + 3_000) >= 0); // closed at the broker: released once
            Assert.Equal(0, NativeAccount.Status(back).OpenRisk);
        }
        finally
        {
            foreach (var h in new[] { a, other, back })
            {
                if (h > 0)
                {
                    NativeAccount.Lib.Destroy(h, 1);
                }
            }
        }
    }

    [Fact]
    public void Two_hundred_distinct_symbols_in_one_process_each_get_a_chart()
    {
        for (var i = 0; i < 200; i++)
        {
            var h = NativeAccount.Lib.CreateAgent(NativeAccount.Config(9400 + i), "PROT" + i, NativeAccount.Spec, NativeAccount.Account(), null, null);
            Assert.True(h > 0, $"symbol {i}: kimi_create returned {h}: {NativeAccount.Lib.ReadLastError(0)}");
            Assert.Equal(AbiCodes.Ok, NativeAccount.Lib.Destroy(h, 1));
        }
    }
}
