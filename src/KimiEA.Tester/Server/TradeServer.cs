using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Tester.Server.Money;

namespace KimiEA.Tester.Server;

/// <summary>
/// The simulated MT5 trade server: prices per symbol, one account shared by every symbol (the swarm), market orders,
/// server-side SL/TP, stop-out, hedging or netting, rollovers, and the deal history. The money rules are seams of
/// their own (Server/Money): <see cref="FillModel"/> (fill price and seeded slippage), <see cref="CommissionModel"/>,
/// <see cref="MarginModel"/>, <see cref="SwapModel"/> with its <see cref="RolloverSchedule"/>, and the
/// <see cref="CurrencyConverter"/> that brings every symbol's money into the account currency.
/// </summary>
/// <remarks>
/// Money is kept in cents (long): every deal's profit, commission and swap is rounded to the cent as MT5 does, so the
/// balance is exactly the deposit plus the sum of the deals, and therefore exactly the deposit plus the sum of the
/// closed trades once everything is closed. Swaps accrue on the open position at each rollover (POSITION_SWAP, part
/// of the equity, not of the balance) and are paid with the closing deal (DEAL_SWAP), a partial close paying its share.
/// Fill rules: a market order fills at ask (buy) / bid (sell) moved against the trader by the seeded slippage.
/// SL/TP are checked on every price: a buy against the bid, a sell against the ask. When the price moved there
/// continuously (a path tick generated inside a bar) the level itself is filled; when it jumped there (a real tick
/// or a bar's opening tick: a gap) the fill is that first price at or beyond the level, never the level.
/// </remarks>
public sealed class TradeServer
{
    private readonly TesterSymbol[] _symbols;
    private readonly double[] _bid;
    private readonly double[] _ask;
    private readonly bool[] _hasPrice;
    private readonly List<ServerPosition> _positions = [];
    private readonly List<ServerDeal> _pending = [];
    private readonly List<ClosedTrade> _trades = [];
    private readonly IBrokerJournal? _journal;
    private readonly FillModel _fill;
    private readonly CommissionModel _commission;
    private readonly CurrencyConverter _converter;
    private readonly MarginModel _margin;
    private readonly SwapModel _swaps;
    private readonly RolloverSchedule _rollover;
    // The next rollover instant; long.MinValue until the first price, long.MaxValue when no symbol charges swaps.
    private long _nextRolloverMsc;
    private long _balanceCents;
    private long _nextOrder = 1;
    private long _nextDeal = 1;
    private long _timeMsc;

    /// <summary>Creates a server with the account's deposit and no positions.</summary>
    /// <param name="account">The account (its currency is the one every symbol's money is converted to).</param>
    /// <param name="symbols">The traded symbols.</param>
    /// <param name="execution">Fill and commission settings.</param>
    /// <param name="journal">Receives every state change, or null.</param>
    /// <param name="money">Conversion prices and the rollover rule; null: none (every symbol must then be in the account currency or its own conversion pair).</param>
    /// <exception cref="ArgumentException">Bad settings or symbols; a swap mode the tester does not implement.</exception>
    /// <exception cref="MissingConversionException">A currency of a symbol has no conversion pair (the message names the pairs needed).</exception>
    public TradeServer(AccountSettings account, IReadOnlyList<TesterSymbol> symbols, ExecutionSettings execution, IBrokerJournal? journal = null, MoneySettings? money = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(execution);
        account.Validate();
        execution.Validate();
        if (symbols.Count == 0)
        {
            throw new ArgumentException("The trade server needs at least one symbol.", nameof(symbols));
        }

        foreach (var s in symbols)
        {
            s.Validate();
        }

        Account = account;
        Execution = execution;
        _symbols = [.. symbols];
        _bid = new double[_symbols.Length];
        _ask = new double[_symbols.Length];
        _hasPrice = new bool[_symbols.Length];
        _journal = journal;
        money ??= new MoneySettings();
        _fill = new FillModel(execution);
        _commission = new CommissionModel(execution);
        _converter = new CurrencyConverter(account.Currency, _symbols, money);
        _margin = new MarginModel(_symbols, _converter);
        _swaps = new SwapModel(_symbols, _converter);
        _rollover = money.Rollover;
        _nextRolloverMsc = _swaps.Any ? long.MinValue : long.MaxValue;
        _balanceCents = Cents.Of(account.InitialBalance);
        Deposit = account.InitialBalance;
    }

    /// <summary>The conversion of every symbol's money into the account currency.</summary>
    public CurrencyConverter Converter => _converter;

