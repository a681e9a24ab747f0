namespace KimiEA.Smc.Structure;

/// <summary>
/// Every parameter of the structure detectors. Defaults are the reference's fixture parameters (swing length 5,
/// close break, wick mitigation, range 1 %, no FVG joining) with the reference's bugs corrected; set the Peer*
/// switches (or use <see cref="PeerCompatible"/>) to reproduce the reference byte for byte.
/// </summary>
public sealed record StructureOptions
{
    /// <summary>Swing length L: a swing high is the highest high of the L−1 bars before it, itself and the L bars after it.</summary>
    public int SwingLength { get; init; } = 5;

    /// <summary>BOS/CHoCH: a close beyond the level breaks it (true) or a wick (false).</summary>
    public bool CloseBreak { get; init; } = true;

    /// <summary>Order blocks: mitigation by the body (min/max of open and close) instead of the wick.</summary>
    public bool CloseMitigation { get; init; }

    /// <summary>Fair value gaps: merge runs of adjacent same-direction gaps into one (outer envelope, last bar).</summary>
    public bool JoinConsecutiveFvg { get; init; }

    /// <summary>Liquidity tolerance as a fraction of the price range (R = range × RangePercent).</summary>
    public double RangePercent { get; init; } = 0.01;

    /// <summary>
    /// Absolute liquidity tolerance R. NaN (default) = causal: range_percent × (highest high − lowest low of the bars
    /// seen so far), frozen for each pool when its first swing is confirmed. The batch API sets it from the whole
    /// series, as the reference does.
    /// </summary>
    public double LiquidityTolerance { get; init; } = double.NaN;

    /// <summary>Round BOS levels, order-block edges and pool levels to float32 before comparing them with prices, as the reference stores them.</summary>
    public bool Float32Levels { get; init; } = true;

    /// <summary>Reference bug: a bullish order block's MitigatedIndex is the bar before the mitigating bar.</summary>
    public bool PeerBullishMitigationIndex { get; init; }

    /// <summary>Reference bug: a bullish order block formed on the bar right after its swing gets Top = low and Bottom = high.</summary>
    public bool PeerInvertedOrderBlock { get; init; }

    /// <summary>Reference quirk: retracements are shifted with wrap-around, so row 0 shows the last bar's values before warm-up blanking.</summary>
    public bool PeerRetracementWrap { get; init; }

    /// <summary>Bars kept for look-back (detectors wait for swings to become final; this bounds the wait).</summary>
    public int HistoryCapacity { get; init; } = 16384;

    /// <summary>Per detector, how many live objects (unmitigated gaps, blocks, pending breaks, pools) are tracked; the oldest is dropped when full.</summary>
    public int TrackedCapacity { get; init; } = 512;

    /// <summary>How many recent confirmed swings the query surface keeps.</summary>
    public int RecentSwingCapacity { get; init; } = 64;

    /// <summary>The reference's exact behaviour including its bugs (for parity runs and for diffing against it).</summary>
    public static StructureOptions PeerCompatible { get; } = new()
    {
        PeerBullishMitigationIndex = true,
        PeerInvertedOrderBlock = true,
        PeerRetracementWrap = true,
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid parameter.</summary>
    public void Validate()
    {
        if (SwingLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SwingLength), SwingLength, "SwingLength must be at least 1.");
        }

        if (!(RangePercent >= 0) || double.IsInfinity(RangePercent))
        {
            throw new ArgumentOutOfRangeException(nameof(RangePercent), RangePercent, "RangePercent must be a finite number ≥ 0.");
        }

        if (!double.IsNaN(LiquidityTolerance) && !(LiquidityTolerance >= 0 && double.IsFinite(LiquidityTolerance)))
        {
            throw new ArgumentOutOfRangeException(nameof(LiquidityTolerance), LiquidityTolerance, "LiquidityTolerance must be NaN (causal) or a finite number ≥ 0.");
        }

        if (HistoryCapacity < (4 * SwingLength) + 8)
        {
            throw new ArgumentOutOfRangeException(nameof(HistoryCapacity), HistoryCapacity, $"HistoryCapacity must be at least 4·SwingLength+8 = {(4 * SwingLength) + 8}.");
        }

        if (TrackedCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TrackedCapacity), TrackedCapacity, "TrackedCapacity must be at least 1.");
        }

        if (RecentSwingCapacity < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(RecentSwingCapacity), RecentSwingCapacity, "RecentSwingCapacity must be at least 4.");
        }
    }
}
