using KimiEA.Core.Abi;
using KimiEA.Core.Trading;

namespace KimiEA.Tester.Server;

/// <summary>The simulated trading account.</summary>
public sealed record AccountSettings
{
    /// <summary>Deposit, account currency.</summary>
    public double InitialBalance { get; init; } = 10_000;
    /// <summary>ACCOUNT_CURRENCY: every deal's profit, commission and swap, the margin and the equity are in it.</summary>
    public string Currency { get; init; } = "USD";
    /// <summary>ACCOUNT_LEVERAGE as reported to the engine.</summary>
    public int Leverage { get; init; } = 30;
    /// <summary>True: hedging account (a position per order, closed by ticket); false: netting (one position per symbol).</summary>
    public bool Hedging { get; init; } = true;
    /// <summary>Stop-out: positions are closed, largest loss first, while equity / margin × 100 is at or below this.</summary>
    public double StopOutLevelPercent { get; init; } = 50;
    /// <summary>ACCOUNT_LOGIN.</summary>
    public long Login { get; init; } = 1;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (!(InitialBalance > 0) || double.IsInfinity(InitialBalance))
        {
            throw new ArgumentException($"The initial balance must be a positive number, got {InitialBalance}.", nameof(InitialBalance));
        }

        if (Currency is null || !Money.CurrencyPair.IsCurrency(Currency) || Currency.Any(char.IsAsciiLetterLower))
        {
            throw new ArgumentException($"The account currency must be a three-letter upper-case code such as USD, EUR, GBP or JPY, got '{Currency}'.", nameof(Currency));
        }

        if (Leverage < 1)
        {
            throw new ArgumentException($"The leverage must be at least 1, got {Leverage}.", nameof(Leverage));
        }

        if (!(StopOutLevelPercent >= 0))
        {
            throw new ArgumentException($"The stop-out level cannot be negative, got {StopOutLevelPercent}.", nameof(StopOutLevelPercent));
        }
    }
}

/// <summary>How orders are filled.</summary>
public sealed record ExecutionSettings
{
    /// <summary>Seed of the slippage: an order's slippage is a function of the seed and its ticket (see <see cref="TradeServer"/>).</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Market orders slip against the trader by a uniform whole number of points in [0, this].</summary>
    public int MaxSlippagePoints { get; init; }
    /// <summary>Round-turn commission per lot in the account currency; half is charged on each deal.</summary>
    public double CommissionPerLot { get; init; }
    /// <summary>Which barrier a bar-generated path takes first when one M1 bar covers both the stop and the take-profit.</summary>
    public SameBarRule SameBar { get; init; } = SameBarRule.StopFirst;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (MaxSlippagePoints < 0)
        {
            throw new ArgumentException($"The maximal slippage cannot be negative, got {MaxSlippagePoints}.", nameof(MaxSlippagePoints));
        }

        if (!(CommissionPerLot >= 0) || double.IsInfinity(CommissionPerLot))
        {
            throw new ArgumentException($"The commission per lot must be a non-negative number, got {CommissionPerLot}.", nameof(CommissionPerLot));
        }

        if (!Enum.IsDefined(SameBar))
        {
            throw new ArgumentException($"Unknown same-bar rule {SameBar}.", nameof(SameBar));
        }
    }
}

/// <summary>An open position on the server.</summary>
public sealed class ServerPosition
{
    /// <summary>POSITION_TICKET (the ticket of the opening order).</summary>
    public long Ticket { get; internal set; }
    /// <summary>Index of the symbol in the server's symbol list.</summary>
    public int Symbol { get; internal set; }
    /// <summary>+1 buy, −1 sell.</summary>
    public int Direction { get; internal set; }
    /// <summary>Lots.</summary>
    public double Volume { get; internal set; }
    /// <summary>Open price (volume-weighted on a netting account).</summary>
    public double PriceOpen { get; internal set; }
    /// <summary>Stop-loss, 0 = none.</summary>
    public double Sl { get; internal set; }
    /// <summary>Take-profit, 0 = none.</summary>
    public double Tp { get; internal set; }
    /// <summary>POSITION_MAGIC.</summary>
    public long Magic { get; internal set; }
    /// <summary>POSITION_TIME_MSC.</summary>
    public long TimeMsc { get; internal set; }
    /// <summary>The instruction id the comment "kimi:&lt;id&gt;" carries.</summary>
    public long InstructionId { get; internal set; }
    /// <summary>Margin held, account currency.</summary>
    public double Margin { get; internal set; }
    /// <summary>Entry commission (cents, ≤ 0) not yet attributed to a closed trade.</summary>
    internal long EntryCommissionCents { get; set; }
    /// <summary>The risk at the open: distance from the open price to the stop-loss the position opened with (0 = none).</summary>
    internal double RiskPrice { get; init; }
    /// <summary>
    /// Largest favourable move since the open, price units (≥ 0: the open itself counts). Measured from the open price
    /// at each moment (a netting add moves it); a position restored from a broker state starts again at its restart.
    /// </summary>
    internal double MaxFavorable { get; private set; }
    /// <summary>Largest adverse move since the open, price units (≤ 0).</summary>
    internal double MaxAdverse { get; private set; }

