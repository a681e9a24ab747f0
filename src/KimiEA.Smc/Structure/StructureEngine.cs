using KimiEA.Core.Market;
using KimiEA.Core.Trading;

namespace KimiEA.Smc.Structure;

/// <summary>
/// All structure detectors behind one streaming entry point: feed each closed bar to <see cref="OnBar"/> and read
/// the query surface (allocation-free) after it. Swings are final once the opposite pivot is confirmed; order
/// blocks and retracements therefore wait for the swings before their bar to be final (their events carry both
/// the bar they refer to and the bar at which they became known). Everything else follows the bars live.
/// </summary>
public sealed class StructureEngine
{
    private readonly StructureOptions _o;
    private readonly IStructureEventSink? _sink;
    private readonly BarHistory _history;
    private readonly SwingDetector _swings;
    private readonly SwingLog _log;
    private readonly Swing[] _recent;
    private readonly FvgDetector _fvg;
    private readonly BosChochDetector _bos;
    private readonly OrderBlockDetector _ob;
    private readonly LiquidityDetector _liq;
    private readonly RetracementDetector _retr;
    private int _recentCount;
    private Swing _lastHigh = new(-1, SwingKind.High, double.NaN, -1, false);
    private Swing _lastLow = new(-1, SwingKind.Low, double.NaN, -1, false);
    private bool _finished;

    /// <summary>Creates an engine with <paramref name="options"/> (defaults when null) and an optional event sink.</summary>
    public StructureEngine(StructureOptions? options = null, IStructureEventSink? sink = null)
    {
        _o = options ?? new StructureOptions();
        _o.Validate();
        _sink = sink;
        _history = new BarHistory(_o.HistoryCapacity);
        _swings = new SwingDetector(_o.SwingLength);
        _log = new SwingLog(_o.HistoryCapacity + 4);
        _recent = new Swing[_o.RecentSwingCapacity];
        _fvg = new FvgDetector(_o.JoinConsecutiveFvg, _o.TrackedCapacity, sink);
        _bos = new BosChochDetector(_o.CloseBreak, _o.Float32Levels, _o.TrackedCapacity, sink);
        _ob = new OrderBlockDetector(_o, sink);
        _liq = new LiquidityDetector(_o, sink);
        _retr = new RetracementDetector(sink);
    }

    /// <summary>The options in force.</summary>
    public StructureOptions Options => _o;

    /// <summary>Bars fed so far.</summary>
    public int BarCount => _history.Count;

    /// <summary>The bar history (read-only use).</summary>
    public BarHistory History => _history;

    /// <summary>Bars whose order-block/retracement processing had to go ahead before the swings were final because the history was full.</summary>
    public long ForcedReleases { get; private set; }

    /// <summary>Tracked objects dropped because <see cref="StructureOptions.TrackedCapacity"/> was exceeded (0 in a healthy configuration).</summary>
    public long DroppedObjects => _bos.Dropped + _ob.Dropped + _liq.Dropped;

    /// <summary>Feeds one closed bar. Throws <see cref="ArgumentException"/> for a non-finite price, High &lt; Low or a non-increasing time.</summary>
    public void OnBar(in Bar bar)
    {
        if (_finished)
        {
            throw new InvalidOperationException("StructureEngine.Finish was called; create a new engine to feed more bars.");
        }

        _history.Add(bar);
        var k = _history.Last;
        _fvg.OnBar(_history);
        _swings.OnBar(_history);
        _bos.OnBar(_history);
        _liq.OnBar(_history);
        _ob.OnBar(_history);
        Publish(_swings.Emitted);

        var release = _swings.FinalThrough;
        var floor = k - (_o.HistoryCapacity - (2 * _o.SwingLength) - 4);
        if (release < floor)
        {
            ForcedReleases++;
            release = floor;
        }

        _ob.Advance(_history, _log, release + 1);
        _retr.Advance(_history, _log, release);
    }

    /// <summary>
    /// End of data (batch parity): the provisional swing becomes final, the last bar gets the reference's bookend,
    /// open FVG runs are emitted, lagging detectors catch up and unbroken BOS/CHoCH rows expire. No bars afterwards.
    /// </summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        if (_history.Count == 0)
        {
            return;
        }

