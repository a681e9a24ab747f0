using KimiEA.Core.Trading;
using KimiEA.Risk.Sizing;
using Xunit;

namespace KimiEA.Risk.Tests;

/// <summary>
/// The confidence as trade-worthiness (docs/signal.md): P(p &gt; (1 + c) / (1 + b)) for the hit rate's Beta posterior.
/// Expected values are closed forms: Beta(1, 1) is uniform (P(p &gt; x) = 1 − x), Beta(2, 1) has CDF x², Beta(1, 2) has
/// CDF 1 − (1 − x)².
/// </summary>
public sealed class TradeWorthinessTests
{
    [Fact]
    public void Break_even_rate_zeroes_the_expectancy_in_R()
    {
        // b = 2, c = 1 R: p* = 2/3, and p*·b − (1 − p*) − c = 4/3 − 1/3 − 1 = 0
        var p = TradeWorthiness.BreakEvenHitRate(2, 1);
        Assert.Equal(2.0 / 3, p, 12);
        Assert.Equal(0, (p * 2) - (1 - p) - 1, 12);
        Assert.Equal(0.25, TradeWorthiness.BreakEvenHitRate(3, 0), 12); // no cost: Kelly's 1/(1+b)
    }

    [Theory]
    // hit 0.5 on evidence 2 = Beta(1, 1); b = 1, no cost: p* = 0.5 → 1 − 0.5
    [InlineData(0.5, 2, 0, 0, 1, 0, 0.5)]
    // Beta(1, 1), b = 3, no cost: p* = 0.25 → 0.75
    [InlineData(0.5, 2, 0, 0, 3, 0, 0.75)]
    // hit 2/3 on evidence 3 = Beta(2, 1); b = 1: p* = 0.5 → 1 − 0.25
    [InlineData(2.0 / 3, 3, 0, 0, 1, 0, 0.75)]
    // Beta(2, 1), b = 3, cost 1 R: p* = 2/4 = 0.5 → 0.75 (the cost counts like a lower payoff)
    [InlineData(2.0 / 3, 3, 0, 0, 3, 1, 0.75)]
    // Beta(1, 1) + one win = Beta(2, 1), b = 1 → 0.75: the agent's record moves the confidence
    [InlineData(0.5, 2, 1, 0, 1, 0, 0.75)]
    // Beta(1, 1) + one loss = Beta(1, 2), b = 1: P(p > 0.5) = (1 − 0.5)² = 0.25
    [InlineData(0.5, 2, 0, 1, 1, 0, 0.25)]
    public void Confidence_is_the_posterior_probability_of_positive_expectancy(
        double hit, double evidence, int wins, int losses, double b, double costR, double expected)
    {
        Assert.Equal(expected, TradeWorthiness.Confidence(hit, evidence, wins, losses, b, costR), 9);
    }

    [Fact]
    public void No_evidence_no_payoff_or_an_unreachable_break_even_is_never_worth_taking()
    {
        Assert.Equal(0, TradeWorthiness.Confidence(0.9, 0, 0, 0, 2, 0));     // no evidence at all
        Assert.Equal(0, TradeWorthiness.Confidence(0.9, 100, 0, 0, 0, 0));   // no payoff
        Assert.Equal(0, TradeWorthiness.Confidence(0.9, 100, 0, 0, 1, 1.5)); // p* = 2.5/2 > 1
    }

    [Fact]
    public void More_evidence_sharpens_the_confidence_around_the_break_even()
    {
        // p̂ 0.4 against p* 1/3 (b = 2): more observations make a true edge surer; p̂ 0.3 the reverse
        var weak = TradeWorthiness.Confidence(0.4, 20, 0, 0, 2, 0);
        var strong = TradeWorthiness.Confidence(0.4, 2000, 0, 0, 2, 0);
        Assert.True(weak is > 0.5 and < 0.85, $"{weak}");
        Assert.True(strong > 0.999, $"{strong}");
        Assert.True(TradeWorthiness.Confidence(0.3, 2000, 0, 0, 2, 0) < 0.01);
    }

    [Fact]
    public void Commission_in_R_is_commission_over_the_loss_per_lot_at_the_stop()
    {
        // EURUSD: 20 pips = 200 ticks × 1.00 USD = 200 USD per lot; 7 USD round turn → 0.035 R
        Assert.Equal(0.035, TradeWorthiness.CostInR(Specs.EurUsd, 7, 0.00200), 12);
        Assert.Equal(0, TradeWorthiness.CostInR(Specs.EurUsd, 0, 0.00200));
    }

    [Fact]
    public void Assess_measures_payoff_and_cost_at_the_executable_price_and_adds_the_agent_record()
    {
        // buy 1.08000, stop 1.07800, target 1.08400; ask 1.08000 → b = 2; commission 200 USD/lot = 1 R → p* = 2/3.
        // Evidence Beta(1, 1) (hit 0.5, n 2) + 1 win = Beta(2, 1): P(p > 2/3) = 1 − 4/9 = 5/9; hit probability 2/3.
        var intent = new TradeIntent
        {
            Direction = Direction.Buy, Entry = 1.08000, StopLoss = 1.07800, TakeProfit = 1.08400, HitProbability = 0.5, HitEvidence = 2, SetupId = 1,
        };
        var a = TradeWorthiness.Assess(intent, 1.07998, 1.08000, Specs.EurUsd, 200, new SetupStats("EURUSD", 1, 1, 0));
        Assert.Equal(5.0 / 9, a.Confidence, 9);
        Assert.Equal(2.0 / 3, a.HitProbability, 12);
        Assert.Equal(3, a.HitEvidence, 12);

        // the mirrored sell fills at the bid: bid 1.08000 → b = 2 again
        var sell = intent with { Direction = Direction.Sell, StopLoss = 1.08200, TakeProfit = 1.07600 };
        Assert.Equal(5.0 / 9, TradeWorthiness.Assess(sell, 1.08000, 1.08002, Specs.EurUsd, 200, new SetupStats("EURUSD", 1, 1, 0)).Confidence, 9);

        // an ask above the target: nothing left to win there
        Assert.Equal(0, TradeWorthiness.Assess(intent, 1.08500, 1.08502, Specs.EurUsd, 0, default).Confidence);
    }

    [Fact]
    public void Assess_leaves_a_malformed_hit_probability_for_the_gate_to_refuse()
    {
        var bad = new TradeIntent { Direction = Direction.Buy, Entry = 1.08, StopLoss = 1.07, TakeProfit = 1.10, HitProbability = double.NaN, HitEvidence = 100 };
        var a = TradeWorthiness.Assess(bad, 1.08, 1.08, Specs.EurUsd, 0, default);
        Assert.Equal(0, a.Confidence);
        Assert.Equal(Gate.DenyReason.InvalidIntent, Gate.IntentRules.WellFormed(a));
    }

    [Fact]
    public void Assess_allocates_nothing()
    {
        // it runs on the agent's decision path, once per intent
        var intent = new TradeIntent { Direction = Direction.Buy, Entry = 1.08, StopLoss = 1.078, TakeProfit = 1.084, HitProbability = 0.37, HitEvidence = 254 };
        var stats = new SetupStats("EURUSD", 1, 3, 4);
        var sum = TradeWorthiness.Assess(intent, 1.07998, 1.08, Specs.EurUsd, 7, stats).Confidence;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            sum += TradeWorthiness.Assess(intent with { HitProbability = 0.3 + (i * 1e-4) }, 1.07998, 1.08, Specs.EurUsd, 7, stats).Confidence;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }
}