    /// <summary>
    /// The position can be closed at <paramref name="closingPrice"/> (the bid for a buy, the ask for a sell): widens
    /// its maximum favourable and adverse excursions, measured from the open price.
    /// </summary>
    internal void TrackExcursion(double closingPrice)
    {
        var move = (closingPrice - PriceOpen) * Direction;
        MaxFavorable = Math.Max(MaxFavorable, move);
        MaxAdverse = Math.Min(MaxAdverse, move);
    }
    /// <summary>POSITION_SWAP in cents: the rollovers charged so far, paid with the closing deal.</summary>
    public long SwapCents { get; internal set; }

    /// <summary>The position as <c>kimi_sync_positions</c> receives it.</summary>
    public KimiPosition ToAbi(double profit) => new()
    {
        Ticket = Ticket,
        Type = Direction > 0 ? 0 : 1,
        Magic = Magic,
        TimeMsc = TimeMsc,
        InstructionId = InstructionId,
        Volume = Volume,
        PriceOpen = PriceOpen,
        Sl = Sl,
        Tp = Tp,
        Profit = profit,
        Swap = SwapCents / 100.0,
    };
}

/// <summary>A deal in the server's history (money in cents so that balance sums are exact).</summary>
public readonly record struct ServerDeal
{
    /// <summary>DEAL_TICKET.</summary>
    public long Ticket { get; init; }
    /// <summary>DEAL_ORDER.</summary>
    public long Order { get; init; }
    /// <summary>DEAL_POSITION_ID.</summary>
    public long PositionTicket { get; init; }
    /// <summary>Symbol index.</summary>
    public int Symbol { get; init; }
    /// <summary>DEAL_TIME_MSC.</summary>
    public long TimeMsc { get; init; }
    /// <summary>KIMI_DEAL_ENTRY_*.</summary>
    public int Entry { get; init; }
    /// <summary>KIMI_DEAL_TYPE_* (0 buy, 1 sell).</summary>
    public int Type { get; init; }
    /// <summary>KIMI_DEAL_REASON_*.</summary>
    public int Reason { get; init; }
    /// <summary>DEAL_MAGIC.</summary>
    public long Magic { get; init; }
    /// <summary>Lots.</summary>
    public double Volume { get; init; }
    /// <summary>Fill price.</summary>
    public double Price { get; init; }
    /// <summary>DEAL_PROFIT in cents.</summary>
    public long ProfitCents { get; init; }
    /// <summary>DEAL_COMMISSION in cents (≤ 0).</summary>
    public long CommissionCents { get; init; }
    /// <summary>DEAL_SWAP in cents: the swap the closed volume accrued (0 for an entry deal).</summary>
    public long SwapCents { get; init; }

    /// <summary>The deal as <c>kimi_on_trade_transaction</c> receives it.</summary>
    public KimiDeal ToAbi() => new()
    {
        DealTicket = Ticket,
        OrderTicket = Order,
        PositionTicket = PositionTicket,
        TimeMsc = TimeMsc,
        Entry = Entry,
        Type = Type,
        Reason = Reason,
        Magic = Magic,
        Volume = Volume,
        Price = Price,
        Profit = ProfitCents / 100.0,
        Commission = CommissionCents / 100.0,
        Swap = SwapCents / 100.0,
    };
}