    /// <summary>The account settings.</summary>
    public AccountSettings Account { get; }
    /// <summary>The execution settings.</summary>
    public ExecutionSettings Execution { get; }
    /// <summary>The symbols, by index.</summary>
    public IReadOnlyList<TesterSymbol> Symbols => _symbols;
    /// <summary>Open positions.</summary>
    public IReadOnlyList<ServerPosition> Positions => _positions;
    /// <summary>Closed trades in closing order.</summary>
    public IReadOnlyList<ClosedTrade> Trades => _trades;
    /// <summary>Deals not yet taken by <see cref="TakeNewDeals"/> (what OnTradeTransaction still has to deliver).</summary>
    public int PendingDealCount => _pending.Count;
    /// <summary>Same-bar SL/TP cases resolved by the ambiguity rule.</summary>
    public int AmbiguousExits { get; private set; }
    /// <summary>Positions closed by stop-out.</summary>
    public int StopOuts { get; private set; }
    /// <summary>Deals executed.</summary>
    public long DealCount => _nextDeal - 1;
    /// <summary>Balance in cents.</summary>
    public long BalanceCents => _balanceCents;
    /// <summary>Balance, account currency.</summary>
    public double Balance => _balanceCents / 100.0;
    /// <summary>Server time of the last price, ms.</summary>
    public long TimeMsc => _timeMsc;

    /// <summary>Equity: balance plus the floating profit of every open position at the current prices.</summary>
    public double Equity
    {
        get
        {
            var eq = Balance;
            foreach (var p in _positions)
            {
                eq += FloatingProfit(p);
                if (p.SwapCents != 0)
                {
                    eq += p.SwapCents / 100.0;
                }
            }

            return eq;
        }
    }

    /// <summary>Margin held by the open positions.</summary>
    public double Margin
    {
        get
        {
            var m = 0.0;
            foreach (var p in _positions)
            {
                m += p.Margin;
            }

            return m;
        }
    }

    /// <summary>Current bid of a symbol (0 before its first price).</summary>
    public double Bid(int symbol) => _bid[symbol];

    /// <summary>Current ask of a symbol (0 before its first price).</summary>
    public double Ask(int symbol) => _ask[symbol];

    /// <summary>
    /// The symbol's specification as the EA pushes it at bid <paramref name="bid"/> (SymbolInfo*, OrderCalcMargin for
    /// one lot), money in the account currency at the conversion prices of this moment: the tick value of a profit and
    /// of a loss (SYMBOL_TRADE_TICK_VALUE_PROFIT / _LOSS), the margin and the notional value of one lot.
    /// </summary>
    public KimiSymbolSpec SymbolSpec(int symbol, double bid)
    {
        var s = _symbols[symbol];
        // Before the symbol's first price (the terminal's start) the given bid stands for both sides.
        var ask = _hasPrice[symbol] && _bid[symbol] == bid ? _ask[symbol] : bid;
        var route = _converter.ProfitRoute(symbol);
        return new KimiSymbolSpec
        {
            Digits = s.Digits,
            StopsLevelPoints = s.StopsLevelPoints,
            FreezeLevelPoints = s.FreezeLevelPoints,
            FillingMode = 1,
            Point = s.Point,
            TickSize = s.TickSize,
            TickValueProfit = _converter.ToAccount(s.TickValue, route, bid, ask),
            TickValueLoss = -_converter.ToAccount(-s.TickValue, route, bid, ask),
            ContractSize = s.ContractSize,
            VolumeMin = s.VolumeMin,
            VolumeStep = s.VolumeStep,
            VolumeMax = s.VolumeMax,
            VolumeLimit = s.VolumeLimit,
            MarginPerLot = _margin.Of(symbol, 1, bid),
            NotionalPerLot = _converter.ToAccount(s.ContractSize * bid, route, bid, ask),
        };
    }

    /// <summary>Round-turn commission per lot of a symbol in the account currency (the engine sizes with it).</summary>
    public double RoundTurnCommissionPerLot(int symbol) => _commission.RoundTurnPerLot(_symbols[symbol]);

    /// <summary>The account facts the EA reads from AccountInfo* (demo account).</summary>
    public KimiAccount AccountFacts()
    {
        var equity = Equity;
        var margin = Margin;
        return new KimiAccount
        {
            Login = Account.Login,
            TradeMode = (long)AccountTradeMode.Demo,
            MarginMode = (long)(Account.Hedging ? AccountMarginMode.RetailHedging : AccountMarginMode.RetailNetting),
            Leverage = Account.Leverage,
            Balance = Balance,
            Equity = equity,
            Margin = margin,
            FreeMargin = equity - margin,
        };
    }

