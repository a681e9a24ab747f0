using KimiEA.Core.Trading;

namespace KimiEA.Smc.Structure;

/// <summary>Kind of a swing point. The numeric values are the reference's <c>HighLow</c> column (+1 high, −1 low).</summary>
public enum SwingKind : sbyte
{
    /// <summary>Swing low (−1).</summary>
    Low = -1,
    /// <summary>Swing high (+1).</summary>
    High = 1,
}

/// <summary>A confirmed swing point. Once emitted it never changes.</summary>
/// <param name="Index">Bar index of the swing (the bar whose high/low it is).</param>
/// <param name="Kind">High or low.</param>
/// <param name="Level">The bar's high (swing high) or low (swing low).</param>
/// <param name="KnownAt">Bar index at whose close the swing became final (the opposite pivot was confirmed, or the end of data).</param>
/// <param name="IsBookend">True for the reference's artificial swings on bar 0 and on the last bar (end of data).</param>
public readonly record struct Swing(int Index, SwingKind Kind, double Level, int KnownAt, bool IsBookend);

/// <summary>A fair value gap (three-candle imbalance) identified by its middle candle.</summary>
/// <param name="Index">Bar index of the middle candle (for joined gaps: the last middle candle of the run).</param>
/// <param name="Direction">Buy = bullish gap, Sell = bearish gap.</param>
/// <param name="Top">Upper edge of the gap.</param>
/// <param name="Bottom">Lower edge of the gap.</param>
/// <param name="KnownAt">Bar index at whose close the gap became known (Index+1, or Index+2 when joining).</param>
/// <param name="MitigatedIndex">First bar ≥ Index+2 that touched the gap's near edge; 0 while untouched.</param>
public readonly record struct FairValueGap(int Index, Direction Direction, double Top, double Bottom, int KnownAt, int MitigatedIndex)
{
    /// <summary>True once price has touched the gap.</summary>
    public bool IsMitigated => MitigatedIndex != 0;
}

/// <summary>What happened to a fair value gap.</summary>
public enum FvgChange
{
    /// <summary>The gap was detected (it is final from now on).</summary>
    Created,
    /// <summary>The gap was touched; <see cref="FairValueGap.MitigatedIndex"/> is set.</summary>
    Mitigated,
}

/// <summary>
/// A break of structure (BOS) or change of character (CHoCH) as the reference writes it: flagged on the bar of the
/// broken swing (s3) with that swing's level, plus the bar whose close (or wick) broke it.
/// </summary>
/// <param name="Index">Bar index of the broken swing (the row the reference writes).</param>
/// <param name="Direction">Buy = bullish (a high was broken upwards), Sell = bearish.</param>
/// <param name="IsChoch">True for a change of character, false for a break of structure.</param>
/// <param name="Level">The broken level (rounded to float32 when <see cref="StructureOptions.Float32Levels"/>).</param>
/// <param name="KnownAt">Bar at which the pattern was flagged (the fourth swing became final).</param>
/// <param name="BrokenIndex">The breaking bar; 0 while not broken.</param>
/// <param name="BrokenKnownAt">Bar at which the break became known (≥ BrokenIndex); 0 while not broken.</param>
/// <param name="Cleared">True once a later break superseded this one (the reference's de-duplication).</param>
/// <param name="Confirmed">True once no later pattern can clear it any more.</param>
public readonly record struct StructureBreak(
    int Index, Direction Direction, bool IsChoch, double Level, int KnownAt,
    int BrokenIndex, int BrokenKnownAt, bool Cleared, bool Confirmed)
{
    /// <summary>True once a bar broke the level.</summary>
    public bool IsBroken => BrokenIndex != 0;
}

/// <summary>What happened to a BOS/CHoCH row.</summary>
public enum BreakChange
{
    /// <summary>The four-swing pattern was recognised (not yet broken, so still provisional).</summary>
    Flagged,
    /// <summary>The level was broken; <see cref="StructureBreak.BrokenIndex"/> is set.</summary>
    Broken,
    /// <summary>Superseded by a later break (BOS/CHoCH/Level disappear; BrokenIndex stays when set).</summary>
    Cleared,
    /// <summary>Broken and final: no later pattern can clear it.</summary>
    Confirmed,
    /// <summary>End of data reached without a break: the row is dropped.</summary>
    Expired,
}

