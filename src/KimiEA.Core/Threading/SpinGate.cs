using System.Runtime.CompilerServices;

namespace KimiEA.Core.Threading;

/// <summary>
/// The engine's mutual exclusion on the hot path: one compare-exchange to enter and a release write to leave. Used by
/// the account-wide risk book (taken on every decision of every agent) and by each agent (taken on every export
/// call). Measured on the 2-core CI VM, <see cref="System.Threading.Lock"/> costs ~85 ns per enter/exit inside the
/// NativeAOT library (two interlocked operations plus the owner-thread lookup through thread-local storage, which a
/// shared library reaches through __tls_get_addr) against ~28 ns here. Critical sections are short, so contention is
/// resolved by <see cref="SpinWait"/>, which yields and then sleeps instead of burning a core when the holder is
/// descheduled. NOT reentrant: code holding a gate must never call a method that takes the same gate (it would spin
/// forever); the owners keep their public, gate-taking methods from calling one another.
/// </summary>
public sealed class SpinGate
{
    private int _held;

    /// <summary>Enters; the caller must call <see cref="Exit"/> in a finally block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enter()
    {
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            EnterContended();
        }
    }

    /// <summary>Leaves. The volatile write publishes every change made while holding the gate.</summary>
    public void Exit() => Volatile.Write(ref _held, 0);

    /// <summary>Enters and returns a scope that leaves on Dispose: <c>using (gate.Hold()) { ... }</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Scope Hold()
    {
        Enter();
        return new Scope(this);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnterContended()
    {
        var spin = default(SpinWait);
        while (Volatile.Read(ref _held) != 0 || Interlocked.CompareExchange(ref _held, 1, 0) != 0)
        {
            spin.SpinOnce();
        }
    }

    /// <summary>The held gate of a <c>using</c> block (a ref struct: no allocation, cannot escape the block).</summary>
    public readonly ref struct Scope
    {
        private readonly SpinGate _gate;

        internal Scope(SpinGate gate) => _gate = gate;

        /// <summary>Leaves the gate.</summary>
        public void Dispose() => _gate.Exit();
    }
}
