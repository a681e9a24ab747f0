using KimiEA.Optimize.Overfitting;
using Xunit;

namespace KimiEA.Optimize.Tests.Overfitting;

public class CscvTests
{
    [Fact]
    public void TwoTrialsTwoBlocks_InSampleWinnerLosesOutOfSample_PboIsOne()
    {
        // S = 2: block 0 = days 0-1, block 1 = days 2-3; splits: train {0} test {1}, train {1} test {0}.
        // Trial 0: block 0 [.01 .03] SR √2, block 1 [−.01 −.03] SR −√2.
        // Trial 1: block 0 [0 .01] SR 1/√2, block 1 [.01 .02] SR 3/√2.
        // Train {0}: best trial 0 (√2 > 1/√2); on block 1 it is last of 2: ω = 1/3, λ = ln(1/2).
        // Train {1}: best trial 1 (3/√2); on block 0 it is last of 2 (1/√2 < √2): λ = ln(1/2).
        double[] t0 = [0.01, 0.03, -0.01, -0.03];
        double[] t1 = [0.0, 0.01, 0.01, 0.02];
        var r = Cscv.Run([t0, t1], 2);
        Assert.Equal(2, r.Splits);
        Assert.Equal(1.0, r.Pbo);
        Assert.All(r.Logits, l => Assert.Equal(Math.Log(0.5), l, 12));
    }

    [Fact]
    public void ADominantTrial_PboIsZero()
    {
        // Trial 1 beats trial 0 in every block: it wins in sample and ranks first of 2 out of sample: ω = 2/3, λ = ln 2.
        double[] t0 = [0.00, 0.01, -0.01, 0.00, 0.01, 0.00];
        double[] t1 = [0.02, 0.03, 0.01, 0.03, 0.04, 0.02];
        var r = Cscv.Run([t0, t1], 2);
        Assert.Equal(0.0, r.Pbo);
        Assert.All(r.Logits, l => Assert.Equal(Math.Log(2), l, 12));
    }

    [Fact]
    public void SplitCount_IsSChooseHalf_AndTheRemainderIsDroppedFromTheStart()
    {
        var rng = new Random(3);
        var trials = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, 61).Select(_ => rng.NextDouble() - 0.5).ToArray()).ToList();
        var r = Cscv.Run(trials, 6);
        Assert.Equal(20, r.Splits); // C(6, 3)
        Assert.InRange(r.Pbo, 0, 1);
        // The first 61 mod 6 = 1 observation is dropped: changing it changes nothing.
        trials[0][0] = 1000;
        Assert.Equal(r.Logits, Cscv.Run(trials, 6).Logits);
    }

    [Fact]
    public void BadShapes_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => Cscv.Run([[1.0, 2, 3, 4]], 2));
        Assert.Throws<ArgumentException>(() => Cscv.Run([[1.0, 2, 3, 4], [1.0, 2, 3, 4]], 3));
        Assert.Throws<ArgumentException>(() => Cscv.Run([[1.0, 2, 3, 4], [1.0, 2, 3, 4]], 4));
        Assert.Throws<ArgumentException>(() => Cscv.Run([[1.0, 2, 3, 4], [1.0, 2, 3]], 2));
    }
}
