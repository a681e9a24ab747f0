using KimiEA.Core.Time;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Smc.Indicators;
using KimiEA.Smc.Structure;
using KimiEA.Smc.Time;

namespace KimiEA.Smc.Signal;

/// <summary>
/// The SMC zone-retrace signal (docs/signal.md), fed one closed bar at a time. It owns the structure engine, the
/// higher-timeframe structure bias (<see cref="HtfStructureBias"/>), the ATR, the slow EMA, the previous-day high/low
/// and the kill-zone windows, and after each bar decides from the state known at that bar's close — never from a
/// later bar — whether the bar completes the setup:
/// <list type="number">
/// <item>the latest BOS/CHoCH that is broken (and not superseded) gives the direction d; the break is a fact known at
/// its bar, but the reference's de-duplication may still clear it later unless <see cref="StructureBreak.Confirmed"/>
/// (<see cref="SmcSignalOptions.RequireConfirmedBreak"/> waits for that);</item>
/// <item>the bar makes the first touch of a zone of direction d that formed after the broken swing and is at most
/// <see cref="SmcSignalOptions.MaxZoneAgeBars"/> old: an unmitigated order block known before this bar, or a fair
/// value gap this bar mitigates; the bar closes back on the zone's side (the zone held);</item>
/// <item>the close is in discount (long) / premium (short) of the current leg: the last confirmed swing low and the
/// highest high since it (mirrored for shorts);</item>
/// <item>stop beyond the zone or the bar's extreme plus <see cref="SmcSignalOptions.StopBufferAtr"/> ATR, within
/// [<see cref="SmcSignalOptions.MinStopAtr"/>, <see cref="SmcSignalOptions.MaxStopAtr"/>] ATR; take-profit at the
/// nearest opposing liquidity (unswept pool, confirmed swing or the leg's extreme) that pays at least
/// <see cref="SmcSignalOptions.MinRewardRisk"/>, capped at <see cref="SmcSignalOptions.MaxRewardRisk"/> R.</item>
/// </list>
/// Several qualifying zones on one bar give one intent: the highest raw score, then the newest zone.
/// Allocation-free per bar after construction.
/// </summary>
public sealed class SmcSignal
{
    private const int TouchCapacity = 32;
    private const int FiredCapacity = 128;
    private const int CandidateCapacity = 32;
    private const long SecondsPerDay = 86_400;

    private readonly SmcSignalOptions _o;
    private readonly StructureEngine _engine;
    private readonly Atr _atr;
    private readonly Ema _ema;
    private readonly HtfStructureBias? _htf;
    private readonly PreviousHighLowDetector _prevDay;
    private readonly SessionWindow[] _killZones;
    private readonly ConfluenceModel _model;
    private readonly TouchSink _sink;
    private readonly long[] _fired = new long[FiredCapacity];
    private readonly OrderBlock[] _touchedBlocks = new OrderBlock[CandidateCapacity];
    private readonly LiquidityPool[] _pools;
    private int _poolCount;
    private int _touchedBlockCount;
    private int _firedCount;
    private int _legLowIndex = -1;
    private double _legHigh;
    private int _legHighIndex = -1;
    private double _legLow;
    private int _prevDayLowSweptAt = -1;
    private int _prevDayHighSweptAt = -1;

    /// <summary>Creates the signal and the detectors it owns.</summary>
    /// <param name="options">Parameters (defaults when null).</param>
    /// <param name="structureSink">Optional receiver of every structure event (e.g. a journal); called inside <see cref="OnBar"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the message names it.</exception>
    public SmcSignal(SmcSignalOptions? options = null, IStructureEventSink? structureSink = null)
    {
        _o = options ?? new SmcSignalOptions();
        _o.Validate();
        _sink = new TouchSink(structureSink);
        _engine = new StructureEngine(_o.Structure, _sink);
        _atr = new Atr(_o.AtrPeriod);
        _ema = new Ema(_o.HtfEmaPeriod);
        if (_o.ChartPeriodSeconds > 0 && HigherTimeframe.For(_o.ChartPeriodSeconds, out _))
        {
            _htf = new HtfStructureBias(_o.ChartPeriodSeconds, _o.HtfStructure ?? _o.Structure);
        }
        _prevDay = new PreviousHighLowDetector(PeriodFrame.Day1);
        _killZones = [.. _o.KillZones];

        _model = new ConfluenceModel(_o.Weights);
        _pools = new LiquidityPool[_o.Structure.TrackedCapacity];
    }

