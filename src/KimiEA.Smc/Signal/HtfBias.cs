using KimiEA.Core.Time;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Smc.Structure;
using KimiEA.Smc.Time;

namespace KimiEA.Smc.Signal;

/// <summary>Where the signal's higher-timeframe bias (<see cref="SignalFactor.HtfBias"/>) comes from.</summary>
public enum HtfBiasSource
{
    /// <summary>Market structure on the higher timeframe (<see cref="HigherTimeframe.For"/>): the direction of the
    /// latest broken BOS/CHoCH there, from closed higher-timeframe bars only (<see cref="HtfStructureBias"/>).</summary>
    Structure,

    /// <summary>The chart's slow EMA (<see cref="SmcSignalOptions.HtfEmaPeriod"/>): the close on the trade's side of it
    /// and the EMA sloping that way — a stand-in for the higher timeframe.</summary>
    Ema,
}

/// <summary>
/// The higher timeframe whose structure gives a chart its bias, for every MT5 chart period (PeriodSeconds()):
/// <list type="table">
/// <item><term>M1 – M5</term><description>H1 (12–60 chart bars per H1 bar)</description></item>
/// <item><term>M6 – H1 (M15, M30, H1)</term><description>H4 (4–40 chart bars)</description></item>
/// <item><term>H2 – H6 (H4)</term><description>D1, bins starting at midnight of the data's clock (server time)</description></item>
/// <item><term>H8 – D1</term><description>W1, MT5's Sunday-to-Saturday week (5–21 chart bars)</description></item>
/// <item><term>W1, MN1</term><description>none: there is no higher timeframe to take a bias from</description></item>
/// </list>
/// The step is the conventional top-down pairing (M15/H1 → H4, H4 → D1): roughly 4× to 60× the chart period, so the
/// higher timeframe's swings (of the same swing length) span days rather than hours. A period that does not divide
/// a day, or whose higher timeframe is not a whole multiple of it, has none (a chart bar would straddle a boundary).
/// </summary>
public static class HigherTimeframe
{
    private const long Minute = 60;
    private const long Hour = 3600;
    private const long Day = 86_400;

    /// <summary>The higher timeframe of a chart period.</summary>
    /// <param name="chartPeriodSeconds">The chart's bar period in seconds (MT5 PeriodSeconds()).</param>
    /// <param name="frame">The higher timeframe when the method returns true.</param>
    /// <returns>False when the chart period has no higher timeframe (W1 and above, or a period that does not divide a day).</returns>
    public static bool For(long chartPeriodSeconds, out PeriodFrame frame)
    {
        frame = default;
        if (chartPeriodSeconds <= 0 || chartPeriodSeconds > Day || Day % chartPeriodSeconds != 0)
        {
            return false;
        }

        frame = chartPeriodSeconds switch
        {
            <= 5 * Minute => PeriodFrame.Parse("1h"),
            <= Hour => PeriodFrame.FourHours,
            <= 6 * Hour => PeriodFrame.Day1,
            _ => PeriodFrame.Week1,
        };
        return frame.IsWeekly || frame.Seconds % chartPeriodSeconds == 0;
    }
}

/// <summary>
/// The higher-timeframe bias from market structure: the chart's closed bars are aggregated (<see cref="BarAggregator"/>)
/// into the <see cref="HigherTimeframe"/> of the chart period, each higher-timeframe bar is fed to its own causal
/// <see cref="StructureEngine"/> once it is closed — when the chart bar that completes its period has closed, or, after
/// a gap, when a bar of a later period arrives — and the bias is the direction of the latest broken BOS/CHoCH there.
/// A forming higher-timeframe bar never moves the bias. Allocation-free per bar after construction.
/// </summary>
public sealed class HtfStructureBias
{
    private readonly BarAggregator _aggregator;
    private readonly StructureEngine _engine;
    private readonly long _chartPeriod;

    /// <summary>Creates the bias for a chart period.</summary>
    /// <param name="chartPeriodSeconds">The chart's bar period in seconds; it must have a <see cref="HigherTimeframe"/>.</param>
    /// <param name="options">The structure parameters on the higher timeframe.</param>
    /// <exception cref="ArgumentOutOfRangeException">The chart period has no higher timeframe.</exception>
    public HtfStructureBias(long chartPeriodSeconds, StructureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!HigherTimeframe.For(chartPeriodSeconds, out var frame))
        {
            throw new ArgumentOutOfRangeException(nameof(chartPeriodSeconds), chartPeriodSeconds, $"A chart period of {chartPeriodSeconds} s has no higher timeframe to take a structure bias from.");
        }

        _chartPeriod = chartPeriodSeconds;
        _aggregator = new BarAggregator(frame);
        _engine = new StructureEngine(options);
    }

    /// <summary>The higher timeframe.</summary>
    public PeriodFrame Frame => _aggregator.Frame;

    /// <summary>The structure engine of the higher timeframe (query it, never feed it); one bar per closed higher-timeframe bar.</summary>
    public StructureEngine Structure => _engine;

    /// <summary>Direction of the latest broken, not superseded BOS/CHoCH on the closed higher-timeframe bars; None before the first.</summary>
    public Direction Bias { get; private set; }

    /// <summary>Throws when a bar opening at <paramref name="barTime"/> cannot be a bar of the chart period (the time is not a multiple of it); changes nothing.</summary>
    /// <exception cref="ArgumentException">The bar's open time is not aligned to the chart period.</exception>
    public void CheckAligned(long barTime)
    {
        if (((barTime % _chartPeriod) + _chartPeriod) % _chartPeriod != 0)
        {
            throw new ArgumentException(
                $"Bar time {barTime} is not a multiple of the chart period {_chartPeriod} s: the higher-timeframe ({Frame}) bias needs bars aligned to their period.",
                nameof(barTime));
        }
    }

    /// <summary>Feeds one closed chart bar (already validated by the chart's engine, aligned per <see cref="CheckAligned"/>).</summary>
    public void OnBar(in Bar bar)
    {
        if (_aggregator.Add(bar, out var closed))
        {
            Feed(closed);
        }

        if (_aggregator.CloseIfComplete(bar.Time + _chartPeriod, out closed))
        {
            Feed(closed);
        }
    }

    private void Feed(in Bar closed)
    {
        _engine.OnBar(closed);
        Bias = _engine.TryGetLastBreak(out var b) ? b.Direction : Direction.None;
    }
}
