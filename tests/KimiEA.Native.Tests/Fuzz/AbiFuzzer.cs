using System.Globalization;
using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.NativeHost;

namespace KimiEA.Native.Tests.Fuzz;

/// <summary>
/// A seeded fuzzer of the C ABI: several agents (charts) on a few symbols driven through the published library with a
/// random mix of valid calls (ticks, bars, timers, a simulated broker that fills, rejects and closes, position
/// snapshots, emergency toggles, weekend gaps, equity shocks) and invalid ones it corrupts on purpose (NaN and
/// infinite numbers, negative or out-of-range values, unknown enumeration values, int64 values beyond int, times in
/// year 2200, before 1971 or far behind/ahead, impossible positions, short buffers).
/// </summary>
/// <remarks>
/// Invariants checked after every call (a breach stops the run with the call number and the seed):
/// no KIMI_E_INTERNAL; every valid call succeeds; every invalid call is refused and leaves the agent's status exactly
/// as it was; every instruction id is handed out once; the broker never holds more positions than the account's
/// limits (in total and per symbol); the breaker never returns to ACTIVE on the trading day it tripped (the fuzzer
/// knows the real market day: no timer, deal or refused time may roll it).
/// </remarks>
internal sealed unsafe class AbiFuzzer
{
    private const long Tf = 60;
    private const int MaxTotal = 3;
    private const int MaxPerChart = 1;
    private const long MsPerDay = 86_400_000;
    private static readonly string[] Symbols = ["FZA", "FZB", "FZC"];
    private static readonly long Year2200Ms = 7_258_118_400_000;

    private readonly KimiNative _lib;
    private readonly Random _rng;
    private readonly long _seed;
    private readonly Chart[] _charts;
    private readonly List<BrokerPosition> _broker = [];
    private readonly HashSet<(int Chart, long Id)> _handedOut = [];
    private readonly List<(int Chart, KimiInstruction Ins)> _toExecute = [];
    private long _market;       // the real market time (ms) the fuzzer's valid calls follow
    private double _dayStartEquity = 10_000;
    private double _equity = 10_000;
    private long? _tripDay;
    private long _nextTicket = 1_000_000;
    private bool _emergency;

    public AbiFuzzer(KimiNative lib, long seed, long startMs)
    {
        _lib = lib;
        _seed = seed;
        _rng = new Random((int)(seed ^ (seed >> 32)));
        _market = startMs;
        _charts = new Chart[4];
        for (var i = 0; i < _charts.Length; i++)
        {
            _charts[i] = new Chart(i, Symbols[i % Symbols.Length], 7000 + i, 1.1 + (0.2 * (i % Symbols.Length)));
        }
    }

    /// <summary>Calls made into the library so far.</summary>
    public long Calls { get; private set; }

    /// <summary>Invalid calls made (and refused) so far.</summary>
    public long InvalidCalls { get; private set; }

    /// <summary>OPEN instructions handed out so far (proof that the run traded).</summary>
    public long Opens { get; private set; }

    /// <summary>The simulated market time reached (server ms).</summary>
    public long MarketMs => _market;

    /// <summary>Times the breaker tripped.</summary>
    public long Trips { get; private set; }

    /// <summary>Creates the agents (warm-up included).</summary>
    public void Start()
    {
        foreach (var c in _charts)
        {
            var cfg = ChartConfig(c.Magic);
            var spec = Spec();
            var account = AccountNow();
            fixed (char* sym = c.Symbol)
            {
                c.Handle = _lib.Create(&cfg, sym, &spec, &account, null, null, null);
            }

            Calls++;
            Require(c.Handle > 0, $"kimi_create of chart {c.Index} failed: {_lib.ReadLastError(0)}");
            c.BarOpen = (_market / 1000 / Tf * Tf) - (60 * Tf);
            var bars = new MqlRates[60];
            for (var i = 0; i < bars.Length; i++)
            {
                bars[i] = c.NextBar(_rng);
            }

            fixed (MqlRates* b = bars)
            {
                Expect(c, "kimi_warmup", _lib.Warmup(c.Handle, b, bars.Length), valid: true);
            }

            c.StartBar(_market);
        }

        foreach (var c in _charts)
        {
            ValidTick(c); // the account's clock starts: "far behind" and "far ahead" mean something from here on
        }
    }