    /// <summary>The options in force.</summary>
    public SmcSignalOptions Options => _o;

    /// <summary>The structure engine the signal feeds (query it, do not feed it).</summary>
    public StructureEngine Structure => _engine;

    /// <summary>The higher-timeframe structure bias (query it, never feed it), computed whatever the bias source; null
    /// when the chart period has no higher timeframe or <see cref="SmcSignalOptions.ChartPeriodSeconds"/> was not given.</summary>
    public HtfStructureBias? HtfStructure => _htf;

    /// <summary>The ATR the signal uses (read-only use).</summary>
    public Atr Atr => _atr;

    /// <summary>Bars fed so far; the last bar's index is BarCount − 1.</summary>
    public int BarCount => _engine.BarCount;

    /// <summary>Raw confluence score of the last intent (before calibration); NaN before the first.</summary>
    public double LastRawScore { get; private set; } = double.NaN;

    /// <summary>Intents emitted so far.</summary>
    public int IntentCount { get; private set; }

    /// <summary>
    /// Feeds one closed bar and reports whether it completes the setup. The intent enters at the bar's close;
    /// <see cref="TradeIntent.SignalBarTime"/> is the bar's open time.
    /// </summary>
    /// <param name="bar">The closed bar (times strictly increasing).</param>
    /// <param name="intent">The trade intent when the method returns true; default otherwise.</param>
    /// <exception cref="ArgumentException">Non-finite price, high below low, a time not after the previous bar's, or (with a
    /// higher timeframe) a time not aligned to the chart period; the signal is then unchanged.</exception>
    public bool OnBar(in Bar bar, out TradeIntent intent)
    {
        intent = default;
        _htf?.CheckAligned(bar.Time);
        _sink.BeginBar();
        _engine.OnBar(bar);
        _htf?.OnBar(bar);
        var k = _engine.BarCount - 1;
        _atr.Update(bar);
        var emaPrev = _ema.Value;
        _ema.Update(bar.Close);
        var pd = _prevDay.Update(bar);
        if (pd.BrokenLowAt == k)
        {
            _prevDayLowSweptAt = k;
        }

        if (pd.BrokenHighAt == k)
        {
            _prevDayHighSweptAt = k;
        }

        // Kill zones only need "is this bar inside the window": the window test on the session-local minute of day,
        // without a full SessionDetector's running session high/low (one UTC conversion for all windows).
        var inKillZone = false;
        var utc = _o.DataClock.ToUtc(bar.Time);
        foreach (ref readonly var kz in _killZones.AsSpan())
        {
            var local = kz.Zone.ToLocal(utc);
            inKillZone |= kz.Contains((int)((((local % SecondsPerDay) + SecondsPerDay) % SecondsPerDay) / 60));
        }

        var range = _engine.DealingRange;
        TrackLeg(range, bar, k);
        CollectTouchedOrderBlocks(bar, k);

        // most bars touch no fresh zone: nothing else to do (keeps the per-bar cost at the detectors' own)
        if (_sink.TouchedCount == 0 && _touchedBlockCount == 0)
        {
            return false;
        }

        if (!_atr.IsReady || !_ema.IsReady || double.IsNaN(emaPrev) || !range.IsValid)
        {
            return false;
        }

        if (!_engine.TryGetLastBreak(out var brk) || brk.Direction is not (Direction.Buy or Direction.Sell) || (_o.RequireConfirmedBreak && !brk.Confirmed))
        {
            return false;
        }

        var dir = brk.Direction;
        var buy = dir == Direction.Buy;
        var atr = _atr.Value;
        var emaTrend = buy ? bar.Close > _ema.Value && _ema.Value > emaPrev : bar.Close < _ema.Value && _ema.Value < emaPrev;
        var htfStructure = _htf is not null && _htf.Bias == dir;
        var htf = _o.HtfBiasSource == HtfBiasSource.Structure ? htfStructure : emaTrend;
        if (_o.RequireHtfBias && !htf)
        {
            return false;
        }

        // premium/discount of the close within the current leg
        double position;
        if (buy)
        {
            var span = _legHigh - range.Low;
            position = span > 0 ? (bar.Close - range.Low) / span : double.NaN;
        }
        else
        {
            var span = range.High - _legLow;
            position = span > 0 ? (range.High - bar.Close) / span : double.NaN;
        }

        if (!(position >= 0 && position < 0.5))
        {
            return false;
        }

        var common = SignalFactor.None;
        if (htf)
        {
            common |= SignalFactor.HtfBias;
        }

        if (htfStructure)
        {
            common |= SignalFactor.HtfStructure;
        }

        if (emaTrend)
        {
            common |= SignalFactor.EmaTrend;
        }

        if (brk.IsChoch)
        {
            common |= SignalFactor.ChangeOfCharacter;
        }

        if (inKillZone)
        {
            common |= SignalFactor.KillZone;
        }

        if (position < 0.382)
        {
            common |= SignalFactor.DeepDiscount;
        }

        var history = _engine.History;
        if (brk.BrokenIndex >= history.Oldest)
        {
            ref readonly var breaker = ref history[brk.BrokenIndex];
            if (breaker.High - breaker.Low >= _o.DisplacementAtr * atr)
            {
                common |= SignalFactor.Displacement;
            }
        }

        _poolCount = -1; // read lazily: most candidates fail the cheap checks first
        var found = false;
        var bestScore = -1.0;
        var bestZoneIndex = -1;
        TradeIntent best = default;

        // fair value gaps this bar touched for the first time
        for (var t = 0; t < _sink.TouchedCount; t++)
        {
            ref readonly var g = ref _sink.Touched(t);
            if (g.Direction != dir || g.Index < brk.Index || k - g.KnownAt > _o.MaxZoneAgeBars)
            {
                continue;
            }

            var overlap = OverlapsOrderBlock(dir, g.Top, g.Bottom);
            Consider(bar, dir, g.Top, g.Bottom, g.Index, common | (overlap ? SignalFactor.ZoneOverlap : SignalFactor.None), atr, ref found, ref bestScore, ref bestZoneIndex, ref best);
        }

        // order blocks known before this bar, touched for the first time
        for (var i = 0; i < _touchedBlockCount; i++)
        {
            ref readonly var ob = ref _touchedBlocks[i];
            if (ob.Direction != dir || ob.Index < brk.Index || k - ob.KnownAt > _o.MaxZoneAgeBars)
            {
                continue;
            }

            var overlap = OverlapsTouchedFvg(dir, ob.Top, ob.Bottom);
            var f = common | SignalFactor.OrderBlock | (overlap ? SignalFactor.ZoneOverlap : SignalFactor.None);
            Consider(bar, dir, ob.Top, ob.Bottom, ob.Index, f, atr, ref found, ref bestScore, ref bestZoneIndex, ref best);
        }

        if (!found)
        {
            return false;
        }

        LastRawScore = bestScore;
        IntentCount++;
        // the hit probability and its evidence; the confidence (trade-worthiness) needs the executable price and the
        // agent's record, so the risk core sets it at decision time (TradeWorthiness.Assess)
        intent = best with { HitProbability = _o.Calibration.Map(bestScore), HitEvidence = _o.Calibration.Evidence(bestScore) };
        return true;
    }