    /// <summary>
    /// Money of the deals restored by <see cref="Restore"/> that no trade of this run will report, cents: their profit
    /// and commission minus the entry commission the restored open positions carry into their future trades. So
    /// balance = deposit + this + Σ pnl of this run's trades, once everything is closed.
    /// </summary>
    public long RestoredDealsCents { get; private set; }

    /// <summary>The account's deposit: <see cref="AccountSettings.InitialBalance"/>, except on a server made by <see cref="Resume"/>.</summary>
    public double Deposit { get; private set; }

    /// <summary>
    /// Entry commission the open positions have paid and will report with their trades, cents (≤ 0): the part of the
    /// balance that belongs to no closed trade yet.
    /// </summary>
    public long OpenEntryCommissionCents
    {
        get
        {
            long c = 0;
            foreach (var p in _positions)
            {
                c += p.EntryCommissionCents;
            }

            return c;
        }
    }

    /// <summary>
    /// Continues from a broker state replayed from a <see cref="BrokerJournalFile"/> (a killed run restarted): the
    /// balance moves by the restored deals, the open positions come back, and new tickets continue after the old
    /// ones. Only a fresh server (no deal yet) can be restored. The restored deals are not trades of this run, see
    /// <see cref="RestoredDealsCents"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The server already traded, or a position's symbol is unknown.</exception>
    public void Restore(BrokerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        RestoreCore(state, _balanceCents + state.DealsCents);
    }

    /// <summary>
    /// A server that continues a killed or stopped run from its broker state (a terminal restart): the deposit is
    /// <paramref name="account"/>'s, the balance is the deposit plus every restored deal, the positions and tickets
    /// continue. Its <see cref="Account"/>'s <see cref="AccountSettings.InitialBalance"/> is the balance this run's
    /// trades start from — deposit + <see cref="RestoredDealsCents"/> — so the run's statistics and the identity
    /// final balance = initial balance + Σ pnl of this run's trades hold as for a fresh run.
    /// </summary>
    /// <exception cref="InvalidOperationException">The restored balance is not positive (nothing left to trade), or a position's symbol is unknown.</exception>
    public static TradeServer Resume(AccountSettings account, IReadOnlyList<TesterSymbol> symbols, ExecutionSettings execution, BrokerState state, IBrokerJournal? journal = null, MoneySettings? money = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(state);
        account.Validate();
        var deposit = Cents.Of(account.InitialBalance);
        var start = deposit + state.ClosedDealsCents;
        if (start <= 0)
        {
            throw new InvalidOperationException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The broker state leaves a balance of {start / 100.0:0.00} on a deposit of {deposit / 100.0:0.00}: the account has nothing left to continue with."));
        }

        var server = new TradeServer(account with { InitialBalance = start / 100.0 }, symbols, execution, journal, money);
        server.RestoreCore(state, deposit + state.DealsCents);
        server.Deposit = account.InitialBalance;
        return server;
    }

    private void RestoreCore(BrokerState state, long balanceCents)
    {
        if (_nextDeal != 1 || _positions.Count != 0)
        {
            throw new InvalidOperationException("Only a fresh trade server can be restored from a broker journal.");
        }

        foreach (var p in state.Positions)
        {
            if ((uint)p.Symbol >= (uint)_symbols.Length)
            {
                throw new InvalidOperationException($"The broker journal has position {p.Ticket} on symbol #{p.Symbol}, but this server has {_symbols.Length} symbols.");
            }

            _positions.Add(p);
        }

        RestoredDealsCents = state.ClosedDealsCents;
        _balanceCents = balanceCents;
        _nextOrder = state.LastOrder + 1;
        _nextDeal = state.Deals.Count == 0 ? 1 : state.Deals.Max(d => d.Ticket) + 1;
        if (_nextRolloverMsc != long.MaxValue && _positions.Count > 0)
        {
            // The restored positions carry their swaps up to the last rollover the file recorded; the next one is
            // the first after everything recorded.
            _nextRolloverMsc = _rollover.NextAfter(Math.Max(state.LastTimeMsc, state.LastRolloverMsc));
        }
    }

    /// <summary>
    /// Floating profit of a position at the current price (a buy closes at bid, a sell at ask) in the account currency
    /// at the current conversion price (POSITION_PROFIT: without the swap); 0 before the symbol's first price (a
    /// position restored from a broker state is valued once its market has a price again).
    /// </summary>
    public double FloatingProfit(ServerPosition p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (!_hasPrice[p.Symbol])
        {
            return 0;
        }

        var s = _symbols[p.Symbol];
        return ProfitToAccount(p.Symbol, p.Direction > 0
            ? s.ProfitOf(_bid[p.Symbol] - p.PriceOpen, p.Volume)
            : s.ProfitOf(p.PriceOpen - _ask[p.Symbol], p.Volume));
    }

