using System.Globalization;

namespace KimiEA.Tester.Server.Money;

/// <summary>How an amount in one currency reaches the account currency.</summary>
public enum ConversionKind : byte
{
    /// <summary>Already the account currency.</summary>
    Identity,
    /// <summary>Through the traded symbol itself (EURUSD's margin in EUR on a USD account, USDJPY's profit in JPY).</summary>
    Self,
    /// <summary>Through a conversion pair replayed from data (<see cref="ConversionSeries"/>).</summary>
    Series,
    /// <summary>Through a fixed rate the user passed.</summary>
    Fixed,
}

/// <summary>One resolved conversion: the source of the pair's price and whether the pair is ACCOUNT/FROM (divide) or FROM/ACCOUNT (multiply).</summary>
/// <param name="Kind">Where the price comes from.</param>
/// <param name="Index">The series index for <see cref="ConversionKind.Series"/>.</param>
/// <param name="FixedRate">The rate for <see cref="ConversionKind.Fixed"/>.</param>
/// <param name="Inverted">True when the pair quotes the account currency in the source currency (USDJPY for JPY → USD).</param>
/// <param name="Pair">The pair's name (empty for <see cref="ConversionKind.Identity"/>).</param>
public readonly record struct ConversionRoute(ConversionKind Kind, int Index, double FixedRate, bool Inverted, string Pair)
{
    /// <summary>No conversion.</summary>
    public static ConversionRoute Identity { get; } = new(ConversionKind.Identity, -1, 0, false, string.Empty);
}

/// <summary>
/// Converts a symbol's money (profit in its profit currency, margin in its margin currency, a swap in its base
/// currency) into the account currency at the conversion pair's price at that moment, as MT5's tester does. Each
/// symbol's routes are resolved once, when the server is made: through the symbol itself when it is the pair, else a
/// pair replayed from data, else a fixed rate; a currency with none of them refuses the run (never a silent 1.0).
/// </summary>
/// <remarks>
/// Which side of the pair's price: an amount is converted at the side the broker would deal it at. A positive amount
/// (a profit) is sold for the account currency — FROM/ACCOUNT at its bid, ACCOUNT/FROM at its ask (divided) — and a
/// negative one (a loss, a charge) is bought — FROM/ACCOUNT at its ask, ACCOUNT/FROM at its bid (divided). Margin is a
/// charge and takes the charge side (<see cref="MarginRate"/>). So USDJPY's tick value on a USD account is
/// tick × contract / ask for a profit and / bid for a loss (SYMBOL_TRADE_TICK_VALUE_PROFIT ≤ _LOSS), as in MT5.
/// Crosses through a third currency are not built: the pair of the two currencies itself (either way round) is needed.
/// </remarks>
public sealed class CurrencyConverter
{
    private readonly ConversionSeries[] _series;
    private readonly ConversionSeries[] _used;
    // The earliest time at which some used series has a new record (MinValue: unknown, advance on the next price).
    private long _nextChangeMsc = long.MinValue;
    private readonly ConversionRoute[] _profit;
    private readonly ConversionRoute[] _margin;
    private readonly ConversionRoute[] _base;
    // Per symbol, the factor that turns a profit (≥ 0) and a loss (< 0) in its profit currency into the account
    // currency at the current prices: exactly 1 for no conversion. Kept up to date as prices move (the symbol's own
    // for a Self route, the series' as they advance), so valuing an open position is one multiplication.
    private readonly double[] _profitFactor;
    private readonly double[] _lossFactor;

    /// <summary>Resolves the routes of every symbol.</summary>
    /// <exception cref="MissingConversionException">A currency has no conversion pair: the message names each pair needed.</exception>
    public CurrencyConverter(string accountCurrency, IReadOnlyList<TesterSymbol> symbols, MoneySettings money)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(money);
        money.Validate();
        AccountCurrency = accountCurrency;
        _series = [.. money.Series];
        var rates = money.FixedRates.ToDictionary(kv => CurrencyPair.Parse(kv.Key), kv => kv.Value);
        var pairs = _series.Select(s => s.Pair).ToArray();
        var missing = new List<string>();
        _profit = new ConversionRoute[symbols.Count];
        _margin = new ConversionRoute[symbols.Count];
        _base = new ConversionRoute[symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            var s = symbols[i];
            _profit[i] = Resolve(s, s.ProfitCurrency, "profit", accountCurrency, pairs, rates, missing);
            _margin[i] = Resolve(s, s.MarginCurrency, "margin", accountCurrency, pairs, rates, missing);
            _base[i] = s.SwapMode == SwapMode.CurrencySymbol
                ? Resolve(s, s.BaseCurrency, "swap", accountCurrency, pairs, rates, missing)
                : ConversionRoute.Identity;
        }

        if (missing.Count > 0)
        {
            throw new MissingConversionException(accountCurrency, missing);
        }

