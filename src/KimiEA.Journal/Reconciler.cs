using KimiEA.Core.Trading;

namespace KimiEA.Journal;

/// <summary>MT5 ENUM_DEAL_ENTRY. Numeric values are MT5's.</summary>
public enum BrokerDealEntry
{
    /// <summary>Entry into the market (opens or adds to a position).</summary>
    In = 0,
    /// <summary>Exit from the market (closes or reduces a position).</summary>
    Out = 1,
    /// <summary>Reversal (netting).</summary>
    InOut = 2,
    /// <summary>Close by an opposite position.</summary>
    OutBy = 3,
}

/// <summary>A position the EA reports for this magic (PositionGet* on the terminal).</summary>
/// <param name="Ticket">POSITION_TICKET.</param>
/// <param name="Symbol">POSITION_SYMBOL.</param>
/// <param name="Magic">POSITION_MAGIC.</param>
/// <param name="Direction">Buy or sell.</param>
/// <param name="Volume">POSITION_VOLUME.</param>
/// <param name="PriceOpen">POSITION_PRICE_OPEN.</param>
/// <param name="Time">POSITION_TIME_MSC (or seconds: the unit of the journal's rows).</param>
/// <param name="StopLoss">POSITION_SL.</param>
/// <param name="TakeProfit">POSITION_TP.</param>
/// <param name="IntentId">The intent id the EA read back from the order comment (0 when absent or unreadable).</param>
public readonly record struct BrokerPosition(long Ticket, string Symbol, long Magic, Direction Direction, double Volume,
    double PriceOpen, long Time, double StopLoss, double TakeProfit, long IntentId);

/// <summary>A recent deal the EA reports for this magic (HistoryDeal* on the terminal).</summary>
/// <param name="Ticket">DEAL_TICKET.</param>
/// <param name="PositionTicket">DEAL_POSITION_ID.</param>
/// <param name="Symbol">DEAL_SYMBOL.</param>
/// <param name="Magic">DEAL_MAGIC.</param>
/// <param name="Direction">Deal side: buy or sell.</param>
/// <param name="Entry">DEAL_ENTRY.</param>
/// <param name="Volume">DEAL_VOLUME.</param>
/// <param name="Price">DEAL_PRICE.</param>
/// <param name="Time">DEAL_TIME_MSC (or seconds: the unit of the journal's rows).</param>
/// <param name="Profit">DEAL_PROFIT + DEAL_COMMISSION + DEAL_SWAP, account currency.</param>
/// <param name="IntentId">The intent id from the deal comment (0 when absent).</param>
public readonly record struct BrokerDeal(long Ticket, long PositionTicket, string Symbol, long Magic, Direction Direction,
    BrokerDealEntry Entry, double Volume, double Price, long Time, double Profit, long IntentId);

/// <summary>What reconciliation decided about one intent, position or deal. Stored in the code of reconciliation rows; never renumber.</summary>
public enum ReconcileActionKind
{
    /// <summary>No decision.</summary>
    None = 0,
    /// <summary>Journal and broker agree on an open position (warm start).</summary>
    Confirmed = 1,
    /// <summary>The broker's SL/TP/volume differ from the journal's; the broker's values were taken.</summary>
    UpdatedFromBroker = 2,
    /// <summary>A journaled position is gone at the broker; its closing deal was recorded with exit reason RECONCILED.</summary>
    ClosedWhileOffline = 3,
    /// <summary>An open intent was found filled at the broker (position still open) and adopted.</summary>
    AdoptedFill = 4,
    /// <summary>An open intent was filled and closed at the broker while the engine was away.</summary>
    FilledAndClosedWhileOffline = 5,
    /// <summary>An open intent has no position and no deal at the broker; it is closed and never re-issued.</summary>
    AbandonIntent = 6,
    /// <summary>A position with this magic that the journal did not know was adopted (broker ahead).</summary>
    AdoptedUnknownPosition = 7,
    /// <summary>A deal the journal already holds was reported again and ignored.</summary>
    IgnoredDuplicateDeal = 8,
    /// <summary>
    /// A broker position or fill that cannot exist (volume above the symbol's maximum, impossible prices or stops) was
    /// refused: it is not adopted into the risk book, and the call that reported it failed.
    /// </summary>
    RefusedBrokerPosition = 9,
}

