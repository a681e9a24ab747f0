namespace KimiEA.Tester.Stats;

/// <summary>A point of the equity curve.</summary>
/// <param name="Time">Seconds since 1970.</param>
/// <param name="Balance">Balance.</param>
/// <param name="Equity">Equity.</param>
/// <param name="DrawdownPercent">Equity drawdown from its running peak, percent.</param>
public readonly record struct CurvePoint(long Time, double Balance, double Equity, double DrawdownPercent);

/// <summary>Peak-to-trough drawdown of one series (balance or equity), MT5 style.</summary>
public sealed class DrawdownMeter
{
    private double _peak;
    private double _last = double.NaN;

    /// <summary>Starts at the deposit.</summary>
    public DrawdownMeter(double start)
    {
        _peak = start;
        Lowest = start;
        Start = start;
    }

    /// <summary>The deposit.</summary>
    public double Start { get; }
    /// <summary>Lowest value seen.</summary>
    public double Lowest { get; private set; }
    /// <summary>Absolute drawdown: how far the series fell below the deposit (0 if never).</summary>
    public double Absolute => Math.Max(0, Start - Lowest);
    /// <summary>Maximal drawdown in money: the largest fall from a running peak.</summary>
    public double MaximalMoney { get; private set; }
    /// <summary>That fall as a percentage of its peak.</summary>
    public double MaximalMoneyPercent { get; private set; }
    /// <summary>Relative drawdown: the largest fall from a running peak as a percentage of the peak.</summary>
    public double RelativePercent { get; private set; }
    /// <summary>That fall in money.</summary>
    public double RelativeMoney { get; private set; }
    /// <summary>The current fall from the running peak, percent.</summary>
    public double CurrentPercent { get; private set; }

    /// <summary>Feeds one value.</summary>
    public void Observe(double value)
    {
        // Every replayed price feeds the meter, and a flat account repeats its value: the same value again changes
        // nothing below, so it is skipped (two divisions saved per price).
        if (value == _last)
        {
            return;
        }

        _last = value;
        if (value > _peak)
        {
            _peak = value;
        }

        if (value < Lowest)
        {
            Lowest = value;
        }

        var dd = _peak - value;
        var pct = _peak > 0 ? dd / _peak * 100 : 0;
        CurrentPercent = pct;
        if (dd > MaximalMoney)
        {
            MaximalMoney = dd;
            MaximalMoneyPercent = pct;
        }

        if (pct > RelativePercent)
        {
            RelativePercent = pct;
            RelativeMoney = dd;
        }
    }
}

/// <summary>
/// Streams balance and equity: exact drawdowns over every observed price, and a curve of bounded size for the report
/// (when it reaches its capacity every other point is dropped and the sampling stride doubles, so memory stays flat
/// however long the run).
/// </summary>
public sealed class EquityTracker
{
    private readonly int _capacity;
    private readonly List<CurvePoint> _curve = [];
    private int _stride = 1;
    private long _samples;

    /// <summary>Starts at the deposit.</summary>
    public EquityTracker(double initialBalance, int curveCapacity = 4096)
    {
        if (curveCapacity < 16)
        {
            throw new ArgumentOutOfRangeException(nameof(curveCapacity), curveCapacity, "The curve needs room for at least 16 points.");
        }

        _capacity = curveCapacity;
        Balance = new DrawdownMeter(initialBalance);
        Equity = new DrawdownMeter(initialBalance);
    }

    /// <summary>Balance drawdowns.</summary>
    public DrawdownMeter Balance { get; }
    /// <summary>Equity drawdowns.</summary>
    public DrawdownMeter Equity { get; }
    /// <summary>The sampled curve, oldest first.</summary>
    public IReadOnlyList<CurvePoint> Curve => _curve;

    /// <summary>Feeds the account after a price or a deal.</summary>
    public void Observe(double balance, double equity)
    {
        Balance.Observe(balance);
        Equity.Observe(equity);
    }

    /// <summary>Adds a curve point (e.g. at every bar close); kept according to the current stride unless <paramref name="force"/> (the last point).</summary>
    public void Sample(long timeSeconds, double balance, double equity, bool force = false)
    {
        Observe(balance, equity);
        if (_samples++ % _stride != 0 && !force)
        {
            return;
        }

        if (_curve.Count > 0 && _curve[^1].Time == timeSeconds)
        {
            _curve[^1] = new CurvePoint(timeSeconds, balance, equity, Equity.CurrentPercent);
            return;
        }

        if (_curve.Count >= _capacity)
        {
            var kept = 0;
            for (var i = 0; i < _curve.Count; i += 2)
            {
                _curve[kept++] = _curve[i];
            }

            _curve.RemoveRange(kept, _curve.Count - kept);
            _stride *= 2;
        }

        _curve.Add(new CurvePoint(timeSeconds, balance, equity, Equity.CurrentPercent));
    }
}
