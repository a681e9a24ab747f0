using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Tester.Terminal;

namespace KimiEA.Tester.Tests.Terminal;

/// <summary>
/// A stand-in for the engine that records every call in order and hands out the instructions a test scripts for
/// a given closed bar. It lets the terminal's call sequence be checked without the native library. Like the engine,
/// it returns the header's pending word (instructions ready | KIMI_PENDING_EVENTS | KIMI_PENDING_TIMER) from every
/// handler: every instruction it hands out leaves one event (and one log line) behind, and it wants timer calls while
/// it owns a position (a filled OPEN until a closing deal) or has instructions queued or unanswered.
/// </summary>
internal sealed class ScriptedEngine : IEngineHost
{
    public List<string> Calls { get; } = [];
    public List<KimiOrderResult> Results { get; } = [];
    public List<KimiDeal> Deals { get; } = [];
    public List<MqlRates> BarsSeen { get; } = [];
    public List<long> TickTimes { get; } = [];

    /// <summary>Instructions to queue when the bar with this open time (seconds) is handed to on_bar.</summary>
    public Dictionary<long, KimiInstruction[]> OnBarScript { get; } = [];

    /// <summary>Optional rule run on every closed bar: the instructions to queue for it (none when null).</summary>
    public Func<MqlRates, KimiInstruction[]?>? Strategy { get; init; }

    public IEngineAgent Create(in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, string? journalPath, string? calibrationPath = null)
    {
        Calls.Add($"create {symbol} magic={config.Magic} mode={config.Mode} clock={config.ServerTimeZone}/{config.ServerUtcOffsetMinutes}");
        return new Agent(this, config.Magic);
    }

    private sealed class Agent(ScriptedEngine e, long magic) : IEngineAgent
    {
        private readonly Queue<KimiInstruction> _queue = new();
        private long _nextId = 1;
        private readonly Dictionary<long, long> _unanswered = [];
        private int _events;
        private int _logLines;
        private int _positions;

        private int Pending =>
            _queue.Count
            | (_events > 0 || _logLines > 0 ? AbiCodes.PendingEvents : 0)
            | (_positions > 0 || _queue.Count > 0 || _unanswered.Count > 0 ? AbiCodes.PendingTimer : 0);

        public int Warmup(ReadOnlySpan<MqlRates> bars)
        {
            e.Calls.Add($"warmup {bars.Length}");
            return Pending;
        }

        public int SyncPositions(ReadOnlySpan<KimiPosition> positions, long timeMsc)
        {
            e.Calls.Add($"sync {positions.Length}");
            return Pending;
        }

        public int OnTick(in MqlTick tick, in KimiAccount account)
        {
            e.Calls.Add("tick");
            e.TickTimes.Add(tick.TimeMsc);
            return Pending;
        }

        public int UpdateSpec(in KimiSymbolSpec spec)
        {
            e.Calls.Add("spec");
            return 0;
        }

        public int GetZones(Span<KimiZone> into)
        {
            e.Calls.Add($"zones {into.Length}");
            return 0;
        }

        public int OnBar(in MqlRates bar)
        {
            e.Calls.Add($"bar {bar.Time}");
            e.BarsSeen.Add(bar);
            var script = e.Strategy?.Invoke(bar);
            if (script is not null || e.OnBarScript.TryGetValue(bar.Time, out script))
            {
                foreach (var i in script)
                {
                    var ins = i;
                    ins.Id = _nextId++;
                    ins.Magic = magic;
                    _queue.Enqueue(ins);
                }
            }

            return Pending;
        }

        public int PollInstructions(Span<KimiInstruction> into)
        {
            var n = 0;
            while (n < into.Length && _queue.Count > 0)
            {
                var ins = _queue.Dequeue();
                _unanswered[ins.Id] = ins.Kind;
                into[n++] = ins;
            }

            e.Calls.Add($"poll {n}");
            _events += n;
            _logLines += n;
            return n;
        }

        public int ReportResult(in KimiOrderResult result)
        {
            e.Calls.Add($"result {result.InstructionId} {result.Retcode}");
            e.Results.Add(result);
            if (_unanswered.Remove(result.InstructionId, out var kind) && kind == AbiCodes.InstrOpen && result.Retcode == 10009)
            {
                _positions++;
            }

            return Pending;
        }

        public int OnTradeTransaction(in KimiDeal deal)
        {
            e.Calls.Add($"deal {deal.Entry} {deal.Reason}");
            e.Deals.Add(deal);
            if (deal.Entry == AbiCodes.DealEntryOut)
            {
                _positions--;
            }

            return Pending;
        }

        public int Approve(long intentId, bool approve)
        {
            e.Calls.Add(approve ? "approve" : "skip");
            return Pending;
        }

        public int OnTimer(long timeMsc, in KimiAccount account)
        {
            e.Calls.Add("timer");
            return Pending;
        }

        public int PollEvents(Span<KimiEvent> into)
        {
            var n = Math.Min(_events, into.Length);
            _events -= n;
            e.Calls.Add($"events {n}");
            return n;
        }

        public int PollLog(Span<char> into)
        {
            e.Calls.Add($"log {(_logLines > 0 ? 1 : 0)}");
            if (_logLines == 0)
            {
                return 0;
            }

            _logLines--;
            "line".CopyTo(into);
            into[4] = '\0';
            return 4;
        }

        public int GetStatus(out KimiStatus status)
        {
            status = default;
            return 0;
        }

        public int Destroy(int reason)
        {
            e.Calls.Add("destroy");
            return 0;
        }

        public string LastError() => string.Empty;

        public string NameOf(int eventKind, long code) => code.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
