using System.Globalization;
using System.Runtime.CompilerServices;
using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Time;

namespace KimiEA.Engine.Validation;

/// <summary>
/// The first bad field of an ABI struct: its name, the rule it breaks and its value. A valid struct gives
/// <see cref="None"/>. The text is built only when a call is refused (<see cref="Describe"/>): checking allocates nothing.
/// </summary>
public readonly struct FieldProblem
{
    private readonly double _value;
    private readonly long _integer;
    private readonly bool _isInteger;

    private FieldProblem(string field, string rule, double value, long integer, bool isInteger)
    {
        Field = field;
        Rule = rule;
        _value = value;
        _integer = integer;
        _isInteger = isInteger;
    }

    /// <summary>No problem.</summary>
    public static FieldProblem None => default;

    /// <summary>The field's name as kimiea.h spells it (null when there is no problem).</summary>
    public string? Field { get; }

    /// <summary>The rule the value breaks, e.g. "must be a finite number".</summary>
    public string? Rule { get; }

    /// <summary>True when the struct is valid.</summary>
    public bool IsNone => Field is null;

    /// <summary>A problem with a floating-point field.</summary>
    public static FieldProblem Of(string field, double value, string rule) => new(field, rule, value, 0, false);

    /// <summary>A problem with an integer field.</summary>
    public static FieldProblem Of(string field, long value, string rule) => new(field, rule, 0, value, true);

    /// <summary>The refusal text: "<paramref name="context"/>: field = value rule." (built only on refusal).</summary>
    public string Describe(string context) =>
        string.Create(CultureInfo.InvariantCulture, $"{context}: {Field} = {(_isInteger ? _integer.ToString(CultureInfo.InvariantCulture) : _value.ToString("R", CultureInfo.InvariantCulture))} {Rule}.");
}

/// <summary>
/// Every field check of every struct the exports read, in one place (kimiea.h: a call that returns an error changes
/// nothing, so the agent's entry points run these before they touch any state). Numbers must be finite, prices
/// positive, volumes positive, enumeration values known, and int64 fields the engine narrows to int must fit.
/// Checks that need the account's clock (times) or another struct (a position against its symbol's volume) are made by
/// the agent with <see cref="Account.MarketClock"/> and <see cref="Position"/>.
/// </summary>
public static class AbiInput
{
    private const string Finite = "must be a finite number";
    private const string PositiveFinite = "must be a positive finite number";
    private const string NonNegativeFinite = "must be a finite number >= 0";
    private const string NonNegative = "must be >= 0";
    private const string FitsInt = "must be in [0, 2147483647]";
    private static readonly long NewYorkCloseWinterMinutes = MarketTimeZone.NewYorkClose.StandardOffsetSeconds / 60;

    /// <summary>kimi_on_tick's tick (its time is judged by the account's clock).</summary>
    public static FieldProblem Tick(in MqlTick t)
    {
        if (!Positive(t.Bid)) return FieldProblem.Of("tick.bid", t.Bid, PositiveFinite);
        if (!Positive(t.Ask)) return FieldProblem.Of("tick.ask", t.Ask, PositiveFinite);
        if (!NonNegativeNumber(t.Last)) return FieldProblem.Of("tick.last", t.Last, NonNegativeFinite);
        if (!NonNegativeNumber(t.VolumeReal)) return FieldProblem.Of("tick.volume_real", t.VolumeReal, NonNegativeFinite);
        if (t.TimeMsc < 0) return FieldProblem.Of("tick.time_msc", t.TimeMsc, NonNegative);
        if (t.Time < 0 || (t.TimeMsc != 0 && t.Time != 0 && t.Time != t.TimeMsc / 1000))
        {
            return FieldProblem.Of("tick.time", t.Time, "must be time_msc / 1000 (server seconds of the same instant)");
        }

        return FieldProblem.None;
    }

