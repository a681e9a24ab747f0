namespace KimiEA.Risk.Sizing;

/// <summary>How the money at risk per trade is chosen.</summary>
public enum SizingMode
{
    /// <summary>Fractional Kelly from the Beta posterior, capped by the risk per trade.</summary>
    Kelly = 0,
    /// <summary>Always risk <see cref="AgentPolicy.RiskPerTrade"/> of equity.</summary>
    FixedFraction = 1,
}
