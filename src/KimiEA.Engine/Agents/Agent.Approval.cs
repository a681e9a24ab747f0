using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Engine.Events;
using KimiEA.Journal;

namespace KimiEA.Engine.Agents;

/// <summary>
/// The approval band: an intent whose confidence is at least the chart's minimum but below its auto-execute level
/// is shown to the trader (KIMI_EVT_APPROVAL, journaled) and waits up to approval_expiry_bars closed bars for
/// kimi_approve. Approved, it goes through the gate again at the current market (every rule still applies, the
/// auto-execute threshold is met by the approval) and becomes the OPEN instruction with the same id; skipped or
/// expired, it is journaled and dropped. A late, repeated or unknown approval is refused and changes nothing.
/// </summary>
public sealed partial class Agent
{
    private readonly ApprovalQueue _approvals = new();

    /// <summary>
    /// kimi_approve: the trader's decision on an intent that waits for approval. Returns the pending word, or
    /// KIMI_E_UNKNOWN_INTENT / KIMI_E_EXPIRED / KIMI_E_STATE (already decided) with a text, changing nothing.
    /// </summary>
    public int Approve(long intentId, bool approve)
    {
        using (_gate.Hold())
        {
            var i = _approvals.IndexOf(intentId);
            if (i < 0)
            {
                return _approvals.TryGetDecided(intentId, out var earlier)
                    ? earlier == ApprovalOutcome.Expired
                        ? FailLocked(AbiCodes.EExpired, $"kimi_approve: intent {intentId} expired before the decision arrived; nothing was traded.")
                        : FailLocked(AbiCodes.EState, $"kimi_approve: intent {intentId} was already {(earlier == ApprovalOutcome.Approved ? "approved" : "skipped")}; a decision counts once.")
                    : FailLocked(AbiCodes.EUnknownIntent, $"kimi_approve: no intent {intentId} has waited for approval on this chart ({_symbol}, magic {_config.Magic}).");
            }

            var outcome = approve ? ApprovalOutcome.Approved : ApprovalOutcome.Skipped;
            var entry = _approvals.Decide(i, outcome);
            JournalAppend(JournalEvent.ApprovalDecision(_nowMsc, _config.Magic, _symbol, entry.Id, outcome, approve ? "approved by the trader" : "skipped by the trader"));
            EmitApproval(approve ? AbiCodes.ApprovalApproved : AbiCodes.ApprovalSkipped, entry.Id, entry.Intent, 0);
            if (approve)
            {
                Decide(entry.Intent, entry.Id);
            }

            return Pending();
        }
    }

    /// <summary>Queues an intent of the approval band for the trader.</summary>
    private void AwaitApproval(in TradeIntent intent, double volume)
    {
        var id = _instructions.NextId(_nowMsc);
        if (!_approvals.Add(new ApprovalQueue.Entry { Id = id, Intent = intent, BarsLeft = _policy.ApprovalExpiryBars }))
        {
            Deny(intent, CodeNames.ApprovalQueueFull, id);
            return;
        }

        JournalAppend(JournalEvent.ApprovalRequested(_nowMsc, _config.Magic, _symbol, id, intent, volume));
        EmitApproval(AbiCodes.ApprovalAwaiting, id, intent, volume);
    }

    /// <summary>On every closed bar: intents whose approval window has passed expire.</summary>
    private void AgeApprovals()
    {
        for (var i = _approvals.Count - 1; i >= 0; i--)
        {
            if (--_approvals[i].BarsLeft <= 0)
            {
                ExpireApproval(i, "no decision within the approval window");
            }
        }
    }

    private void ExpireApproval(int index, string why)
    {
        var e = _approvals.Decide(index, ApprovalOutcome.Expired);
        JournalAppend(JournalEvent.ApprovalDecision(_nowMsc, _config.Magic, _symbol, e.Id, ApprovalOutcome.Expired, why));
        EmitApproval(AbiCodes.ApprovalExpired, e.Id, e.Intent, 0);
    }

    private void EmitApproval(int state, long id, in TradeIntent intent, double volume) => Emit(new KimiEvent
    {
        Kind = AbiCodes.EvtApproval, Code = state, Ticket = id, Direction = (long)intent.Direction, Price = intent.Entry,
        Sl = intent.StopLoss, Tp = intent.TakeProfit, Volume = volume, Value = intent.Confidence, HitProbability = intent.HitProbability,
    });
}
