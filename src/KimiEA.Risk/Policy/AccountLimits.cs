using System.Globalization;
using KimiEA.Core.Time;

namespace KimiEA.Risk;

/// <summary>
/// The account-wide limits every chart of the terminal shares, enforced by the one <see cref="Account.AccountRiskBook"/>
/// of the process: the server clock, the daily drawdown breaker (level, trading-day reset hour, flatten on trip), the total money at risk
/// and leverage of all open positions, the number of open positions across charts and the order rate. A chart's own
/// decision settings are its <see cref="AgentPolicy"/>. All charts attached at the same time must agree on these
/// values (see <see cref="Differences"/>).
/// </summary>
public sealed record AccountLimits
{
    /// <summary>Upper bound accepted for the position and order-rate counts (a sanity bound, not a table size).</summary>
    public const int MaxPositionsCeiling = 100_000;

    /// <summary>Daily drawdown (fraction of the trading day's starting equity) that trips the breaker. Default 0.02.</summary>
    public double DailyDrawdown { get; init; } = 0.02;

    /// <summary>Hour (0–23, broker server time) at which a new trading day starts and the breaker resets. Default 0.</summary>
    public int TradingDayResetHour { get; init; }

    /// <summary>
    /// The broker server's clock, in which every time of the terminal is read (sessions and kill zones convert bar
    /// times to UTC with it). One terminal has one server clock, so every chart must agree. The breaker's trading day
    /// needs no conversion: it is the server day shifted by <see cref="TradingDayResetHour"/> (on a New York close
    /// clock, server midnight is 17:00 New York all year), and the account's market clock keeps server time as it is: a
    /// New York close server changes its offset at 02:00 New York on a Sunday, inside the weekend close, so no tick or
    /// bar sees its time go back. Default UTC.
    /// </summary>
    public MarketTimeZone ServerClock { get; init; } = MarketTimeZone.Utc;

    /// <summary>When true the breaker asks every agent to close its positions on a trip. Default false.</summary>
    public bool FlattenOnTrip { get; init; }

    /// <summary>Total money at risk (to the stops) of all open positions of all agents, as a fraction of equity. Default 0.10.</summary>
    public double MaxOpenRisk { get; init; } = 0.10;

    /// <summary>Maximum effective leverage: total notional of all open positions / equity. Default 30.</summary>
    public double MaxLeverage { get; init; } = 30;

    /// <summary>Maximum open positions across all agents. Default 10.</summary>
    public int MaxPositionsTotal { get; init; } = 10;

    /// <summary>Maximum new orders per rolling minute of server time, account-wide. Default 10.</summary>
    public int MaxOrdersPerMinute { get; init; } = 10;

    /// <summary>Throws when a limit is out of range, naming it and the value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public void Validate()
    {
        Limits.Positive(DailyDrawdown, nameof(DailyDrawdown));
        if (DailyDrawdown >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DailyDrawdown), DailyDrawdown, "must be a fraction of equity in (0, 1).");
        }

        if (TradingDayResetHour is < 0 or > 23)
        {
            throw new ArgumentOutOfRangeException(nameof(TradingDayResetHour), TradingDayResetHour, "must be an hour 0–23 of broker server time.");
        }

        Limits.Positive(MaxOpenRisk, nameof(MaxOpenRisk));
        Limits.Positive(MaxLeverage, nameof(MaxLeverage));
        if (MaxPositionsTotal is < 1 or > MaxPositionsCeiling)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPositionsTotal), MaxPositionsTotal, $"must be in [1, {MaxPositionsCeiling}].");
        }

        if (MaxOrdersPerMinute is < 1 or > MaxPositionsCeiling)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOrdersPerMinute), MaxOrdersPerMinute, $"must be in [1, {MaxPositionsCeiling}].");
        }
    }

    /// <summary>
    /// The limits that differ between <paramref name="requested"/> and the ones in force (this), each as
    /// (property name, requested value, value in force), in declaration order; empty when they agree.
    /// </summary>
    public IReadOnlyList<(string Name, string Requested, string InForce)> Differences(AccountLimits requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var list = new List<(string, string, string)>();
        void Check<T>(string name, T asked, T inForce)
            where T : IEquatable<T>, IFormattable
        {
            if (!asked.Equals(inForce))
            {
                list.Add((name, asked.ToString(null, CultureInfo.InvariantCulture), inForce.ToString(null, CultureInfo.InvariantCulture)));
            }
        }

        Check(nameof(DailyDrawdown), requested.DailyDrawdown, DailyDrawdown);
        Check(nameof(TradingDayResetHour), requested.TradingDayResetHour, TradingDayResetHour);
        if (requested.ServerClock != ServerClock)
        {
            list.Add((nameof(ServerClock), requested.ServerClock.Name, ServerClock.Name));
        }

        if (requested.FlattenOnTrip != FlattenOnTrip)
        {
            list.Add((nameof(FlattenOnTrip), requested.FlattenOnTrip ? "true" : "false", FlattenOnTrip ? "true" : "false"));
        }

        Check(nameof(MaxOpenRisk), requested.MaxOpenRisk, MaxOpenRisk);
        Check(nameof(MaxLeverage), requested.MaxLeverage, MaxLeverage);
        Check(nameof(MaxPositionsTotal), requested.MaxPositionsTotal, MaxPositionsTotal);
        Check(nameof(MaxOrdersPerMinute), requested.MaxOrdersPerMinute, MaxOrdersPerMinute);
        return list;
    }
}

/// <summary>Range checks shared by the policy and the limits (messages name the setting and the value).</summary>
internal static class Limits
{
    public static void Probability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be a probability in [0, 1].");
        }
    }

    public static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be a positive finite number.");
        }
    }

    public static void FractionOfOne(double value, string name, string message)
    {
        Positive(value, name);
        if (value > 1)
        {
            throw new ArgumentOutOfRangeException(name, value, message);
        }
    }
}
