using KimiEA.Core.Trading;

namespace KimiEA.Risk.Money;

/// <summary>Checks that a <see cref="SymbolSpec"/> carries everything the money math needs.</summary>
public static class SymbolSpecRules
{
    /// <summary>True when tick size/values, volume min/step/max, notional and margin per lot are positive and finite and min ≤ max.</summary>
    public static bool IsUsable(in SymbolSpec spec) =>
        PositiveFinite(spec.TickSize) && PositiveFinite(spec.TickValueLoss) && PositiveFinite(spec.TickValueProfit) &&
        PositiveFinite(spec.VolumeStep) && PositiveFinite(spec.VolumeMin) && PositiveFinite(spec.VolumeMax) &&
        spec.VolumeMax >= spec.VolumeMin && PositiveFinite(spec.NotionalPerLot) && spec.MarginPerLot >= 0 &&
        !double.IsInfinity(spec.MarginPerLot) && spec.Point > 0 && spec.StopsLevelPoints >= 0;

    /// <summary>The name of the first unusable field with its value, or null when the spec is usable. Not for the hot path (formats a string).</summary>
    public static string? Problem(in SymbolSpec spec)
    {
        if (!PositiveFinite(spec.TickSize)) return $"TickSize {spec.TickSize} must be positive";
        if (!PositiveFinite(spec.TickValueLoss)) return $"TickValueLoss {spec.TickValueLoss} must be positive";
        if (!PositiveFinite(spec.TickValueProfit)) return $"TickValueProfit {spec.TickValueProfit} must be positive";
        if (!PositiveFinite(spec.VolumeStep)) return $"VolumeStep {spec.VolumeStep} must be positive";
        if (!PositiveFinite(spec.VolumeMin)) return $"VolumeMin {spec.VolumeMin} must be positive";
        if (!PositiveFinite(spec.VolumeMax) || spec.VolumeMax < spec.VolumeMin) return $"VolumeMax {spec.VolumeMax} must be at least VolumeMin {spec.VolumeMin}";
        if (!PositiveFinite(spec.NotionalPerLot)) return $"NotionalPerLot {spec.NotionalPerLot} must be positive";
        if (!(spec.MarginPerLot >= 0) || double.IsInfinity(spec.MarginPerLot)) return $"MarginPerLot {spec.MarginPerLot} must be zero or positive";
        if (!(spec.Point > 0)) return $"Point {spec.Point} must be positive";
        if (spec.StopsLevelPoints < 0) return $"StopsLevelPoints {spec.StopsLevelPoints} must not be negative";
        return null;
    }

    /// <summary>Throws when the spec is unusable, naming the symbol and the field. Call once when an agent is created.</summary>
    /// <exception cref="ArgumentException">The spec is unusable.</exception>
    public static void ThrowIfUnusable(in SymbolSpec spec, string symbol)
    {
        if (Problem(spec) is { } problem)
        {
            throw new ArgumentException($"Symbol spec of '{symbol}' is unusable: {problem}.", nameof(spec));
        }
    }

    private static bool PositiveFinite(double v) => v > 0 && !double.IsInfinity(v);
}