    private double ProfitToAccount(int symbol, double profit) => _converter.ProfitToAccount(symbol, profit);

    /// <summary>Moves the deals produced since the last call into <paramref name="into"/> (in deal order).</summary>
    public void TakeNewDeals(List<ServerDeal> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.AddRange(_pending);
        _pending.Clear();
    }

    /// <summary>
    /// A new price of <paramref name="symbol"/> arrives: SL/TP of that symbol's positions are checked against it and
    /// then the account against the stop-out level.
    /// </summary>
    /// <param name="symbol">Symbol index.</param>
    /// <param name="timeMsc">Server time, ms.</param>
    /// <param name="bid">Bid (normalized to the tick size by the caller).</param>
    /// <param name="ask">Ask.</param>
    /// <param name="continuous">True when the price moved here continuously from the previous one (a path tick
    /// generated inside a bar): triggered levels fill at the level. False for real ticks and bar opens (gaps).</param>
    public void SetPrice(int symbol, long timeMsc, double bid, double ask, bool continuous)
    {
        MovePrice(symbol, timeMsc, bid, ask, continuous);
        _journal?.Commit();
    }

    private void MovePrice(int symbol, long timeMsc, double bid, double ask, bool continuous)
    {
        if (!(bid > 0) || !(ask >= bid) || double.IsInfinity(ask))
        {
            throw new ArgumentException($"Bad price for {_symbols[symbol].Name} at {timeMsc} ms: bid {bid}, ask {ask}.", nameof(bid));
        }

        if (timeMsc >= _nextRolloverMsc)
        {
            Rollover(timeMsc);
        }

        _timeMsc = timeMsc;
        _bid[symbol] = bid;
        _ask[symbol] = ask;
        _hasPrice[symbol] = true;
        _converter.OnPrice(symbol, bid, ask);
        _converter.AdvanceTo(timeMsc);
        if (_positions.Count == 0)
        {
            return;
        }

        for (var i = _positions.Count - 1; i >= 0; i--)
        {
            if (i >= _positions.Count)
            {
                continue;
            }

            var p = _positions[i];
            if (p.Symbol != symbol)
            {
                continue;
            }

            p.TrackExcursion(p.Direction > 0 ? bid : ask);
            // A buy is stopped when the bid falls to its SL and takes profit when the bid rises to its TP; a sell
            // the mirror image against the ask (BarrierStep, the product's one barrier rule).
            var hit = BarrierStep.OnPrice(Barriers(p), bid, ask, continuous);
            if (hit.Reason == ExitReason.StopLoss)
            {
                ClosePosition(p, hit.Price, AbiCodes.DealReasonSl, "SL", 0);
            }
            else if (hit.Reason == ExitReason.TakeProfit)
            {
                ClosePosition(p, hit.Price, AbiCodes.DealReasonTp, "TP", 0);
            }
        }

        CheckStopOut();
    }

    /// <summary>
    /// Every rollover up to <paramref name="timeMsc"/> (a weekend gap holds several): each open position is charged
    /// the swap of the server day it ends (none for Saturday and Sunday, three days on its symbol's triple-swap day),
    /// at the last prices before it. The charge accrues on the position and is paid with its closing deal.
    /// </summary>
    private void Rollover(long timeMsc)
    {
        if (_nextRolloverMsc == long.MinValue || _positions.Count == 0)
        {
            // The first price, or nothing open: nothing to charge up to here.
            _nextRolloverMsc = _rollover.NextAfter(timeMsc);
            return;
        }

        while (_nextRolloverMsc <= timeMsc)
        {
            var at = _nextRolloverMsc;
            _nextRolloverMsc = _rollover.NextAfter(at);
            _converter.AdvanceTo(at);
            var day = _rollover.DayEndedBy(at);
            var charged = false;
            foreach (var p in _positions)
            {
                if (!_hasPrice[p.Symbol])
                {
                    continue;
                }

                var days = RolloverSchedule.SwapDays(day, _symbols[p.Symbol].TripleSwapDay);
                var cents = _swaps.ChargeCents(p, days, _bid[p.Symbol], _ask[p.Symbol]);
                if (cents != 0)
                {
                    p.SwapCents += cents;
                    _journal?.PositionChanged(p);
                    charged = true;
                }
            }

            if (charged)
            {
                _journal?.Rollover(at);
            }
        }
    }