    /// <summary>Destroys the agents and releases the emergency stop (the library's account outlives the run).</summary>
    public void Stop()
    {
        foreach (var c in _charts)
        {
            if (c.Handle > 0)
            {
                _lib.Destroy(c.Handle, 1);
                c.Handle = 0;
            }
        }

        fixed (char* why = "fuzz end")
        {
            _lib.EmergencyStop(0, why);
        }
    }

    /// <summary>Runs until at least <paramref name="calls"/> calls have been made.</summary>
    public void Run(long calls)
    {
        while (Calls < calls)
        {
            Step();
        }
    }

    private void Step()
    {
        var c = _charts[_rng.Next(_charts.Length)];
        var roll = _rng.Next(1000);
        if (roll < 550)
        {
            ValidTick(c);
        }
        else if (roll < 620)
        {
            ValidTimer(c, _rng.Next(10) == 0 ? _market + (2 * MsPerDay) : _market);
        }
        else if (roll < 640)
        {
            BrokerClosesOne();
        }
        else if (roll < 650)
        {
            ValidSync(c);
        }
        else if (roll < 651)
        {
            if (_rng.Next(3) == 0 || _emergency)
            {
                ToggleEmergency(); // engaged now and then, released soon after
            }
        }
        else if (roll < 652)
        {
            if (_rng.Next(4) == 0)
            {
                EquityShock();
            }
        }
        else if (roll < 653)
        {
            if (_rng.Next(10) == 0)
            {
                WeekendGap(); // about every 10 000 steps: a long run stays well inside the years the clock accepts
            }
        }
        else if (roll < 656)
        {
            PanelCall(c); // what the EA's chart objects call: zones after a bar, the panel's buttons
        }
        else
        {
            Invalid(c);
        }

        ExecuteBroker();
    }

    // ---- valid calls ------------------------------------------------------------------------------------------

    private void ValidTick(Chart c)
    {
        _market += 500 + _rng.Next(15_000);
        RollDay();
        ModelClock(_market);
        _equity += ((10_000 - _equity) * 0.001) + ((_rng.NextDouble() - 0.5) * 4);
        c.Price = Math.Max(0.5, c.Price + ((_rng.NextDouble() - 0.5) * 0.0006));
        var tick = new MqlTick(_market, Math.Round(c.Price, 5), Math.Round(c.Price + 0.0001, 5));
        var account = AccountNow();
        var pending = Expect(c, "kimi_on_tick", _lib.OnTick(c.Handle, &tick, &account), valid: true);
        c.AddPrice(tick.Bid);
        if (_market / 1000 >= c.BarOpen + Tf)
        {
            var closed = c.CloseBar(_market);
            ModelClock((closed.Time + Tf) * 1000); // a closed bar's close is market time too: it can confirm a gap the tick opened
            pending |= Expect(c, "kimi_on_bar", _lib.OnBar(c.Handle, &closed), valid: true);
        }

        Drain(c, pending);
    }

    private void ValidTimer(Chart c, long timeMs)
    {
        var account = AccountNow();
        Drain(c, Expect(c, "kimi_on_timer", _lib.OnTimer(c.Handle, timeMs, &account), valid: true));
    }

    private void ValidSync(Chart c)
    {
        var mine = _broker.Where(p => p.Chart == c.Index).Select(p => p.ToAbi(c.Magic)).ToArray();
        fixed (KimiPosition* ps = mine)
        {
            Drain(c, Expect(c, "kimi_sync_positions", _lib.SyncPositions(c.Handle, mine.Length == 0 ? null : ps, mine.Length, _market), valid: true));
        }
    }

    private void ToggleEmergency()
    {
        _emergency = !_emergency;
        fixed (char* why = "fuzz")
        {
            Calls++;
            Require(_lib.EmergencyStop(_emergency ? 1 : 0, why) == AbiCodes.Ok, "kimi_emergency_stop refused a valid toggle");
        }
    }

    private void EquityShock() => _equity = _dayStartEquity * (0.97 + (_rng.NextDouble() * 0.04));

