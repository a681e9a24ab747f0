using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Engine.Events;

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

    /// <summary>The position's own vertical barrier in bars (its intent's, journaled with its fill), else the chart's input.</summary>
    private int MaxBarsOf(in OpenPosition p) => Facts(p).MaxBars is > 0 and var own ? own : (int)_config.MaxHoldingBars;

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

    private void CloseAll(ExitReason reason)
    {
        for (var i = 0; i < _positions.Count; i++)
        {
            StageClose(i, reason);
        }
    }

    /// <summary>
    /// Stages a CLOSE for position <paramref name="index"/> unless one is already on its way, or the broker refused the
    /// last one less than the back-off ago. A CLOSE handed out that was never answered for
    /// <see cref="UnansweredCloseMs"/> is given up and replaced (its late result changes nothing).
    /// </summary>
    private void StageClose(int index, ExitReason reason)
    {
        ref var p = ref _positions[index];
        if (p.PendingExit != ExitReason.None || _nowMsc < p.NextCloseMsc)
        {
            if (p.PendingExit == ExitReason.None || !_instructions.AbandonUnansweredClose(p.Ticket, _nowMsc - UnansweredCloseMs))
            {
                return;
            }

            p.PendingExit = ExitReason.None;
        }

        if (_instructions.HasOpenCloseFor(p.Ticket))
        {
            return;
        }

        var facts = Facts(p);
        if (facts.Volume <= 0)
        {
            return; // no facts to close it by: the snapshot the agent now waits for decides
        }

        p.PendingExit = reason;
        var ins = new KimiInstruction
        {
            Id = _instructions.NextId(_nowMsc),
            Kind = AbiCodes.InstrClose,
            Direction = facts.Direction == Direction.Buy ? AbiCodes.Sell : AbiCodes.Buy,
            PositionTicket = p.Ticket,
            Magic = _config.Magic,
            DeviationPoints = _config.DeviationPoints,
            Reason = (long)reason,
            CreatedMsc = _nowMsc,
            Volume = facts.Volume,
            Price = facts.Direction == Direction.Buy ? _lastTick.Bid : _lastTick.Ask,
        };
        if (!_instructions.Add(ins, 0))
        {
            p.PendingExit = ExitReason.None;
            EmitError(AbiCodes.EvtError, CodeNames.InstructionBookFull, p.Ticket);
        }
    }

    /// <summary>Vertical barrier, counted in closed bars of the chart timeframe.</summary>
    private void AgeOpenPositions(long barOpenTime)
    {
        for (var i = 0; i < _positions.Count; i++)
        {
            ref var p = ref _positions[i];
            if (barOpenTime * 1000 + _config.TimeframeSeconds * 1000 <= p.OpenTimeMsc)
            {
                continue; // the bar closed before the position existed
            }

            p.BarsHeld++;
            if (BarrierStep.VerticalReached(p.BarsHeld, MaxBarsOf(p)))
            {
                StageClose(i, ExitReason.Timeout);
            }
        }

        _formingHigh = double.NegativeInfinity;
        _formingLow = double.PositiveInfinity;
    }

    /// <summary>Vertical barrier by time, for when bars stop arriving (one bar of grace over the bar count).</summary>
    private void ExpireByTime()
    {
        var barMs = _config.TimeframeSeconds * 1000;
        for (var i = 0; i < _positions.Count; i++)
        {
            ref var p = ref _positions[i];
            var maxBars = MaxBarsOf(p);
            if (maxBars > 0 && _nowMsc - p.OpenTimeMsc >= (maxBars + 1) * barMs)
            {
                StageClose(i, ExitReason.Timeout);
            }
        }
    }
}
