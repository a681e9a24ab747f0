namespace KimiEA.Risk.Account;

/// <summary>Trading state of the account-wide daily drawdown breaker.</summary>
public enum BreakerStatus
{
    /// <summary>New risk allowed.</summary>
    Active = 0,
    /// <summary>Tripped while positions are still open: new risk denied, reducing and closing allowed.</summary>
    ReducingOnly = 1,
    /// <summary>Tripped and flat: new risk denied until the next trading day (closes are always allowed).</summary>
    Halted = 2,
}

/// <summary>
/// Serialisable state of the breaker, for the journal: restore it after a restart with
/// <see cref="DrawdownBreaker.Restore"/>.
/// </summary>
/// <param name="TradingDay">Index of the broker-server trading day (days since 1970 after shifting by the reset hour); <see cref="long.MinValue"/> before the first update.</param>
/// <param name="ReferenceEquity">Equity at the start of the trading day.</param>
/// <param name="Status">Current state.</param>
/// <param name="TrippedAtMs">Server time of the trip in milliseconds, 0 when not tripped.</param>
/// <param name="TripEquity">Equity that tripped the breaker, 0 when not tripped.</param>
public readonly record struct BreakerState(long TradingDay, double ReferenceEquity, BreakerStatus Status, long TrippedAtMs, double TripEquity)
{
    /// <summary>The state before any equity has been seen.</summary>
    public static BreakerState Initial => new(long.MinValue, 0, BreakerStatus.Active, 0, 0);
}

/// <summary>
/// Daily drawdown breaker: the reference is the equity at the start of the broker-server trading day (the day
/// starts at <c>resetHour</c>); it trips when equity falls to (1 − limit) × reference or below, and then denies
/// new risk until the next trading day: ReducingOnly while positions are open, Halted once flat. Not thread-safe
/// by itself; <see cref="AccountRiskBook"/> serialises every call.
/// </summary>
public sealed class DrawdownBreaker
{
    private const long MsPerHour = 3_600_000;
    private const long MsPerDay = 86_400_000;
    private readonly double _limit;
    private readonly long _resetOffsetMs;
    private BreakerState _state = BreakerState.Initial;
    // End of the current trading day (exclusive), so the per-tick path compares instead of dividing 64-bit integers.
    private long _dayEndMs = long.MinValue;

    /// <summary>Creates a breaker.</summary>
    /// <param name="dailyDrawdown">Fraction of the day's starting equity, in (0, 1).</param>
    /// <param name="resetHour">Hour of broker server time at which the trading day starts, 0–23.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public DrawdownBreaker(double dailyDrawdown, int resetHour)
    {
        if (!(dailyDrawdown > 0 && dailyDrawdown < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dailyDrawdown), dailyDrawdown, "must be a fraction in (0, 1).");
        }

        if (resetHour is < 0 or > 23)
        {
            throw new ArgumentOutOfRangeException(nameof(resetHour), resetHour, "must be an hour 0–23.");
        }

        _limit = dailyDrawdown;
        _resetOffsetMs = resetHour * MsPerHour;
    }

    /// <summary>The current state (a copy, for the journal).</summary>
    public BreakerState State => _state;

    /// <summary>The current status.</summary>
    public BreakerStatus Status => _state.Status;

    /// <summary>True when new risk may be taken.</summary>
    public bool AllowsNewRisk => _state.Status == BreakerStatus.Active;

    /// <summary>The equity at or below which the breaker trips today (0 before the first update).</summary>
    public double TripLevel => _state.ReferenceEquity * (1 - _limit);

    /// <summary>Index of the trading day that contains <paramref name="serverTimeMs"/>.</summary>
    public long TradingDayOf(long serverTimeMs) => FloorDiv(serverTimeMs - _resetOffsetMs, MsPerDay);

    /// <summary>
    /// Feeds the account equity at a server time. A new trading day resets the breaker to Active with the equity as
    /// the new reference; a time from an earlier day than the current one (another chart's slightly older tick) never
    /// moves the day back.
    /// </summary>
    /// <param name="equity">Account equity (balance + floating P/L).</param>
    /// <param name="serverTimeMs">Broker server time, milliseconds.</param>
    /// <param name="openPositions">Positions the engine still holds (decides ReducingOnly vs Halted).</param>
    /// <returns>The status after the update.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The equity is not a finite number.</exception>
    public BreakerStatus Update(double equity, long serverTimeMs, int openPositions)
    {
        if (!double.IsFinite(equity))
        {
            throw new ArgumentOutOfRangeException(nameof(equity), equity, "account equity must be a finite number.");
        }

        if (serverTimeMs >= _dayEndMs)
        {
            var day = TradingDayOf(serverTimeMs);
            if (day > _state.TradingDay)
            {
                _state = new BreakerState(day, equity, BreakerStatus.Active, 0, 0);
            }

            _dayEndMs = DayEnd(_state.TradingDay);
        }

        if (_state.Status == BreakerStatus.Active)
        {
            if (equity <= TripLevel)
            {
                _state = _state with
                {
                    Status = openPositions > 0 ? BreakerStatus.ReducingOnly : BreakerStatus.Halted,
                    TrippedAtMs = serverTimeMs,
                    TripEquity = equity,
                };
            }
        }
        else
        {
            OnPositionsChanged(openPositions);
        }

        return _state.Status;
    }

    /// <summary>Moves ReducingOnly to Halted once no position is left.</summary>
    public void OnPositionsChanged(int openPositions)
    {
        if (_state.Status == BreakerStatus.ReducingOnly && openPositions == 0)
        {
            _state = _state with { Status = BreakerStatus.Halted };
        }
    }

    /// <summary>Restores a state saved from <see cref="State"/> (journal restore after a restart).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The state is inconsistent.</exception>
    public void Restore(in BreakerState state)
    {
        if (!Enum.IsDefined(state.Status))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state.Status, "unknown breaker status.");
        }

        if (state.TradingDay != long.MinValue && !(state.ReferenceEquity >= 0 && double.IsFinite(state.ReferenceEquity)))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state.ReferenceEquity, "reference equity must be a finite, non-negative number.");
        }

        _state = state;
        _dayEndMs = DayEnd(state.TradingDay);
    }

    private long DayEnd(long tradingDay) =>
        tradingDay == long.MinValue ? long.MinValue : ((tradingDay + 1) * MsPerDay) + _resetOffsetMs;

    private static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }
}
