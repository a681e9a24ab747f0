using KimiEA.Risk.Money;
using KimiEA.Risk.Sizing;
using Xunit;

namespace KimiEA.Risk.Tests;

public class MoneyAndVolumeTests
{
    [Theory]
    // 0.3 / 0.1 = 2.9999999999999996 in binary: must stay 0.3, not become 0.2
    [InlineData(0.3, 0.3)]
    // 0.299 rounds DOWN to 0.29 (never to nearest 0.30)
    [InlineData(0.299, 0.29)]
    [InlineData(1.005, 1.00)]
    [InlineData(0.01, 0.01)]
    // below the 0.01 minimum → 0 (no trade)
    [InlineData(0.0099, 0)]
    [InlineData(-1, 0)]
    // above VolumeMax 100 → 100
    [InlineData(250, 100)]
    public void RoundDown_eurusd(double raw, double expected) =>
        Assert.Equal(expected, VolumeRounding.RoundDown(Specs.EurUsd, raw, 0), 12);

    [Theory]
    // US500 step 0.1, min 0.1
    [InlineData(0.19, 0.1)]
    [InlineData(0.09, 0)]
    [InlineData(7.77, 7.7)]
    public void RoundDown_index_step(double raw, double expected) =>
        Assert.Equal(expected, VolumeRounding.RoundDown(Specs.Us500, raw, 0), 12);

    [Fact]
    public void RoundDown_gives_exactly_the_decimal_volume_mt5_expects()
    {
        // n/100 is the double nearest to the decimal n × 0.01; the rounded volume must be that very double (no
        // 0.30000000000000004), for every volume 0.01 … 100.00
        for (var n = 1; n <= 10_000; n++)
        {
            Assert.Equal(n / 100.0, VolumeRounding.RoundDown(Specs.EurUsd, n / 100.0, 0));
        }
    }

    [Fact]
    public void RoundDown_with_a_max_lot_below_the_minimum_is_no_trade() =>
        // MaxLot 0.05 on a symbol whose minimum is 0.1: nothing tradable
        Assert.Equal(0, VolumeRounding.RoundDown(Specs.Us500, 3, 0.05));

    [Theory]
    // EURUSD 20 pips on 0.5 lot: 200 ticks × 1.00 × 0.5 = 100 USD
    [InlineData("EURUSD", 0.00200, 0.5, 100)]
    // USDJPY 1.000 (100 pips) on 1 lot: 1 000 ticks × 2/3 = 666.67 USD
    [InlineData("USDJPY", 1.000, 1.0, 666.6666667)]
    // XAUUSD 10.00 on 0.05 lot: 1 000 ticks × 1.00 × 0.05 = 50 USD
    [InlineData("XAUUSD", 10.00, 0.05, 50)]
    // US500 50.00 on 2 lots: 5 000 ticks × 0.01 × 2 = 100 USD
    [InlineData("US500", 50.00, 2, 100)]
    public void RiskMoney_from_spec(string symbol, double distance, double volume, double money) =>
        Assert.Equal(money, MoneyMath.RiskMoney(Specs.ByName(symbol), distance, volume), 6);

    [Fact]
    public void VolumeForRisk_inverts_RiskMoney()
    {
        // XAUUSD: 150 USD over 3.00 (300 USD/lot) = 0.5 lot
        Assert.Equal(0.5, MoneyMath.VolumeForRisk(Specs.XauUsd, 150, 3.00), 12);
        Assert.Equal(0, MoneyMath.VolumeForRisk(Specs.XauUsd, 150, 0));
    }

