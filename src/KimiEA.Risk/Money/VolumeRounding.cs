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

    // Multiplying the step count back gives 0.30000000000000004-style noise; rounding to the step's decimals
    // makes the volume exactly what OrderSend expects (MT5 rejects volumes that are not multiples of the step).
    private static double StepsToVolume(double steps, double step)
    {
        if (steps <= 0)
        {
            return 0;
        }

        var decimals = StepDecimals(step);
        return Math.Round(steps * step, decimals);
    }

    private static int StepDecimals(double step)
    {
        var d = 0;
        var s = step;
        while (d < 8 && Math.Abs(s - Math.Round(s)) > 1e-9)
        {
            s *= 10;
            d++;
        }

        return d;
    }
}