/// <summary>An order block: the last opposite candle before a close through a swing.</summary>
/// <param name="Index">Bar index of the order-block candle.</param>
/// <param name="Direction">Buy = bullish OB (demand), Sell = bearish OB (supply).</param>
/// <param name="Top">Upper edge (float32-rounded when <see cref="StructureOptions.Float32Levels"/>).</param>
/// <param name="Bottom">Lower edge (float32-rounded likewise).</param>
/// <param name="Volume">Volume of the breaking bar and the two bars before it.</param>
/// <param name="Percentage">Strength: 100·min/max of the two volume halves (100 when both are 0).</param>
/// <param name="FormedAt">The bar whose close went through the swing.</param>
/// <param name="KnownAt">Bar at which the block became known (≥ FormedAt: it waits for the swings before FormedAt to be final).</param>
/// <param name="MitigatedIndex">Bar at which price traded through the far side (it became a breaker); 0 while not.</param>
/// <param name="SwingIndex">The swing that was closed through.</param>
public readonly record struct OrderBlock(
    int Index, Direction Direction, double Top, double Bottom, double Volume, double Percentage,
    int FormedAt, int KnownAt, int MitigatedIndex, int SwingIndex)
{
    /// <summary>True once mitigated (a breaker block).</summary>
    public bool IsBreaker => MitigatedIndex != 0;
}

/// <summary>What happened to an order block.</summary>
public enum OrderBlockChange
{
    /// <summary>Detected.</summary>
    Created,
    /// <summary>Price traded through the far side: it is now a breaker; MitigatedIndex is set.</summary>
    Mitigated,
    /// <summary>A breaker that price traded back through: it disappears (the reference removes it from its output).</summary>
    Erased,
}

/// <summary>A liquidity pool: two or more swing highs (or lows) within ±R of the first one.</summary>
/// <param name="Index">Bar index of the first swing of the pool (the row the reference writes).</param>
/// <param name="Kind">High = pool of highs (buy-side liquidity), Low = pool of lows (sell-side).</param>
/// <param name="Level">Mean level of the pooled swings (float32-rounded when <see cref="StructureOptions.Float32Levels"/>).</param>
/// <param name="End">Bar index of the last pooled swing.</param>
/// <param name="Members">Number of pooled swings (≥ 2).</param>
/// <param name="Swept">First bar after Index that traded beyond Level±R of the first swing; 0 while not swept.</param>
/// <param name="Tolerance">The tolerance R used for this pool.</param>
/// <param name="KnownAt">Bar at which the latest change (formation, extension or sweep) became known.</param>
public readonly record struct LiquidityPool(int Index, SwingKind Kind, double Level, int End, int Members, int Swept, double Tolerance, int KnownAt)
{
    /// <summary>True once swept.</summary>
    public bool IsSwept => Swept != 0;
}

/// <summary>What happened to a liquidity pool.</summary>
public enum PoolChange
{
    /// <summary>The second swing joined: the pool exists.</summary>
    Formed,
    /// <summary>A further swing joined (Level and End changed).</summary>
    Extended,
    /// <summary>Price swept the pool.</summary>
    Swept,
}

/// <summary>Retracement state computed at the close of bar <paramref name="Index"/> (the reference shows it on row Index+1).</summary>
/// <param name="Index">Bar the values were computed on.</param>
/// <param name="Direction">+1 after a swing high, −1 after a swing low, 0 before any swing.</param>
/// <param name="Current">Current retracement in percent of the swing range (one decimal, may exceed 0–100).</param>
/// <param name="Deepest">Deepest retracement in percent since the direction last changed.</param>
/// <param name="KnownAt">Bar at which the value became final (the swings up to Index were final).</param>
public readonly record struct Retracement(int Index, int Direction, double Current, double Deepest, int KnownAt);

/// <summary>Where a price sits in the dealing range.</summary>
public enum PriceZone
{
    /// <summary>No dealing range yet.</summary>
    Unknown = 0,
    /// <summary>Below equilibrium: longs are "cheap".</summary>
    Discount = -1,
    /// <summary>Exactly at equilibrium (50 %).</summary>
    Equilibrium = 2,
    /// <summary>Above equilibrium: shorts are "expensive".</summary>
    Premium = 1,
}

/// <summary>The current dealing range: the last confirmed swing high and swing low.</summary>
/// <param name="High">Level of the last confirmed swing high.</param>
/// <param name="HighIndex">Its bar index.</param>
/// <param name="Low">Level of the last confirmed swing low.</param>
/// <param name="LowIndex">Its bar index.</param>
public readonly record struct DealingRange(double High, int HighIndex, double Low, int LowIndex)
{
    /// <summary>True once both a swing high and a swing low are confirmed and High &gt; Low.</summary>
    public bool IsValid => HighIndex >= 0 && LowIndex >= 0 && High > Low;

    /// <summary>The 50 % level.</summary>
    public double Equilibrium => (High + Low) * 0.5;

    /// <summary>Position of <paramref name="price"/> in the range: 0 at Low, 1 at High (not clamped); NaN when invalid.</summary>
    public double Position(double price) => IsValid ? (price - Low) / (High - Low) : double.NaN;

    /// <summary>Premium above equilibrium, discount below, Unknown when the range is not valid.</summary>
    public PriceZone Zone(double price)
    {
        if (!IsValid)
        {
            return PriceZone.Unknown;
        }

        var eq = Equilibrium;
        return price > eq ? PriceZone.Premium : price < eq ? PriceZone.Discount : PriceZone.Equilibrium;
    }
}
