using KimiEA.Core.Abi;
using KimiEA.Engine.Account;
using KimiEA.Engine.Agents;

namespace KimiEA.Engine;

/// <summary>
/// The process-wide registry behind the C ABI: per-chart agent handles, the account-level state they share, and the
/// process-wide last error (for calls that have no valid handle, such as a failed create).
/// </summary>
/// <remarks>
/// One instance per process (<see cref="Shared"/>) because MT5 loads one copy of the DLL per terminal and a NativeAOT
/// library is never unloaded; tests create their own instances. Handles are 1, 2, 3 ... and never reused, so a
/// handle indexes a slot table: every export's lookup is one volatile read and a bounds check (no hashing, no lock).
/// The table is copied on growth (creates are rare; each slot costs 8 bytes for the life of the process).
/// </remarks>
public sealed class AgentHost
{
    private readonly Lock _errorLock = new();
    private readonly Lock _tableLock = new();
    private Agent?[] _slots = new Agent?[16];
    private long _nextHandle;
    private string _processError = string.Empty;

    /// <summary>The host every export uses.</summary>
    public static AgentHost Shared { get; } = new();

    /// <summary>Creates a host with its own account-level state.</summary>
    public AgentHost() => Account = new AccountHub();

    /// <summary>Account-level state shared by every agent of this host.</summary>
    public AccountHub Account { get; }

    /// <summary>Registers a new agent and returns its handle (&gt; 0).</summary>
    public long Add(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        lock (_tableLock)
        {
            var h = ++_nextHandle;
            var slots = _slots;
            if (h > slots.Length)
            {
                var grown = new Agent?[slots.Length * 2];
                slots.CopyTo(grown, 0);
                slots = grown;
            }

            slots[h - 1] = agent;
            Volatile.Write(ref _slots, slots);
            return h;
        }
    }

    /// <summary>Looks up a handle (lock-free).</summary>
    public bool TryGet(long handle, out Agent agent)
    {
        var slots = Volatile.Read(ref _slots);
        var index = (ulong)(handle - 1);
        agent = index < (ulong)slots.Length ? Volatile.Read(ref slots[index])! : null!;
        return agent is not null;
    }

    /// <summary>Removes a handle; false if it was not registered (or already removed).</summary>
    public bool Remove(long handle, out Agent agent)
    {
        lock (_tableLock)
        {
            var slots = _slots;
            var index = (ulong)(handle - 1);
            if (index >= (ulong)slots.Length || slots[index] is not { } found)
            {
                agent = null!;
                return false;
            }

            agent = found;
            Volatile.Write(ref slots[index], null);
            return true;
        }
    }

    /// <summary>Records an error of a call that has no valid handle and returns <paramref name="code"/>.</summary>
    public int FailProcess(int code, string message)
    {
        lock (_errorLock)
        {
            _processError = message;
        }

        return code;
    }

    /// <summary>The last error recorded for <paramref name="handle"/> (0 or unknown handle: the process-wide one).</summary>
    public string LastError(long handle)
    {
        if (handle != 0 && TryGet(handle, out var agent))
        {
            return agent.LastError;
        }

        lock (_errorLock)
        {
            return _processError;
        }
    }

    /// <summary>Records an error for a handle (or process-wide if the handle is unknown) and returns <paramref name="code"/>.</summary>
    public int Fail(long handle, int code, string message)
    {
        if (handle != 0 && TryGet(handle, out var agent))
        {
            agent.SetError(message);
            return code;
        }

        return FailProcess(code, message);
    }

    /// <summary>The error for an unknown handle.</summary>
    public int InvalidHandle(long handle, string export) =>
        FailProcess(AbiCodes.EInvalidHandle, $"{export}: handle {handle} is not a live KimiEA agent (never created, or destroyed).");
}
