using KimiEA.Core.Threading;
using KimiEA.Core.Trading;
using KimiEA.Risk.Gate;

namespace KimiEA.Risk.Account;

/// <summary>
/// The account-level risk state shared by every agent of the process: the daily drawdown breaker, the exposure
/// ledger (open risk, notional, positions per symbol), the order rate limiter and the emergency stop. Thread-safe:
/// the terminal calls each chart's EA on its own thread, so every check-and-reserve happens under one lock (<see cref="SpinGate"/>), which
/// is what keeps concurrent agents from overshooting the limits. Create ONE per process (per trading account).
/// It enforces only the <see cref="AccountLimits"/> every chart shares; each chart's own decision settings
/// (<see cref="AgentPolicy"/>) are passed with each request. Symbols and owners (one per chart identity: magic and
/// symbol) are registered without a fixed ceiling. A reservation stands for an order in flight or, once
/// <see cref="BindTicket"/> names its broker position, for that position: it is kept when its chart is detached and
/// taken over when a chart adopts the same position again (<see cref="Adopt"/>), so a detach never frees limits
/// that an open position still uses.
/// </summary>
public sealed class AccountRiskBook
{
    private readonly SpinGate _lock = new();
    private readonly List<string> _symbols = [];
    private readonly List<string> _owners = [];
    private AccountLimits _limits;
    private DrawdownBreaker _breaker;
    private readonly ExposureLedger _ledger;
    private OrderRateLimiter _rate;
    private volatile bool _emergency;
    private long _emergencyAtMs;
    private int _symbolCount;