/// <summary>One reconciliation decision.</summary>
/// <param name="Kind">What was decided.</param>
/// <param name="IntentId">Intent concerned (0 when none).</param>
/// <param name="Ticket">Position ticket concerned (0 when none).</param>
/// <param name="Deal">Deal concerned (0 when none).</param>
/// <param name="Text">A sentence for the log.</param>
public readonly record struct ReconcileAction(ReconcileActionKind Kind, long IntentId, long Ticket, long Deal, string Text);

/// <summary>The outcome of <see cref="Reconciler.Reconcile"/>.</summary>
/// <param name="Actions">Every decision, in order.</param>
/// <param name="Events">The rows to append to the journal, in order (fills, closes, modifies and reconciliation rows).</param>
/// <param name="Ledger">The agent's state after applying <paramref name="Events"/>: what the engine now manages.</param>
public sealed record ReconcileResult(IReadOnlyList<ReconcileAction> Actions, IReadOnlyList<JournalEvent> Events, AgentLedger Ledger);

/// <summary>
/// Start-up (and after-reconnect) reconciliation of an agent's journaled state with what the broker reports for its
/// magic. The broker wins: positions the journal does not know are adopted, positions the broker no longer has are
/// closed with <see cref="ExitReason.Reconciled"/>, and every open intent is resolved — adopted when the broker shows
/// it filled, abandoned otherwise. It never produces an instruction: an intent that may have filled is never re-issued.
/// Pure: the input ledger is not changed; the rows to append and the resulting ledger are returned.
/// </summary>
public static class Reconciler
{
    private const double PriceEpsilon = 1e-9;

    /// <summary>Reconciles <paramref name="journal"/> with the broker's <paramref name="positions"/> and recent <paramref name="deals"/> at <paramref name="time"/>.</summary>
    /// <param name="journal">The agent's restored state.</param>
    /// <param name="positions">Open positions the EA reports (others' magics and symbols are ignored).</param>
    /// <param name="deals">Recent deals the EA reports (history since the oldest open journal item, at least).</param>
    /// <param name="time">Time stamped on the rows (the caller's clock).</param>
    /// <param name="pipSize">The symbol's pip size, stamped on adopted fills.</param>
    /// <param name="mode">Execution mode stamped on adopted fills.</param>
    public static ReconcileResult Reconcile(AgentLedger journal, IReadOnlyList<BrokerPosition> positions,
        IReadOnlyList<BrokerDeal> deals, long time, double pipSize = 0, string? mode = null)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(deals);
        var ledger = journal.Clone();
        var actions = new List<ReconcileAction>();
        var events = new List<JournalEvent>();
        var magic = ledger.Magic;
        var symbol = ledger.Symbol;

        var mine = new List<BrokerPosition>();
        foreach (var p in positions)
            if (p.Magic == magic && string.Equals(p.Symbol, symbol, StringComparison.Ordinal))
                mine.Add(p);
        var myDeals = new List<BrokerDeal>();
        var seenDeals = new HashSet<long>();
        foreach (var d in deals)
        {
            if (d.Magic != magic || !string.Equals(d.Symbol, symbol, StringComparison.Ordinal))
                continue;
            if (ledger.KnowsDeal(d.Ticket) || !seenDeals.Add(d.Ticket))
            {
                actions.Add(new ReconcileAction(ReconcileActionKind.IgnoredDuplicateDeal, d.IntentId, d.PositionTicket, d.Ticket,
                    $"deal {d.Ticket} is already in the journal; ignored"));
                continue;
            }
            myDeals.Add(d);
        }
        var claimed = new HashSet<long>();

