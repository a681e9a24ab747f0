using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Engine.Validation;
using KimiEA.Journal;

namespace KimiEA.Engine.Agents;

/// <summary>The order lifecycle of an agent: results of handed-out instructions (accepted once each), entries in flight and their withdrawal.</summary>
public sealed partial class Agent
{
    /// <summary>How long an entry may wait on the tick thread for its intent row to become durable.</summary>
    private const int JournalWaitMs = 2_000;

    // One classification of trade server retcodes for the engine and the journal's fold (OrderRetcodes).
    private static bool IsSuccess(long retcode) => retcode is >= int.MinValue and <= int.MaxValue && OrderRetcodes.IsSuccess((int)retcode);

    private static bool IsAmbiguous(long retcode) => retcode is >= int.MinValue and <= int.MaxValue && OrderRetcodes.IsAmbiguous((int)retcode);

    /// <summary>kimi_report_result: the outcome of one handed-out instruction, accepted exactly once.</summary>
    public int ReportResult(in KimiOrderResult result)
    {
        using (_gate.Hold())
        {
            var problem = AbiInput.Result(result);
            if (problem.IsNone)
            {
                problem = AbiInput.PossibleVolume("result.volume", result.Volume, _rawSpec);
            }

            if (!problem.IsNone)
            {
                return Refuse("kimi_report_result", problem);
            }

            var rc = CheckTime("kimi_report_result", "result.time_msc", result.TimeMsc, mayBeOld: false, zeroIsUnknown: true);
            if (rc != 0)
            {
                return rc;
            }

            if (!_instructions.TryAnswer(result.InstructionId, out var ins, out var previous))
            {
                if (previous == InstructionBook.State.Abandoned)
                {
                    // A CLOSE replaced after a minute without an answer: its late outcome is recorded, the replacement
                    // (or the deal, if this one did close the position) settles the position.
                    Touch(result.TimeMsc);
                    JournalAppend(JournalEvent.OrderResult(_nowMsc, _config.Magic, _symbol, result.InstructionId, (int)result.Retcode, result.PositionTicket, result.Price, result.Volume));
                    return Pending();
                }

                return FailLocked(AbiCodes.EState, previous == InstructionBook.State.Answered && ins.Id != 0
                    ? $"kimi_report_result: the result of instruction {result.InstructionId} was already reported."
                    : previous is InstructionBook.State.Staged or InstructionBook.State.Ready
                        ? $"kimi_report_result: instruction {result.InstructionId} has not been handed out yet."
                        : $"kimi_report_result: instruction {result.InstructionId} is unknown to this agent (or its result was already reported).");
            }

            Touch(result.TimeMsc);
            JournalAppend(JournalEvent.OrderResult(_nowMsc, _config.Magic, _symbol, ins.Id, (int)result.Retcode, result.PositionTicket != 0 ? result.PositionTicket : result.OrderTicket, result.Price, result.Volume));
            Emit(new KimiEvent { Kind = AbiCodes.EvtResult, Code = result.Retcode, Direction = ins.Direction, Ticket = ins.Id, Price = result.Price, Volume = result.Volume });
            switch (ins.Kind)
            {
                case AbiCodes.InstrOpen:
                    OnOpenResult(ins, result);
                    break;
                case AbiCodes.InstrClose:
                    OnCloseResult(ins, result);
                    break;
            }

            return Pending();
        }
    }

    private void OnOpenResult(in KimiInstruction ins, in KimiOrderResult result)
    {
        var pi = _pendingOpens.IndexOf(ins.Id);
        if (IsSuccess(result.Retcode) && result.Volume > 0)
        {
            var ticket = result.PositionTicket != 0 ? result.PositionTicket : result.OrderTicket;
            if (_positions.IndexOf(ticket) >= 0)
            {
                if (pi >= 0)
                {
                    _pendingOpens.RemoveAt(pi); // its fill deal already created the position
                }

                return;
            }

            var pending = pi >= 0 ? _pendingOpens.RemoveAt(pi) : default;
            AddPosition(ticket, ins.Id, (Direction)ins.Direction, result.Volume, result.Price, ins.Sl, ins.Tp,
                result.TimeMsc != 0 ? result.TimeMsc : _nowMsc, pending, 0);
            return;
        }

        if (pi < 0)
        {
            return;
        }

        if (IsAmbiguous(result.Retcode))
        {
            // The order may have executed: keep the reservation, never re-issue, wait for a position snapshot.
            _pendingOpens[pi].Ambiguous = true;
            _awaitingSync = true;
            EmitError(AbiCodes.EvtError, result.Retcode, ins.Id);
            return;
        }

        var rejected = _pendingOpens.RemoveAt(pi);
        _book.Release(rejected.Reservation);
    }

    private void OnCloseResult(in KimiInstruction ins, in KimiOrderResult result)
    {
        var i = _positions.IndexOf(ins.PositionTicket);
        if (i < 0 || IsSuccess(result.Retcode))
        {
            return; // the exit deal settles the position
        }

        if (IsAmbiguous(result.Retcode))
        {
            _awaitingSync = true;
            return;
        }

        // Refused: whatever asked (barrier, breaker flatten, emergency stop) asks again after a bounded back-off.
        ref var p = ref _positions[i];
        p.PendingExit = ExitReason.None;
        p.RefusedCloses++;
        p.NextCloseMsc = _nowMsc + CloseRetryDelayMs(p.RefusedCloses);
    }

    /// <summary>Index of a pending OPEN that a broker position can belong to (by instruction id, else by direction).</summary>
    private int FindPendingOpen(long instructionId, Direction direction)
    {
        if (instructionId != 0)
        {
            var byId = _pendingOpens.IndexOf(instructionId);
            if (byId >= 0)
            {
                return byId;
            }
        }

        for (var i = 0; i < _pendingOpens.Count; i++)
        {
            if (_pendingOpens[i].Intent.Direction == direction)
            {
                return i;
            }
        }

        return -1;
    }

    private void WithdrawUnsentOpens(string why)
    {
        for (var i = _pendingOpens.Count - 1; i >= 0; i--)
        {
            ref var pending = ref _pendingOpens[i];
            if (_instructions.TryCancel(pending.InstructionId))
            {
                var withdrawn = _pendingOpens.RemoveAt(i);
                _book.Release(withdrawn.Reservation);
                _denials++;
                JournalAppend(JournalEvent.Denial(_nowMsc, _config.Magic, _symbol, withdrawn.InstructionId, why));
            }
        }
    }
}
