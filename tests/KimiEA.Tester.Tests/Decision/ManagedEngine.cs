using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Engine;
using KimiEA.Engine.Events;
using KimiEA.Tester.Terminal;

namespace KimiEA.Tester.Tests.Decision;

/// <summary>
/// The engine in-process: the same <see cref="Engine.Agents.Agent"/> the native exports drive, one call per export,
/// including the signal calibration file of <see cref="BacktestSettings.CalibrationPath"/> (which the native library
/// takes from ABI 3 on).
/// Exceptions surface as test failures instead of return codes.
/// </summary>
internal sealed class ManagedEngine : IEngineHost
{
    private readonly AgentHost _host = new();

    public IEngineAgent Create(in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, string? journalPath, string? calibrationPath = null) =>
        new Adapter(Engine.Agents.Agent.Create(_host.Account, config, symbol, spec, account, journalPath, null, calibrationPath));

    private sealed class Adapter(Engine.Agents.Agent a) : IEngineAgent
    {
        public int Warmup(ReadOnlySpan<MqlRates> bars) => a.Warmup(bars);

        public int SyncPositions(ReadOnlySpan<KimiPosition> positions, long timeMsc) => a.SyncPositions(positions, timeMsc);

        public int OnTick(in MqlTick tick, in KimiAccount account) => a.OnTick(tick, account);

        public int UpdateSpec(in KimiSymbolSpec spec) => a.UpdateSpec(spec);

        public int OnBar(in MqlRates bar) => a.OnBar(bar);

        public int GetZones(Span<KimiZone> into) => a.GetZones(into);

        public int PollInstructions(Span<KimiInstruction> into) => a.PollInstructions(into);

        public int ReportResult(in KimiOrderResult result) => a.ReportResult(result);

        public int OnTradeTransaction(in KimiDeal deal) => a.OnTradeTransaction(deal);

        public int OnTimer(long timeMsc, in KimiAccount account) => a.OnTimer(timeMsc, account);

        public int Approve(long intentId, bool approve) => a.Approve(intentId, approve);

        public int PollEvents(Span<KimiEvent> into) => a.PollEvents(into);

        public int PollLog(Span<char> into) => a.PollLog(into);

        public int GetStatus(out KimiStatus status)
        {
            a.GetStatus(out status);
            return AbiCodes.Ok;
        }

        public int Destroy(int reason)
        {
            a.Destroy(reason);
            return AbiCodes.Ok;
        }

        public string LastError() => a.LastError;

        public string NameOf(int eventKind, long code) => CodeNames.Of(eventKind, code);
    }
}