    private void WeekendGap()
    {
        if (_candidate != long.MinValue || _market - _clock > GapMs)
        {
            return; // one gap at a time: the next ticks confirm it first
        }

        _market += (2 * MsPerDay) + _rng.Next(12 * 3_600_000);
        RollDay();
    }

    private void RollDay()
    {
        var day = _market / MsPerDay;
        if (day != _currentDay)
        {
            _currentDay = day;
            _dayStartEquity = _equity;
        }
    }

    private long _currentDay = long.MinValue;

    // The documented rule of the account's clock (kimiea.h, TIME), modelled independently: a tick more than 15 minutes
    // after the clock is a gap, taken when a second tick lands within 15 minutes of it. The breaker's day follows it.
    private const long GapMs = 900_000;
    private long _clock = long.MinValue;
    private long _candidate = long.MinValue;

    private long ClockDay => _clock == long.MinValue ? long.MinValue : _clock / MsPerDay;

    private void ModelClock(long t)
    {
        if (_clock == long.MinValue || t - _clock <= GapMs)
        {
            _clock = Math.Max(_clock, t);
        }
        else if (_candidate != long.MinValue && Math.Abs(t - _candidate) <= GapMs)
        {
            _clock = Math.Min(t, _candidate);
            _candidate = long.MinValue;
        }
        else
        {
            _candidate = t;
        }
    }

    private void BrokerClosesOne()
    {
        if (_broker.Count == 0)
        {
            return;
        }

        var i = _rng.Next(_broker.Count);
        var p = _broker[i];
        _broker.RemoveAt(i);
        var c = _charts[p.Chart];
        var deal = ExitDeal(p, AbiCodes.DealReasonSl);
        Drain(c, Expect(c, "kimi_on_trade_transaction(SL)", _lib.OnTradeTransaction(c.Handle, &deal), valid: true));
    }

    /// <summary>Executes the instructions handed out: fills, rejects or closes like a broker, reporting each once.</summary>
    private void ExecuteBroker()
    {
        while (_toExecute.Count > 0)
        {
            var (index, ins) = _toExecute[0];
            _toExecute.RemoveAt(0);
            var c = _charts[index];
            if (c.Handle <= 0)
            {
                continue;
            }

            var accept = _rng.Next(10) < 8;
            var result = new KimiOrderResult { InstructionId = ins.Id, TimeMsc = _market, Bid = c.Price, Ask = c.Price + 0.0001 };
            BrokerPosition? opened = null;
            BrokerPosition? closed = null;
            if (ins.Kind == AbiCodes.InstrOpen && accept)
            {
                var ticket = _nextTicket++;
                opened = new BrokerPosition(index, ticket, ins.Direction, ins.Volume, ins.Price, ins.Sl, ins.Tp);
                _broker.Add(opened);
                CheckLimits();
                result = result with { Retcode = 10009, OrderTicket = ticket, DealTicket = ticket, PositionTicket = ticket, Price = ins.Price, Volume = ins.Volume };
            }
            else if (ins.Kind == AbiCodes.InstrClose && accept && _broker.Find(p => p.Ticket == ins.PositionTicket) is { } target)
            {
                _broker.Remove(target);
                closed = target;
                result = result with { Retcode = 10009, OrderTicket = _nextTicket++, PositionTicket = target.Ticket, Price = ins.Price, Volume = target.Volume };
            }
            else
            {
                result = result with { Retcode = 10006 };
            }

            if (_rng.Next(8) == 0)
            {
                // The same report with a NaN price first: refused, and it must not count as the answer.
                var bad = result with { Price = double.NaN };
                var before = Snapshot(c);
                Refused(c, "kimi_report_result(NaN price)", _lib.ReportResult(c.Handle, &bad), before);
            }

            var pending = Expect(c, "kimi_report_result", _lib.ReportResult(c.Handle, &result), valid: true);
            if (opened is not null)
            {
                var deal = new KimiDeal
                {
                    DealTicket = opened.Ticket, OrderTicket = opened.Ticket, PositionTicket = opened.Ticket, TimeMsc = _market, Entry = AbiCodes.DealEntryIn,
                    Type = opened.Direction == AbiCodes.Buy ? AbiCodes.DealTypeBuy : AbiCodes.DealTypeSell, Reason = AbiCodes.DealReasonExpert,
                    Magic = c.Magic, Volume = opened.Volume, Price = opened.Price,
                };
                pending |= Expect(c, "kimi_on_trade_transaction(fill)", _lib.OnTradeTransaction(c.Handle, &deal), valid: true);
            }
            else if (closed is not null)
            {
                var deal = ExitDeal(closed, AbiCodes.DealReasonExpert);
                pending |= Expect(c, "kimi_on_trade_transaction(close)", _lib.OnTradeTransaction(c.Handle, &deal), valid: true);
            }

            Drain(c, pending);
        }
    }

