using KimiEA.Core.Trading;

namespace KimiEA.Journal;

/// <summary>A position a detached chart left open, as the journal recorded it when the chart went away.</summary>
/// <param name="Magic">The chart's magic.</param>
/// <param name="Symbol">The chart's symbol.</param>
/// <param name="Ticket">Broker position ticket.</param>
/// <param name="Direction">Buy or sell.</param>
/// <param name="Volume">Lots.</param>
/// <param name="RiskMoney">Money at risk to its stop, account currency.</param>
/// <param name="Notional">Notional, account currency.</param>
public sealed record DetachedPosition(long Magic, string Symbol, long Ticket, Direction Direction, double Volume, double RiskMoney, double Notional);

/// <summary>
/// Which positions of detached charts still hold a reservation, folded from the journal's rows: a
/// <see cref="JournalEventKind.PositionDetached"/> row adds one; a close row of that ticket, or the same chart
/// (magic and symbol) attached again — it restores and reconciles its own positions — removes it. A restarted terminal
/// re-reserves what is left, so the account limits count a position whose chart is gone exactly as before the restart.
/// </summary>
public sealed class DetachedPositions
{
    private readonly Dictionary<(long Magic, string Symbol), Dictionary<long, DetachedPosition>> _byChart = [];

    /// <summary>The positions still detached.</summary>
    public IReadOnlyList<DetachedPosition> Open => [.. _byChart.Values.SelectMany(d => d.Values).OrderBy(p => p.Ticket)];

    /// <summary>Folds one journal row in.</summary>
    public void Apply(in JournalEvent e)
    {
        if (e.Symbol is null)
        {
            return;
        }

        var key = (e.Magic, e.Symbol);
        switch (e.Kind)
        {
            case JournalEventKind.PositionDetached:
                if (!_byChart.TryGetValue(key, out var map))
                {
                    _byChart[key] = map = [];
                }

                map[e.Ticket] = new DetachedPosition(e.Magic, e.Symbol, e.Ticket, e.Direction, e.Volume, e.Profit, e.Equity);
                break;
            case JournalEventKind.Close when _byChart.TryGetValue(key, out var held):
                held.Remove(e.Ticket);
                break;
            case JournalEventKind.ModeChange when e.Code == JournalEvent.ModeChangeAttached:
                _byChart.Remove(key);
                break;
        }
    }

    /// <summary>Folds every row of a journal file.</summary>
    /// <exception cref="JournalException">The file cannot be read as a journal.</exception>
    public static DetachedPositions Read(string path)
    {
        var fold = new DetachedPositions();
        using var reader = JournalReader.Open(path);
        foreach (var r in reader.ReadEvents())
        {
            fold.Apply(r.Event);
        }

        return fold;
    }
}
