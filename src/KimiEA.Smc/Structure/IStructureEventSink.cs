namespace KimiEA.Smc.Structure;

/// <summary>
/// Receives every structure event in the order it becomes known. The batch API is a sink that folds them into the
/// reference's columns; a live caller can journal them. Calls happen inside <see cref="StructureEngine.OnBar"/>
/// and <see cref="StructureEngine.Finish"/>; implementations must not call back into the engine.
/// </summary>
public interface IStructureEventSink
{
    /// <summary>A swing became final.</summary>
    void OnSwing(in Swing swing);

    /// <summary>A fair value gap was created or mitigated.</summary>
    void OnFairValueGap(in FairValueGap gap, FvgChange change);

    /// <summary>A BOS/CHoCH row changed.</summary>
    void OnStructureBreak(in StructureBreak row, BreakChange change);

    /// <summary>An order block changed.</summary>
    void OnOrderBlock(in OrderBlock block, OrderBlockChange change);

    /// <summary>A liquidity pool changed.</summary>
    void OnLiquidityPool(in LiquidityPool pool, PoolChange change);

    /// <summary>A retracement value became final.</summary>
    void OnRetracement(in Retracement value);
}
