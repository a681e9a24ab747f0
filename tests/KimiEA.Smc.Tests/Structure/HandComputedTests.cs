using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Smc.Structure;
using Xunit;

namespace KimiEA.Smc.Tests.StructureDetectors;

/// <summary>Small series whose expected outputs are computed by hand in the comments.</summary>
public sealed class HandComputedTests
{
    // Bars from (high, low) pairs; open/close inside the range, 15-minute spacing.
    private static Bar[] FromHighLow(params (double H, double L)[] hl) =>
        [.. hl.Select((x, i) => new Bar(1_700_000_000 + (i * 900), (x.H + x.L) / 2, x.H, x.L, (x.H + x.L) / 2, 0))];

    //  idx:  0  1  2  3  4  5  6  7  8  9 10 11
    //  H:    5  4  3  6  5  4  2  3  4  8  7  6
    //  L:    4  3  2  5  4  3  1  2  3  7  6  5
    // L = 2: window of bar i is i−1 … i+2, pivots only from i = 2L−1 = 3, decided at i+2.
    //  i=3: H 3,6,5,4 → 6 is the max → raw high (decided at 5)
    //  i=4,5: neither;  i=6: L 3,1,2,3 → 1 is the min → raw low (decided at 8);  i=7,8: neither
    //  i=9: H 4,8,7,6 → raw high (decided at 11)
    // Final swings: bookend low@0 (L=4, known at 5, when the first pivot is confirmed), high@3 (known at 8),
    // low@6 (known at 11); at the end of data high@9 and the bookend low@11 (L=5).
    private static readonly Bar[] Zig = FromHighLow((5, 4), (4, 3), (3, 2), (6, 5), (5, 4), (4, 3), (2, 1), (3, 2), (4, 3), (8, 7), (7, 6), (6, 5));

    [Fact]
    public void Swings_AreFinalWhenTheOppositePivotIsConfirmed()
    {
        var (engine, sink) = RecordingSink.Stream(Zig, new StructureOptions { SwingLength = 2 });
        Assert.Equal(
            [(5, new Swing(0, SwingKind.Low, 4, 5, true)), (8, new Swing(3, SwingKind.High, 6, 8, false)), (11, new Swing(6, SwingKind.Low, 1, 11, false))],
            sink.Swings);
        Assert.True(engine.HasPendingSwing);
        Assert.Equal(new Swing(9, SwingKind.High, 8, 11, false), engine.PendingSwing);

        var batch = StructureBatch.Analyze(Zig, new StructureOptions { SwingLength = 2 });
        double[] expectedHl = [-1, double.NaN, double.NaN, 1, double.NaN, double.NaN, -1, double.NaN, double.NaN, 1, double.NaN, -1];
        double[] expectedLevel = [4, double.NaN, double.NaN, 6, double.NaN, double.NaN, 1, double.NaN, double.NaN, 8, double.NaN, 5];
        Assert.Equal(expectedHl, batch.Swings.Column("HighLow"));
        Assert.Equal(expectedLevel, batch.Swings.Column("Level"));
    }

    [Fact]
    public void DealingRange_UsesTheLastConfirmedSwings()
    {
        var (engine, _) = RecordingSink.Stream(Zig, new StructureOptions { SwingLength = 2 });
        // Confirmed by bar 11: high@3 = 6 and low@6 = 1 (high@9 is still provisional) → equilibrium 3.5.
        Assert.Equal(new DealingRange(6, 3, 1, 6), engine.DealingRange);
        Assert.Equal(3.5, engine.DealingRange.Equilibrium);
        Assert.Equal(PriceZone.Premium, engine.Zone(5));
        Assert.Equal(PriceZone.Discount, engine.Zone(2));
        Assert.Equal(PriceZone.Equilibrium, engine.Zone(3.5));
        Assert.Equal(0.2, engine.DealingRange.Position(2), 12);
        Assert.True(engine.TryGetLastSwing(SwingKind.High, out var hi) && hi.Index == 3);
        Assert.Equal(3, engine.RecentSwingCount);
        Assert.Equal(6, engine.GetRecentSwing(0).Index);
        Assert.Equal(0, engine.GetRecentSwing(2).Index);
    }

