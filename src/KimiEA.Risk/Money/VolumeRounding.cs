using KimiEA.Core.Trading;

namespace KimiEA.Risk.Money;

/// <summary>
/// Turns a raw volume into a tradable one: clamp to the maximum (symbol and configured), round DOWN to the volume
/// step, and refuse (return 0) below the minimum — never silently the minimum.
/// </summary>
public static class VolumeRounding
{
    // A raw volume that is an exact multiple of the step can be a hair below it in binary (0.3/0.1 = 2.9999999999999996);
    // this relative tolerance keeps it on its step without ever rounding a genuinely smaller volume up.
    private const double StepTolerance = 1e-9;

    /// <summary>
    /// The largest multiple of the volume step that is ≤ <paramref name="rawVolume"/>, ≤ the symbol's maximum and ≤
    /// <paramref name="maxLot"/> (0 = no extra cap); 0 when that is below the symbol's minimum volume.
    /// </summary>
    public static double RoundDown(in SymbolSpec spec, double rawVolume, double maxLot)
    {
        if (!(rawVolume > 0) || !(spec.VolumeStep > 0))
        {
            return 0;
        }

        var cap = spec.VolumeMax;
        if (maxLot > 0 && maxLot < cap)
        {
            cap = maxLot;
        }

        var v = rawVolume < cap ? rawVolume : cap;
        var steps = Math.Floor(v / spec.VolumeStep + StepTolerance);
        var rounded = StepsToVolume(steps, spec.VolumeStep);
        if (rounded > cap)
        {
            // the cap itself is not a multiple of the step: take the step below it
            rounded = StepsToVolume(steps - 1, spec.VolumeStep);
        }

        return rounded >= spec.VolumeMin - (spec.VolumeStep * StepTolerance) ? rounded : 0;
    }

    /// <summary>True when <paramref name="volume"/> is a whole number of steps (within floating-point noise).</summary>
    public static bool IsMultipleOfStep(double volume, double step)
    {
        var n = volume / step;
        return Math.Abs(n - Math.Round(n)) < 1e-6;
    }

    // steps × 0.01 gives 0.30000000000000004-style noise and MT5 rejects volumes that are not multiples of the step.
    // For the usual decimal steps (1/step is an integer: 0.01 → 100) steps / 100 is the correctly rounded double of the
    // decimal volume, i.e. exactly the literal 0.33; other steps fall back to the product.
    private static double StepsToVolume(double steps, double step)
    {
        if (steps <= 0)
        {
            return 0;
        }

        var inverse = 1 / step;
        var whole = Math.Round(inverse);
        return Math.Abs(inverse - whole) < 1e-9 * whole ? steps / whole : steps * step;
    }
}