    private KimiDeal ExitDeal(BrokerPosition p, long reason) => new()
    {
        DealTicket = _nextTicket++, OrderTicket = _nextTicket, PositionTicket = p.Ticket, TimeMsc = _market, Entry = AbiCodes.DealEntryOut,
        Type = p.Direction == AbiCodes.Buy ? AbiCodes.DealTypeSell : AbiCodes.DealTypeBuy, Reason = reason, Magic = _charts[p.Chart].Magic,
        Volume = p.Volume, Price = p.Price, Profit = Math.Round((_rng.NextDouble() - 0.5) * 40, 2),
    };

    private void Drain(Chart c, int pending)
    {
        if (pending <= 0 || c.Handle <= 0)
        {
            return;
        }

        var buf = stackalloc KimiInstruction[8];
        if ((pending & AbiCodes.PendingInstructions) != 0)
        {
            int n;
            while ((n = _lib.PollInstructions(c.Handle, buf, 8)) > 0)
            {
                Calls++;
                for (var i = 0; i < n; i++)
                {
                    Require(_handedOut.Add((c.Index, buf[i].Id)), $"instruction {buf[i].Id} of chart {c.Index} was handed out twice");
                    Opens += buf[i].Kind == AbiCodes.InstrOpen ? 1 : 0;
                    _toExecute.Add((c.Index, buf[i]));
                }
            }

            Calls++;
            Require(n == 0, $"kimi_poll_instructions failed with {n}: {_lib.ReadLastError(c.Handle)}");
        }

        var events = stackalloc KimiEvent[64];
        int m;
        do
        {
            m = _lib.PollEvents(c.Handle, events, 64);
            Calls++;
            Require(m >= 0, $"kimi_poll_events failed with {m}");
        }
        while (m == 64);

        var line = stackalloc char[96];
        var capacity = _rng.Next(2, 97);
        int k;
        do
        {
            k = _lib.PollLog(c.Handle, line, capacity);
            Calls++;
            Require(k >= 0, $"kimi_poll_log failed with {k}");
        }
        while (k > 0);
    }

    /// <summary>
    /// The EA's display and panel calls: kimi_get_zones into a buffer of any size (at most that many records, each
    /// finite, top ≥ bottom); "close this chart's positions" (CLOSE instructions the broker executes like any other);
    /// Halt/Resume, which this journal-less account refuses with KIMI_E_JOURNAL and which then changes nothing.
    /// </summary>
    private void PanelCall(Chart c)
    {
        switch (_rng.Next(3))
        {
            case 0:
            {
                var capacity = _rng.Next(0, 65);
                var zones = stackalloc KimiZone[64];
                var before = Snapshot(c);
                var n = _lib.GetZones(c.Handle, zones, capacity);
                Calls++;
                Require(n >= 0 && n <= capacity, $"kimi_get_zones(capacity {capacity}) on chart {c.Index} returned {n}: {_lib.ReadLastError(c.Handle)}");
                for (var i = 0; i < n; i++)
                {
                    var z = zones[i];
                    Require(z.Kind is >= 1 and <= 5 && double.IsFinite(z.Top) && double.IsFinite(z.Bottom) && z.Top >= z.Bottom,
                        $"kimi_get_zones on chart {c.Index}: record {i} is not a zone (kind {z.Kind}, top {z.Top}, bottom {z.Bottom})");
                }

                KimiStatus after;
                _lib.GetStatus(c.Handle, &after);
                Calls++;
                Require(before.Equals(after), $"kimi_get_zones on chart {c.Index} changed the status");
                break;
            }

            case 1:
                Drain(c, Expect(c, "kimi_close_positions", _lib.ClosePositions(c.Handle), valid: true));
                break;

            default:
            {
                var before = Snapshot(c);
                fixed (char* why = "fuzz halt")
                {
                    var rc = _lib.RequestHalt(c.Handle, _rng.Next(2), why);
                    Calls++;
                    Require(rc == AbiCodes.EJournal, $"kimi_request_halt without a journal on chart {c.Index} returned {rc}");
                }

                KimiStatus after;
                _lib.GetStatus(c.Handle, &after);
                Calls++;
                Require(before.Equals(after), $"a refused kimi_request_halt on chart {c.Index} changed the status");
                break;
            }
        }
    }