        void Emit(in JournalEvent e)
        {
            events.Add(e);
            ledger.Apply(e);
        }

        // 1. Positions the journal believes open.
        foreach (var jp in journal.OpenPositions)
        {
            var bp = Find(mine, jp.Ticket);
            if (bp is { } live)
            {
                claimed.Add(live.Ticket);
                if (Differs(live.StopLoss, jp.StopLoss) || Differs(live.TakeProfit, jp.TakeProfit) || Differs(live.Volume, jp.Volume))
                {
                    Emit(JournalEvent.Modify(time, magic, symbol, jp.Ticket, live.StopLoss, live.TakeProfit, live.Volume));
                    var text = $"position {jp.Ticket}: broker SL/TP/volume {live.StopLoss}/{live.TakeProfit}/{live.Volume} replace the journal's {jp.StopLoss}/{jp.TakeProfit}/{jp.Volume}";
                    Emit(JournalEvent.Reconciliation(time, magic, symbol, ReconcileActionKind.UpdatedFromBroker, jp.IntentId, jp.Ticket, text));
                    actions.Add(new ReconcileAction(ReconcileActionKind.UpdatedFromBroker, jp.IntentId, jp.Ticket, 0, text));
                }
                else
                {
                    actions.Add(new ReconcileAction(ReconcileActionKind.Confirmed, jp.IntentId, jp.Ticket, 0,
                        $"position {jp.Ticket} is open at the broker as journaled"));
                }
                continue;
            }
            var closed = CloseFromDeals(ledger, jp.Ticket, myDeals, time, magic, symbol, Emit);
            var note = closed
                ? $"position {jp.Ticket} was closed at the broker while the engine was away"
                : $"position {jp.Ticket} is gone at the broker and no closing deal was reported; P&L unknown";
            Emit(JournalEvent.Reconciliation(time, magic, symbol, ReconcileActionKind.ClosedWhileOffline, jp.IntentId, jp.Ticket, note));
            actions.Add(new ReconcileAction(ReconcileActionKind.ClosedWhileOffline, jp.IntentId, jp.Ticket, 0, note));
        }

        // 2. Open intents: adopt what the broker shows filled, abandon the rest (never re-issue).
        foreach (var intent in journal.OpenIntents)
        {
            BrokerPosition? match = null;
            foreach (var p in mine)
                if (!claimed.Contains(p.Ticket) && ((p.IntentId != 0 && p.IntentId == intent.IntentId) || (intent.Ticket != 0 && p.Ticket == intent.Ticket)))
                {
                    match = p;
                    break;
                }
            if (match is { } pos)
            {
                claimed.Add(pos.Ticket);
                AdoptPosition(pos, intent.IntentId, myDeals, time, pipSize, mode, Emit);
                var text = $"intent {intent.IntentId} filled at the broker as position {pos.Ticket}; adopted";
                Emit(JournalEvent.Reconciliation(time, magic, symbol, ReconcileActionKind.AdoptedFill, intent.IntentId, pos.Ticket, text));
                actions.Add(new ReconcileAction(ReconcileActionKind.AdoptedFill, intent.IntentId, pos.Ticket, 0, text));
                continue;
            }
            BrokerDeal? entry = null;
            foreach (var d in myDeals)
                if (d.Entry == BrokerDealEntry.In && ((d.IntentId != 0 && d.IntentId == intent.IntentId) || (intent.Ticket != 0 && d.PositionTicket == intent.Ticket)))
                {
                    entry = d;
                    break;
                }
            if (entry is { } inDeal)
            {
                Emit(JournalEvent.Fill(inDeal.Time, magic, symbol, intent.IntentId, inDeal.PositionTicket, inDeal.Ticket, inDeal.Direction,
                    inDeal.Price, inDeal.Volume, intent.StopLoss, intent.TakeProfit, pipSize, mode));
                CloseFromDeals(ledger, inDeal.PositionTicket, myDeals, time, magic, symbol, Emit);
                var text = $"intent {intent.IntentId} filled (deal {inDeal.Ticket}) and closed at the broker while the engine was away";
                Emit(JournalEvent.Reconciliation(time, magic, symbol, ReconcileActionKind.FilledAndClosedWhileOffline, intent.IntentId, inDeal.PositionTicket, text));
                actions.Add(new ReconcileAction(ReconcileActionKind.FilledAndClosedWhileOffline, intent.IntentId, inDeal.PositionTicket, inDeal.Ticket, text));
                continue;
            }
            var why = intent.IsAmbiguous
                ? $"intent {intent.IntentId}: OrderSend answered {intent.LastRetcode} (outcome unknown) and the broker shows no position or deal; closed, not re-issued"
                : $"intent {intent.IntentId} has no position or deal at the broker; closed, not re-issued";
            Emit(JournalEvent.Reconciliation(time, magic, symbol, ReconcileActionKind.AbandonIntent, intent.IntentId, 0, why));
            actions.Add(new ReconcileAction(ReconcileActionKind.AbandonIntent, intent.IntentId, 0, 0, why));
        }

