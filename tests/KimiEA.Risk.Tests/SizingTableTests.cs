using KimiEA.Core.Trading;
using KimiEA.Risk.Gate;
using KimiEA.Risk.Sizing;
using Xunit;

namespace KimiEA.Risk.Tests;

public class SizingTableTests
{
    private static readonly AgentPolicy Fixed = new() { SizingMode = SizingMode.FixedFraction, RiskPerTrade = 0.01 };

    // Fixed fraction, 1 % of equity. lots = risk / (distance / tick_size × tick_value_loss), rounded DOWN to the step.
    [Theory]
    // EURUSD: 10 000 × 1 % = 100 USD; 20 pips = 0.00200 = 200 ticks × 1.00 = 200 USD/lot → 0.50 lot, risk 100.00
    [InlineData("EURUSD", 10_000, 0.00200, 0.50, 100.00)]
    // EURUSD: 30 pips = 300 USD/lot → 0.3333 → 0.33 lot, risk 0.33 × 300 = 99.00
    [InlineData("EURUSD", 10_000, 0.00300, 0.33, 99.00)]
    // EURUSD: 25 000 equity → 250 USD; 12.5 pips = 125 ticks = 125 USD/lot → exactly 2.00 lots, risk 250.00
    [InlineData("EURUSD", 25_000, 0.00125, 2.00, 250.00)]
    // USDJPY: 100 USD; 30 pips = 0.300 = 300 ticks × 2/3 USD = 200 USD/lot → 0.50 lot, risk 100.00
    [InlineData("USDJPY", 10_000, 0.300, 0.50, 100.00)]
    // USDJPY: 45 pips = 450 ticks × 2/3 = 300 USD/lot → 0.33 lot, risk 99.00 (not the "$10/pip" 0.22 lot)
    [InlineData("USDJPY", 10_000, 0.450, 0.33, 99.00)]
    // XAUUSD: 100 USD; 5.00 = 500 ticks × 1.00 = 500 USD/lot → 0.20 lot, risk 100.00
    [InlineData("XAUUSD", 10_000, 5.00, 0.20, 100.00)]
    // XAUUSD: 7.30 = 730 USD/lot → 0.136986 → 0.13 lot, risk 0.13 × 730 = 94.90
    [InlineData("XAUUSD", 10_000, 7.30, 0.13, 94.90)]
    // US500: 100 USD; 20.00 points = 2 000 ticks × 0.01 = 20 USD/lot → 5.0 lots, risk 100.00
    [InlineData("US500", 10_000, 20.00, 5.0, 100.00)]
    // US500: 30.00 = 30 USD/lot → 3.333 → 3.3 lots (step 0.1), risk 99.00
    [InlineData("US500", 10_000, 30.00, 3.3, 99.00)]
    // US500: 500 equity → 5 USD; 30 USD/lot → 0.1667 → 0.1 lot, risk 3.00
    [InlineData("US500", 500, 30.00, 0.1, 3.00)]
    public void FixedFraction_matches_hand_computation(string symbol, double equity, double stop, double lots, double risk)
    {
        var r = PositionSizer.Size(Specs.ByName(symbol), equity, stop, payoffRatio: 2, hitProbability: 0.9, Fixed);

        Assert.Equal(DenyReason.None, r.Reason);
        Assert.Equal(lots, r.Volume, 10);
        Assert.Equal(risk, r.RiskMoney, 6);
    }

    [Theory]
    // US500: 200 equity → 2 USD; 30 USD/lot → 0.0667 lot < 0.1 minimum → no trade (never silently the minimum)
    [InlineData("US500", 200, 30.00)]
    // XAUUSD: 100 equity → 1 USD; 7.30 = 730 USD/lot → 0.00137 lot < 0.01
    [InlineData("XAUUSD", 100, 7.30)]
    // EURUSD: 50 equity → 0.50 USD; 60 pips = 600 USD/lot → 0.00083 lot < 0.01
    [InlineData("EURUSD", 50, 0.00600)]
    public void Below_minimum_volume_is_no_trade_with_reason(string symbol, double equity, double stop)
    {
        var r = PositionSizer.Size(Specs.ByName(symbol), equity, stop, 2, 0.9, Fixed);

        Assert.Equal(DenyReason.VolumeBelowMinimum, r.Reason);
        Assert.Equal(0, r.Volume);
    }

    [Theory]
    // XAUUSD: 1 000 000 × 1 % = 10 000 USD; 1.00 = 100 USD/lot → 100 lots, clamped to VolumeMax 50 → risk 5 000
    [InlineData(0.0, 50.0, 5_000.0)]
    // same with a configured MaxLot of 2.5 → 2.50 lots → risk 250
    [InlineData(2.5, 2.5, 250.0)]
    // MaxLot 2.555 is not on the 0.01 step → 2.55 lots → risk 255
    [InlineData(2.555, 2.55, 255.0)]
    public void Max_lot_caps_the_volume(double maxLot, double lots, double risk)
    {
        var r = PositionSizer.Size(Specs.XauUsd, 1_000_000, 1.00, 2, 0.9, Fixed with { MaxLot = maxLot });

        Assert.Equal(lots, r.Volume, 10);
        Assert.Equal(risk, r.RiskMoney, 6);
    }

