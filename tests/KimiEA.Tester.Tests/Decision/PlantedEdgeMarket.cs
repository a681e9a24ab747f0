using System.Globalization;
using System.Text;
using KimiEA.Core.Market;
using KimiEA.Smc.Signal;

namespace KimiEA.Tester.Tests.Decision;

/// <summary>
/// A seeded synthetic market with a planted edge. H1 bars are a random walk (EURUSD-like, 10 pips of noise an hour);
/// the SMC signal runs on them as they are generated, with the EA's default inputs, and every time it emits an intent
/// the next few bars are planted: with probability <c>hitRate</c> price walks to the intent's take-profit without
/// touching its stop, otherwise to its stop without touching the take-profit. With a hit rate above the break-even
/// 1 / (1 + b) of the signal's 1.5-3 R targets the setup has an edge; with 0.2 it has none. Each H1 bar is written as
/// 60 M1 bars (open → first extreme → second extreme → close), which the tester aggregates back into the same H1 bar.
/// </summary>
internal static class PlantedEdgeMarket
{
    private const double Noise = 0.0010;

    /// <summary>Generates <paramref name="hours"/> H1 bars from <paramref name="start"/>; returns them and how many intents were planted.</summary>
    public static (Bar[] Bars, int Planted) Generate(int seed, double hitRate, int hours, DateTime start)
    {
        var rng = new Random(seed);
        var signal = new SmcSignal(new SmcSignalOptions { ChartPeriodSeconds = 3600 }); // H1 bars
        var bars = new Bar[hours];
        var close = 1.1000;
        var time = (long)(start - DateTime.UnixEpoch).TotalSeconds;
        var planted = 0;
        var path = new Queue<(double Close, double Extreme)>();
        var plantUp = false;
        for (var k = 0; k < hours; k++)
        {
            var open = close;
            double high, low;
            if (path.Count > 0)
            {
                // a planted leg: towards the chosen barrier (the last leg passes it), never near the other one, which
                // lies at least one stop distance on the far side of the entry
                (close, var extreme) = path.Dequeue();
                high = plantUp ? Math.Max(Math.Max(open, close), extreme) : Math.Max(open, close) + (Noise * 0.1);
                low = plantUp ? Math.Min(open, close) - (Noise * 0.1) : Math.Min(Math.Min(open, close), extreme);
            }
            else
            {
                close = open + (Noise * Gaussian(rng));
                high = Math.Max(open, close) + (Noise * 0.5 * Math.Abs(Gaussian(rng)));
                low = Math.Min(open, close) - (Noise * 0.5 * Math.Abs(Gaussian(rng)));
            }

            bars[k] = new Bar(time, Round(open), Round(high), Round(low), Round(close), 100);
            close = bars[k].Close;
            time += 3600;
            if (signal.OnBar(bars[k], out var intent) && path.Count == 0)
            {
                var win = rng.NextDouble() < hitRate;
                planted++;
                var target = win ? intent.TakeProfit : intent.StopLoss;
                plantUp = target > intent.Entry;
                var legs = 3 + rng.Next(6);
                var overshoot = 0.15 * intent.StopDistance * (target > intent.Entry ? 1 : -1);
                for (var j = 1; j <= legs; j++)
                {
                    var c = intent.Entry + ((target - intent.Entry) * j / (legs + 0.5));
                    path.Enqueue((c, j == legs ? target + overshoot : c));
                }
            }
        }

        return (bars, planted);
    }

    /// <summary>Writes the bars as M1 rows in the normalised CSV format (UTC, spread in points).</summary>
    public static void WriteM1(string path, ReadOnlySpan<Bar> bars, int spreadPoints)
    {
        var sb = new StringBuilder("time_utc,open,high,low,close,volume,spread_points\n");
        Span<double> p = stackalloc double[61];
        foreach (var b in bars)
        {
            var bullish = b.Close >= b.Open;
            var (first, second) = bullish ? (b.Low, b.High) : (b.High, b.Low);
            for (var i = 0; i <= 60; i++)
            {
                p[i] = i <= 20 ? Lerp(b.Open, first, i / 20.0) : i <= 40 ? Lerp(first, second, (i - 20) / 20.0) : Lerp(second, b.Close, (i - 40) / 20.0);
            }

            for (var m = 0; m < 60; m++)
            {
                var t = DateTime.UnixEpoch.AddSeconds(b.Time + (m * 60));
                double o = Round(p[m]), c = Round(p[m + 1]);
                sb.Append(t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                  .Append(F(o)).Append(',').Append(F(Math.Max(o, c))).Append(',').Append(F(Math.Min(o, c))).Append(',').Append(F(c))
                  .Append(",0,").Append(spreadPoints.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        File.WriteAllText(path, sb.ToString());
    }

    private static double Lerp(double a, double b, double t) => a + ((b - a) * t);

    private static double Round(double v) => Math.Round(v, 5);

    private static string F(double v) => v.ToString("0.00000", CultureInfo.InvariantCulture);

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
