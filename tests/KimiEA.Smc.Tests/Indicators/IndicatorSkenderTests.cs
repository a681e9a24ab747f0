using Xunit;
using KimiEA.Smc.Indicators;

namespace KimiEA.Smc.Tests.Indicators;

/// <summary>
/// ATR, EMA, SMA and RSI against Stock.Indicators (Skender): the values its own tests assert (with their tolerances)
/// and its full regression baselines for the 502-bar default series.
/// </summary>
public class IndicatorSkenderTests
{
    // Skender baselines are JSON doubles computed in decimal/double by a different implementation; 1e-9 absolute
    // is far tighter than any tolerance its tests use (Money8 = 5e-9) while allowing last-bit differences.
    private const double BaselineTolerance = 1e-9;

    private static readonly string[] Columns = ["tr", "atr14", "atrp14", "ema20", "sma20", "rsi14"];

    private static Dictionary<string, double[]> Run()
    {
        var bars = SkenderData.Bars;
        var atr = new Atr(14);
        var ema = new Ema(20);
        var sma = new Sma(20);
        var rsi = new Rsi(14);
        var cols = Columns.ToDictionary(c => c, _ => new double[bars.Length]);
        for (var i = 0; i < bars.Length; i++)
        {
            atr.Update(bars[i]);
            cols["tr"][i] = atr.TrueRange;
            cols["atr14"][i] = atr.Value;
            cols["atrp14"][i] = atr.Percent;
            cols["ema20"][i] = ema.Update(bars[i].Close);
            cols["sma20"][i] = sma.Update(bars[i].Close);
            cols["rsi14"][i] = rsi.Update(bars[i].Close);
        }

        return cols;
    }

    [Theory]
    [InlineData("tr")]
    [InlineData("atr14")]
    [InlineData("atrp14")]
    [InlineData("ema20")]
    [InlineData("sma20")]
    [InlineData("rsi14")]
    public void FullSeries_MatchesSkenderBaseline(string column)
    {
        var ours = Run()[column];
        var expected = SkenderData.Series(column);
        Assert.Equal(expected.Length, ours.Length);
        for (var i = 0; i < ours.Length; i++)
        {
            if (expected[i] is null)
            {
                if (!double.IsNaN(ours[i]))
                {
                    Assert.Fail($"{column}[{i}] should be warm-up (NaN) but is {ours[i]}");
                }
            }
            else
            {
                if (!(Math.Abs(expected[i]!.Value - ours[i]) <= BaselineTolerance))
                {
                    Assert.Fail($"{column}[{i}]: expected {expected[i]}, got {ours[i]}");
                }
            }
        }
    }

    [Theory]
    [InlineData("ATR", "Tr", "tr")]
    [InlineData("ATR", "Atr", "atr14")]
    [InlineData("ATR", "Atrp", "atrp14")]
    [InlineData("EMA", "Ema", "ema20")]
    [InlineData("SMA", "Sma", "sma20")]
    [InlineData("RSI", "Rsi", "rsi14")]
    public void AssertedValues_MatchSkenderTests(string indicator, string field, string column)
    {
        var ours = Run()[column];
        var checkedRows = 0;
        foreach (var (index, f, expected, tol) in SkenderData.Expected(indicator))
        {
            if (f == field + "_nonnull_count")
            {
                Assert.Equal((int)expected!.Value, ours.Count(v => !double.IsNaN(v)));
                checkedRows++;
            }
            else if (f == field)
            {
                var v = ours[index!.Value];
                if (expected is null)
                {
                    if (!double.IsNaN(v))
                    {
                        Assert.Fail($"{indicator}.{field}[{index}] should be null, got {v}");
                    }
                }
                else
                {
                    if (!(Math.Abs(expected.Value - v) <= (tol ?? 0)))
                    {
                        Assert.Fail($"{indicator}.{field}[{index}]: expected {expected} ± {tol}, got {v}");
                    }
                }

                checkedRows++;
            }
        }

        Assert.True(checkedRows >= 2, $"no asserted rows found for {indicator}.{field}");
    }
}