    /// <summary>
    /// The same-bar rule for bar-generated ticks: every position of <paramref name="symbol"/> whose SL and TP both lie
    /// inside the M1 bar's range (bid range for buys, bid range + spread for sells) is closed at the level
    /// <see cref="ExecutionSettings.SameBar"/> picks, and counted. Call it after the bar's opening tick (which filled
    /// every level the open gapped through) and before its path ticks (which fill the bars touching one level), so the
    /// three together resolve the bar exactly as <see cref="BarrierStep.OnBar"/> does.
    /// </summary>
    /// <param name="symbol">Symbol index.</param>
    /// <param name="timeMsc">Server time of the resolution, ms.</param>
    /// <param name="bar">The M1 bar, bid prices (its spread field is not used).</param>
    /// <param name="spread">Ask − bid during the bar, price units.</param>
    /// <returns>The number of positions resolved.</returns>
    public int ResolveSameBar(int symbol, long timeMsc, in Bar bar, double spread)
    {
        var result = ResolveSameBarCore(symbol, timeMsc, bar, spread);
        _journal?.Commit();
        return result;
    }

    private int ResolveSameBarCore(int symbol, long timeMsc, in Bar bar, double spread)
    {
        var resolved = 0;
        for (var i = _positions.Count - 1; i >= 0; i--)
        {
            if (i >= _positions.Count)
            {
                continue;
            }

            var p = _positions[i];
            if (p.Symbol != symbol)
            {
                continue;
            }

            // Only the rule's cases are taken here: a gap was filled by the opening tick, a single touch is filled by
            // the path tick that reaches it (at its own time, as the EA would see it).
            var exit = BarrierStep.OnBar(Barriers(p), 0, bar, spread, Execution.SameBar);
            if (!exit.Ambiguous)
            {
                continue;
            }

            _timeMsc = Math.Max(_timeMsc, timeMsc);
            if (exit.Reason == ExitReason.StopLoss)
            {
                ClosePosition(p, exit.Price, AbiCodes.DealReasonSl, "SL", 0);
            }
            else
            {
                ClosePosition(p, exit.Price, AbiCodes.DealReasonTp, "TP", 0);
            }

            AmbiguousExits++;
            resolved++;
        }

        if (resolved > 0)
        {
            CheckStopOut();
        }

        return resolved;
    }

    /// <summary>
    /// A market order (TRADE_ACTION_DEAL) with SL/TP attached. On a hedging account it opens a new position; on a
    /// netting account it adds to, reduces, closes or reverses the symbol's position.
    /// </summary>
    public TradeResult MarketOrder(int symbol, int direction, double volume, double sl, double tp, long magic, long instructionId)
    {
        var result = MarketOrderCore(symbol, direction, volume, sl, tp, magic, instructionId);
        _journal?.Commit();
        return result;
    }

    private TradeResult MarketOrderCore(int symbol, int direction, double volume, double sl, double tp, long magic, long instructionId)
    {
        if ((uint)symbol >= (uint)_symbols.Length || direction is not (1 or -1) || !double.IsFinite(volume) || !double.IsFinite(sl) || !double.IsFinite(tp) || sl < 0 || tp < 0)
        {
            return Reject(TradeRetcode.Invalid, symbol);
        }

        if (!_hasPrice[symbol])
        {
            return Reject(TradeRetcode.MarketClosed, symbol);
        }

        var s = _symbols[symbol];
        if (!VolumeValid(s, volume))
        {
            return Reject(TradeRetcode.InvalidVolume, symbol);
        }

        sl = sl > 0 ? s.Normalize(sl) : 0;
        tp = tp > 0 ? s.Normalize(tp) : 0;
        if (!StopsValid(symbol, direction, sl, tp))
        {
            return Reject(TradeRetcode.InvalidStops, symbol);
        }

        var existing = Account.Hedging ? null : FindNetting(symbol);
        var sameSide = 0.0;
        foreach (var p in _positions)
        {
            if (p.Symbol == symbol && p.Direction == direction)
            {
                sameSide += p.Volume;
            }
        }

        if (s.VolumeLimit > 0 && (existing is null || existing.Direction == direction) && sameSide + volume > s.VolumeLimit + 1e-9)
        {
            return Reject(TradeRetcode.LimitVolume, symbol);
        }

        var fill = _fill.MarketPrice(s, _bid[symbol], _ask[symbol], direction, _nextOrder);
        // Margin the order adds: all of it on hedging or when adding; only the reversed excess when netting against.
        var addedLots = existing is null || existing.Direction == direction ? volume : Math.Max(0, volume - existing.Volume);
        var equity = Equity;
        if (addedLots > 0 && _margin.Of(symbol, addedLots, fill) > equity - Margin)
        {
            return Reject(TradeRetcode.NoMoney, symbol);
        }

        var order = _nextOrder++;
        var commission = _commission.PerDealCents(s, volume);
        if (existing is null)
        {
            var deal = AddDeal(order, order, symbol, AbiCodes.DealEntryIn, direction, AbiCodes.DealReasonExpert, magic, volume, fill, 0, commission);
            var pos = OpenPosition(order, symbol, direction, volume, fill, sl, tp, magic, instructionId, commission);
            return new TradeResult(TradeRetcode.Done, order, deal, pos.Ticket, fill, volume, _bid[symbol], _ask[symbol]);
        }

        if (existing.Direction == direction)
        {
            var deal = AddDeal(order, existing.Ticket, symbol, AbiCodes.DealEntryIn, direction, AbiCodes.DealReasonExpert, magic, volume, fill, 0, commission);
            var total = RoundLots(existing.Volume + volume);
            existing.PriceOpen = (existing.PriceOpen * existing.Volume + fill * volume) / total;
            existing.Volume = total;
            existing.Sl = sl;
            existing.Tp = tp;
            existing.Margin += _margin.Of(symbol, volume, fill);
            existing.EntryCommissionCents += commission;
            _journal?.PositionChanged(existing);
            return new TradeResult(TradeRetcode.Done, order, deal, existing.Ticket, fill, volume, _bid[symbol], _ask[symbol]);
        }

        // Netting, opposite side: reduce, close or reverse the position.
        var closed = Math.Min(volume, existing.Volume);
        var rest = RoundLots(volume - closed);
        var exitCommission = rest > 0 ? _commission.PerDealCents(s, closed) : commission;
        var entryCommission = commission - exitCommission;
        // One deal charges the whole commission; the reversed position carries its entry part to its own trade.
        var dealTicket = CloseVolume(existing, closed, fill, order, rest > 0 ? AbiCodes.DealEntryInout : AbiCodes.DealEntryOut,
            AbiCodes.DealReasonExpert, "NETTED", exitCommission, magic, entryCommission, rest);
        if (rest > 0)
        {
            OpenPosition(existing.Ticket, symbol, direction, rest, fill, sl, tp, magic, instructionId, entryCommission);
        }

        return new TradeResult(TradeRetcode.Done, order, dealTicket, existing.Ticket, fill, volume, _bid[symbol], _ask[symbol]);
    }