    /// <summary>A closed bar (kimi_on_bar, kimi_warmup): prices positive and consistent, volumes and spread not negative.</summary>
    public static FieldProblem Bar(in MqlRates b)
    {
        if (!Positive(b.Open)) return FieldProblem.Of("bar.open", b.Open, PositiveFinite);
        if (!Positive(b.High)) return FieldProblem.Of("bar.high", b.High, PositiveFinite);
        if (!Positive(b.Low)) return FieldProblem.Of("bar.low", b.Low, PositiveFinite);
        if (!Positive(b.Close)) return FieldProblem.Of("bar.close", b.Close, PositiveFinite);
        if (b.High < b.Low || b.High < Math.Max(b.Open, b.Close)) return FieldProblem.Of("bar.high", b.High, "must be >= open, close and low (the bar is inconsistent)");
        if (b.Low > Math.Min(b.Open, b.Close)) return FieldProblem.Of("bar.low", b.Low, "must be <= open and close (the bar is inconsistent)");
        if (b.TickVolume < 0) return FieldProblem.Of("bar.tick_volume", b.TickVolume, NonNegative);
        if (b.Spread < 0) return FieldProblem.Of("bar.spread", b.Spread, NonNegative);
        if (b.RealVolume < 0) return FieldProblem.Of("bar.real_volume", b.RealVolume, NonNegative);
        return FieldProblem.None;
    }

    /// <summary>Account facts (kimi_create, kimi_on_tick, kimi_on_timer).</summary>
    public static FieldProblem Account(in KimiAccount a)
    {
        if (a.Login < 0) return FieldProblem.Of("account.login", a.Login, NonNegative);
        if (a.TradeMode is < 0 or > 2) return FieldProblem.Of("account.trade_mode", a.TradeMode, "must be 0 (demo), 1 (contest) or 2 (real)");
        if (a.MarginMode is < 0 or > 2) return FieldProblem.Of("account.margin_mode", a.MarginMode, "must be 0 (netting), 1 (exchange) or 2 (hedging)");
        if (a.Leverage is < 0 or > int.MaxValue) return FieldProblem.Of("account.leverage", a.Leverage, FitsInt);
        if (!double.IsFinite(a.Balance)) return FieldProblem.Of("account.balance", a.Balance, Finite);
        if (!double.IsFinite(a.Equity)) return FieldProblem.Of("account.equity", a.Equity, Finite);
        if (!NonNegativeNumber(a.Margin)) return FieldProblem.Of("account.margin", a.Margin, NonNegativeFinite);
        if (!double.IsFinite(a.FreeMargin)) return FieldProblem.Of("account.free_margin", a.FreeMargin, Finite);
        return FieldProblem.None;
    }

    /// <summary>Symbol facts (kimi_create, kimi_update_spec): everything the money math and the volume rounding read.</summary>
    public static FieldProblem Spec(in KimiSymbolSpec s)
    {
        if (s.Digits is < 0 or > 12) return FieldProblem.Of("spec.digits", s.Digits, "must be in [0, 12]");
        if (s.StopsLevelPoints is < 0 or > int.MaxValue) return FieldProblem.Of("spec.stops_level_points", s.StopsLevelPoints, FitsInt);
        if (s.FreezeLevelPoints is < 0 or > int.MaxValue) return FieldProblem.Of("spec.freeze_level_points", s.FreezeLevelPoints, FitsInt);
        if (s.FillingMode is < 0 or > int.MaxValue) return FieldProblem.Of("spec.filling_mode", s.FillingMode, FitsInt);
        if (!Positive(s.Point)) return FieldProblem.Of("spec.point", s.Point, PositiveFinite);
        if (!Positive(s.TickSize)) return FieldProblem.Of("spec.tick_size", s.TickSize, PositiveFinite);
        if (!Positive(s.TickValueProfit)) return FieldProblem.Of("spec.tick_value_profit", s.TickValueProfit, PositiveFinite);
        if (!Positive(s.TickValueLoss)) return FieldProblem.Of("spec.tick_value_loss", s.TickValueLoss, PositiveFinite);
        if (!NonNegativeNumber(s.ContractSize)) return FieldProblem.Of("spec.contract_size", s.ContractSize, NonNegativeFinite);
        if (!Positive(s.VolumeMin)) return FieldProblem.Of("spec.volume_min", s.VolumeMin, PositiveFinite);
        if (!Positive(s.VolumeStep)) return FieldProblem.Of("spec.volume_step", s.VolumeStep, PositiveFinite);
        if (!Positive(s.VolumeMax)) return FieldProblem.Of("spec.volume_max", s.VolumeMax, PositiveFinite);
        if (s.VolumeMin > s.VolumeMax) return FieldProblem.Of("spec.volume_min", s.VolumeMin, "must not exceed volume_max");
        if (!NonNegativeNumber(s.VolumeLimit)) return FieldProblem.Of("spec.volume_limit", s.VolumeLimit, "must be a finite number >= 0 (0 = none)");
        if (!NonNegativeNumber(s.MarginPerLot)) return FieldProblem.Of("spec.margin_per_lot", s.MarginPerLot, NonNegativeFinite);
        if (!NonNegativeNumber(s.NotionalPerLot)) return FieldProblem.Of("spec.notional_per_lot", s.NotionalPerLot, NonNegativeFinite);
        return FieldProblem.None;
    }

