namespace KimiEA.Risk.Account;

/// <summary>
/// Handle of the exposure reserved for one approved order in the <see cref="AccountRiskBook"/>. Release it exactly
/// once, when the order fails or the position closes. The default value reserves nothing.
/// </summary>
/// <param name="Slot">Ledger slot.</param>
/// <param name="Generation">Slot generation; a stale handle (already released) is ignored.</param>
public readonly record struct Reservation(int Slot, int Generation)
{
    /// <summary>True for a handle returned by an approval (not the default value).</summary>
    public bool IsValid => Generation > 0;
}
