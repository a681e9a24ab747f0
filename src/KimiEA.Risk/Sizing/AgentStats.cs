namespace KimiEA.Risk.Sizing;

/// <summary>
/// One agent's closed-trade record per (symbol, setup): the evidence of its Beta posteriors. Isolated per agent
/// (not shared, not thread-safe: an agent runs on its chart's thread). Restorable from the journal through
/// <see cref="Snapshot"/>/<see cref="Restore"/>.
/// </summary>
public sealed class AgentStats
{
    private readonly Dictionary<(string Symbol, int SetupId), SetupStats> _stats = new();

    /// <summary>The record for a symbol and setup (zero wins and losses when none closed yet). No allocation.</summary>
    public SetupStats Get(string symbol, int setupId) =>
        _stats.TryGetValue((symbol, setupId), out var s) ? s : new SetupStats(symbol, setupId, 0, 0);

    /// <summary>Records a closed trade: a positive <paramref name="profit"/> is a win, zero or negative a loss.</summary>
    /// <exception cref="ArgumentException">The symbol is empty or the profit is not finite.</exception>
    public SetupStats RecordClosedTrade(string symbol, int setupId, double profit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        if (!double.IsFinite(profit))
        {
            throw new ArgumentException($"Closed trade profit of {symbol}/{setupId} must be a finite number, got {profit}.", nameof(profit));
        }

        var s = Get(symbol, setupId);
        s = profit > 0 ? s with { Wins = s.Wins + 1 } : s with { Losses = s.Losses + 1 };
        _stats[(symbol, setupId)] = s;
        return s;
    }

    /// <summary>Every record, ordered by symbol then setup (deterministic journal output).</summary>
    public SetupStats[] Snapshot()
    {
        var list = new List<SetupStats>(_stats.Values);
        list.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Symbol, b.Symbol);
            return c != 0 ? c : a.SetupId.CompareTo(b.SetupId);
        });
        return [.. list];
    }

    /// <summary>Replaces the state with records read from the journal.</summary>
    /// <exception cref="ArgumentException">A record has an empty symbol, negative counts or a duplicate key.</exception>
    public void Restore(ReadOnlySpan<SetupStats> records)
    {
        var fresh = new Dictionary<(string, int), SetupStats>(records.Length);
        foreach (var r in records)
        {
            if (string.IsNullOrWhiteSpace(r.Symbol) || r.Wins < 0 || r.Losses < 0)
            {
                throw new ArgumentException($"Invalid setup stats record {r}: symbol must be set and counts must not be negative.", nameof(records));
            }

            if (!fresh.TryAdd((r.Symbol, r.SetupId), r))
            {
                throw new ArgumentException($"Duplicate setup stats record for {r.Symbol}/{r.SetupId}.", nameof(records));
            }
        }

        _stats.Clear();
        foreach (var kv in fresh)
        {
            _stats[kv.Key] = kv.Value;
        }
    }
}
