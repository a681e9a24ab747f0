using KimiEA.Core.Abi;

namespace KimiEA.Engine.Agents;

/// <summary>
/// The life of every order instruction of one agent: staged (its intent row is not yet durable in the journal),
/// ready (may be handed out), handed out (waiting for its result) and answered. Re-polling never yields an
/// instruction twice; a result is accepted once per instruction.
/// </summary>
/// <remarks>
/// Ids are deterministic and never reused across restarts without state: <c>id = created_msc × 100 + n</c>, kept
/// strictly increasing, so an id can be parsed back from a position comment ("kimi:&lt;id&gt;") after a restart.
/// </remarks>
internal sealed class InstructionBook
{
    /// <summary>States of an instruction.</summary>
    public enum State
    {
        /// <summary>Created; waits until the journal has committed the journal sequence it depends on.</summary>
        Staged,
        /// <summary>May be handed out at the next poll.</summary>
        Ready,
        /// <summary>Handed out; its result has not been reported.</summary>
        HandedOut,
        /// <summary>Its result has been reported.</summary>
        Answered,
        /// <summary>A CLOSE handed out whose result never came; a new CLOSE replaced it (its late result changes nothing).</summary>
        Abandoned,
    }

    private struct Slot
    {
        public KimiInstruction Instruction;
        public State State;
        public long DurableSeqNeeded;
    }

    private readonly Slot[] _slots;
    private readonly long[] _abandoned = new long[16];
    private int _abandonedNext;
    private int _count;
    private long _lastId;

    /// <summary>Creates a book that tracks up to <paramref name="capacity"/> unanswered instructions.</summary>
    public InstructionBook(int capacity = 64) => _slots = new Slot[capacity];

    /// <summary>Instructions handed out whose result is outstanding.</summary>
    public int Outstanding
    {
        get
        {
            var n = 0;
            for (var i = 0; i < _count; i++)
            {
                if (_slots[i].State == State.HandedOut)
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>True while any instruction is staged, ready or handed out without a result.</summary>
    public bool AnyUnanswered
    {
        get
        {
            for (var i = 0; i < _count; i++)
            {
                if (_slots[i].State != State.Answered)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Instructions staged or ready (not yet handed out).</summary>
    public int Waiting
    {
        get
        {
            var n = 0;
            for (var i = 0; i < _count; i++)
            {
                if (_slots[i].State is State.Staged or State.Ready)
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>Makes sure new ids are above an id seen before a restart (journal or broker comment).</summary>
    public void ObserveId(long id)
    {
        if (id > _lastId)
        {
            _lastId = id;
        }
    }

    /// <summary>The next deterministic id for an instruction created at <paramref name="createdMsc"/>.</summary>
    public long NextId(long createdMsc)
    {
        var candidate = createdMsc * 100;
        _lastId = candidate > _lastId ? candidate : _lastId + 1;
        return _lastId;
    }

    /// <summary>
    /// Adds an instruction. It becomes pollable once the journal's durable sequence reaches
    /// <paramref name="durableSeqNeeded"/> (0 = at once).
    /// </summary>
    /// <returns>False when the book is full (the caller refuses the action and says why).</returns>
    public bool Add(in KimiInstruction instruction, long durableSeqNeeded)
    {
        Compact();
        if (_count == _slots.Length)
        {
            return false;
        }

        _slots[_count++] = new Slot { Instruction = instruction, State = durableSeqNeeded > 0 ? State.Staged : State.Ready, DurableSeqNeeded = durableSeqNeeded };
        return true;
    }

    /// <summary>Promotes staged instructions whose journal rows are durable.</summary>
    public void Promote(long durableSeq)
    {
        for (var i = 0; i < _count; i++)
        {
            ref var s = ref _slots[i];
            if (s.State == State.Staged && s.DurableSeqNeeded <= durableSeq)
            {
                s.State = State.Ready;
            }
        }
    }

    /// <summary>Number of instructions ready to hand out.</summary>
    public int ReadyCount
    {
        get
        {
            var n = 0;
            for (var i = 0; i < _count; i++)
            {
                if (_slots[i].State == State.Ready)
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>Hands out ready instructions in creation order (each exactly once).</summary>
    public int Poll(Span<KimiInstruction> output)
    {
        var n = 0;
        for (var i = 0; i < _count && n < output.Length; i++)
        {
            ref var s = ref _slots[i];
            if (s.State == State.Ready)
            {
                output[n++] = s.Instruction;
                s.State = State.HandedOut;
            }
        }

        return n;
    }

    /// <summary>
    /// Marks the instruction answered and returns it. False when the id is unknown, was never handed out, or was
    /// already answered (a duplicate report).
    /// </summary>
    public bool TryAnswer(long id, out KimiInstruction instruction, out State previous)
    {
        for (var i = 0; i < _count; i++)
        {
            ref var s = ref _slots[i];
            if (s.Instruction.Id == id)
            {
                previous = s.State;
                instruction = s.Instruction;
                if (s.State != State.HandedOut)
                {
                    return false;
                }

                s.State = State.Answered;
                return true;
            }
        }

        previous = Array.IndexOf(_abandoned, id) >= 0 && id != 0 ? State.Abandoned : State.Answered;
        instruction = default;
        return false;
    }

    /// <summary>
    /// Gives up on a CLOSE for <paramref name="ticket"/> that was handed out at or before <paramref name="handedOutBeforeMsc"/>
    /// (by its creation time) and never answered, so a new CLOSE can be sent; its late result is then recognised
    /// (<see cref="State.Abandoned"/>) and changes nothing. True when one was abandoned.
    /// </summary>
    public bool AbandonUnansweredClose(long ticket, long handedOutBeforeMsc)
    {
        for (var i = 0; i < _count; i++)
        {
            ref var s = ref _slots[i];
            if (s.State == State.HandedOut && s.Instruction.Kind == AbiCodes.InstrClose && s.Instruction.PositionTicket == ticket
                && s.Instruction.CreatedMsc <= handedOutBeforeMsc)
            {
                s.State = State.Answered;
                _abandoned[_abandonedNext] = s.Instruction.Id;
                _abandonedNext = (_abandonedNext + 1) % _abandoned.Length;
                return true;
            }
        }

        return false;
    }

    /// <summary>True if a CLOSE for <paramref name="ticket"/> is waiting, handed out or staged.</summary>
    public bool HasOpenCloseFor(long ticket)
    {
        for (var i = 0; i < _count; i++)
        {
            ref var s = ref _slots[i];
            if (s.State != State.Answered && s.Instruction.Kind == AbiCodes.InstrClose && s.Instruction.PositionTicket == ticket)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True if an OPEN is not yet answered (the agent does not stack entries while one is in flight).</summary>
    public bool HasUnansweredOpen()
    {
        for (var i = 0; i < _count; i++)
        {
            if (_slots[i].State != State.Answered && _slots[i].Instruction.Kind == AbiCodes.InstrOpen)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Withdraws an instruction that has not been handed out yet (e.g. the breaker tripped first). False when it was
    /// already handed out or answered: then only its result can settle it.
    /// </summary>
    public bool TryCancel(long id)
    {
        for (var i = 0; i < _count; i++)
        {
            ref var s = ref _slots[i];
            if (s.Instruction.Id == id && s.State is State.Staged or State.Ready)
            {
                s.State = State.Answered;
                return true;
            }
        }

        return false;
    }

    private void Compact()
    {
        var w = 0;
        for (var r = 0; r < _count; r++)
        {
            if (_slots[r].State != State.Answered)
            {
                _slots[w++] = _slots[r];
            }
        }

        _count = w;
    }
}