    private void Consider(
        in Bar bar, Direction dir, double top, double bottom, int zoneIndex, SignalFactor factors, double atr,
        ref bool found, ref double bestScore, ref int bestZoneIndex, ref TradeIntent best)
    {
        var buy = dir == Direction.Buy;

        // the zone held: the close is back on the trade's side of the zone's far edge
        if (buy ? !(bar.Close > bottom) : !(bar.Close < top))
        {
            return;
        }

        var entry = bar.Close;
        var stop = buy ? Math.Min(bottom, bar.Low) - (_o.StopBufferAtr * atr) : Math.Max(top, bar.High) + (_o.StopBufferAtr * atr);
        var risk = Math.Abs(entry - stop);
        if (!(risk >= _o.MinStopAtr * atr && risk <= _o.MaxStopAtr * atr) || risk <= 0)
        {
            return;
        }

        if (_poolCount < 0)
        {
            _poolCount = _engine.CopyLiquidityPools(_pools);
        }

        if (SweptBefore(dir, zoneIndex - _o.SweepLookbackBars))
        {
            factors |= SignalFactor.LiquiditySweep;
        }

        var target = NearestLiquidity(buy, entry, risk);
        double tp;
        if (!double.IsNaN(target) && Math.Abs(target - entry) <= _o.MaxRewardRisk * risk)
        {
            tp = target;
            factors |= SignalFactor.LiquidityTarget;
        }
        else
        {
            tp = buy ? entry + (_o.MaxRewardRisk * risk) : entry - (_o.MaxRewardRisk * risk);
        }

        if (Math.Abs(tp - entry) <= 2.0 * risk)
        {
            factors |= SignalFactor.ModestTarget;
        }

        var score = _model.Score(factors);
        if (found && (score < bestScore || (score == bestScore && zoneIndex <= bestZoneIndex)))
        {
            return;
        }

        found = true;
        bestScore = score;
        bestZoneIndex = zoneIndex;
        best = new TradeIntent
        {
            Direction = dir,
            Entry = entry,
            StopLoss = stop,
            TakeProfit = tp,
            MaxHoldingBars = _o.MaxHoldingBars,
            SetupId = _o.SetupId,
            Factors = (uint)factors,
            SignalBarTime = bar.Time,
        };
    }