/// <summary>One closed trade (one exit deal): a row of trades.csv.</summary>
public sealed record ClosedTrade
{
    /// <summary>The position ticket.</summary>
    public long Ticket { get; init; }
    /// <summary>Symbol name.</summary>
    public required string Symbol { get; init; }
    /// <summary>+1 long, −1 short.</summary>
    public int Direction { get; init; }
    /// <summary>Closed lots.</summary>
    public double Lots { get; init; }
    /// <summary>Position open time, ms.</summary>
    public long EntryTimeMsc { get; init; }
    /// <summary>Position open price.</summary>
    public double EntryPrice { get; init; }
    /// <summary>Exit deal time, ms.</summary>
    public long ExitTimeMsc { get; init; }
    /// <summary>Exit deal price.</summary>
    public double ExitPrice { get; init; }
    /// <summary>TP, SL, TIMEOUT, BREAKER, EMERGENCY, MANUAL, RECONCILED (engine closes), SO (stop-out), END (closed at the end of the data), NETTED (netted by an opposite order).</summary>
    public required string ExitReason { get; init; }
    /// <summary>Entry and exit commission of the closed lots, cents (≤ 0).</summary>
    public long CommissionCents { get; init; }
    /// <summary>Gross profit of the exit deal, cents.</summary>
    public long ProfitCents { get; init; }
    /// <summary>Swap the closed lots accrued, paid with the exit deal, cents.</summary>
    public long SwapCents { get; init; }
    /// <summary>Magic of the position.</summary>
    public long Magic { get; init; }
    /// <summary>
    /// Maximum favourable excursion: the largest move in the trade's favour from its open price to a price it could
    /// have closed at while open (bid for a buy, ask for a sell; the exit included), price units, ≥ 0.
    /// </summary>
    public double MfePrice { get; init; }
    /// <summary>Maximum adverse excursion: the largest move against the trade, price units, ≤ 0.</summary>
    public double MaePrice { get; init; }
    /// <summary><see cref="MfePrice"/> for the closed lots, account currency.</summary>
    public double MfeMoney { get; init; }
    /// <summary><see cref="MaePrice"/> for the closed lots, account currency.</summary>
    public double MaeMoney { get; init; }
    /// <summary>The risk the position opened with: open price to stop-loss, price units (0 = opened without a stop).</summary>
    public double RiskPrice { get; init; }

    /// <summary>Net result in cents: profit plus commission plus swap.</summary>
    public long PnlCents => ProfitCents + CommissionCents + SwapCents;
    /// <summary>Net result, account currency.</summary>
    public double Pnl => PnlCents / 100.0;
    /// <summary>Commission, account currency.</summary>
    public double Commission => CommissionCents / 100.0;
    /// <summary>Swap, account currency.</summary>
    public double Swap => SwapCents / 100.0;
}

/// <summary>The outcome of one request, as MqlTradeResult reports it.</summary>
public readonly record struct TradeResult(int Retcode, long Order, long Deal, long Position, double Price, double Volume, double Bid, double Ask)
{
    /// <summary>True for 10009 DONE.</summary>
    public bool Done => Retcode == TradeRetcode.Done;
}

/// <summary>
/// Receives every change of the broker's state as it happens, so that the state can be kept durably (a crashed run
/// restarted on the same broker state). The server calls it synchronously, in order, and calls <see cref="Commit"/>
/// when one request (an order, a modification, a close, a price that triggered SL/TP or a stop-out) is complete:
/// the changes between two commits belong together (a closing deal and the position it removes) and must survive a
/// crash all or none.
/// </summary>
public interface IBrokerJournal
{
    /// <summary>The changes since the previous commit form one complete state change (nothing to do when there were none).</summary>
    void Commit();

    /// <summary>A deal was added to the history (the balance changed by its profit and commission).</summary>
    void DealAdded(in ServerDeal deal);
    /// <summary>A position was opened or changed (volume, price, SL/TP).</summary>
    void PositionChanged(ServerPosition position);
    /// <summary>A position was closed.</summary>
    void PositionRemoved(long ticket);
    /// <summary>The rollover at <paramref name="rolloverMsc"/> charged swaps (the positions it changed were reported before).</summary>
    void Rollover(long rolloverMsc);
}