        _fvg.Finish(_history);
        _swings.Finish(_history);
        Publish(_swings.Emitted);
        _ob.Advance(_history, _log, _history.Last);
        _retr.Advance(_history, _log, _history.Last);
        _bos.Finish();
    }

    private void Publish(ReadOnlySpan<Swing> emitted)
    {
        if (emitted.IsEmpty)
        {
            return;
        }

        foreach (ref readonly var s in emitted)
        {
            _log.Add(s);
            _recent[_recentCount % _recent.Length] = s;
            _recentCount++;
            if (s.Kind == SwingKind.High)
            {
                _lastHigh = s;
            }
            else
            {
                _lastLow = s;
            }

            _sink?.OnSwing(s);
        }

        _bos.OnSwings(emitted, _history);
        _liq.OnSwings(emitted, _history);
    }

    // ---- query surface (allocation-free) ----

    /// <summary>Number of recent confirmed swings available to <see cref="GetRecentSwing"/>.</summary>
    public int RecentSwingCount => Math.Min(_recentCount, _recent.Length);

    /// <summary>A recent confirmed swing: <paramref name="back"/> = 0 is the newest.</summary>
    public Swing GetRecentSwing(int back) =>
        (uint)back < (uint)RecentSwingCount ? _recent[(_recentCount - 1 - back) % _recent.Length] : throw new ArgumentOutOfRangeException(nameof(back));

    /// <summary>The newest confirmed swing of <paramref name="kind"/>.</summary>
    public bool TryGetLastSwing(SwingKind kind, out Swing swing)
    {
        swing = kind == SwingKind.High ? _lastHigh : _lastLow;
        return swing.Index >= 0;
    }

    /// <summary>True while a provisional (not yet final) swing exists.</summary>
    public bool HasPendingSwing => _swings.HasPending;

    /// <summary>The provisional swing: the most extreme pivot of the current run. PROVISIONAL: it can still be replaced.</summary>
    public Swing PendingSwing => _swings.Pending;

    /// <summary>The latest BOS/CHoCH that is broken and not superseded (check <see cref="StructureBreak.Confirmed"/>).</summary>
    public bool TryGetLastBreak(out StructureBreak result) => _bos.TryGetLastBreak(out result);

    /// <summary>Unmitigated order blocks (oldest first).</summary>
    public int ActiveOrderBlockCount => _ob.ActiveCount;

    /// <summary>The i-th unmitigated order block (0 = oldest).</summary>
    public OrderBlock GetActiveOrderBlock(int i) => _ob.GetActive(i);

    /// <summary>Unmitigated fair value gaps (oldest first).</summary>
    public int ActiveFvgCount => _fvg.ActiveCount;

    /// <summary>The i-th unmitigated fair value gap (0 = oldest).</summary>
    public FairValueGap GetActiveFvg(int i) => _fvg.GetActive(i);

    /// <summary>Tracked liquidity pools (two or more swings; swept pools stay until no later swing can join them).</summary>
    public int LiquidityPoolCount => _liq.PoolCount;

    /// <summary>The i-th tracked liquidity pool (0 = oldest).</summary>
    public LiquidityPool GetLiquidityPool(int i) => _liq.GetPool(i);

    /// <summary>Copies the tracked liquidity pools into <paramref name="destination"/>; returns how many were written.</summary>
    public int CopyLiquidityPools(Span<LiquidityPool> destination) => _liq.CopyPools(destination);

    /// <summary>The current dealing range: last confirmed swing high and low (invalid until both exist).</summary>
    public DealingRange DealingRange => new(_lastHigh.Level, _lastHigh.Index, _lastLow.Level, _lastLow.Index);

    /// <summary>Premium/discount of <paramref name="price"/> in the current dealing range (equilibrium = 50 %).</summary>
    public PriceZone Zone(double price) => DealingRange.Zone(price);

    /// <summary>True once a retracement value exists.</summary>
    public bool HasRetracement => _retr.HasValue;

    /// <summary>The latest final retracement value (it lags the newest bar while a swing is provisional).</summary>
    public Retracement LastRetracement => _retr.Last;

    /// <summary>Direction of the latest confirmed break (None when there is none).</summary>
    public Direction Trend => TryGetLastBreak(out var b) ? b.Direction : Direction.None;
}