    // Nearest opposing liquidity at least MinRewardRisk away: unswept pools, recent confirmed swings, the leg's extreme.
    private double NearestLiquidity(bool buy, double entry, double risk)
    {
        var min = _o.MinRewardRisk * risk;
        var best = double.NaN;
        for (var i = 0; i < _poolCount; i++)
        {
            ref readonly var p = ref _pools[i];
            if (!p.IsSwept && p.Kind == (buy ? SwingKind.High : SwingKind.Low))
            {
                best = Closer(buy, entry, min, p.Level, best);
            }
        }

        for (var back = 0; back < _engine.RecentSwingCount; back++)
        {
            var s = _engine.GetRecentSwing(back);
            if (s.Kind == (buy ? SwingKind.High : SwingKind.Low) && !s.IsBookend)
            {
                best = Closer(buy, entry, min, s.Level, best);
            }
        }

        return Closer(buy, entry, min, buy ? _legHigh : _legLow, best);
    }

    private static double Closer(bool buy, double entry, double min, double level, double best)
    {
        var distance = buy ? level - entry : entry - level;
        if (!(distance >= min))
        {
            return best;
        }

        return double.IsNaN(best) || distance < Math.Abs(best - entry) ? level : best;
    }

    // Opposite-side liquidity taken since `from`: a pool of lows (longs) / highs (shorts) swept, or the previous day's low/high broken.
    private bool SweptBefore(Direction dir, int from)
    {
        var buy = dir == Direction.Buy;
        if ((buy ? _prevDayLowSweptAt : _prevDayHighSweptAt) >= from && (buy ? _prevDayLowSweptAt : _prevDayHighSweptAt) >= 0)
        {
            return true;
        }

        for (var i = 0; i < _poolCount; i++)
        {
            ref readonly var p = ref _pools[i];
            if (p.IsSwept && p.Swept >= from && p.Kind == (buy ? SwingKind.Low : SwingKind.High))
            {
                return true;
            }
        }

        return false;
    }

    // The bar's range intersects the zone.
    private static bool Touches(double top, double bottom, in Bar bar) => bar.Low <= top && bar.High >= bottom;

    private bool OverlapsOrderBlock(Direction dir, double top, double bottom)
    {
        for (var i = 0; i < _engine.ActiveOrderBlockCount; i++)
        {
            var ob = _engine.GetActiveOrderBlock(i);
            if (ob.Direction == dir && ob.Bottom <= top && ob.Top >= bottom)
            {
                return true;
            }
        }

        return false;
    }

    private bool OverlapsTouchedFvg(Direction dir, double top, double bottom)
    {
        for (var t = 0; t < _sink.TouchedCount; t++)
        {
            ref readonly var g = ref _sink.Touched(t);
            if (g.Direction == dir && g.Bottom <= top && g.Top >= bottom)
            {
                return true;
            }
        }

        return false;
    }