        var used = new HashSet<int>();
        foreach (var r in _profit.Concat(_margin).Concat(_base))
        {
            if (r.Kind == ConversionKind.Series)
            {
                used.Add(r.Index);
            }
        }

        _used = [.. used.Order().Select(i => _series[i])];
        _profitFactor = new double[symbols.Count];
        _lossFactor = new double[symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            // A Self route has no price before the symbol's first one (nothing is valued before it).
            var r = _profit[i];
            _profitFactor[i] = r.Kind == ConversionKind.Self ? double.NaN : ToAccount(1.0, r, double.NaN, double.NaN);
            _lossFactor[i] = r.Kind == ConversionKind.Self ? double.NaN : -ToAccount(-1.0, r, double.NaN, double.NaN);
        }
    }

    /// <summary>The account currency.</summary>
    public string AccountCurrency { get; }

    /// <summary>The series some route reads (the others are never advanced).</summary>
    public IReadOnlyList<ConversionSeries> UsedSeries => _used;

    /// <summary>The route of a symbol's profit currency.</summary>
    public ConversionRoute ProfitRoute(int symbol) => _profit[symbol];

    /// <summary>The route of a symbol's margin currency.</summary>
    public ConversionRoute MarginRoute(int symbol) => _margin[symbol];

    /// <summary>The route of a symbol's base currency (resolved only for swaps in <see cref="SwapMode.CurrencySymbol"/>).</summary>
    public ConversionRoute BaseRoute(int symbol) => _base[symbol];

    /// <summary>
    /// Checks, without any data, that every currency of <paramref name="symbols"/> can reach
    /// <paramref name="accountCurrency"/> through the symbols themselves, <paramref name="dataPairs"/> or
    /// <paramref name="fixedRates"/> (what the runner refuses a run with before anything starts).
    /// </summary>
    /// <exception cref="MissingConversionException">The pairs that are missing.</exception>
    public static void Check(string accountCurrency, IReadOnlyList<TesterSymbol> symbols, IEnumerable<CurrencyPair> dataPairs, IReadOnlyDictionary<string, double> fixedRates)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(fixedRates);
        var pairs = dataPairs.ToArray();
        var rates = fixedRates.ToDictionary(kv => CurrencyPair.Parse(kv.Key), kv => kv.Value);
        var missing = new List<string>();
        foreach (var s in symbols)
        {
            Resolve(s, s.ProfitCurrency, "profit", accountCurrency, pairs, rates, missing);
            Resolve(s, s.MarginCurrency, "margin", accountCurrency, pairs, rates, missing);
            if (s.SwapMode == SwapMode.CurrencySymbol)
            {
                Resolve(s, s.BaseCurrency, "swap", accountCurrency, pairs, rates, missing);
            }
        }

        if (missing.Count > 0)
        {
            throw new MissingConversionException(accountCurrency, missing);
        }
    }

    /// <summary>Where a route's price comes from, e.g. "USDJPY from USDJPY_M1_2013-02.norm.csv", "USDJPY fixed at 110.5", "EURUSD itself".</summary>
    public string Describe(in ConversionRoute route) => route.Kind switch
    {
        ConversionKind.Identity => "no conversion",
        ConversionKind.Self => $"{route.Pair} itself",
        ConversionKind.Series => $"{route.Pair} from {_series[route.Index].Source}",
        _ => string.Create(CultureInfo.InvariantCulture, $"{route.Pair} fixed at {route.FixedRate:0.######}"),
    };

    /// <summary>Moves every used conversion series to <paramref name="timeMsc"/> (and the profit factors that read them).</summary>
    public void AdvanceTo(long timeMsc)
    {
        // Most prices come between two records of every conversion series: one comparison, nothing to do.
        if (timeMsc < _nextChangeMsc)
        {
            return;
        }

        var moved = false;
        var next = long.MaxValue;
        foreach (var s in _used)
        {
            moved |= s.AdvanceTo(timeMsc);
            next = Math.Min(next, s.NextTimeMsc);
        }

        _nextChangeMsc = next;

        if (moved)
        {
            for (var i = 0; i < _profit.Length; i++)
            {
                if (_profit[i].Kind == ConversionKind.Series)
                {
                    _profitFactor[i] = ToAccount(1.0, _profit[i], 0, 0);
                    _lossFactor[i] = -ToAccount(-1.0, _profit[i], 0, 0);
                }
            }
        }
    }

    /// <summary>A new price of <paramref name="symbol"/>: a symbol that converts its profit through its own price takes it.</summary>
    public void OnPrice(int symbol, double bid, double ask)
    {
        if (_profit[symbol].Kind == ConversionKind.Self)
        {
            _profitFactor[symbol] = ToAccount(1.0, _profit[symbol], bid, ask);
            _lossFactor[symbol] = -ToAccount(-1.0, _profit[symbol], bid, ask);
        }
    }

    /// <summary>
    /// A profit (or loss, when negative) of <paramref name="symbol"/> in its profit currency, in the account currency at
    /// the current prices: the same sides as <see cref="ToAccount"/>, as one multiplication (exactly the amount for no
    /// conversion).
    /// </summary>
    public double ProfitToAccount(int symbol, double amount) => amount * (amount >= 0 ? _profitFactor[symbol] : _lossFactor[symbol]);

    /// <summary>
    /// <paramref name="amount"/> in the route's currency, in the account currency: a positive amount at the side a
    /// broker buys it at, a negative one at the side it sells at (see the remarks of the class).
    /// </summary>
    /// <param name="amount">Money in the route's source currency.</param>
    /// <param name="route">The route.</param>
    /// <param name="ownBid">The symbol's own bid (used by a <see cref="ConversionKind.Self"/> route).</param>
    /// <param name="ownAsk">The symbol's own ask.</param>
    public double ToAccount(double amount, in ConversionRoute route, double ownBid, double ownAsk)
    {
        if (route.Kind == ConversionKind.Identity)
        {
            return amount;
        }

        Sides(route, ownBid, ownAsk, out var bid, out var ask);
        return route.Inverted ? amount / (amount >= 0 ? ask : bid) : amount * (amount >= 0 ? bid : ask);
    }

    /// <summary>The multiplier that turns a charge (margin) in the route's currency into the account currency: FROM/ACCOUNT's ask, or 1 / ACCOUNT/FROM's bid; exactly 1 for no conversion.</summary>
    public double MarginRate(in ConversionRoute route, double ownBid, double ownAsk)
    {
        if (route.Kind == ConversionKind.Identity)
        {
            return 1.0;
        }

        Sides(route, ownBid, ownAsk, out var bid, out var ask);
        return route.Inverted ? 1.0 / bid : ask;
    }

    private void Sides(in ConversionRoute route, double ownBid, double ownAsk, out double bid, out double ask)
    {
        switch (route.Kind)
        {
            case ConversionKind.Self:
                bid = ownBid;
                ask = ownAsk;
                break;
            case ConversionKind.Series:
                var s = _series[route.Index];
                bid = s.Bid;
                ask = s.Ask;
                break;
            default:
                bid = route.FixedRate;
                ask = route.FixedRate;
                break;
        }
    }

    private static ConversionRoute Resolve(TesterSymbol s, string from, string what, string account, CurrencyPair[] series, Dictionary<CurrencyPair, double> rates, List<string> missing)
    {
        if (string.Equals(from, account, StringComparison.Ordinal))
        {
            return ConversionRoute.Identity;
        }

        var direct = new CurrencyPair(from, account);
        var inverse = new CurrencyPair(account, from);
        // The symbol quotes its base currency in its profit currency: a pair of its own (EURUSD, USDJPY, XAUUSD).
        if (!string.Equals(s.BaseCurrency, s.ProfitCurrency, StringComparison.Ordinal))
        {
            var own = new CurrencyPair(s.BaseCurrency, s.ProfitCurrency);
            if (own == direct || own == inverse)
            {
                return new ConversionRoute(ConversionKind.Self, -1, 0, own == inverse, own.Name);
            }
        }

        for (var i = 0; i < series.Length; i++)
        {
            if (series[i] == direct || series[i] == inverse)
            {
                return new ConversionRoute(ConversionKind.Series, i, 0, series[i] == inverse, series[i].Name);
            }
        }

        if (rates.TryGetValue(direct, out var rate))
        {
            return new ConversionRoute(ConversionKind.Fixed, -1, rate, false, direct.Name);
        }

        if (rates.TryGetValue(inverse, out rate))
        {
            return new ConversionRoute(ConversionKind.Fixed, -1, rate, true, inverse.Name);
        }

        missing.Add(string.Create(CultureInfo.InvariantCulture, $"{s.Name}'s {what} (in {from}), which needs the price of {inverse.Name} or {direct.Name}"));
        return ConversionRoute.Identity;
    }
}

/// <summary>A run needs a conversion pair that neither the data nor a fixed rate provides.</summary>
public sealed class MissingConversionException : ArgumentException
{
    /// <summary>Names every missing pair and how to provide it.</summary>
    public MissingConversionException(string accountCurrency, IReadOnlyList<string> missing)
        : base($"The account currency is {accountCurrency} and nothing converts {string.Join("; ", missing.Distinct(StringComparer.Ordinal))}. "
            + "Pass that pair's data with --conversion-data FILE (or trade it with --data FILE), or a fixed rate such as --rate "
            + $"{missing[0][(missing[0].LastIndexOf(' ') + 1)..]}=RATE (1 unit of the first currency in the second).")
    {
        Missing = missing;
    }

    /// <summary>One line per missing conversion.</summary>
    public IReadOnlyList<string> Missing { get; }
}
