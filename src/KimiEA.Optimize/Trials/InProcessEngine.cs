using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Engine;
using KimiEA.Engine.Events;
using KimiEA.Tester.Terminal;
using Agent = KimiEA.Engine.Agents.Agent;

namespace KimiEA.Optimize.Trials;

/// <summary>
/// The engine run in this process, for passes one after another: the same <see cref="Agent"/> code the native
/// library's exports drive, behind an <see cref="AgentHost"/> of its own. The native library keeps its account-wide
/// state (the breaker, reservations of positions left open, the order-rate window) for the life of the process, as
/// the terminal needs; a pass must start from nothing, so each pass gets a new instance of this host — the "state
/// reset" between sequential runs. Like the exports, every call answers with a status code: an exception becomes
/// KIMI_E_INTERNAL (or the engine's own code) with its text as the last error, never a crash of the worker.
/// </summary>
public sealed class InProcessEngine : IEngineHost
{
    private readonly AgentHost _host = new();

    /// <inheritdoc />
    public IEngineAgent Create(in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, string? journalPath, string? calibrationPath = null)
    {
        try
        {
            return new Adapter(Agent.Create(_host.Account, config, symbol, spec, account, journalPath, null, calibrationPath));
        }
        catch (KimiEA.Engine.EngineException e)
        {
            throw new KimiEA.Tester.Terminal.EngineException("kimi_create", e.Code, "kimi_create: " + e.Message);
        }
        catch (ArgumentException e)
        {
            throw new KimiEA.Tester.Terminal.EngineException("kimi_create", AbiCodes.EInvalidArgument, "kimi_create: " + e.Message);
        }
    }

    private sealed class Adapter(Agent a) : IEngineAgent
    {
        public int Warmup(ReadOnlySpan<MqlRates> bars)
        {
            try
            {
                return a.Warmup(bars);
            }
            catch (Exception e)
            {
                return Internal("kimi_warmup", e);
            }
        }

        public int SyncPositions(ReadOnlySpan<KimiPosition> positions, long timeMsc)
        {
            try
            {
                return a.SyncPositions(positions, timeMsc);
            }
            catch (Exception e)
            {
                return Internal("kimi_sync_positions", e);
            }
        }

        public int OnTick(in MqlTick tick, in KimiAccount account)
        {
            try
            {
                return a.OnTick(tick, account);
            }
            catch (Exception e)
            {
                return Internal("kimi_on_tick", e);
            }
        }

        public int UpdateSpec(in KimiSymbolSpec spec)
        {
            try
            {
                return a.UpdateSpec(spec);
            }
            catch (Exception e)
            {
                return Internal("kimi_update_spec", e);
            }
        }

        public int OnBar(in MqlRates bar)
        {
            try
            {
                return a.OnBar(bar);
            }
            catch (Exception e)
            {
                return Internal("kimi_on_bar", e);
            }
        }

        public int GetZones(Span<KimiZone> into)
        {
            try
            {
                return a.GetZones(into);
            }
            catch (Exception e)
            {
                return Internal("kimi_get_zones", e);
            }
        }

        public int PollInstructions(Span<KimiInstruction> into)
        {
            try
            {
                return a.PollInstructions(into);
            }
            catch (Exception e)
            {
                return Internal("kimi_poll_instructions", e);
            }
        }

        public int ReportResult(in KimiOrderResult result)
        {
            try
            {
                return a.ReportResult(result);
            }
            catch (Exception e)
            {
                return Internal("kimi_report_result", e);
            }
        }

        public int OnTradeTransaction(in KimiDeal deal)
        {
            try
            {
                return a.OnTradeTransaction(deal);
            }
            catch (Exception e)
            {
                return Internal("kimi_on_trade_transaction", e);
            }
        }

        public int OnTimer(long timeMsc, in KimiAccount account)
        {
            try
            {
                return a.OnTimer(timeMsc, account);
            }
            catch (Exception e)
            {
                return Internal("kimi_on_timer", e);
            }
        }

        public int Approve(long intentId, bool approve)
        {
            try
            {
                return a.Approve(intentId, approve);
            }
            catch (Exception e)
            {
                return Internal("kimi_approve", e);
            }
        }

        public int PollEvents(Span<KimiEvent> into)
        {
            try
            {
                return a.PollEvents(into);
            }
            catch (Exception e)
            {
                return Internal("kimi_poll_events", e);
            }
        }

        public int PollLog(Span<char> into)
        {
            try
            {
                return a.PollLog(into);
            }
            catch (Exception e)
            {
                return Internal("kimi_poll_log", e);
            }
        }

        public int GetStatus(out KimiStatus status)
        {
            try
            {
                a.GetStatus(out status);
                return AbiCodes.Ok;
            }
            catch (Exception e)
            {
                status = default;
                return Internal("kimi_get_status", e);
            }
        }

        public int Destroy(int reason)
        {
            try
            {
                a.Destroy(reason);
                return AbiCodes.Ok;
            }
            catch (Exception e)
            {
                return Internal("kimi_destroy", e);
            }
        }

        public string LastError() => a.LastError;

        public string NameOf(int eventKind, long code) => CodeNames.Of(eventKind, code);

        /// <summary>As the exports' firewall: the engine's code for its own refusals, KIMI_E_INTERNAL for anything else.</summary>
        private int Internal(string export, Exception e) => e switch
        {
            KimiEA.Engine.EngineException ee => a.Fail(ee.Code, $"{export}: {ee.Message}"),
            ArgumentException => a.Fail(AbiCodes.EInvalidArgument, $"{export}: {e.Message}"),
            _ => a.Fail(AbiCodes.EInternal, $"{export}: internal error {e.GetType().Name}: {e.Message}"),
        };
    }
}