    [Fact]
    public void Fvg_GapMitigationAndJoining()
    {
        // 0: H10 L9 | 1: bullish body 10→12, H12.5 L9.8 | 2: bullish body 11→13.5, H13.6 L10.5 | 3: H14 L13
        // 4: bearish body 13.5→13, H13.8 L12.9 | 5: H13.1 L10.4
        // Gap at 1: H[0]=10 < L[2]=10.5 → Top 10.5, Bottom 10. Gap at 2: H[1]=12.5 < L[3]=13 → Top 13, Bottom 12.5.
        // Bars 3 and 4 are not gaps (bar 3's body is flat; bar 4 is bearish but L[3]=13 is not above H[5]=13.1).
        // Mitigation (first j ≥ i+2 with Low ≤ Top): gap 1 → bar 5 (10.4 ≤ 10.5; bar 3 L13, bar 4 L12.9 don't);
        // gap 2 → bar 4 (12.9 ≤ 13).
        // Joined: gaps 1 and 2 are adjacent bullish → one gap on row 2 with Top 13, Bottom 10, mitigated at 4.
        Bar[] bars =
        [
            new(0, 9.5, 10, 9, 9.5, 0), new(900, 10, 12.5, 9.8, 12, 0), new(1800, 11, 13.6, 10.5, 13.5, 0),
            new(2700, 13.5, 14, 13, 13.5, 0), new(3600, 13.5, 13.8, 12.9, 13, 0), new(4500, 11, 13.1, 10.4, 10.5, 0),
        ];
        var plain = StructureBatch.Analyze(bars, new StructureOptions { SwingLength = 1 }).Fvg;
        Assert.Equal([double.NaN, 1, 1, double.NaN, double.NaN, double.NaN], plain.Column("FVG"));
        Assert.Equal([double.NaN, 10.5, 13, double.NaN, double.NaN, double.NaN], plain.Column("Top"));
        Assert.Equal([double.NaN, 10, 12.5, double.NaN, double.NaN, double.NaN], plain.Column("Bottom"));
        Assert.Equal([double.NaN, 5, 4, double.NaN, double.NaN, double.NaN], plain.Column("MitigatedIndex"));

        var joined = StructureBatch.Analyze(bars, new StructureOptions { SwingLength = 1, JoinConsecutiveFvg = true }).Fvg;
        Assert.Equal([double.NaN, double.NaN, 1, double.NaN, double.NaN, double.NaN], joined.Column("FVG"));
        Assert.Equal(13, joined.Column("Top")[2]);
        Assert.Equal(10, joined.Column("Bottom")[2]);
        Assert.Equal(4, joined.Column("MitigatedIndex")[2]);

        // Streaming: the joined gap is known at bar 4 (= its last middle bar + 2), the plain ones at i+1.
        var (_, sink) = RecordingSink.Stream(bars, new StructureOptions { SwingLength = 1, JoinConsecutiveFvg = true });
        var created = Assert.Single(sink.Fvgs, e => e.Change == FvgChange.Created);
        Assert.Equal((4, 4), (created.At, created.Value.KnownAt));
    }

    // OB formed on the bar right after the bar-0 bookend (the only place the reference inverts the edges).
    //  idx:   0      1      2     3     4     5     6
    //  H:     11     12     11    10    10.5  11    10.8
    //  L:     9      10     9.5   8     8.5   9     9.2
    //  C:     10.5   11.5   10    9     10    10.5  10
    //  V:     100    200    300   0     0     0     0
    // L = 2: bar 3 is the first pivot (raw low: L 9.5, 8, 8.5, 9; its high 10 is not the max of 11, 10, 10.5, 11),
    // so bar 0 becomes a bookend swing HIGH at 11. Bar 1 closes 11.5 > 11 → bullish OB on candle i−1 = 0.
    //  ours: Top = H0 = 11, Bottom = L0 = 9; first L < 9 is bar 3 → MitigatedIndex 3; never H > 11 later → kept.
    //  reference (inverted): Top = 9, Bottom = 11; bar 2 L 9.5 < 11 → breaker, MitigatedIndex 2−1 = 1; bar 3 H 10 > 9 → erased.
    // Volume = V1 + V0 (+ nothing before bar 0) = 300; halves: recent V1+V0 = 300, older 0 → Percentage 0.
    private static readonly Bar[] Bookend =
    [
        new(0, 10, 11, 9, 10.5, 100), new(900, 10.5, 12, 10, 11.5, 200), new(1800, 11.5, 11, 9.5, 10, 300),
        new(2700, 10, 10, 8, 9, 0), new(3600, 9, 10.5, 8.5, 10, 0), new(4500, 10, 11, 9, 10.5, 0), new(5400, 10.5, 10.8, 9.2, 10, 0),
    ];

