using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.NativeHost;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Native.Tests.Exports;

/// <summary>
/// The exports of the published native library, called through their C entry points exactly as the EA calls them:
/// the handshake, error codes for bad calls with a readable last error, and the exception firewall (an exception
/// thrown inside the engine comes back as a status code and its text, never as a crash of the host).
/// </summary>
[Collection(NativeAccountGroup.Name)]
public sealed unsafe class ExportContractTests
{
    private static KimiNative Lib => NativeAccount.Lib;

    /// <summary>EURUSD as a 5-digit USD account sees it (shared by the export-level tests).</summary>
    internal static KimiSymbolSpec EurUsd => NativeAccount.Spec;

    private static KimiAccount Demo => NativeAccount.Account();

    private static long NewAgent(long magic, string symbol = "EURUSD")
    {
        var cfg = KimiConfig.Defaults(magic, 900);
        cfg.Mode = AbiCodes.ModePaper;
        var h = Lib.CreateAgent(cfg, symbol, EurUsd, Demo, null, null);
        Assert.True(h > 0, $"kimi_create returned {h}: {Lib.ReadLastError(0)}");
        return h;
    }

    [Fact]
    public void Handshake_accepts_this_build_and_names_a_wrong_struct_size()
    {
        Assert.Equal(AbiCodes.AbiVersion, Lib.AbiVersion());
        Assert.Equal(AbiCodes.Ok, Lib.CheckAbi(AbiCodes.AbiVersion, 60, 60, KimiConfig.Size, KimiSymbolSpec.Size, KimiAccount.Size,
            KimiInstruction.Size, KimiOrderResult.Size, KimiDeal.Size, KimiPosition.Size, KimiStatus.Size, KimiEvent.Size, KimiZone.Size));

        // An EA compiled with a 56-byte MqlTick (the classic padding mistake) is refused with the struct named.
        var rc = Lib.CheckAbi(AbiCodes.AbiVersion, 60, 56, KimiConfig.Size, KimiSymbolSpec.Size, KimiAccount.Size,
            KimiInstruction.Size, KimiOrderResult.Size, KimiDeal.Size, KimiPosition.Size, KimiStatus.Size, KimiEvent.Size, KimiZone.Size);
        Assert.Equal(AbiCodes.EAbiMismatch, rc);
        Assert.Contains("sizeof(MqlTick) is 56", Lib.ReadLastError(0), StringComparison.Ordinal);

        Assert.Equal(AbiCodes.EAbiMismatch, Lib.CheckAbi(99, 60, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        Assert.Contains("ABI 99", Lib.ReadLastError(0), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_handles_and_null_pointers_are_error_codes_with_text()
    {
        var tick = new MqlTick(1_400_000_000_000, 1.1, 1.1001);
        var account = Demo;
        Assert.Equal(AbiCodes.EInvalidHandle, Lib.OnTick(987_654_321, &tick, &account));
        Assert.Contains("987654321", Lib.ReadLastError(0), StringComparison.Ordinal);

        var h = NewAgent(11);
        Assert.Equal(AbiCodes.EInvalidArgument, Lib.OnTick(h, null, &account));
        Assert.Contains("must not be null", Lib.ReadLastError(h), StringComparison.Ordinal);
        Assert.Equal(AbiCodes.EInvalidArgument, Lib.PollInstructions(h, null, 4));
        Assert.Equal(AbiCodes.EInvalidArgument, Lib.Warmup(h, null, 3));

        var cfg = KimiConfig.Defaults(12, 900);
        var spec = EurUsd;
        fixed (char* sym = "EURUSD")
        {
            Assert.True(Lib.Create(&cfg, sym, null, &account, null, null, null) <= 0);
            Assert.Contains("must not be null", Lib.ReadLastError(0), StringComparison.Ordinal);
            cfg.Mode = 7;
            Assert.Equal(AbiCodes.EConfig, Lib.Create(&cfg, sym, &spec, &account, null, null, null));
            Assert.Contains("mode 7", Lib.ReadLastError(0), StringComparison.Ordinal);
            cfg.Mode = 0;
            spec.TickSize = 0;
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.Create(&cfg, sym, &spec, &account, null, null, null));
            Assert.Contains("tick_size", Lib.ReadLastError(0), StringComparison.Ordinal);
        }

        Assert.Equal(AbiCodes.Ok, Lib.Destroy(h, 1));
        Assert.Equal(AbiCodes.EInvalidHandle, Lib.Destroy(h, 1)); // a destroyed handle is gone
    }

    [Fact]
    public void An_exception_inside_the_engine_comes_back_as_a_status_code_with_its_text()
    {
        var h = NewAgent(21);
        var first = new MqlRates(1_400_000_400, 1.1, 1.1005, 1.0995, 1.1); // M15 bars open at multiples of 900 s
        Assert.True(Lib.OnBar(h, &first) >= 0);

        // The engine throws on a bar that does not move time forward; the firewall must turn it into a code.
        var stale = new MqlRates(1_399_999_500, 1.1, 1.1005, 1.0995, 1.1);
        Assert.Equal(AbiCodes.EInvalidArgument, Lib.OnBar(h, &stale));
        Assert.Contains("is not after the previous bar", Lib.ReadLastError(h), StringComparison.Ordinal);

        var broken = new MqlRates(1_400_001_300, 1.1, 1.0990, 1.1010, 1.1); // high below low
        Assert.Equal(AbiCodes.EInvalidArgument, Lib.OnBar(h, &broken));
        Assert.Contains("inconsistent", Lib.ReadLastError(h), StringComparison.Ordinal);

        var unaligned = new MqlRates(1_400_001_000, 1.1, 1.1005, 1.0995, 1.1); // not an M15 bar's open time
        Assert.Equal(AbiCodes.EInvalidArgument, Lib.OnBar(h, &unaligned));
        Assert.Contains("not a multiple of the chart period 900 s", Lib.ReadLastError(h), StringComparison.Ordinal);

        // The agent is still alive and usable after the refused calls.
        var next = new MqlRates(1_400_001_300, 1.1, 1.1005, 1.0995, 1.1);
        Assert.True(Lib.OnBar(h, &next) >= 0);
        Lib.Destroy(h, 1);
    }

    [Fact]
    public void Text_out_is_truncated_to_the_buffer_and_always_terminated()
    {
        Lib.CheckAbi(99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        var buf = stackalloc char[8];
        for (var i = 0; i < 8; i++)
        {
            buf[i] = 'x';
        }

        Assert.Equal(7, Lib.LastError(0, buf, 8));
        Assert.Equal('\0', buf[7]);
        Assert.Equal(AbiCodes.EInvalidArgument, Lib.LastError(0, buf, 0));
        Assert.Equal("SL", Lib.NameOf(AbiCodes.EvtClose, AbiCodes.ExitSl));
        Assert.Equal("INVALID_STOPS", Lib.NameOf(AbiCodes.EvtResult, 10016));
        Assert.Equal("BreakerTripped", Lib.NameOf(AbiCodes.EvtDenied, 61));
    }

    [Fact]
    public void Emergency_stop_is_process_wide_and_reported_in_every_agent_status()
    {
        var a = NewAgent(31);
        var b = NewAgent(32, "GBPUSD");
        fixed (char* why = "test")
        {
            Assert.Equal(AbiCodes.Ok, Lib.EmergencyStop(1, why));
            KimiStatus sa, sb;
            Lib.GetStatus(a, &sa);
            Lib.GetStatus(b, &sb);
            Assert.Equal(1, sa.Emergency);
            Assert.Equal(1, sb.Emergency);
            Assert.Equal(1, sa.Halted);
            Assert.Equal(AbiCodes.Ok, Lib.EmergencyStop(0, why));
            Lib.GetStatus(a, &sa);
            Assert.Equal(0, sa.Emergency);
        }

        Lib.Destroy(a, 1);
        Lib.Destroy(b, 1);
    }
}
