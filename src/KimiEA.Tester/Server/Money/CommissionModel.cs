namespace KimiEA.Tester.Server.Money;

/// <summary>
/// Commission of a deal, in the account currency: half the run's round-turn commission per lot
/// (<see cref="ExecutionSettings.CommissionPerLot"/>) plus the symbol's own per-side commission
/// (<see cref="TesterSymbol.CommissionPerLotPerSide"/>), times the deal's lots, rounded to the cent and charged (≤ 0).
/// </summary>
public sealed class CommissionModel
{
    private readonly ExecutionSettings _execution;

    /// <summary>Creates the model of a run's execution settings.</summary>
    public CommissionModel(ExecutionSettings execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        _execution = execution;
    }

    /// <summary>The commission of one deal of <paramref name="lots"/> lots, cents (≤ 0).</summary>
    public long PerDealCents(TesterSymbol symbol, double lots)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return -Cents.Of(((_execution.CommissionPerLot / 2) + symbol.CommissionPerLotPerSide) * lots);
    }

    /// <summary>Round-turn commission per lot of <paramref name="symbol"/> (what the engine sizes with).</summary>
    public double RoundTurnPerLot(TesterSymbol symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return _execution.CommissionPerLot + (2 * symbol.CommissionPerLotPerSide);
    }
}
