namespace KimiEA.Tester.Server;

/// <summary>
/// MT5 trade server return codes (<c>MqlTradeResult.retcode</c>, ENUM_TRADE_RETURN_CODES) that the simulated server
/// produces. The numbers are MetaQuotes' and are what the engine receives through <c>kimi_report_result</c>.
/// </summary>
public static class TradeRetcode
{
    /// <summary>10009 TRADE_RETCODE_DONE: request completed.</summary>
    public const int Done = 10009;
    /// <summary>10013 TRADE_RETCODE_INVALID: invalid request (unknown kind, bad direction, NaN).</summary>
    public const int Invalid = 10013;
    /// <summary>10014 TRADE_RETCODE_INVALID_VOLUME: volume below min, above max or not a multiple of the step.</summary>
    public const int InvalidVolume = 10014;
    /// <summary>10015 TRADE_RETCODE_INVALID_PRICE: invalid price.</summary>
    public const int InvalidPrice = 10015;
    /// <summary>10016 TRADE_RETCODE_INVALID_STOPS: SL/TP on the wrong side or closer than the stops level.</summary>
    public const int InvalidStops = 10016;
    /// <summary>10018 TRADE_RETCODE_MARKET_CLOSED: no price for the symbol yet.</summary>
    public const int MarketClosed = 10018;
    /// <summary>10019 TRADE_RETCODE_NO_MONEY: not enough free margin.</summary>
    public const int NoMoney = 10019;
    /// <summary>10025 TRADE_RETCODE_NO_CHANGES: a modify that changes nothing.</summary>
    public const int NoChanges = 10025;
    /// <summary>10029 TRADE_RETCODE_FROZEN: the position is inside the freeze level.</summary>
    public const int Frozen = 10029;
    /// <summary>10034 TRADE_RETCODE_LIMIT_VOLUME: SYMBOL_VOLUME_LIMIT would be exceeded.</summary>
    public const int LimitVolume = 10034;
    /// <summary>10036 TRADE_RETCODE_POSITION_CLOSED: the position does not exist (any more).</summary>
    public const int PositionClosed = 10036;

    /// <summary>The MQL5 name of a code this server produces (for reports); other codes as their number.</summary>
    public static string Name(long code) => code switch
    {
        Done => "DONE",
        Invalid => "INVALID",
        InvalidVolume => "INVALID_VOLUME",
        InvalidPrice => "INVALID_PRICE",
        InvalidStops => "INVALID_STOPS",
        MarketClosed => "MARKET_CLOSED",
        NoMoney => "NO_MONEY",
        NoChanges => "NO_CHANGES",
        Frozen => "FROZEN",
        LimitVolume => "LIMIT_VOLUME",
        PositionClosed => "POSITION_CLOSED",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
