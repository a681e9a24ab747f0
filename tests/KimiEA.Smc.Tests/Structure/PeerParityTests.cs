using Xunit;
using KimiEA.Smc.Structure;

namespace KimiEA.Smc.Tests.StructureDetectors;

public sealed class PeerParityTests
{
    private static readonly Lazy<StructureAnalysis> Peer = new(() => StructureBatch.Analyze(StructureTestData.EurUsd15M, StructureOptions.PeerCompatible));

    [Theory]
    [InlineData("swing_highs_lows", "swing_highs_lows_result_data.csv")]
    [InlineData("fvg", "fvg_result_data.csv")]
    [InlineData("bos_choch", "bos_choch_result_data.csv")]
    [InlineData("ob", "ob_result_data.csv")]
    [InlineData("liquidity", "liquidity_result_data.csv")]
    [InlineData("retracements", "retracements_result_data.csv")]
    public void PeerCompatibleMode_EqualsFixture(string table, string file)
    {
        var ours = Peer.Value.All.Single(t => t.Name == table);
        // The swing bookend on the last bar depends on where the data stops (README: ignore it).
        var skip = table == "swing_highs_lows" ? new[] { ours.RowCount - 1 } : [];
        var diffs = TableComparer.Compare(ours, file, skip);
        Assert.True(diffs.Count == 0, $"{diffs.Count} rows differ:\n{string.Join("\n", diffs.Take(20))}");
    }

    [Fact]
    public void JoinedFvg_EqualsFixture()
    {
        var ours = StructureBatch.Analyze(StructureTestData.EurUsd15M, StructureOptions.PeerCompatible with { JoinConsecutiveFvg = true });
        var diffs = TableComparer.Compare(ours.Fvg, "fvg_consecutive_result_data.csv");
        Assert.True(diffs.Count == 0, $"{diffs.Count} rows differ:\n{string.Join("\n", diffs.Take(20))}");
    }
}

public sealed class PeerDeviationTests
{
    private static readonly Lazy<StructureAnalysis> Default = new(() => StructureBatch.Analyze(StructureTestData.EurUsd15M));

    public static TheoryData<string, string> Tables => new()
    {
        { "swing_highs_lows", "swing_highs_lows_result_data.csv" },
        { "fvg", "fvg_result_data.csv" },
        { "bos_choch", "bos_choch_result_data.csv" },
        { "ob", "ob_result_data.csv" },
        { "liquidity", "liquidity_result_data.csv" },
        { "retracements", "retracements_result_data.csv" },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void DefaultMode_EveryDifferenceIsANamedDeviation(string table, string file)
    {
        var ours = Default.Value.All.Single(t => t.Name == table);
        var skip = table == "swing_highs_lows" ? new[] { ours.RowCount - 1 } : [];
        var diffs = TableComparer.Compare(ours, file, skip);
        var peerDir = StructureTestData.LoadTable(file).Values[0];
        var ctx = new PeerDeviations.DeviationContext(
            table == "retracements" ? WarmupEnd(ours.Column(0)) : 0,
            table == "retracements" ? WarmupEnd(peerDir) : 0);
        var unexplained = diffs
            .Where(d => !PeerDeviations.All.Any(dev => dev.Table == table && dev.Explains(d.Row, d.Ours, d.Peer, ctx)))
            .ToList();
        Assert.True(unexplained.Count == 0, $"{unexplained.Count} unexplained rows:\n{string.Join("\n", unexplained.Take(20))}");
    }

    [Fact]
    public void BullishMitigationDeviation_IsExercisedByTheFixture()
    {
        // The fixture has bullish blocks mitigated later; all of them must move by exactly one bar (predicate above),
        // and there must be some, otherwise the deviation entry would be untested.
        var diffs = TableComparer.Compare(Default.Value.OrderBlocks, "ob_result_data.csv");
        Assert.NotEmpty(diffs);
        Assert.All(diffs, d => Assert.True(PeerDeviations.All[0].Explains(d.Row, d.Ours, d.Peer, new(0, 0)), d.ToString()));
    }

    // First row whose direction is non-zero (the end of the warm-up blanking).
    private static int WarmupEnd(double[] dir)
    {
        var i = 0;
        while (i < dir.Length && dir[i] == 0)
        {
            i++;
        }

        return i;
    }
}
