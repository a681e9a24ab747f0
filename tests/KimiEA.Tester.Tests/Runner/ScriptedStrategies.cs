using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Tester.Tests.Terminal;

namespace KimiEA.Tester.Tests.Runner;

/// <summary>Deterministic scripted engines for end-to-end runs without the native library.</summary>
internal static class ScriptedStrategies
{
    /// <summary>
    /// On every closed M15 bar whose number since 1970 is 7 mod 8 (the same bars for every symbol), alternately a
    /// buy and a sell of 0.5 lot with a stop and a target at the given fractions of the close (15 and 20 pips on
    /// EURUSD at 1.39 ≈ 0.0011 and 0.0014 of the price).
    /// </summary>
    public static ScriptedEngine Alternating(double stopFraction = 0.0011, double targetFraction = 0.0014)
    {
        return new ScriptedEngine
        {
            Strategy = bar =>
            {
                var k = bar.Time / 900;
                if (k % 8 != 7)
                {
                    return null;
                }

                var dir = (k / 8) % 2 == 0 ? 1 : -1;
                var digits = bar.Close > 100 ? 2 : 5;
                return
                [
                    new KimiInstruction
                    {
                        Kind = AbiCodes.InstrOpen,
                        Direction = dir,
                        Volume = 0.5,
                        Sl = Math.Round(bar.Close * (1 - dir * stopFraction), digits),
                        Tp = Math.Round(bar.Close * (1 + dir * targetFraction), digits),
                    },
                ];
            },
        };
    }
}