    // ---- invalid calls ----------------------------------------------------------------------------------------

    private void Invalid(Chart c)
    {
        InvalidCalls++;
        var account = AccountNow();
        switch (_rng.Next(14))
        {
            case 0:
            {
                var tick = new MqlTick(_market + 100, c.Price, c.Price + 0.0001);
                BadTick(ref tick, ref account);
                var before = Snapshot(c);
                Refused(c, "kimi_on_tick(bad)", _lib.OnTick(c.Handle, &tick, &account), before);
                break;
            }

            case 1:
            {
                var time = _rng.Next(4) switch { 0 => Year2200Ms, 1 => _market - (30 * MsPerDay), 2 => _market + (30 * MsPerDay), _ => _market / 1000 };
                if (_rng.Next(3) == 0)
                {
                    account = BadAccount(account);
                    time = _market;
                }

                var before = Snapshot(c);
                Refused(c, "kimi_on_timer(bad)", _lib.OnTimer(c.Handle, time, &account), before);
                break;
            }

            case 2:
            {
                var bar = new MqlRates(c.BarOpen, c.Price, c.Price + 0.001, c.Price - 0.001, c.Price);
                switch (_rng.Next(4))
                {
                    case 0: bar.Open = double.NaN; break;
                    case 1: bar.High = bar.Low - 0.01; break;
                    case 2: bar.Time = Year2200Ms / 1000; break;
                    default: bar.Time = c.LastClosed; break; // not after the previous bar
                }

                var before = Snapshot(c);
                Refused(c, "kimi_on_bar(bad)", _lib.OnBar(c.Handle, &bar), before);
                break;
            }

            case 3:
            {
                var deal = new KimiDeal
                {
                    DealTicket = _nextTicket++, PositionTicket = _broker.Count > 0 ? _broker[0].Ticket : 5, TimeMsc = _market, Entry = AbiCodes.DealEntryOut,
                    Type = AbiCodes.DealTypeSell, Reason = AbiCodes.DealReasonSl, Magic = c.Magic, Volume = 0.01, Price = c.Price, Profit = -3,
                };
                switch (_rng.Next(7))
                {
                    case 0: deal.Profit = double.NaN; break;
                    case 1: deal.Commission = double.NegativeInfinity; break;
                    case 2: deal.Swap = double.NaN; break;
                    case 3: deal.Volume = -1; break;
                    case 4: deal.Entry = 9; break;
                    case 5: deal.TimeMsc = Year2200Ms; break;
                    default: deal = deal with { Entry = AbiCodes.DealEntryIn, Volume = 1e12, PositionTicket = _nextTicket++ }; break;
                }

                var before = Snapshot(c);
                Refused(c, "kimi_on_trade_transaction(bad)", _lib.OnTradeTransaction(c.Handle, &deal), before);
                break;
            }

            case 4:
            {
                var spec = Spec();
                switch (_rng.Next(5))
                {
                    case 0: spec.ContractSize = double.NaN; break;
                    case 1: spec.VolumeLimit = double.NaN; break;
                    case 2: spec.VolumeMin = spec.VolumeMax * 2; break;
                    case 3: spec.StopsLevelPoints = (1L << 32) + 5; break;
                    default: spec.TickValueLoss = double.PositiveInfinity; break;
                }

                var before = Snapshot(c);
                Refused(c, "kimi_update_spec(bad)", _lib.UpdateSpec(c.Handle, &spec), before);
                break;
            }

            case 5:
            {
                var positions = _broker.Where(p => p.Chart == c.Index).Select(p => p.ToAbi(c.Magic)).ToList();
                var bad = new KimiPosition { Ticket = _nextTicket++, Type = 0, Magic = c.Magic, TimeMsc = _market, Volume = 0.1, PriceOpen = c.Price };
                switch (_rng.Next(5))
                {
                    case 0: bad.Volume = 1e12; break;
                    case 1: bad.Sl = double.NaN; break;
                    case 2: bad.Sl = c.Price + 0.01; bad.Tp = c.Price + 0.005; break;
                    case 3: bad.Type = 3; break;
                    default: bad.PriceOpen = 0; break;
                }

                positions.Insert(_rng.Next(positions.Count + 1), bad);
                var arr = positions.ToArray();
                var before = Snapshot(c);
                fixed (KimiPosition* ps = arr)
                {
                    Refused(c, "kimi_sync_positions(bad)", _lib.SyncPositions(c.Handle, ps, arr.Length, _market), before);
                }
                break;
            }

            case 6:
            {
                var bars = new MqlRates[3];
                var t = c.LastClosed;
                for (var i = 0; i < bars.Length; i++)
                {
                    t += Tf;
                    bars[i] = new MqlRates(t, c.Price, c.Price + 0.0005, c.Price - 0.0005, c.Price);
                }

                bars[_rng.Next(3)].Close = double.NaN;
                var before = Snapshot(c);
                fixed (MqlRates* b = bars)
                {
                    Refused(c, "kimi_warmup(bad)", _lib.Warmup(c.Handle, b, bars.Length), before);
                }
                break;
            }

            case 7:
            {
                var buf = stackalloc char[1];
                var rc = _lib.PollLog(c.Handle, buf, _rng.Next(2) == 0 ? 1 : 0);
                Calls++;
                Require(rc == AbiCodes.EInvalidArgument, $"kimi_poll_log with capacity < 2 returned {rc}");
                break;
            }

            case 8:
            {
                fixed (char* why = "bad")
                {
                    var rc = _lib.EmergencyStop(2 + _rng.Next(100), why);
                    Calls++;
                    Require(rc == AbiCodes.EInvalidArgument, $"kimi_emergency_stop(2+) returned {rc}");
                }

                break;
            }

            case 9:
            {
                var cfg = ChartConfig(c.Magic + 100);
                var spec = Spec();
                var acc = AccountNow();
                switch (_rng.Next(5))
                {
                    case 0: cfg.SizingMode = 99; break;
                    case 1: cfg.MaxPositionsTotal = (1L << 32) + 5; break;
                    case 2: acc.Equity = double.NaN; break;
                    case 3: spec.VolumeMin = 500; break;
                    default: cfg.RiskPerTrade = double.NaN; break;
                }

                fixed (char* sym = c.Symbol)
                {
                    var h = _lib.Create(&cfg, sym, &spec, &acc, null, null, null);
                    Calls++;
                    if (h > 0)
                    {
                        _lib.Destroy(h, 1);
                    }

                    Require(h is AbiCodes.EConfig or AbiCodes.EInvalidArgument, $"kimi_create with a corrupted input returned {h}");
                }

                break;
            }

            case 10:
            {
                var result = new KimiOrderResult { InstructionId = 1 + _rng.Next(50), Retcode = 10009, PositionTicket = 1, TimeMsc = _market, Price = c.Price, Volume = 0.01 };
                switch (_rng.Next(5))
                {
                    case 0: result.Volume = double.NaN; break;
                    case 1: result.Retcode = (1L << 32) + 10009; break;
                    case 2: result.TimeMsc = Year2200Ms; break;
                    case 3: result.Volume = 1e9; break;
                    default: result.Price = double.PositiveInfinity; break;
                }

                var before = Snapshot(c);
                Refused(c, "kimi_report_result(bad)", _lib.ReportResult(c.Handle, &result), before);
                break;
            }

            case 11:
            {
                var zone = stackalloc KimiZone[1];
                var before = Snapshot(c);
                Refused(c, "kimi_get_zones(bad)", _rng.Next(2) == 0 ? _lib.GetZones(c.Handle, null, 4) : _lib.GetZones(c.Handle, zone, -1 - _rng.Next(1000)), before);
                break;
            }

            case 12:
            {
                var before = Snapshot(c);
                fixed (char* why = "bad")
                {
                    Refused(c, "kimi_request_halt(bad)", _lib.RequestHalt(c.Handle, _rng.Next(2) == 0 ? -1 : 2 + _rng.Next(100), why), before);
                }

                break;
            }

            default:
            {
                var tick = new MqlTick(_rng.Next(3) switch { 0 => Year2200Ms, 1 => _market - (30 * MsPerDay), _ => -5 }, c.Price, c.Price + 0.0001);
                var before = Snapshot(c);
                Refused(c, "kimi_on_tick(time)", _lib.OnTick(c.Handle, &tick, &account), before);
                break;
            }
        }
    }

