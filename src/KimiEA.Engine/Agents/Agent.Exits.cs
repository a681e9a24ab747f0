using KimiEA.Core.Trading;

namespace KimiEA.Engine.Agents;

/// <summary>
/// Exits the engine asks for (vertical barrier, breaker flattening, emergency stop) and how a refused or unanswered
/// CLOSE is retried: a position stays the engine's responsibility until the broker reports it gone.
/// </summary>
public sealed partial class Agent
{
    /// <summary>First retry delay after the broker refused a CLOSE; doubles per refusal in a row.</summary>
    internal const long CloseRetryBaseMs = 1_000;

    /// <summary>Longest retry delay after refused CLOSEs (the back-off is bounded).</summary>
    internal const long CloseRetryMaxMs = 60_000;

    /// <summary>A CLOSE handed out and not answered for this long (server time) is given up and sent again.</summary>
    internal const long UnansweredCloseMs = 60_000;

    /// <summary>The back-off after <paramref name="refusals"/> refusals in a row: 1 s, 2 s, 4 s … at most 60 s.</summary>
    internal static long CloseRetryDelayMs(int refusals)
    {
        var shift = Math.Clamp(refusals - 1, 0, 16);
        return Math.Min(CloseRetryBaseMs << shift, CloseRetryMaxMs);
    }

    /// <summary>
    /// After a complete position snapshot: a position still at the broker whose CLOSE has no answer pending (its
    /// outcome was ambiguous) was not closed, so whatever asked for the exit may ask again.
    /// </summary>
    private void ForgetClosesTheSnapshotDisproved()
    {
        for (var i = 0; i < _positions.Count; i++)
        {
            ref var p = ref _positions[i];
            if (p.PendingExit != ExitReason.None && !_instructions.HasOpenCloseFor(p.Ticket))
            {
                p.PendingExit = ExitReason.None;
            }
        }
    }
}
