using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Tester.Terminal;

namespace KimiEA.Benchmarks.Tester;

/// <summary>An engine that accepts every call and never trades: measures the tester's own cost per tick.</summary>
public sealed class NullEngine : IEngineHost
{
    public IEngineAgent Create(in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, string? journalPath, string? calibrationPath = null) => new Agent();

    private sealed class Agent : IEngineAgent
    {
        public int Warmup(ReadOnlySpan<MqlRates> bars) => 0;
        public int SyncPositions(ReadOnlySpan<KimiPosition> positions, long timeMsc) => 0;
        public int OnTick(in MqlTick tick, in KimiAccount account) => 0;
        public int UpdateSpec(in KimiSymbolSpec spec) => 0;
        public int OnBar(in MqlRates bar) => 0;
        public int GetZones(Span<KimiZone> into) => 0;
        public int PollInstructions(Span<KimiInstruction> into) => 0;
        public int ReportResult(in KimiOrderResult result) => 0;
        public int OnTradeTransaction(in KimiDeal deal) => 0;
        public int OnTimer(long timeMsc, in KimiAccount account) => 0;
        public int Approve(long intentId, bool approve) => 0;
        public int PollEvents(Span<KimiEvent> into) => 0;
        public int PollLog(Span<char> into) => 0;

        public int GetStatus(out KimiStatus status)
        {
            status = default;
            return 0;
        }

        public int Destroy(int reason) => 0;
        public string LastError() => string.Empty;
        public string NameOf(int eventKind, long code) => string.Empty;
    }
}