    private void BadTick(ref MqlTick tick, ref KimiAccount account)
    {
        switch (_rng.Next(8))
        {
            case 0: tick.Bid = double.NaN; break;
            case 1: tick.Ask = -1; break;
            case 2: tick.Ask = double.PositiveInfinity; break;
            case 3: tick.TimeMsc = Year2200Ms; tick.Time = Year2200Ms / 1000; break;
            case 4: tick.Time += 3_600; break; // seconds and milliseconds disagree
            default: account = BadAccount(account); break;
        }
    }

    private KimiAccount BadAccount(KimiAccount a)
    {
        switch (_rng.Next(6))
        {
            case 0: a.FreeMargin = double.NaN; break;
            case 1: a.Margin = double.NaN; break;
            case 2: a.Equity = double.NegativeInfinity; break;
            case 3: a.TradeMode = 9; break;
            case 4: a.Leverage = (1L << 32) + 5; break;
            default: a.Balance = double.NaN; break;
        }

        return a;
    }

    // ---- invariants -------------------------------------------------------------------------------------------

    private KimiStatus Snapshot(Chart c)
    {
        KimiStatus s;
        _lib.GetStatus(c.Handle, &s);
        Calls++;
        return s;
    }

    /// <summary>An invalid call: must be refused with KIMI_E_INVALID_ARGUMENT and change nothing the status shows.</summary>
    private void Refused(Chart c, string what, int rc, in KimiStatus before)
    {
        KimiStatus after;
        _lib.GetStatus(c.Handle, &after);
        Calls += 2;
        Require(rc == AbiCodes.EInvalidArgument, $"{what} on chart {c.Index} returned {rc} (expected KIMI_E_INVALID_ARGUMENT): {_lib.ReadLastError(c.Handle)}");
        Require(before.Equals(after), $"{what} on chart {c.Index} was refused but changed the status");
    }