    [Fact]
    public void OrderBlock_BookendCase_DefaultIsCorrect_PeerModeReproducesTheReference()
    {
        var ours = StructureBatch.Analyze(Bookend, new StructureOptions { SwingLength = 2 }).OrderBlocks;
        Assert.Equal(
            [1.0, 11, 9, 300, 3, 0],
            Enumerable.Range(0, 6).Select(c => ours.Column(c)[0]).ToArray());

        var mitigationOnly = StructureBatch.Analyze(Bookend, new StructureOptions { SwingLength = 2, PeerBullishMitigationIndex = true }).OrderBlocks;
        Assert.Equal(2, mitigationOnly.Column("MitigatedIndex")[0]); // bar 3 − 1

        var peer = StructureBatch.Analyze(Bookend, StructureOptions.PeerCompatible with { SwingLength = 2 }).OrderBlocks;
        Assert.True(double.IsNaN(peer.Column("OB")[0]), "the reference erases the inverted block at bar 3");
    }

    [Fact]
    public void OrderBlock_IsKnownOnlyOnceTheSwingsBeforeItAreFinal()
    {
        var (_, sink) = RecordingSink.Stream(Bookend, new StructureOptions { SwingLength = 2 });
        var created = Assert.Single(sink.Blocks, e => e.Change == OrderBlockChange.Created);
        // The bookend at 0 is known when the pivot at 3 is confirmed (bar 3 + L = 5): formed at 1, known at 5.
        Assert.Equal((5, 1, 5, Direction.Buy), (created.At, created.Value.FormedAt, created.Value.KnownAt, created.Value.Direction));
        var mitigated = Assert.Single(sink.Blocks, e => e.Change == OrderBlockChange.Mitigated);
        Assert.Equal(3, mitigated.Value.MitigatedIndex);
    }

    [Fact]
    public void BadInput_GetsAClearError()
    {
        var engine = new StructureEngine();
        engine.OnBar(new Bar(100, 1, 2, 0.5, 1.5, 0));
        var nan = Assert.Throws<ArgumentException>(() => engine.OnBar(new Bar(200, 1, double.NaN, 0.5, 1.5, 0)));
        Assert.Contains("Bar 1", nan.Message, StringComparison.Ordinal);
        Assert.Contains("non-finite", nan.Message, StringComparison.Ordinal);
        var inverted = Assert.Throws<ArgumentException>(() => engine.OnBar(new Bar(200, 1, 0.4, 0.5, 0.45, 0)));
        Assert.Contains("below Low", inverted.Message, StringComparison.Ordinal);
        var dup = Assert.Throws<ArgumentException>(() => engine.OnBar(new Bar(100, 1, 2, 0.5, 1.5, 0)));
        Assert.Contains("duplicate", dup.Message, StringComparison.Ordinal);
        Assert.Equal(1, engine.BarCount); // nothing recorded is lost, nothing bad was added

        var len = Assert.Throws<ArgumentOutOfRangeException>(() => new StructureEngine(new StructureOptions { SwingLength = 0 }));
        Assert.Equal("SwingLength", len.ParamName);
        engine.Finish();
        Assert.Throws<InvalidOperationException>(() => engine.OnBar(new Bar(300, 1, 2, 0.5, 1.5, 0)));
    }
}
