using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Tester.Server;

namespace KimiEA.Tester.Terminal;

/// <summary>
/// The engine state one agent came back with when its chart started (right after <c>kimi_sync_positions</c>, before
/// the first tick): what a restart restored from the journal and reconciled with the broker.
/// </summary>
/// <param name="Symbol">The agent's symbol.</param>
/// <param name="Breaker">Breaker state name (as <c>kimi_code_name</c> gives it).</param>
/// <param name="BreakerCode">Its KIMI_BREAKER_* code.</param>
/// <param name="DayStartEquity">The breaker's day-start equity (0 when it has seen no equity yet).</param>
/// <param name="OpenPositions">Positions the agent manages.</param>
/// <param name="Halted">1 when the agent refuses new risk (breaker, kill switch, journal, reconciliation).</param>
public sealed record AgentStart(string Symbol, string Breaker, long BreakerCode, double DayStartEquity, long OpenPositions, long Halted);

/// <summary>
/// What the terminal does when the EA starts on an account that already has a history (a restart after a crash or
/// a shutdown), wrapped around the engine host so the plain call sequence stays as it is:
/// <list type="number">
/// <item>Before <c>kimi_sync_positions</c>, the agent's deal history at the broker (its symbol and magic, in deal
/// order) goes through <c>kimi_on_trade_transaction</c>, as the EA forwards <c>HistorySelect</c>'s deals: fills and
/// closes that happened while no engine was running, or whose journal rows a crash lost, reach the engine with their
/// real tickets, prices and P&amp;L; deals the journal already holds are ignored by the engine.</item>
/// <item>After it, <c>kimi_get_status</c> tells what the agent starts trading with (breaker, positions), reported
/// through the callback.</item>
/// </list>
/// </summary>
internal sealed class TerminalRestart(IEngineHost inner, IReadOnlyList<TesterSymbol> symbols, BrokerState? history, Action<AgentStart> started) : IEngineHost
{
    public IEngineAgent Create(in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, string? journalPath, string? calibrationPath = null)
    {
        var index = -1;
        for (var i = 0; i < symbols.Count; i++)
        {
            if (string.Equals(symbols[i].Name, symbol, StringComparison.Ordinal))
            {
                index = i;
            }
        }

        var deals = new List<KimiDeal>();
        if (history is not null)
        {
            foreach (var d in history.Deals)
            {
                if (d.Symbol == index && d.Magic == config.Magic)
                {
                    deals.Add(d.ToAbi());
                }
            }
        }

        return new Agent(inner.Create(config, symbol, spec, account, journalPath, calibrationPath), symbol, deals, started);
    }

    private sealed class Agent(IEngineAgent a, string symbol, List<KimiDeal> history, Action<AgentStart> started) : IEngineAgent
    {
        private bool _started;

        public int SyncPositions(ReadOnlySpan<KimiPosition> positions, long timeMsc)
        {
            if (!_started)
            {
                foreach (var d in history)
                {
                    var forwarded = a.OnTradeTransaction(d);
                    if (forwarded < 0)
                    {
                        throw new EngineException($"kimi_on_trade_transaction ({symbol}, history deal {d.DealTicket})", forwarded, a.LastError());
                    }
                }
            }

            var rc = a.SyncPositions(positions, timeMsc);
            if (rc >= 0 && !_started && a.GetStatus(out var s) >= 0)
            {
                _started = true;
                started(new AgentStart(symbol, a.NameOf(AbiCodes.EvtBreaker, s.BreakerState), s.BreakerState, s.DayStartEquity, s.OpenPositions, s.Halted));
            }

            return rc;
        }

        public int Warmup(ReadOnlySpan<MqlRates> bars) => a.Warmup(bars);

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

        public int GetStatus(out KimiStatus status) => a.GetStatus(out status);

        public int Destroy(int reason) => a.Destroy(reason);

        public string LastError() => a.LastError();

        public string NameOf(int eventKind, long code) => a.NameOf(eventKind, code);
    }
}