    /// <summary>
    /// The EA's inputs (kimi_create, refused with KIMI_E_CONFIG): the fields the risk settings' own validation cannot
    /// see (integers narrowed to int, flags, enumeration values, inputs used outside the risk settings). Fractions and
    /// limits are then validated by the risk configuration.
    /// </summary>
    public static FieldProblem Config(in KimiConfig c)
    {
        if (c.Magic < 0) return FieldProblem.Of("config.magic", c.Magic, NonNegative);
        if (c.TimeframeSeconds is <= 0 or > 31_622_400) return FieldProblem.Of("config.timeframe_seconds", c.TimeframeSeconds, "must be a chart period in [1, 31622400] seconds");
        if (c.LiveOptIn is not (0 or 1)) return FieldProblem.Of("config.live_opt_in", c.LiveOptIn, "must be 0 or 1");
        if (c.SizingMode is not (AbiCodes.SizingKelly or AbiCodes.SizingFixedFraction)) return FieldProblem.Of("config.sizing_mode", c.SizingMode, "must be KIMI_SIZING_KELLY (0) or KIMI_SIZING_FIXED_FRACTION (1)");
        if (c.MaxPositions is < 1 or > int.MaxValue) return FieldProblem.Of("config.max_positions", c.MaxPositions, "must be in [1, 2147483647]");
        if (c.ApprovalExpiryBars is < 1 or > int.MaxValue) return FieldProblem.Of("config.approval_expiry_bars", c.ApprovalExpiryBars, "must be in [1, 2147483647]");
        if (c.MaxPositionsTotal is < 1 or > int.MaxValue) return FieldProblem.Of("config.max_positions_total", c.MaxPositionsTotal, "must be in [1, 2147483647]");
        if (c.MaxOrdersPerMinute is < 1 or > int.MaxValue) return FieldProblem.Of("config.max_orders_per_minute", c.MaxOrdersPerMinute, "must be in [1, 2147483647]");
        if (c.MaxHoldingBars is < 0 or > int.MaxValue) return FieldProblem.Of("config.max_holding_bars", c.MaxHoldingBars, FitsInt);
        if (c.BreakerResetHour is < 0 or > 23) return FieldProblem.Of("config.breaker_reset_hour", c.BreakerResetHour, "must be an hour in [0, 23]");
        if (c.FlattenOnBreaker is not (0 or 1)) return FieldProblem.Of("config.flatten_on_breaker", c.FlattenOnBreaker, "must be 0 or 1");
        if (c.ServerTimeZone is not (AbiCodes.TzFixed or AbiCodes.TzNewYorkClose)) return FieldProblem.Of("config.server_time_zone", c.ServerTimeZone, "must be KIMI_TZ_FIXED (0) or KIMI_TZ_NEW_YORK_CLOSE (2)");
        if (c.ServerUtcOffsetMinutes is < -14 * 60 or > 14 * 60) return FieldProblem.Of("config.server_utc_offset_minutes", c.ServerUtcOffsetMinutes, "must be a UTC offset in [-840, 840] minutes");
        if (c.ServerTimeZone == AbiCodes.TzNewYorkClose && c.ServerUtcOffsetMinutes != NewYorkCloseWinterMinutes) return FieldProblem.Of("config.server_utc_offset_minutes", c.ServerUtcOffsetMinutes, "must be 120 with server_time_zone KIMI_TZ_NEW_YORK_CLOSE (the New York close clock is UTC+2 in New York's winter, UTC+3 in its summer); for another offset use KIMI_TZ_FIXED");
        if (c.DeviationPoints is < 0 or > int.MaxValue) return FieldProblem.Of("config.deviation_points", c.DeviationPoints, FitsInt);
        if (c.WarmupBars is < 0 or > int.MaxValue) return FieldProblem.Of("config.warmup_bars", c.WarmupBars, FitsInt);
        if (!double.IsFinite(c.RiskPerTrade)) return FieldProblem.Of("config.risk_per_trade", c.RiskPerTrade, Finite);
        if (!double.IsFinite(c.KellyFraction)) return FieldProblem.Of("config.kelly_fraction", c.KellyFraction, Finite);
        if (!double.IsFinite(c.MinConfidence)) return FieldProblem.Of("config.min_confidence", c.MinConfidence, Finite);
        if (!double.IsFinite(c.AutoExecuteConfidence)) return FieldProblem.Of("config.auto_execute_confidence", c.AutoExecuteConfidence, Finite);
        if (!NonNegativeNumber(c.MaxLot)) return FieldProblem.Of("config.max_lot", c.MaxLot, NonNegativeFinite);
        if (!double.IsFinite(c.DailyDrawdown)) return FieldProblem.Of("config.daily_drawdown", c.DailyDrawdown, Finite);
        if (!double.IsFinite(c.MaxTotalRisk)) return FieldProblem.Of("config.max_total_risk", c.MaxTotalRisk, Finite);
        if (!double.IsFinite(c.MaxLeverage)) return FieldProblem.Of("config.max_leverage", c.MaxLeverage, Finite);
        if (!double.IsFinite(c.PriceBandAtr)) return FieldProblem.Of("config.price_band_atr", c.PriceBandAtr, Finite);
        if (!(double.IsFinite(c.RangePercent) && c.RangePercent >= 0 && c.RangePercent < 1)) return FieldProblem.Of("config.range_percent", c.RangePercent, "must be a fraction in [0, 1)");
        if (!NonNegativeNumber(c.MinRewardRisk)) return FieldProblem.Of("config.min_reward_risk", c.MinRewardRisk, NonNegativeFinite);
        if (!NonNegativeNumber(c.CommissionPerLot)) return FieldProblem.Of("config.commission_per_lot", c.CommissionPerLot, NonNegativeFinite);
        return FieldProblem.None;
    }

