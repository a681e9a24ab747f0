using FsCheck;
using FsCheck.Fluent;
using KimiEA.Core.Trading;
using KimiEA.Risk.Money;
using KimiEA.Risk.Sizing;
using Xunit;

namespace KimiEA.Risk.Tests;

public class SizingProperties
{
    private sealed record Case(SymbolSpec Spec, double Equity, double StopTicks, double B, double Confidence, int Wins, int Losses, bool Fixed, double MaxLot, double RiskPerTrade)
    {
        public AgentPolicy Config => new()
        {
            SizingMode = Fixed ? SizingMode.FixedFraction : SizingMode.Kelly,
            MaxLot = MaxLot,
            RiskPerTrade = RiskPerTrade,
        };

        public SizingResult Size(double equity) =>
            PositionSizer.Size(Spec, equity, StopTicks * Spec.TickSize, B, BetaPosterior.From(Confidence, 20, Wins, Losses).Mean, Config);
    }

    private static readonly Gen<Case> Cases =
        from spec in Gen.Elements(Specs.EurUsd, Specs.UsdJpy, Specs.XauUsd, Specs.Us500)
        from equity in Gen.Choose(0, 50_000_000).Select(x => x / 10.0)
        from ticks in Gen.Choose(1, 200_000)
        from b in Gen.Choose(5, 500).Select(x => x / 100.0)
        from conf in Gen.Choose(0, 100).Select(x => x / 100.0)
        from wins in Gen.Choose(0, 300)
        from losses in Gen.Choose(0, 300)
        from isFixed in Gen.Elements(true, false)
        from maxLot in Gen.Elements(0.0, 0.5, 1.237, 20.0)
        from rpt in Gen.Choose(1, 50).Select(x => x / 1000.0)
        select new Case(spec, equity, ticks, b, conf, wins, losses, isFixed, maxLot, rpt);

    private static double Cap(in SymbolSpec spec, double maxLot) => maxLot > 0 ? Math.Min(spec.VolumeMax, maxLot) : spec.VolumeMax;

    [Fact]
    public void Size_is_zero_or_within_min_and_cap_and_risk_within_the_per_trade_cap()
    {
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var r = c.Size(c.Equity);
            if (r.Volume == 0)
            {
                return r.Reason != Gate.DenyReason.None && r.RiskMoney == 0;
            }

            return r.Reason == Gate.DenyReason.None
                && r.Volume >= c.Spec.VolumeMin - 1e-12
                && r.Volume <= Cap(c.Spec, c.MaxLot) + 1e-12
                && r.RiskMoney >= 0
                && r.RiskMoney <= (c.Equity * c.RiskPerTrade * (1 + 1e-9)) + 1e-9
                // the reported risk is the money math of the returned volume
                && Math.Abs(r.RiskMoney - MoneyMath.RiskMoney(c.Spec, c.StopTicks * c.Spec.TickSize, r.Volume)) < 1e-6;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Size_is_a_multiple_of_the_step_and_never_above_max_lot()
    {
        Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var v = c.Size(c.Equity).Volume;
            return VolumeRounding.IsMultipleOfStep(v, c.Spec.VolumeStep) && v <= c.Spec.VolumeMax && (c.MaxLot == 0 || v <= c.MaxLot + 1e-12);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Size_is_monotone_in_equity()
    {
        var arb = Gen.Zip(Cases, Gen.Choose(0, 10_000_000).Select(x => x / 10.0)).ToArbitrary();
        Prop.ForAll(arb, t =>
        {
            var (c, extra) = t;
            return c.Size(c.Equity + extra).Volume >= c.Size(c.Equity).Volume;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Rounding_never_rounds_up_and_loses_less_than_one_step()
    {
        var arb = Gen.Zip(Gen.Elements(Specs.EurUsd, Specs.Us500, Specs.XauUsd), Gen.Choose(0, 100_000_000).Select(x => x / 100_000.0)).ToArbitrary();
        Prop.ForAll(arb, t =>
        {
            var (spec, raw) = t;
            var v = VolumeRounding.RoundDown(spec, raw, 0);
            var target = Math.Min(raw, spec.VolumeMax);
            return v == 0
                ? target < spec.VolumeMin + spec.VolumeStep
                : v <= target + 1e-9 && target - v < spec.VolumeStep + 1e-9;
        }).QuickCheckThrowOnFailure();
    }
}