        // 3. Broker ahead: positions with our magic the journal never saw.
        foreach (var p in mine)
        {
            if (claimed.Contains(p.Ticket))
                continue;
            AdoptPosition(p, 0, myDeals, time, pipSize, mode, Emit);
            var text = $"position {p.Ticket} ({p.Direction} {p.Volume} lots) exists at the broker but not in the journal; adopted";
            Emit(JournalEvent.Reconciliation(time, magic, symbol, ReconcileActionKind.AdoptedUnknownPosition, p.IntentId, p.Ticket, text));
            actions.Add(new ReconcileAction(ReconcileActionKind.AdoptedUnknownPosition, p.IntentId, p.Ticket, 0, text));
        }

        return new ReconcileResult(actions, events, ledger);
    }

    private static void AdoptPosition(in BrokerPosition p, long intentId, List<BrokerDeal> deals, long time, double pipSize, string? mode,
        EmitRow emit)
    {
        long deal = 0;
        foreach (var d in deals)
            if (d.Entry == BrokerDealEntry.In && d.PositionTicket == p.Ticket)
            {
                deal = d.Ticket;
                break;
            }
        emit(JournalEvent.Fill(p.Time != 0 ? p.Time : time, p.Magic, p.Symbol, intentId, p.Ticket, deal, p.Direction,
            p.PriceOpen, p.Volume, p.StopLoss, p.TakeProfit, pipSize, mode));
    }

    private delegate void EmitRow(in JournalEvent e);

    /// <summary>Records the closing deals of <paramref name="ticket"/> (exit reason RECONCILED); what they leave open is closed with unknown price and P&amp;L.</summary>
    private static bool CloseFromDeals(AgentLedger ledger, long ticket, List<BrokerDeal> deals, long time, long magic, string symbol, EmitRow emit)
    {
        var found = false;
        foreach (var d in deals)
        {
            if (d.PositionTicket != ticket || d.Entry is not (BrokerDealEntry.Out or BrokerDealEntry.OutBy or BrokerDealEntry.InOut))
                continue;
            emit(JournalEvent.Close(d.Time, magic, symbol, ticket, d.Ticket, d.Price, d.Volume, d.Profit, ExitReason.Reconciled,
                "closed at the broker while the engine was away"));
            found = true;
        }
        // The broker has no such position: whatever the reported deals did not close is closed now, P&L unknown.
        if (ledger.TryGetPosition(ticket, out _))
            emit(JournalEvent.Close(time, magic, symbol, ticket, 0, double.NaN, 0, 0, ExitReason.Reconciled,
                "gone at the broker; no closing deal reported"));
        return found;
    }

    private static BrokerPosition? Find(List<BrokerPosition> positions, long ticket)
    {
        foreach (var p in positions)
            if (p.Ticket == ticket)
                return p;
        return null;
    }

    private static bool Differs(double a, double b) => Math.Abs(a - b) > PriceEpsilon;
}