    /// <summary>kimi_report_result's result (its time is judged by the account's clock).</summary>
    public static FieldProblem Result(in KimiOrderResult r)
    {
        if (r.InstructionId <= 0) return FieldProblem.Of("result.instruction_id", r.InstructionId, "must be the id of a handed-out instruction (> 0)");
        if (r.Retcode is < 0 or > int.MaxValue) return FieldProblem.Of("result.retcode", r.Retcode, FitsInt);
        if (r.OrderTicket < 0) return FieldProblem.Of("result.order_ticket", r.OrderTicket, NonNegative);
        if (r.DealTicket < 0) return FieldProblem.Of("result.deal_ticket", r.DealTicket, NonNegative);
        if (r.PositionTicket < 0) return FieldProblem.Of("result.position_ticket", r.PositionTicket, NonNegative);
        if (r.TimeMsc < 0) return FieldProblem.Of("result.time_msc", r.TimeMsc, "must be >= 0 (0 = unknown)");
        if (!NonNegativeNumber(r.Price)) return FieldProblem.Of("result.price", r.Price, NonNegativeFinite);
        if (!NonNegativeNumber(r.Volume)) return FieldProblem.Of("result.volume", r.Volume, NonNegativeFinite);
        if (!NonNegativeNumber(r.Bid)) return FieldProblem.Of("result.bid", r.Bid, NonNegativeFinite);
        if (!NonNegativeNumber(r.Ask)) return FieldProblem.Of("result.ask", r.Ask, NonNegativeFinite);
        if (r.Volume > 0 && r.Price <= 0) return FieldProblem.Of("result.price", r.Price, "must be positive when volume was filled");
        return FieldProblem.None;
    }

