namespace KimiEA.Smc.Structure;

/// <summary>
/// Retracement of price into the last swing leg, as the reference computes it (before its one-bar display shift):
/// after a swing high the retracement is 100 − 100·(Low − bottom)/(top − bottom); after a swing low it is
/// 100 − 100·(High − top)/(bottom − top); rounded to one decimal (half to even), deepest value tracked per leg.
/// A bar is computed once the swings up to it are final.
/// </summary>
public sealed class RetracementDetector
{
    private readonly IStructureEventSink? _sink;
    private int _next;
    private long _seq;
    private int _dir;
    private double _top;
    private double _bottom;
    private double _deep;

    /// <summary>Creates the detector.</summary>
    public RetracementDetector(IStructureEventSink? sink) => _sink = sink;

    /// <summary>True once at least one bar was computed.</summary>
    public bool HasValue { get; private set; }

    /// <summary>The latest computed value.</summary>
    public Retracement Last { get; private set; }

    /// <summary>Next bar to compute.</summary>
    public int Cursor => _next;

    /// <summary>Computes bars from the cursor through <paramref name="through"/> (the caller guarantees swings ≤ each bar are final).</summary>
    internal void Advance(BarHistory history, SwingLog log, int through)
    {
        var last = history.Last;
        through = Math.Min(through, last);
        for (; _next <= through; _next++)
        {
            var i = _next;
            var swingHere = false;
            SwingKind kind = default;
            double level = 0;
            while (_seq < log.Count && log[_seq].Index <= i)
            {
                ref readonly var s = ref log[_seq];
                if (s.Index == i)
                {
                    (swingHere, kind, level) = (true, s.Kind, s.Level);
                }

                _seq++;
            }

            var prevDir = _dir;
            var prevDeep = _deep;
            if (swingHere && kind == SwingKind.High)
            {
                _dir = 1;
                _top = level;
            }
            else if (swingHere)
            {
                _dir = -1;
                _bottom = level;
            }

            if (i < history.Oldest)
            {
                continue;
            }

            ref readonly var bar = ref history[i];
            double cur = 0, deep = 0;
            if (prevDir == 1)
            {
                var divisor = _top - _bottom;
                cur = divisor != 0 ? Round1(100 - (((bar.Low - _bottom) / divisor) * 100)) : 0;
                deep = Math.Max(prevDeep, cur);
            }

            if (_dir == -1)
            {
                var divisor = _bottom - _top;
                cur = divisor != 0 ? Round1(100 - (((bar.High - _top) / divisor) * 100)) : 0;
                deep = Math.Max(prevDir == -1 ? prevDeep : 0, cur);
            }

            _deep = deep;
            Last = new Retracement(i, _dir, cur, deep, last);
            HasValue = true;
            _sink?.OnRetracement(Last);
        }
    }

    // numpy's round(x, 1): scale, round half to even, unscale.
    private static double Round1(double x) => Math.Round(x * 10, MidpointRounding.ToEven) / 10;
}