    /// <summary>Creates the shared state for valid account limits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public AccountRiskBook(AccountLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        _limits = limits;
        _breaker = new DrawdownBreaker(limits.DailyDrawdown, limits.TradingDayResetHour);
        _ledger = new ExposureLedger(Math.Min(limits.MaxPositionsTotal, 64));
        _rate = new OrderRateLimiter(limits.MaxOrdersPerMinute);
    }

    /// <summary>The account limits this book enforces.</summary>
    public AccountLimits Limits => Volatile.Read(ref _limits);

    /// <summary>
    /// Puts new account limits in force (the first chart attached after every chart left may bring new inputs). The
    /// breaker's state for the day, the order times of the last minute and every reservation are kept.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public void ReplaceLimits(AccountLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        _lock.Enter();
        try
        {
            var state = _breaker.State;
            var breaker = new DrawdownBreaker(limits.DailyDrawdown, limits.TradingDayResetHour);
            breaker.Restore(state);
            _breaker = breaker;
            _rate = new OrderRateLimiter(limits.MaxOrdersPerMinute, _rate);
            Volatile.Write(ref _limits, limits);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>
    /// Returns the id of a symbol for the hot-path calls, registering it on first use (call once per agent at
    /// creation; it allocates only the first time a symbol is seen). No ceiling on the number of symbols.
    /// </summary>
    /// <exception cref="ArgumentException">The symbol is empty.</exception>
    public int RegisterSymbol(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return Register(_symbols, symbol);
    }

    /// <summary>
    /// Returns the id of an owner — one chart's agent identity, e.g. "magic/symbol" — registering it on first use. A
    /// chart re-attached with the same identity gets the same id, so it finds the positions its predecessor left.
    /// </summary>
    /// <exception cref="ArgumentException">The key is empty.</exception>
    public int RegisterOwner(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return Register(_owners, key);
    }

    /// <summary>The index of <paramref name="key"/> in <paramref name="names"/>, appended on first use (under the gate).</summary>
    private int Register(List<string> names, string key)
    {
        _lock.Enter();
        try
        {
            var id = names.IndexOf(key);
            if (id < 0)
            {
                names.Add(key);
                id = names.Count - 1;
                if (ReferenceEquals(names, _symbols))
                {
                    Volatile.Write(ref _symbolCount, names.Count); // what CheckSymbol reads without the gate
                }
            }

            return id;
        }
        finally
        {
            _lock.Exit();
        }
    }

    // ---- breaker -------------------------------------------------------------------------------------------

    /// <summary>
    /// Per tick of every agent: feeds the account equity and server time to the breaker.
    /// Returns the breaker status; <see cref="BreakerStatus.ReducingOnly"/> with <see cref="AccountLimits.FlattenOnTrip"/>
    /// means the engine should close its positions with <see cref="ExitReason.Breaker"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The equity is not finite.</exception>
    public BreakerStatus OnEquity(double equity, long serverTimeMs) => OnEquity(equity, serverTimeMs, out _);

    /// <summary>
    /// <see cref="OnEquity(double, long)"/>, also giving the breaker's trading day after the update (taken under the
    /// same gate, so a tick needs the book once).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The equity is not finite.</exception>
    public BreakerStatus OnEquity(double equity, long serverTimeMs, out long tradingDay)
    {
        _lock.Enter();
        try
        {
            var status = _breaker.Update(equity, serverTimeMs, _ledger.Count);
            tradingDay = _breaker.State.TradingDay;
            return status;
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>
    /// The flatten rule for a status the caller already holds (e.g. the one <see cref="OnEquity(double, long)"/> just
    /// returned), so a tick takes the book's gate once: true when the breaker has tripped with positions open and
    /// flatten-on-trip is on.
    /// </summary>
    public bool FlattensAt(BreakerStatus status) => Limits.FlattenOnTrip && status == BreakerStatus.ReducingOnly;

    /// <summary>True when the breaker has tripped, flatten-on-trip is on and positions remain.</summary>
    public bool ShouldFlatten
    {
        get
        {
            _lock.Enter();
            try
            {
                return FlattensAt(_breaker.Status);
            }
            finally
            {
                _lock.Exit();
            }
        }
    }

    /// <summary>Index of the breaker's trading day that contains <paramref name="serverTimeMs"/> (reads only the configuration).</summary>
    public long TradingDayOf(long serverTimeMs) => _breaker.TradingDayOf(serverTimeMs);

    /// <summary>The breaker's state for the journal.</summary>
    public BreakerState BreakerState
    {
        get
        {
            _lock.Enter();
            try
            {
                return _breaker.State;
            }
            finally
            {
                _lock.Exit();
            }
        }
    }

    /// <summary>Restores the breaker from the journal after a restart.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The state is inconsistent.</exception>
    public void RestoreBreaker(in BreakerState state)
    {
        _lock.Enter();
        try
        {
            _breaker.Restore(state);
        }
        finally
        {
            _lock.Exit();
        }
    }

    // ---- emergency stop --------------------------------------------------------------------------------------

    /// <summary>True while the emergency stop is engaged: every agent must close its positions (<see cref="ExitReason.Emergency"/>) and take no new risk.</summary>
    public bool IsEmergencyStopped => _emergency;

    /// <summary>Server time (ms) at which the emergency stop was engaged, 0 when it is not.</summary>
    public long EmergencyStoppedAtMs => Volatile.Read(ref _emergencyAtMs);

    /// <summary>Engages the process-wide emergency stop; it stays engaged until <see cref="ResetEmergencyStop"/>.</summary>
    public void TriggerEmergencyStop(long serverTimeMs)
    {
        _lock.Enter();
        try
        {
            if (!_emergency)
            {
                Volatile.Write(ref _emergencyAtMs, serverTimeMs);
                _emergency = true;
            }
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>Explicitly releases the emergency stop.</summary>
    public void ResetEmergencyStop()
    {
        _lock.Enter();
        try
        {
            _emergency = false;
            Volatile.Write(ref _emergencyAtMs, 0);
        }
        finally
        {
            _lock.Exit();
        }
    }

    // ---- exposure ---------------------------------------------------------------------------------------------

    /// <summary>Sum of the money at risk of all reserved positions, account currency.</summary>
    public double OpenRisk
    {
        get
        {
            _lock.Enter();
            try
            {
                return _ledger.OpenRisk;
            }
            finally
            {
                _lock.Exit();
            }
        }
    }

    /// <summary>Sum of the notional of all reserved positions, account currency.</summary>
    public double OpenNotional
    {
        get
        {
            _lock.Enter();
            try
            {
                return _ledger.OpenNotional;
            }
            finally
            {
                _lock.Exit();
            }
        }
    }

    /// <summary>Number of reserved positions across all agents.</summary>
    public int OpenPositions
    {
        get
        {
            _lock.Enter();
            try
            {
                return _ledger.Count;
            }
            finally
            {
                _lock.Exit();
            }
        }
    }

    /// <summary>Number of reserved positions on one symbol.</summary>
    public int OpenPositionsOn(int symbolId)
    {
        _lock.Enter();
        try
        {
            return _ledger.CountFor(symbolId);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>Number of reservations (positions and entries in flight) held for one owner, including those its detached predecessor left.</summary>
    public int OpenPositionsOf(int ownerId)
    {
        _lock.Enter();
        try
        {
            return _ledger.CountForOwner(ownerId);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>
    /// Releases a reservation when its order failed or its position closed. Returns false for a default or an
    /// already released handle (releasing twice is harmless).
    /// </summary>
    public bool Release(Reservation reservation)
    {
        _lock.Enter();
        try
        {
            var released = _ledger.Release(reservation);
            if (released)
            {
                _breaker.OnPositionsChanged(_ledger.Count);
            }

            return released;
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>
    /// Releases the reservation that stands for broker position <paramref name="positionTicket"/> on a symbol (its
    /// closing deal arrived while no agent held it: a detached chart's position). False when none does.
    /// </summary>
    public bool ReleasePosition(int symbolId, long positionTicket)
    {
        _lock.Enter();
        try
        {
            var r = _ledger.FindTicket(symbolId, positionTicket);
            var released = r.IsValid && _ledger.Release(r);
            if (released)
            {
                _breaker.OnPositionsChanged(_ledger.Count);
            }

            return released;
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>The money at risk and notional a live reservation holds; false (zeros) for a stale handle.</summary>
    public bool TryGetReservation(Reservation reservation, out double riskMoney, out double notional)
    {
        _lock.Enter();
        try
        {
            return _ledger.TryGetAmounts(reservation, out riskMoney, out notional);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>Names the broker position a reservation now stands for (on the entry's fill). False for a stale handle.</summary>
    public bool BindTicket(Reservation reservation, long positionTicket)
    {
        _lock.Enter();
        try
        {
            return _ledger.SetTicket(reservation, positionTicket);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>
    /// Replaces the volume, money at risk and notional of a live reservation: after a partial fill, a partial close,
    /// or a stop moved towards break-even (risk shrinks and frees capacity for other agents). Returns false for a
    /// default or released handle.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative or not finite.</exception>
    public bool UpdateReservation(Reservation reservation, double volume, double riskMoney, double notional)
    {
        NonNegative(volume, nameof(volume));
        NonNegative(riskMoney, nameof(riskMoney));
        NonNegative(notional, nameof(notional));
        _lock.Enter();
        try
        {
            return _ledger.Update(reservation, volume, riskMoney, notional);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>
    /// Re-creates the reservation of a position found open (journal restore, reconciliation, a fill nobody ordered).
    /// When the book already holds a reservation for the same broker position (its chart was detached, or another
    /// path adopted it first) that reservation is taken over and updated: a position is never counted twice. Adoption
    /// is recorded even above the limits (the position exists); <paramref name="overLimit"/> names the first account
    /// limit the book now exceeds (<see cref="DenyReason.None"/> when none), so the caller can say so.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The symbol id is unknown, the direction is none, or a value is negative or not finite.</exception>
    public Reservation Adopt(int symbolId, int ownerId, long positionTicket, Direction direction, double volume, double riskMoney, double notional, double equity, out DenyReason overLimit)
    {
        CheckSymbol(symbolId);
        if (direction is not (Direction.Buy or Direction.Sell))
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "an adopted position must be a buy or a sell.");
        }

        NonNegative(volume, nameof(volume));
        NonNegative(riskMoney, nameof(riskMoney));
        NonNegative(notional, nameof(notional));
        _lock.Enter();
        try
        {
            var existing = _ledger.FindTicket(symbolId, positionTicket);
            Reservation r;
            if (existing.IsValid)
            {
                _ledger.Update(existing, volume, riskMoney, notional);
                _ledger.SetOwner(existing, ownerId);
                r = existing;
            }
            else
            {
                r = _ledger.Reserve(symbolId, ownerId, positionTicket, direction, volume, riskMoney, notional);
            }

            var l = _limits;
            overLimit = _ledger.Count > l.MaxPositionsTotal ? DenyReason.MaxPositionsTotal
                : double.IsFinite(equity) && equity > 0 && _ledger.OpenRisk > equity * l.MaxOpenRisk * (1 + 1e-9) ? DenyReason.OpenRiskLimit
                : double.IsFinite(equity) && equity > 0 && _ledger.OpenNotional > equity * l.MaxLeverage * (1 + 1e-9) ? DenyReason.LeverageLimit
                : DenyReason.None;
            return r;
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>
    /// Releases the position reservations of <paramref name="ownerId"/> whose broker position is not in
    /// <paramref name="held"/>: positions a detached chart left that closed while no chart watched them. Call after a
    /// complete snapshot of the owner's positions (reconciliation). Returns how many were released.
    /// </summary>
    public int ReleaseOwnerPositionsExcept(int ownerId, IReadOnlyCollection<long> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        var found = new List<(Reservation Reservation, long Ticket)>();
        _lock.Enter();
        try
        {
            _ledger.PositionsOf(ownerId, found);
            var released = 0;
            foreach (var (r, ticket) in found)
            {
                if (!held.Contains(ticket) && _ledger.Release(r))
                {
                    released++;
                }
            }

            if (released > 0)
            {
                _breaker.OnPositionsChanged(_ledger.Count);
            }

            return released;
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>
    /// The account-level half of the gate: emergency stop, breaker, positions overall and of this owner (the chart's
    /// own <paramref name="maxOwnerPositions"/>), netting, symbol volume limit, open risk, leverage and order rate.
    /// Checks and reserves atomically.
    /// </summary>
    internal DenyReason TryReserve(
        int symbolId,
        int ownerId,
        int maxOwnerPositions,
        Direction direction,
        bool hedging,
        double volumeLimit,
        double volume,
        double risk,
        double notional,
        double equity,
        long serverTimeMs,
        out Reservation reservation)
    {
        reservation = default;
        _lock.Enter();
        try
        {
            var c = _limits;
            if (_emergency)
            {
                return DenyReason.EmergencyStop;
            }

            _breaker.Update(equity, serverTimeMs, _ledger.Count);
            if (!_breaker.AllowsNewRisk)
            {
                return DenyReason.BreakerTripped;
            }

            if (_ledger.Count >= c.MaxPositionsTotal)
            {
                return DenyReason.MaxPositionsTotal;
            }

            if (_ledger.CountForOwner(ownerId) >= maxOwnerPositions)
            {
                return DenyReason.MaxPositionsOfChart;
            }

            var opposite = direction == Direction.Buy ? Direction.Sell : Direction.Buy;
            if (!hedging && _ledger.VolumeFor(symbolId, opposite) > 0)
            {
                return DenyReason.NettingOppositePosition;
            }

            if (volumeLimit > 0 && _ledger.VolumeFor(symbolId, direction) + volume > volumeLimit * (1 + 1e-9))
            {
                return DenyReason.SymbolVolumeLimit;
            }

            if (_ledger.OpenRisk + risk > equity * c.MaxOpenRisk)
            {
                return DenyReason.OpenRiskLimit;
            }

            if (_ledger.OpenNotional + notional > equity * c.MaxLeverage)
            {
                return DenyReason.LeverageLimit;
            }

            if (!_rate.CanAcquire(serverTimeMs))
            {
                return DenyReason.RateLimited;
            }

            reservation = _ledger.Reserve(symbolId, ownerId, 0, direction, volume, risk, notional);
            _rate.Acquire(serverTimeMs);
            return DenyReason.None;
        }
        finally
        {
            _lock.Exit();
        }
    }

    private static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be a finite, non-negative number.");
        }
    }

    /// <summary>Throws when <paramref name="symbolId"/> was not returned by <see cref="RegisterSymbol"/>.</summary>
    internal void CheckSymbol(int symbolId)
    {
        if ((uint)symbolId >= (uint)Volatile.Read(ref _symbolCount))
        {
            throw new ArgumentOutOfRangeException(nameof(symbolId), symbolId, "is not a symbol id returned by RegisterSymbol.");
        }
    }
}