    /// <summary>kimi_on_trade_transaction's deal (its time is judged by the account's clock).</summary>
    public static FieldProblem Deal(in KimiDeal d)
    {
        if (d.DealTicket < 0) return FieldProblem.Of("deal.deal_ticket", d.DealTicket, NonNegative);
        if (d.OrderTicket < 0) return FieldProblem.Of("deal.order_ticket", d.OrderTicket, NonNegative);
        if (d.PositionTicket < 0) return FieldProblem.Of("deal.position_ticket", d.PositionTicket, NonNegative);
        if (d.Entry is < AbiCodes.DealEntryIn or > AbiCodes.DealEntryOutBy) return FieldProblem.Of("deal.entry", d.Entry, "must be a KIMI_DEAL_ENTRY_* value (0-3)");
        if (d.Type is not (AbiCodes.DealTypeBuy or AbiCodes.DealTypeSell)) return FieldProblem.Of("deal.type", d.Type, "must be KIMI_DEAL_TYPE_BUY (0) or KIMI_DEAL_TYPE_SELL (1)");
        if (d.Reason is < 0 or > int.MaxValue) return FieldProblem.Of("deal.reason", d.Reason, "must be an MT5 DEAL_REASON_* value (>= 0)");
        if (d.Magic < 0) return FieldProblem.Of("deal.magic", d.Magic, NonNegative);
        if (!Positive(d.Volume)) return FieldProblem.Of("deal.volume", d.Volume, PositiveFinite);
        if (!Positive(d.Price)) return FieldProblem.Of("deal.price", d.Price, PositiveFinite);
        if (!double.IsFinite(d.Profit)) return FieldProblem.Of("deal.profit", d.Profit, Finite);
        if (!double.IsFinite(d.Commission)) return FieldProblem.Of("deal.commission", d.Commission, Finite);
        if (!double.IsFinite(d.Swap)) return FieldProblem.Of("deal.swap", d.Swap, Finite);
        return FieldProblem.None;
    }

    /// <summary>
    /// One broker position of kimi_sync_positions: well-formed fields, and possible for the symbol — a volume the
    /// symbol allows (at most its volume max, or its volume limit when larger), a positive open price, and stops on
    /// the right sides of each other (a buy's stop-loss below its take-profit).
    /// </summary>
    public static FieldProblem Position(in KimiPosition p, in KimiSymbolSpec spec)
    {
        if (p.Ticket <= 0) return FieldProblem.Of("position.ticket", p.Ticket, "must be a position ticket (> 0)");
        if (p.Type is not (0 or 1)) return FieldProblem.Of("position.type", p.Type, "must be 0 (buy) or 1 (sell)");
        if (p.Magic < 0) return FieldProblem.Of("position.magic", p.Magic, NonNegative);
        if (p.TimeMsc < 0) return FieldProblem.Of("position.time_msc", p.TimeMsc, "must be >= 0 (0 = unknown)");
        if (p.InstructionId < 0) return FieldProblem.Of("position.instruction_id", p.InstructionId, "must be >= 0 (0 = none)");
        if (!Positive(p.Volume)) return FieldProblem.Of("position.volume", p.Volume, PositiveFinite);
        if (!Positive(p.PriceOpen)) return FieldProblem.Of("position.price_open", p.PriceOpen, PositiveFinite);
        if (!NonNegativeNumber(p.Sl)) return FieldProblem.Of("position.sl", p.Sl, "must be a finite price >= 0 (0 = none)");
        if (!NonNegativeNumber(p.Tp)) return FieldProblem.Of("position.tp", p.Tp, "must be a finite price >= 0 (0 = none)");
        if (!double.IsFinite(p.Profit)) return FieldProblem.Of("position.profit", p.Profit, Finite);
        if (!double.IsFinite(p.Swap)) return FieldProblem.Of("position.swap", p.Swap, Finite);
        return PossibleVolume("position.volume", p.Volume, spec) is { IsNone: false } volume ? volume
            : p.Sl > 0 && p.Tp > 0 && (p.Type == 0 ? p.Sl >= p.Tp : p.Sl <= p.Tp)
                ? FieldProblem.Of("position.sl", p.Sl, p.Type == 0 ? "must be below tp for a buy" : "must be above tp for a sell")
                : FieldProblem.None;
    }

    /// <summary>A volume the symbol allows in one position: at most max(volume_max, volume_limit).</summary>
    public static FieldProblem PossibleVolume(string field, double volume, in KimiSymbolSpec spec)
    {
        var max = Math.Max(spec.VolumeMax, spec.VolumeLimit);
        return volume > max * (1 + 1e-9) ? FieldProblem.Of(field, volume, "exceeds the symbol's volume max/limit (not a possible position)") : FieldProblem.None;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Positive(double v) => double.IsFinite(v) && v > 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NonNegativeNumber(double v) => double.IsFinite(v) && v >= 0;
}