    // Kelly: prior Beta(c·k, (1−c)·k) with k = 20, posterior adds wins/losses; p = α/(α+β); f* = p − (1−p)/b;
    // risk fraction = min(0.5 f*, 1 %).
    [Theory]
    // EURUSD, c 0.9, 3 wins 27 losses: α = 18+3 = 21, β = 2+27 = 29, p = 0.42; b = 1.4: f* = 0.42 − 0.58/1.4 = 0.0057143;
    // half = 0.0028571 → 28.571 USD of 10 000; 20 pips = 200 USD/lot → 0.142857 → 0.14 lot, risk 28.00
    [InlineData("EURUSD", 10_000, 0.00200, 1.4, 0.9, 3, 27, 0.42, 0.0028571429, 0.14, 28.00)]
    // XAUUSD, c 0.75, 10/10: α = 15+10 = 25, β = 5+10 = 15, p = 0.625; b = 0.61: f* = 0.625 − 0.375/0.61 = 0.0102459;
    // half = 0.0051230 → 102.459 USD of 20 000; 4.00 = 400 USD/lot → 0.256 → 0.25 lot, risk 100.00
    [InlineData("XAUUSD", 20_000, 4.00, 0.61, 0.75, 10, 10, 0.625, 0.0051229508, 0.25, 100.00)]
    // USDJPY, c 0.9, no trades: p = 0.9, b = 2: f* = 0.85, half = 0.425 → capped at 1 % → 100 USD; 30 pips = 200 USD/lot → 0.50
    [InlineData("USDJPY", 10_000, 0.300, 2.0, 0.9, 0, 0, 0.9, 0.01, 0.50, 100.00)]
    // US500, c 0.8, 2 wins 8 losses: α = 16+2 = 18, β = 4+8 = 12, p = 0.6; b = 0.8: f* = 0.6 − 0.4/0.8 = 0.1, half = 0.05
    // → capped at 1 % = 100 USD; 25.00 = 25 USD/lot → 4.0 lots, risk 100.00
    [InlineData("US500", 10_000, 25.00, 0.8, 0.8, 2, 8, 0.6, 0.01, 4.0, 100.00)]
    public void Kelly_matches_hand_computation(
        string symbol, double equity, double stop, double b, double confidence, int wins, int losses,
        double p, double fraction, double lots, double risk)
    {
        var r = PositionSizer.Size(Specs.ByName(symbol), equity, stop, b, BetaPosterior.From(confidence, 20, wins, losses).Mean, new AgentPolicy());

        Assert.Equal(DenyReason.None, r.Reason);
        Assert.Equal(p, r.WinProbability, 9);
        Assert.Equal(fraction, r.RiskFraction, 9);
        Assert.Equal(lots, r.Volume, 10);
        Assert.Equal(risk, r.RiskMoney, 6);
    }

    [Theory]
    // p = 0.42 (as above), b = 1.3: f* = 0.42 − 0.58/1.3 = −0.026 → no edge
    [InlineData(0.9, 3, 27, 1.3)]
    // no trades, c 0.70, b = 0.4: f* = 0.7 − 0.3/0.4 = −0.05 → no edge
    [InlineData(0.7, 0, 0, 0.4)]
    // c 0.9 but 0 wins in 60 trades: α = 18, β = 62, p = 0.225, b = 3: f* = 0.225 − 0.775/3 = −0.033 → no edge
    [InlineData(0.9, 0, 60, 3.0)]
    public void No_edge_means_no_trade(double confidence, int wins, int losses, double b)
    {
        var r = PositionSizer.Size(Specs.EurUsd, 10_000, 0.002, b, BetaPosterior.From(confidence, 20, wins, losses).Mean, new AgentPolicy());

        Assert.Equal(DenyReason.NoEdge, r.Reason);
        Assert.Equal(0, r.Volume);
    }

    [Fact]
    public void Zero_equity_or_zero_stop_is_no_trade()
    {
        Assert.Equal(DenyReason.NoEquity, PositionSizer.Size(Specs.EurUsd, 0, 0.002, 2, 0.9, Fixed).Reason);
        Assert.Equal(DenyReason.StopMissing, PositionSizer.Size(Specs.EurUsd, 10_000, 0, 2, 0.9, Fixed).Reason);
    }

    [Fact]
    public void Loss_tick_value_not_profit_tick_value_prices_the_risk()
    {
        // A spec whose loss tick value (1.25) differs from its profit tick value (0.80): 100 ticks cost 125 USD/lot,
        // so 100 USD of risk buys 0.8 lot; using the profit value would give 1.25 lots and 156 USD of real risk.
        var spec = Specs.EurUsd with { TickValueLoss = 1.25, TickValueProfit = 0.80 };
        var r = PositionSizer.Size(spec, 10_000, 0.00100, 2, 0.9, Fixed);

        Assert.Equal(0.80, r.Volume, 10);
        Assert.Equal(100.0, r.RiskMoney, 6);
    }
}