    // An order block is fresh only on its first touch after it became known, whether or not that touch gives an
    // intent. Blocks are listed in the order they became known, so the scan runs newest first and stops at the first
    // block older than MaxZoneAgeBars: older ones can never arm a setup, so their touches need no bookkeeping.
    private void CollectTouchedOrderBlocks(in Bar bar, int k)
    {
        _touchedBlockCount = 0;
        for (var i = _engine.ActiveOrderBlockCount - 1; i >= 0; i--)
        {
            var ob = _engine.GetActiveOrderBlock(i);
            if (k - ob.KnownAt > _o.MaxZoneAgeBars)
            {
                break;
            }

            if (ob.KnownAt < k && Touches(ob.Top, ob.Bottom, bar) && !HasFired(ob))
            {
                MarkFired(ob);
                if (_touchedBlockCount < _touchedBlocks.Length)
                {
                    _touchedBlocks[_touchedBlockCount++] = ob;
                }
            }
        }
    }

    private static long Key(in OrderBlock ob) => ((long)ob.Index << 1) | (ob.Direction == Direction.Buy ? 1L : 0L);

    private bool HasFired(in OrderBlock ob)
    {
        var key = Key(ob);
        var n = Math.Min(_firedCount, FiredCapacity);
        for (var i = 0; i < n; i++)
        {
            if (_fired[i] == key)
            {
                return true;
            }
        }

        return false;
    }

    private void MarkFired(in OrderBlock ob)
    {
        _fired[_firedCount % FiredCapacity] = Key(ob);
        _firedCount++;
    }

    // The leg for premium/discount: last confirmed swing low → highest high since (longs), mirrored for shorts.
    private void TrackLeg(in DealingRange range, in Bar bar, int k)
    {
        UpdateExtreme(range.LowIndex, ref _legLowIndex, ref _legHigh, bar.High, k, highest: true);
        UpdateExtreme(range.HighIndex, ref _legHighIndex, ref _legLow, bar.Low, k, highest: false);
    }

    // The running extreme since a swing: rescanned from the history when the swing changes, then updated bar by bar.
    private void UpdateExtreme(int swingIndex, ref int trackedSwing, ref double extreme, double latest, int k, bool highest)
    {
        if (swingIndex < 0)
        {
            return;
        }

        if (swingIndex == trackedSwing)
        {
            extreme = highest ? Math.Max(extreme, latest) : Math.Min(extreme, latest);
            return;
        }

        trackedSwing = swingIndex;
        var history = _engine.History;
        extreme = highest ? double.NegativeInfinity : double.PositiveInfinity;
        for (var j = Math.Max(swingIndex, history.Oldest); j <= k; j++)
        {
            ref readonly var b = ref history[j];
            extreme = highest ? Math.Max(extreme, b.High) : Math.Min(extreme, b.Low);
        }
    }

    /// <summary>Collects the fair value gaps mitigated (first touched) by the current bar and forwards every event.</summary>
    private sealed class TouchSink(IStructureEventSink? forward) : IStructureEventSink
    {
        private readonly FairValueGap[] _touched = new FairValueGap[TouchCapacity];

        public int TouchedCount { get; private set; }

        public ref readonly FairValueGap Touched(int i) => ref _touched[i];

        public void BeginBar() => TouchedCount = 0;

        public void OnFairValueGap(in FairValueGap gap, FvgChange change)
        {
            if (change == FvgChange.Mitigated && TouchedCount < _touched.Length)
            {
                _touched[TouchedCount++] = gap;
            }

            forward?.OnFairValueGap(gap, change);
        }

        public void OnSwing(in Swing swing) => forward?.OnSwing(swing);

        public void OnStructureBreak(in StructureBreak row, BreakChange change) => forward?.OnStructureBreak(row, change);

        public void OnOrderBlock(in OrderBlock block, OrderBlockChange change) => forward?.OnOrderBlock(block, change);

        public void OnLiquidityPool(in LiquidityPool pool, PoolChange change) => forward?.OnLiquidityPool(pool, change);

        public void OnRetracement(in Retracement value) => forward?.OnRetracement(value);
    }
}
