using System.Collections.Concurrent;
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
/// library is never unloaded; tests create their own instances. Lookups are lock-free and allocation-free.
/// </remarks>
public sealed class AgentHost
{
    private readonly ConcurrentDictionary<long, Agent> _agents = new();
    private readonly Lock _errorLock = new();
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
        var h = Interlocked.Increment(ref _nextHandle);
        _agents[h] = agent;
        return h;
    }

    /// <summary>Looks up a handle.</summary>
    public bool TryGet(long handle, out Agent agent) => _agents.TryGetValue(handle, out agent!);

    /// <summary>Removes a handle; false if it was not registered.</summary>
    public bool Remove(long handle, out Agent agent) => _agents.TryRemove(handle, out agent!);

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
