using KimiEA.Core.Threading;
using KimiEA.Core.Trading;
using KimiEA.Risk.Gate;

namespace KimiEA.Risk.Account;

/// <summary>
/// The account-level risk state shared by every agent of the process: the daily drawdown breaker, the exposure
/// ledger (open risk, notional, positions per symbol), the order rate limiter and the emergency stop. Thread-safe:
/// the terminal calls each chart's EA on its own thread, so every check-and-reserve happens under one lock (<see cref="SpinGate"/>), which
/// is what keeps concurrent agents from overshooting the limits. Create ONE per process (per trading account).
/// </summary>
public sealed class AccountRiskBook
{
    /// <summary>Capacity of the ledger and of the rate limiter (upper bound of MaxPositionsTotal and MaxOrdersPerMinute).</summary>
    public const int MaxSlots = 256;

    /// <summary>How many distinct symbols can be registered.</summary>
    public const int MaxSymbols = 128;

    private readonly SpinGate _lock = new();
    private readonly RiskConfig _config;
    private readonly DrawdownBreaker _breaker;
    private readonly ExposureLedger _ledger;
    private readonly OrderRateLimiter _rate;
    private readonly string[] _symbols = new string[MaxSymbols];
    private int _symbolCount;
    private volatile bool _emergency;
    private long _emergencyAtMs;

    /// <summary>Creates the shared state for a validated configuration.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A configuration setting is out of range.</exception>
    public AccountRiskBook(RiskConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _config = config;
        _breaker = new DrawdownBreaker(config.DailyDrawdown, config.TradingDayResetHour);
        _ledger = new ExposureLedger(config.MaxPositionsTotal, MaxSymbols);
        _rate = new OrderRateLimiter(config.MaxOrdersPerMinute);
    }

    /// <summary>The configuration this book enforces.</summary>
    public RiskConfig Config => _config;

    /// <summary>
    /// Returns the id of a symbol for the hot-path calls, registering it on first use (call once per agent at
    /// creation; it allocates only the first time a symbol is seen).
    /// </summary>
    /// <exception cref="ArgumentException">The symbol is empty.</exception>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxSymbols"/> symbols.</exception>
    public int RegisterSymbol(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        _lock.Enter();
        try
        {
            for (var i = 0; i < _symbolCount; i++)
            {
                if (string.Equals(_symbols[i], symbol, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            if (_symbolCount == MaxSymbols)
            {
                throw new InvalidOperationException($"Cannot register symbol '{symbol}': the risk book holds at most {MaxSymbols} symbols.");
            }

            _symbols[_symbolCount] = symbol;
            return _symbolCount++;
        }
        finally
        {
            _lock.Exit();
        }
    }

    // ---- breaker -------------------------------------------------------------------------------------------

    /// <summary>
    /// Per tick of every agent: feeds the account equity and server time to the breaker.
    /// Returns the breaker status; <see cref="BreakerStatus.ReducingOnly"/> with <see cref="RiskConfig.FlattenOnTrip"/>
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
    public bool FlattensAt(BreakerStatus status) => _config.FlattenOnTrip && status == BreakerStatus.ReducingOnly;

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
    /// Re-creates the reservation of a position found open at start-up (journal restore / reconciliation). It is
    /// recorded even above the limits (the position exists); returns default when the ledger is full.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The symbol id is unknown, the direction is none, or a value is negative or not finite.</exception>
    public Reservation Adopt(int symbolId, Direction direction, double volume, double riskMoney, double notional)
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
            return _ledger.Reserve(symbolId, direction, volume, riskMoney, notional);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>
    /// The account-level half of the gate: breaker, emergency stop, positions per symbol and overall, netting,
    /// symbol volume limit, open risk, leverage and order rate. Checks and reserves atomically.
    /// </summary>
    internal DenyReason TryReserve(
        int symbolId,
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
        var c = _config;
        _lock.Enter();
        try
        {
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

            if (_ledger.CountFor(symbolId) >= c.MaxPositionsPerSymbol)
            {
                return DenyReason.MaxPositionsPerSymbol;
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

            reservation = _ledger.Reserve(symbolId, direction, volume, risk, notional);
            if (!reservation.IsValid)
            {
                return DenyReason.MaxPositionsTotal;
            }

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