    /// <summary>A valid call: must succeed; then the breaker invariant is checked on this agent.</summary>
    private int Expect(Chart c, string what, int rc, bool valid)
    {
        Calls++;
        Require(rc != AbiCodes.EInternal, $"{what} on chart {c.Index}: KIMI_E_INTERNAL: {_lib.ReadLastError(c.Handle)}");
        Require(!valid || rc >= 0, $"{what} on chart {c.Index} refused a valid call with {rc}: {_lib.ReadLastError(c.Handle)}");
        KimiStatus s;
        _lib.GetStatus(c.Handle, &s);
        Calls++;
        var day = ClockDay;
        if (day == long.MinValue)
        {
            return rc; // no market time yet: the breaker has no day of its own
        }

        if (s.BreakerState != AbiCodes.BreakerActive)
        {
            if (_tripDay != day)
            {
                Trips++;
            }

            _tripDay = day;
        }
        else
        {
            Require(_tripDay != day, $"the breaker returned to ACTIVE on the trading day it tripped ({day}) after {what} on chart {c.Index}");
        }

        return rc;
    }

    private void CheckLimits()
    {
        Require(_broker.Count <= MaxTotal, $"the broker holds {_broker.Count} positions, above max_positions_total {MaxTotal}");
        foreach (var chart in _charts)
        {
            var n = _broker.Count(p => p.Chart == chart.Index);
            Require(n <= MaxPerChart, $"the broker holds {n} positions of chart {chart.Index}, above its max_positions {MaxPerChart}");
        }
    }