    private ServerPosition OpenPosition(long ticket, int symbol, int direction, double volume, double price, double sl, double tp, long magic, long instructionId, long entryCommissionCents)
    {
        var pos = new ServerPosition
        {
            Ticket = ticket,
            Symbol = symbol,
            Direction = direction,
            Volume = volume,
            PriceOpen = price,
            Sl = sl,
            Tp = tp,
            Magic = magic,
            TimeMsc = _timeMsc,
            InstructionId = instructionId,
            Margin = _margin.Of(symbol, volume, price),
            EntryCommissionCents = entryCommissionCents,
            RiskPrice = sl > 0 ? Math.Abs(price - sl) : 0,
        };
        _positions.Add(pos);
        _journal?.PositionChanged(pos);
        return pos;
    }

    /// <summary>Changes SL/TP of a position (TRADE_ACTION_SLTP).</summary>
    public TradeResult Modify(long ticket, double sl, double tp)
    {
        var result = ModifyCore(ticket, sl, tp);
        _journal?.Commit();
        return result;
    }

    private TradeResult ModifyCore(long ticket, double sl, double tp)
    {
        var p = Find(ticket);
        if (p is null)
        {
            return Reject(TradeRetcode.PositionClosed, -1);
        }

        if (!double.IsFinite(sl) || !double.IsFinite(tp) || sl < 0 || tp < 0)
        {
            return Reject(TradeRetcode.Invalid, p.Symbol);
        }

        var s = _symbols[p.Symbol];
        sl = sl > 0 ? s.Normalize(sl) : 0;
        tp = tp > 0 ? s.Normalize(tp) : 0;
        if (sl == p.Sl && tp == p.Tp)
        {
            return Reject(TradeRetcode.NoChanges, p.Symbol);
        }

        if (Frozen(p))
        {
            return Reject(TradeRetcode.Frozen, p.Symbol);
        }

        if (!StopsValid(p.Symbol, p.Direction, sl, tp))
        {
            return Reject(TradeRetcode.InvalidStops, p.Symbol);
        }

        p.Sl = sl;
        p.Tp = tp;
        _journal?.PositionChanged(p);
        return new TradeResult(TradeRetcode.Done, _nextOrder++, 0, p.Ticket, 0, p.Volume, _bid[p.Symbol], _ask[p.Symbol]);
    }

