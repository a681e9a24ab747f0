using KimiEA.Core.Market;

namespace KimiEA.Smc.Indicators;

/// <summary>
/// Average true range with Wilder smoothing, O(1) per bar. True range needs the previous close, so the first bar
/// has no TR; ATR is first the mean of TR over bars 1..period, then <c>atr = (atr·(period−1) + tr) / period</c>
/// (Skender's convention: with period 14 the first ATR is on bar index 14).
/// </summary>
public sealed class Atr : StreamingIndicator
{
    private double _prevClose;
    private double _trSum;

    /// <summary>Creates an ATR of <paramref name="period"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">period is less than 1.</exception>
    public Atr(int period)
        : base(period, period + 1)
    {
        TrueRange = double.NaN;
        Percent = double.NaN;
    }

    /// <summary>True range of the last bar: max(high, prev close) − min(low, prev close); NaN on the first bar.</summary>
    public double TrueRange { get; private set; }

    /// <summary>ATR as a percentage of the last close (Skender's Atrp), NaN during warm-up.</summary>
    public double Percent { get; private set; }

    /// <summary>Adds a closed bar and returns the new ATR (NaN during warm-up).</summary>
    /// <exception cref="ArgumentException">The bar has a non-finite price or high below low.</exception>
    public double Update(in Bar bar)
    {
        IndicatorGuard.Bar(bar);
        Count++;
        if (Count == 1)
        {
            _prevClose = bar.Close;
            return Value;
        }

        var tr = Math.Max(bar.High, _prevClose) - Math.Min(bar.Low, _prevClose);
        TrueRange = tr;
        _prevClose = bar.Close;
        if (Count <= Period)
        {
            _trSum += tr;
        }
        else if (Count == Period + 1)
        {
            _trSum += tr;
            Value = _trSum / Period;
        }
        else
        {
            Value = ((Value * (Period - 1)) + tr) / Period;
        }

        Percent = IsReady && bar.Close != 0 ? Value / bar.Close * 100.0 : double.NaN;
        return Value;
    }

    /// <inheritdoc/>
    protected override void ResetState()
    {
        _prevClose = 0;
        _trSum = 0;
        TrueRange = double.NaN;
        Percent = double.NaN;
    }
}