    [Fact]
    public void Unusable_spec_names_the_field()
    {
        Assert.Null(SymbolSpecRules.Problem(Specs.EurUsd));
        var ex = Assert.Throws<ArgumentException>(() => SymbolSpecRules.ThrowIfUnusable(Specs.EurUsd with { TickValueLoss = 0 }, "EURUSD"));
        Assert.Contains("EURUSD", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TickValueLoss", ex.Message, StringComparison.Ordinal);
        Assert.Contains("VolumeMax", SymbolSpecRules.Problem(Specs.EurUsd with { VolumeMax = 0.001 }), StringComparison.Ordinal);
    }
}

public class PosteriorTests
{
    [Theory]
    // c 0.8, k 20, 5 wins 5 losses: α = 21, β = 9
    [InlineData(0.8, 20, 5, 5)]
    [InlineData(0.7, 10, 0, 0)]
    [InlineData(0.9, 20, 100, 300)]
    public void Mean_equals_MathNet_beta_mean(double c, double k, int wins, int losses)
    {
        var post = BetaPosterior.From(c, k, wins, losses);
        Assert.Equal(post.ToDistribution().Mean, post.Mean, 12);
        Assert.Equal((c * k) + wins, post.Alpha, 12);
        Assert.Equal(((1 - c) * k) + losses, post.Beta, 12);
    }

    [Fact]
    public void Mean_moves_from_confidence_towards_the_record_as_trades_accumulate()
    {
        // c 0.9 but a 50 % record: 0 trades → 0.9; 20 trades → (18+10)/40 = 0.7; 2 000 trades → (18+1000)/2020 = 0.50396
        Assert.Equal(0.9, BetaPosterior.From(0.9, 20, 0, 0).Mean, 12);
        Assert.Equal(0.7, BetaPosterior.From(0.9, 20, 10, 10).Mean, 12);
        Assert.Equal(1018.0 / 2020.0, BetaPosterior.From(0.9, 20, 1000, 1000).Mean, 12);
    }

    [Fact]
    public void ProbabilityAbove_matches_closed_forms()
    {
        // Beta(1,1) is uniform: P(p > 0.3) = 0.7. Beta(2,1) has CDF x²: P(p > 0.5) = 1 − 0.25 = 0.75.
        Assert.Equal(0.7, new BetaPosterior(1, 1).ProbabilityAbove(0.3), 10);
        Assert.Equal(0.75, new BetaPosterior(2, 1).ProbabilityAbove(0.5), 10);
        Assert.Equal(1, new BetaPosterior(2, 1).ProbabilityAbove(0));
    }

    [Fact]
    public void Kelly_fraction_and_break_even()
    {
        // p 0.6, b 1: f* = 0.6 − 0.4 = 0.2; break-even of b = 3 is 1/4
        Assert.Equal(0.2, Kelly.Fraction(0.6, 1), 12);
        Assert.Equal(0.25, Kelly.BreakEvenProbability(3), 12);
        Assert.Equal(0, Kelly.Fraction(0.99, 0));
    }

    [Fact]
    public void AgentStats_records_and_restores()
    {
        var stats = new AgentStats();
        stats.RecordClosedTrade("EURUSD", 3, 12.5);
        stats.RecordClosedTrade("EURUSD", 3, -10);
        stats.RecordClosedTrade("EURUSD", 3, 0); // break-even counts as a loss: it did not reach the target
        stats.RecordClosedTrade("XAUUSD", 1, 40);

        Assert.Equal(new SetupStats("EURUSD", 3, 1, 2), stats.Get("EURUSD", 3));
        Assert.Equal(new SetupStats("EURUSD", 9, 0, 0), stats.Get("EURUSD", 9));

        var restored = new AgentStats();
        restored.Restore(stats.Snapshot());
        Assert.Equal(stats.Snapshot(), restored.Snapshot());
        Assert.Equal("EURUSD", restored.Snapshot()[0].Symbol);

        Assert.Throws<ArgumentException>(() => restored.Restore([new SetupStats("EURUSD", 1, -1, 0)]));
        Assert.Throws<ArgumentException>(() => restored.Restore([new SetupStats("A", 1, 1, 0), new SetupStats("A", 1, 2, 0)]));
        Assert.Throws<ArgumentException>(() => stats.RecordClosedTrade("EURUSD", 3, double.NaN));
    }
}