    /// <summary>
    /// Closes a position with a market deal (TRADE_ACTION_DEAL with request.position). On a netting account a
    /// <paramref name="ticket"/> of 0 means the symbol's position.
    /// </summary>
    /// <param name="symbol">Symbol index.</param>
    /// <param name="ticket">Position ticket (0 on netting = the symbol's position).</param>
    /// <param name="exitReason">The trade's exit reason code for trades.csv (TIMEOUT, BREAKER ...).</param>
    public TradeResult Close(int symbol, long ticket, string exitReason)
    {
        var result = CloseCore(symbol, ticket, exitReason);
        _journal?.Commit();
        return result;
    }

    private TradeResult CloseCore(int symbol, long ticket, string exitReason)
    {
        ArgumentNullException.ThrowIfNull(exitReason);
        var p = ticket != 0 ? Find(ticket) : Account.Hedging ? null : FindNetting(symbol);
        if (p is null || p.Symbol != symbol)
        {
            return Reject(TradeRetcode.PositionClosed, symbol);
        }

        if (Frozen(p))
        {
            return Reject(TradeRetcode.Frozen, symbol);
        }

        var fill = _fill.MarketPrice(_symbols[symbol], _bid[symbol], _ask[symbol], -p.Direction, _nextOrder);
        var order = _nextOrder++;
        var volume = p.Volume;
        var deal = ClosePosition(p, fill, AbiCodes.DealReasonExpert, exitReason, order);
        return new TradeResult(TradeRetcode.Done, order, deal, p.Ticket, fill, volume, _bid[symbol], _ask[symbol]);
    }

    /// <summary>Closes every open position at the current price without slippage (the end of the test).</summary>
    public void CloseAll(string exitReason)
    {
        CloseAllCore(exitReason);
        _journal?.Commit();
    }

    private void CloseAllCore(string exitReason)
    {
        for (var i = _positions.Count - 1; i >= 0; i--)
        {
            var p = _positions[i];
            ClosePosition(p, p.Direction > 0 ? _bid[p.Symbol] : _ask[p.Symbol], AbiCodes.DealReasonExpert, exitReason, 0);
        }
    }

    private static double RoundLots(double lots) => Math.Round(lots, 8);

    private static bool VolumeValid(TesterSymbol s, double volume)
    {
        if (volume < s.VolumeMin - 1e-9 || volume > s.VolumeMax + 1e-9)
        {
            return false;
        }

        var steps = volume / s.VolumeStep;
        return Math.Abs(steps - Math.Round(steps)) < 1e-6;
    }

    private ServerPosition? Find(long ticket)
    {
        foreach (var p in _positions)
        {
            if (p.Ticket == ticket)
            {
                return p;
            }
        }

        return null;
    }

