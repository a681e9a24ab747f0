using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Engine;
using KimiEA.Engine.Agents;
using KimiEA.Engine.Events;

namespace KimiEA.Native;

/// <summary>
/// The C ABI of include/kimiea.h. Each export validates its pointers, finds the agent behind the handle and calls
/// it; <b>every</b> export catches every exception and turns it into a status code plus a last-error text, because an
/// exception escaping into the terminal kills MetaTrader 5 with every chart in it.
/// </summary>
public static unsafe class Exports
{
    private static AgentHost Host => AgentHost.Shared;

    /// <summary><c>int32_t kimi_abi_version(void)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_abi_version", CallConvs = [typeof(CallConvCdecl)])]
    public static int AbiVersion() => AbiCodes.AbiVersion;

    /// <summary><c>int32_t kimi_check_abi(...)</c>: the OnInit handshake on the ABI version and every struct size.</summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_check_abi", CallConvs = [typeof(CallConvCdecl)])]
    public static int CheckAbi(int abiVersion, int sizeofRates, int sizeofTick, int sizeofConfig, int sizeofSpec, int sizeofAccount,
        int sizeofInstruction, int sizeofResult, int sizeofDeal, int sizeofPosition, int sizeofStatus, int sizeofEvent, int sizeofZone)
    {
        try
        {
            if (abiVersion != AbiCodes.AbiVersion)
            {
                return Host.FailProcess(AbiCodes.EAbiMismatch, $"ABI version mismatch: the EA was built for ABI {abiVersion}, KimiEA.dll implements {AbiCodes.AbiVersion}. Install the EA and the DLL from the same release.");
            }

            Span<(string Name, int Caller, int Library)> sizes =
            [
                ("MqlRates", sizeofRates, MqlRates.Size), ("MqlTick", sizeofTick, MqlTick.Size), ("KimiConfig", sizeofConfig, KimiConfig.Size),
                ("KimiSymbolSpec", sizeofSpec, KimiSymbolSpec.Size), ("KimiAccount", sizeofAccount, KimiAccount.Size),
                ("KimiInstruction", sizeofInstruction, KimiInstruction.Size), ("KimiOrderResult", sizeofResult, KimiOrderResult.Size),
                ("KimiDeal", sizeofDeal, KimiDeal.Size), ("KimiPosition", sizeofPosition, KimiPosition.Size),
                ("KimiStatus", sizeofStatus, KimiStatus.Size), ("KimiEvent", sizeofEvent, KimiEvent.Size), ("KimiZone", sizeofZone, KimiZone.Size),
            ];
            foreach (var (name, caller, library) in sizes)
            {
                if (caller != library)
                {
                    return Host.FailProcess(AbiCodes.EAbiMismatch, $"struct size mismatch: sizeof({name}) is {caller} in the caller and {library} in KimiEA.dll.");
                }
            }

            return AbiCodes.Ok;
        }
        catch (Exception e)
        {
            return Internal(0, "kimi_check_abi", e);
        }
    }

    /// <summary><c>int64_t kimi_create(config, symbol, spec, account, journal_path, live_allowlist, calibration_path)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_create", CallConvs = [typeof(CallConvCdecl)])]
    public static long Create(KimiConfig* config, char* symbol, KimiSymbolSpec* spec, KimiAccount* account, char* journalPath, char* liveAllowlist, char* calibrationPath)
    {
        try
        {
            if (config == null || symbol == null || spec == null || account == null)
            {
                return Host.FailProcess(AbiCodes.EInvalidArgument, "kimi_create: config, symbol, spec and account must not be null.");
            }

            var agent = Agent.Create(Host.Account, in *config, new string(symbol), in *spec, in *account, TextOut.Read(journalPath), TextOut.Read(liveAllowlist), TextOut.Read(calibrationPath));
            return Host.Add(agent);
        }
        catch (EngineException e)
        {
            return Host.FailProcess(e.Code, "kimi_create: " + e.Message);
        }
        catch (ArgumentException e)
        {
            return Host.FailProcess(AbiCodes.EInvalidArgument, "kimi_create: " + e.Message);
        }
        catch (Exception e)
        {
            return Internal(0, "kimi_create", e);
        }
    }

