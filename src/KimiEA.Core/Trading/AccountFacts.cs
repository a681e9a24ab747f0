namespace KimiEA.Core.Trading;

/// <summary>ACCOUNT_TRADE_MODE values. Numeric values are MT5's and part of the ABI.</summary>
public enum AccountTradeMode
{
    /// <summary>Demo account.</summary>
    Demo = 0,
    /// <summary>Contest account.</summary>
    Contest = 1,
    /// <summary>Real account.</summary>
    Real = 2,
}

/// <summary>ACCOUNT_MARGIN_MODE values. Numeric values are MT5's and part of the ABI.</summary>
public enum AccountMarginMode
{
    /// <summary>One position per symbol; opposite deals reduce or reverse it.</summary>
    RetailNetting = 0,
    /// <summary>Exchange netting.</summary>
    Exchange = 1,
    /// <summary>Several positions per symbol, closed by ticket.</summary>
    RetailHedging = 2,
}

/// <summary>
/// Account facts as the terminal reports them (AccountInfo*). Pushed at create and refreshed by the EA; the engine
/// never guesses them.
/// </summary>
public readonly record struct AccountFacts
{
    /// <summary>Account number (ACCOUNT_LOGIN).</summary>
    public long Login { get; init; }
    /// <summary>Demo, contest or real.</summary>
    public AccountTradeMode TradeMode { get; init; }
    /// <summary>Netting or hedging.</summary>
    public AccountMarginMode MarginMode { get; init; }
    /// <summary>Account leverage (ACCOUNT_LEVERAGE).</summary>
    public int Leverage { get; init; }
    /// <summary>Balance, account currency.</summary>
    public double Balance { get; init; }
    /// <summary>Equity = balance + floating P/L, account currency.</summary>
    public double Equity { get; init; }
    /// <summary>Margin in use.</summary>
    public double Margin { get; init; }
    /// <summary>Free margin.</summary>
    public double FreeMargin { get; init; }

    /// <summary>True for hedging accounts (positions are closed by ticket; several per symbol allowed).</summary>
    public bool IsHedging => MarginMode == AccountMarginMode.RetailHedging;
}