    private ServerPosition? FindNetting(int symbol)
    {
        foreach (var p in _positions)
        {
            if (p.Symbol == symbol)
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>MT5 stop rules: a buy's SL below and TP above the bid, a sell's SL above and TP below the ask, each at least the stops level away.</summary>
    private bool StopsValid(int symbol, int direction, double sl, double tp)
    {
        var s = _symbols[symbol];
        var min = s.StopsLevelPoints * s.Point - s.Point * 1e-6;
        var reference = direction > 0 ? _bid[symbol] : _ask[symbol];
        if (sl > 0)
        {
            var distance = direction > 0 ? reference - sl : sl - reference;
            if (distance <= 0 || distance < min)
            {
                return false;
            }
        }

        if (tp > 0)
        {
            var distance = direction > 0 ? tp - reference : reference - tp;
            if (distance <= 0 || distance < min)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Freeze level: no modify or close while the closing price is within the freeze distance of SL or TP.</summary>
    private bool Frozen(ServerPosition p)
    {
        var s = _symbols[p.Symbol];
        if (s.FreezeLevelPoints == 0)
        {
            return false;
        }

        var freeze = s.FreezeLevelPoints * s.Point;
        var price = p.Direction > 0 ? _bid[p.Symbol] : _ask[p.Symbol];
        return (p.Sl > 0 && Math.Abs(price - p.Sl) < freeze) || (p.Tp > 0 && Math.Abs(price - p.Tp) < freeze);
    }

    private static PositionBarriers Barriers(ServerPosition p) =>
        new(p.Direction > 0 ? Direction.Buy : Direction.Sell, p.Sl, p.Tp, 0);

    private TradeResult Reject(int retcode, int symbol) =>
        (uint)symbol < (uint)_symbols.Length
            ? new TradeResult(retcode, 0, 0, 0, 0, 0, _bid[symbol], _ask[symbol])
            : new TradeResult(retcode, 0, 0, 0, 0, 0, 0, 0);

    private long AddDeal(long order, long position, int symbol, int entry, int direction, int reason, long magic, double volume, double price, long profitCents, long commissionCents, long swapCents = 0)
    {
        var deal = new ServerDeal
        {
            Ticket = _nextDeal++,
            Order = order,
            PositionTicket = position,
            Symbol = symbol,
            TimeMsc = _timeMsc,
            Entry = entry,
            Type = direction > 0 ? AbiCodes.DealTypeBuy : AbiCodes.DealTypeSell,
            Reason = reason,
            Magic = magic,
            Volume = volume,
            Price = price,
            ProfitCents = profitCents,
            CommissionCents = commissionCents,
            SwapCents = swapCents,
        };
        _balanceCents += profitCents + commissionCents + swapCents;
        _pending.Add(deal);
        _journal?.DealAdded(deal);
        return deal.Ticket;
    }

    private long ClosePosition(ServerPosition p, double price, int dealReason, string exitReason, long order) =>
        CloseVolume(p, p.Volume, price, order, AbiCodes.DealEntryOut, dealReason, exitReason, _commission.PerDealCents(_symbols[p.Symbol], p.Volume), p.Magic);

    /// <summary>
    /// Closes <paramref name="lots"/> of a position with one exit deal and records the closed trade. A netting
    /// reversal passes the lots and commission of the new position, which the same (in/out) deal carries.
    /// </summary>
    private long CloseVolume(ServerPosition p, double lots, double price, long order, int entry, int dealReason, string exitReason, long exitCommission, long magic, long newEntryCommission = 0, double newEntryLots = 0)
    {
        var s = _symbols[p.Symbol];
        var profit = Cents.Of(ProfitToAccount(p.Symbol, s.ProfitOf((price - p.PriceOpen) * p.Direction, lots)));
        // The closed lots carry their share of the entry commission and of the accrued swap; the last close carries
        // the remainder, so the trades' commissions and swaps add up to the deals' exactly.
        var full = lots >= p.Volume - 1e-9;
        var entryShare = full ? p.EntryCommissionCents : (long)Math.Round(p.EntryCommissionCents * (lots / p.Volume), MidpointRounding.AwayFromZero);
        var swapShare = full ? p.SwapCents : (long)Math.Round(p.SwapCents * (lots / p.Volume), MidpointRounding.AwayFromZero);
        var deal = AddDeal(order == 0 ? _nextOrder++ : order, p.Ticket, p.Symbol, entry, -p.Direction, dealReason, magic, lots + newEntryLots, price, profit, exitCommission + newEntryCommission, swapShare);
        p.TrackExcursion(price);
        _trades.Add(new ClosedTrade
        {
            Ticket = p.Ticket,
            Symbol = s.Name,
            Direction = p.Direction,
            Lots = lots,
            EntryTimeMsc = p.TimeMsc,
            EntryPrice = p.PriceOpen,
            ExitTimeMsc = _timeMsc,
            ExitPrice = price,
            ExitReason = exitReason,
            CommissionCents = entryShare + exitCommission,
            ProfitCents = profit,
            SwapCents = swapShare,
            Magic = p.Magic,
            MfePrice = p.MaxFavorable,
            MaePrice = p.MaxAdverse,
            MfeMoney = ProfitToAccount(p.Symbol, s.ProfitOf(p.MaxFavorable, lots)),
            MaeMoney = ProfitToAccount(p.Symbol, s.ProfitOf(p.MaxAdverse, lots)),
            RiskPrice = p.RiskPrice,
        });
        if (full)
        {
            _positions.Remove(p);
            _journal?.PositionRemoved(p.Ticket);
        }
        else
        {
            p.EntryCommissionCents -= entryShare;
            p.SwapCents -= swapShare;
            p.Margin *= (p.Volume - lots) / p.Volume;
            p.Volume = RoundLots(p.Volume - lots);
            _journal?.PositionChanged(p);
        }

        return deal;
    }

    /// <summary>Stop-out: while the margin level is at or below the limit, close the position with the largest loss.</summary>
    private void CheckStopOut()
    {
        while (_positions.Count > 0)
        {
            var margin = Margin;
            if (margin <= 0 || Equity / margin * 100 > Account.StopOutLevelPercent)
            {
                return;
            }

            // Only a position whose market has a price can be closed (restored positions wait for their first price).
            ServerPosition? worst = null;
            var worstProfit = double.PositiveInfinity;
            foreach (var p in _positions)
            {
                var f = FloatingProfit(p);
                if (_hasPrice[p.Symbol] && f < worstProfit)
                {
                    worst = p;
                    worstProfit = f;
                }
            }

            if (worst is null)
            {
                return;
            }

            ClosePosition(worst, worst.Direction > 0 ? _bid[worst.Symbol] : _ask[worst.Symbol], AbiCodes.DealReasonSo, "SO", 0);
            StopOuts++;
        }
    }
}