    private void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new FuzzFailure(string.Create(CultureInfo.InvariantCulture, $"ABI fuzz invariant broken at call {Calls} (replay: KIMI_FUZZ_SEED={_seed}): {message}"));
        }
    }

    private KimiAccount AccountNow() => new()
    {
        Login = 1, TradeMode = 0, MarginMode = 2, Leverage = 30, Balance = 10_000, Equity = Math.Round(_equity, 2),
        Margin = 0, FreeMargin = Math.Round(_equity, 2),
    };

    private static KimiSymbolSpec Spec() => new()
    {
        Digits = 5, Point = 0.00001, TickSize = 0.00001, TickValueProfit = 1, TickValueLoss = 1, ContractSize = 100_000,
        VolumeMin = 0.01, VolumeStep = 0.01, VolumeMax = 100, MarginPerLot = 366.67, NotionalPerLot = 110_000,
    };

    private static KimiConfig ChartConfig(long magic)
    {
        var c = KimiConfig.Defaults(magic, Tf);
        c.Mode = AbiCodes.ModePaper;
        c.SwingLength = 3;
        c.MinConfidence = 0;
        c.AutoExecuteConfidence = 0;
        c.PriceBandAtr = 50;
        c.MinRewardRisk = 0;
        c.MaxPositions = MaxPerChart;
        c.MaxPositionsTotal = MaxTotal;
        c.MaxOrdersPerMinute = 4;
        c.MaxHoldingBars = 5;
        c.MaxLeverage = 100;
        c.MaxTotalRisk = 0.5;
        return c;
    }

    private sealed class Chart(int index, string symbol, long magic, double price)
    {
        public int Index { get; } = index;
        public string Symbol { get; } = symbol;
        public long Magic { get; } = magic;
        public long Handle { get; set; }
        public double Price { get; set; } = price;
        public long BarOpen { get; set; }
        public long LastClosed { get; private set; } = long.MinValue;
        private double _o, _h, _l, _c;
        private bool _any;

        public MqlRates NextBar(Random rng)
        {
            var open = Price;
            Price = Math.Max(0.5, Price + ((rng.NextDouble() - 0.5) * 0.004));
            var bar = new MqlRates(BarOpen, open, Math.Max(open, Price) + 0.0003, Math.Min(open, Price) - 0.0003, Price, 10, 10, 0);
            LastClosed = BarOpen;
            BarOpen += 60;
            return bar;
        }

        public void StartBar(long marketMs)
        {
            BarOpen = Math.Max(BarOpen, marketMs / 1000 / 60 * 60);
            _any = false;
        }

        public void AddPrice(double bid)
        {
            if (!_any)
            {
                _o = _h = _l = bid;
                _any = true;
            }

            _h = Math.Max(_h, bid);
            _l = Math.Min(_l, bid);
            _c = bid;
        }

        /// <summary>Closes the forming bar (the tick at <paramref name="marketMs"/> opened a new one).</summary>
        public MqlRates CloseBar(long marketMs)
        {
            var bar = new MqlRates(BarOpen, _o, _h, _l, _c, 10, 10, 0);
            LastClosed = BarOpen;
            BarOpen = marketMs / 1000 / 60 * 60;
            _o = _h = _l = _c = Price;
            return bar;
        }
    }

    private sealed record BrokerPosition(int Chart, long Ticket, long Direction, double Volume, double Price, double Sl, double Tp)
    {
        public KimiPosition ToAbi(long magic) => new()
        {
            Ticket = Ticket, Type = Direction == AbiCodes.Buy ? 0 : 1, Magic = magic, TimeMsc = 0, Volume = Volume, PriceOpen = Price, Sl = Sl, Tp = Tp,
        };
    }
}

/// <summary>A broken fuzz invariant (its message carries the seed that replays it).</summary>
internal sealed class FuzzFailure(string message) : Exception(message);