    /// <summary><c>int32_t kimi_destroy(handle, reason)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_destroy", CallConvs = [typeof(CallConvCdecl)])]
    public static int Destroy(long handle, int reason)
    {
        try
        {
            if (!Host.Remove(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_destroy");
            }

            agent.Destroy(reason);
            return AbiCodes.Ok;
        }
        catch (Exception e)
        {
            return Internal(0, "kimi_destroy", e);
        }
    }

    /// <summary><c>int32_t kimi_warmup(handle, bars, count)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_warmup", CallConvs = [typeof(CallConvCdecl)])]
    public static int Warmup(long handle, MqlRates* bars, int count)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_warmup");
            }

            if (count < 0 || (bars == null && count > 0))
            {
                return agent.Fail(AbiCodes.EInvalidArgument, $"kimi_warmup: invalid bars pointer or count {count}.");
            }

            return agent.Warmup(new ReadOnlySpan<MqlRates>(bars, count));
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_warmup", e);
        }
    }

    /// <summary><c>int32_t kimi_update_spec(handle, spec)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_update_spec", CallConvs = [typeof(CallConvCdecl)])]
    public static int UpdateSpec(long handle, KimiSymbolSpec* spec)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_update_spec");
            }

            return spec == null ? agent.Fail(AbiCodes.EInvalidArgument, "kimi_update_spec: spec is null.") : agent.UpdateSpec(in *spec);
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_update_spec", e);
        }
    }

    /// <summary><c>int32_t kimi_on_tick(handle, tick, account)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_on_tick", CallConvs = [typeof(CallConvCdecl)])]
    public static int OnTick(long handle, MqlTick* tick, KimiAccount* account)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_on_tick");
            }

            return tick == null || account == null
                ? agent.Fail(AbiCodes.EInvalidArgument, "kimi_on_tick: tick and account must not be null.")
                : agent.OnTick(in *tick, in *account);
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_on_tick", e);
        }
    }

    /// <summary><c>int32_t kimi_on_bar(handle, bar)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_on_bar", CallConvs = [typeof(CallConvCdecl)])]
    public static int OnBar(long handle, MqlRates* bar)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_on_bar");
            }

            return bar == null ? agent.Fail(AbiCodes.EInvalidArgument, "kimi_on_bar: bar is null.") : agent.OnBar(in *bar);
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_on_bar", e);
        }
    }

    /// <summary><c>int32_t kimi_poll_instructions(handle, out, capacity)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_poll_instructions", CallConvs = [typeof(CallConvCdecl)])]
    public static int PollInstructions(long handle, KimiInstruction* output, int capacity)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_poll_instructions");
            }

            return output == null || capacity < 0
                ? agent.Fail(AbiCodes.EInvalidArgument, $"kimi_poll_instructions: invalid output buffer or capacity {capacity}.")
                : agent.PollInstructions(new Span<KimiInstruction>(output, capacity));
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_poll_instructions", e);
        }
    }

    /// <summary><c>int32_t kimi_report_result(handle, result)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_report_result", CallConvs = [typeof(CallConvCdecl)])]
    public static int ReportResult(long handle, KimiOrderResult* result)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_report_result");
            }

            return result == null ? agent.Fail(AbiCodes.EInvalidArgument, "kimi_report_result: result is null.") : agent.ReportResult(in *result);
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_report_result", e);
        }
    }

    /// <summary><c>int32_t kimi_on_trade_transaction(handle, deal)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_on_trade_transaction", CallConvs = [typeof(CallConvCdecl)])]
    public static int OnTradeTransaction(long handle, KimiDeal* deal)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_on_trade_transaction");
            }

            return deal == null ? agent.Fail(AbiCodes.EInvalidArgument, "kimi_on_trade_transaction: deal is null.") : agent.OnTradeTransaction(in *deal);
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_on_trade_transaction", e);
        }
    }

    /// <summary><c>int32_t kimi_sync_positions(handle, positions, count, time_msc)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_sync_positions", CallConvs = [typeof(CallConvCdecl)])]
    public static int SyncPositions(long handle, KimiPosition* positions, int count, long timeMsc)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_sync_positions");
            }

            return count < 0 || (positions == null && count > 0)
                ? agent.Fail(AbiCodes.EInvalidArgument, $"kimi_sync_positions: invalid positions pointer or count {count}.")
                : agent.SyncPositions(new ReadOnlySpan<KimiPosition>(positions, count), timeMsc);
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_sync_positions", e);
        }
    }

    /// <summary><c>int32_t kimi_on_timer(handle, time_msc, account)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_on_timer", CallConvs = [typeof(CallConvCdecl)])]
    public static int OnTimer(long handle, long timeMsc, KimiAccount* account)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_on_timer");
            }

            return account == null ? agent.Fail(AbiCodes.EInvalidArgument, "kimi_on_timer: account is null.") : agent.OnTimer(timeMsc, in *account);
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_on_timer", e);
        }
    }

    /// <summary><c>int32_t kimi_approve(handle, intent_id, approve)</c>: the trader's decision on an intent in the approval band.</summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_approve", CallConvs = [typeof(CallConvCdecl)])]
    public static int Approve(long handle, long intentId, int approve)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_approve");
            }

            return approve is not (0 or 1)
                ? agent.Fail(AbiCodes.EInvalidArgument, $"kimi_approve: approve must be 1 (approve) or 0 (skip), got {approve}.")
                : agent.Approve(intentId, approve == 1);
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_approve", e);
        }
    }

    /// <summary><c>int32_t kimi_poll_events(handle, out, capacity)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_poll_events", CallConvs = [typeof(CallConvCdecl)])]
    public static int PollEvents(long handle, KimiEvent* output, int capacity)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_poll_events");
            }

            return output == null || capacity < 0
                ? agent.Fail(AbiCodes.EInvalidArgument, $"kimi_poll_events: invalid output buffer or capacity {capacity}.")
                : agent.PollEvents(new Span<KimiEvent>(output, capacity));
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_poll_events", e);
        }
    }

    /// <summary><c>int32_t kimi_poll_log(handle, buffer, capacity)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_poll_log", CallConvs = [typeof(CallConvCdecl)])]
    public static int PollLog(long handle, char* buffer, int capacity)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_poll_log");
            }

            // A line needs room for at least one character and the NUL: with capacity 1 the line would be consumed
            // while 0 ("no more lines") is returned, so it is refused and the line stays queued.
            if (buffer == null || capacity < 2)
            {
                return agent.Fail(AbiCodes.EInvalidArgument, $"kimi_poll_log: invalid buffer or capacity {capacity} (at least 2: one character and the NUL).");
            }

            var n = agent.PollLog(new Span<char>(buffer, capacity - 1));
            buffer[n] = '\0';
            return n;
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_poll_log", e);
        }
    }

    /// <summary><c>int32_t kimi_get_zones(handle, out, capacity)</c>: the chart's live SMC structure for drawing.</summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_get_zones", CallConvs = [typeof(CallConvCdecl)])]
    public static int GetZones(long handle, KimiZone* output, int capacity)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_get_zones");
            }

            return output == null || capacity < 0
                ? agent.Fail(AbiCodes.EInvalidArgument, $"kimi_get_zones: invalid output buffer or capacity {capacity}.")
                : agent.GetZones(new Span<KimiZone>(output, capacity));
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_get_zones", e);
        }
    }

    /// <summary><c>int32_t kimi_close_positions(handle)</c>: the panel's "close this chart's positions".</summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_close_positions", CallConvs = [typeof(CallConvCdecl)])]
    public static int ClosePositions(long handle)
    {
        try
        {
            return Host.TryGet(handle, out var agent) ? agent.ClosePositions() : Host.InvalidHandle(handle, "kimi_close_positions");
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_close_positions", e);
        }
    }

    /// <summary><c>int32_t kimi_request_halt(handle, halt, reason)</c>: the panel's Halt / Resume, account-wide through the journal.</summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_request_halt", CallConvs = [typeof(CallConvCdecl)])]
    public static int RequestHalt(long handle, int halt, char* reason)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_request_halt");
            }

            return halt is not (0 or 1)
                ? agent.Fail(AbiCodes.EInvalidArgument, $"kimi_request_halt: halt must be 1 (halt) or 0 (resume), got {halt}.")
                : agent.RequestHalt(halt == 1, TextOut.Read(reason));
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_request_halt", e);
        }
    }

    /// <summary><c>int32_t kimi_get_status(handle, out)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_get_status", CallConvs = [typeof(CallConvCdecl)])]
    public static int GetStatus(long handle, KimiStatus* output)
    {
        try
        {
            if (!Host.TryGet(handle, out var agent))
            {
                return Host.InvalidHandle(handle, "kimi_get_status");
            }

            if (output == null)
            {
                return agent.Fail(AbiCodes.EInvalidArgument, "kimi_get_status: output is null.");
            }

            agent.GetStatus(out *output);
            return AbiCodes.Ok;
        }
        catch (Exception e)
        {
            return Internal(handle, "kimi_get_status", e);
        }
    }

    /// <summary><c>int32_t kimi_last_error(handle, buffer, capacity)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_last_error", CallConvs = [typeof(CallConvCdecl)])]
    public static int LastError(long handle, char* buffer, int capacity)
    {
        try
        {
            return TextOut.Write(Host.LastError(handle), buffer, capacity);
        }
        catch (Exception)
        {
            return AbiCodes.EInternal;
        }
    }

    /// <summary><c>int32_t kimi_emergency_stop(engage, reason)</c>: process-wide.</summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_emergency_stop", CallConvs = [typeof(CallConvCdecl)])]
    public static int EmergencyStop(int engage, char* reason)
    {
        try
        {
            if (engage is not (0 or 1))
            {
                return Host.FailProcess(AbiCodes.EInvalidArgument, $"kimi_emergency_stop: engage = {engage} must be 1 (engage) or 0 (release); the stop was not changed.");
            }

            Host.Account.SetEmergency(engage == 1, TextOut.Read(reason) ?? string.Empty);
            return AbiCodes.Ok;
        }
        catch (Exception e)
        {
            return Internal(0, "kimi_emergency_stop", e);
        }
    }

    /// <summary><c>int32_t kimi_code_name(event_kind, code, buffer, capacity)</c></summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_code_name", CallConvs = [typeof(CallConvCdecl)])]
    public static int CodeName(int eventKind, int code, char* buffer, int capacity)
    {
        try
        {
            return TextOut.Write(CodeNames.Of(eventKind, code), buffer, capacity);
        }
        catch (Exception e)
        {
            return Internal(0, "kimi_code_name", e);
        }
    }

    /// <summary><c>int64_t kimi_allocated_bytes(void)</c>: bytes allocated by this library's runtime (diagnostics).</summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_allocated_bytes", CallConvs = [typeof(CallConvCdecl)])]
    public static long AllocatedBytes()
    {
        try
        {
            return GC.GetTotalAllocatedBytes(precise: true);
        }
        catch (Exception)
        {
            return AbiCodes.EInternal;
        }
    }

    /// <summary>The firewall: an unexpected exception becomes KIMI_E_INTERNAL (or INVALID_ARGUMENT) with its text.</summary>
    private static int Internal(long handle, string export, Exception e)
    {
        try
        {
            return e switch
            {
                EngineException ee => Host.Fail(handle, ee.Code, $"{export}: {ee.Message}"),
                ArgumentException => Host.Fail(handle, AbiCodes.EInvalidArgument, $"{export}: {e.Message}"),
                _ => Host.Fail(handle, AbiCodes.EInternal, $"{export}: internal error {e.GetType().Name}: {e.Message}"),
            };
        }
        catch (Exception)
        {
            return AbiCodes.EInternal;
        }
    }
}
