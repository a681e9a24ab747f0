namespace KimiEA.Tester.Server;

/// <summary>
/// A symbol as the simulated trade server knows it: the fields of MT5's <i>Symbol specification</i> window, plus the
/// unit of the normalized CSV format's spread column. Specifications come from the catalogue
/// (<see cref="SymbolCatalog"/>: the built-in one and <c>--spec</c> files, format in docs/symbol-specs.md).
/// Profit = Δprice / tick size × tick value × lots in the profit currency (<see cref="ProfitOf"/>); the margin by
/// <see cref="CalcMode"/> and the conversion of both into the account currency are the trade server's money seams
/// (Server/Money: MarginModel, CurrencyConverter).
/// </summary>
public sealed record TesterSymbol
{
    // Exact powers of ten, as Math.Round(double, int) uses them.
    private static readonly double[] Pow10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    private readonly int _digits;
    private readonly double _tickSize;
    private readonly double _point;
    private readonly double? _tickValue;
    private readonly double? _normalizedSpreadPoint;
    // Cached for Normalize and AddPoints, recomputed whenever Digits, Point or TickSize is set (also by `with`).
    private double _scale;
    private double _scaledTick;
    private double _pointTicks;

    /// <summary>Symbol name (EURUSD ...).</summary>
    public required string Name { get; init; }
    /// <summary>SYMBOL_DIGITS.</summary>
    public required int Digits
    {
        get => _digits;
        init
        {
            _digits = value;
            CacheNormalization();
        }
    }

    /// <summary>SYMBOL_POINT.</summary>
    public required double Point
    {
        get => _point;
        init
        {
            _point = value;
            CacheNormalization();
        }
    }
    /// <summary>SYMBOL_TRADE_TICK_SIZE.</summary>
    public required double TickSize
    {
        get => _tickSize;
        init
        {
            _tickSize = value;
            CacheNormalization();
        }
    }

    /// <summary>
    /// SYMBOL_TRADE_TICK_VALUE in the <b>profit currency</b> (profit and loss alike): what a move of one
    /// <see cref="TickSize"/> makes on one lot. Unless set explicitly (a spec's <c>trade_tick_value</c>, for a CFD
    /// whose tick is worth something else than tick size × contract size), it is <see cref="TickSize"/> ×
    /// <see cref="ContractSize"/>, as MT5 computes it for the Forex, CFD and CFD-leverage modes. Turning it into the
    /// account currency is the trade server's conversion, not the specification's.
    /// </summary>
    public double TickValue
    {
        get => _tickValue ?? (_tickSize * ContractSize);
        init => _tickValue = value;
    }

    /// <summary>True when <see cref="TickValue"/> was set explicitly rather than derived from tick size and contract size.</summary>
    public bool HasExplicitTickValue => _tickValue is not null;
    /// <summary>SYMBOL_TRADE_CONTRACT_SIZE.</summary>
    public required double ContractSize { get; init; }
    /// <summary>SYMBOL_VOLUME_MIN.</summary>
    public double VolumeMin { get; init; } = 0.01;
    /// <summary>SYMBOL_VOLUME_STEP.</summary>
    public double VolumeStep { get; init; } = 0.01;
    /// <summary>SYMBOL_VOLUME_MAX.</summary>
    public double VolumeMax { get; init; } = 100;
    /// <summary>SYMBOL_VOLUME_LIMIT, 0 = none.</summary>
    public double VolumeLimit { get; init; }
    /// <summary>SYMBOL_TRADE_STOPS_LEVEL in points.</summary>
    public int StopsLevelPoints { get; init; }
    /// <summary>SYMBOL_TRADE_FREEZE_LEVEL in points.</summary>
    public int FreezeLevelPoints { get; init; }
    /// <summary>Margin leverage of the symbol (1:30 for the samples, as an ESMA retail account).</summary>
    public double Leverage { get; init; } = 30;
    // ---- Fields of MT5's "Symbol specification" window that the money and rollover seams use. Defaults describe a
    // symbol quoted in USD on a USD account with no swap, as every built-in sample was before the catalogue. ----

    /// <summary>SYMBOL_TRADE_CALC_MODE: which of MT5's profit and margin formulas applies.</summary>
    public SymbolCalcMode CalcMode { get; init; } = SymbolCalcMode.Forex;
    /// <summary>SYMBOL_CURRENCY_BASE (EUR of EURUSD; for a CFD usually equal to the profit currency).</summary>
    public string BaseCurrency { get; init; } = "USD";
    /// <summary>SYMBOL_CURRENCY_PROFIT: the currency a price move is paid in (JPY of EURJPY, EUR of DE30EUR).</summary>
    public string ProfitCurrency { get; init; } = "USD";
    /// <summary>SYMBOL_CURRENCY_MARGIN: the currency the margin is computed in (EUR of EURUSD).</summary>
    public string MarginCurrency { get; init; } = "USD";
    /// <summary>SYMBOL_MARGIN_INITIAL rate multiplier (MT5's "margin rate", 1 = the plain formula).</summary>
    public double MarginRate { get; init; } = 1;
    /// <summary>SYMBOL_SWAP_MODE: how <see cref="SwapLong"/> and <see cref="SwapShort"/> are expressed.</summary>
    public SwapMode SwapMode { get; init; } = SwapMode.Disabled;
    /// <summary>SYMBOL_SWAP_LONG, in the unit of <see cref="SwapMode"/> (negative = charged).</summary>
    public double SwapLong { get; init; }
    /// <summary>SYMBOL_SWAP_SHORT, in the unit of <see cref="SwapMode"/> (negative = charged).</summary>
    public double SwapShort { get; init; }
    /// <summary>SYMBOL_SWAP_ROLLOVER3DAYS: the server day whose rollover is charged three times (weekend).</summary>
    public DayOfWeek TripleSwapDay { get; init; } = DayOfWeek.Wednesday;
    /// <summary>Broker commission per lot and side in the account currency (0 = none; adds to the run's own).</summary>
    public double CommissionPerLotPerSide { get; init; }
    /// <summary>The broker's typical spread in this symbol's points, used when the data carries no spread and none is given.</summary>
    public int? TypicalSpreadPoints { get; init; }

    /// <summary>
    /// The price of one unit of the <c>spread_points</c> column of the normalized CSV format (<c>time_utc,…,spread_points</c>):
    /// the data vendor's point, documented with the data (data/samples/lean-oanda/README.md: OANDA's minimum price
    /// variation, 0.001 for XAUUSD where the MT5 symbol's point is 0.01). Defaults to <see cref="Point"/>. An MT5
    /// export's SPREAD column is always in <see cref="Point"/>s and ignores this (see <c>FeedSpread</c>).
    /// </summary>
    public double NormalizedSpreadPoint
    {
        get => _normalizedSpreadPoint ?? _point;
        init => _normalizedSpreadPoint = value;
    }

    /// <summary>Checks the specification; throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        static void Positive(double v, string name, string sym)
        {
            if (!(v > 0) || double.IsInfinity(v))
            {
                throw new ArgumentException($"Symbol {sym}: {name} must be a positive number, got {v}.", name);
            }
        }

        static void Currency(string code, string name, string sym)
        {
            if (code is not { Length: 3 } || !code.All(char.IsAsciiLetterUpper))
            {
                throw new ArgumentException($"Symbol {sym}: {name} must be a three-letter currency code in capitals (USD, EUR, JPY, BTC ...), got '{code}'.", name);
            }
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("A symbol needs a name.", nameof(Name));
        }

        if (Digits is < 0 or > 10)
        {
            throw new ArgumentException($"Symbol {Name}: digits must be within 0..10, got {Digits}.", nameof(Digits));
        }

        Positive(Point, nameof(Point), Name);
        Positive(TickSize, nameof(TickSize), Name);
        Positive(ContractSize, nameof(ContractSize), Name);
        Positive(TickValue, nameof(TickValue), Name);
        Positive(VolumeMin, nameof(VolumeMin), Name);
        Positive(VolumeStep, nameof(VolumeStep), Name);
        Positive(VolumeMax, nameof(VolumeMax), Name);
        Positive(Leverage, nameof(Leverage), Name);
        Positive(NormalizedSpreadPoint, nameof(NormalizedSpreadPoint), Name);
        Positive(MarginRate, nameof(MarginRate), Name);
        if (Math.Abs((Point * Pow10[Math.Clamp(Digits, 0, 15)]) - 1) > 1e-9)
        {
            throw new ArgumentException(FormattableString.Invariant($"Symbol {Name}: point must be 10^-digits (MT5 derives it from the digits), got {Point} for {Digits} digits."), nameof(Point));
        }

        var ticksPerPoint = TickSize / Point;
        if (ticksPerPoint < 1 - 1e-9 || Math.Abs(ticksPerPoint - Math.Round(ticksPerPoint)) > 1e-6)
        {
            throw new ArgumentException(FormattableString.Invariant($"Symbol {Name}: tick size {TickSize} must be a whole number of points ({Point})."), nameof(TickSize));
        }

        Currency(BaseCurrency, nameof(BaseCurrency), Name);
        Currency(ProfitCurrency, nameof(ProfitCurrency), Name);
        Currency(MarginCurrency, nameof(MarginCurrency), Name);
        if (!double.IsFinite(SwapLong) || !double.IsFinite(SwapShort))
        {
            throw new ArgumentException($"Symbol {Name}: swap long and short must be finite numbers.", nameof(SwapLong));
        }

        if (SwapMode == SwapMode.Disabled && (SwapLong != 0 || SwapShort != 0))
        {
            throw new ArgumentException(FormattableString.Invariant($"Symbol {Name}: swap long {SwapLong} / short {SwapShort} given with swap mode disabled; name the swap mode."), nameof(SwapMode));
        }

        if (!Enum.IsDefined(SwapMode) || !Enum.IsDefined(CalcMode) || !Enum.IsDefined(TripleSwapDay))
        {
            throw new ArgumentException($"Symbol {Name}: unknown calc mode, swap mode or triple-swap day.", nameof(CalcMode));
        }

        if (!(CommissionPerLotPerSide >= 0) || double.IsInfinity(CommissionPerLotPerSide))
        {
            throw new ArgumentException(FormattableString.Invariant($"Symbol {Name}: commission per lot and side must be 0 or more, got {CommissionPerLotPerSide}."), nameof(CommissionPerLotPerSide));
        }

        if (TypicalSpreadPoints < 0)
        {
            throw new ArgumentException($"Symbol {Name}: the typical spread cannot be negative, got {TypicalSpreadPoints} points.", nameof(TypicalSpreadPoints));
        }
        if (VolumeMax < VolumeMin)
        {
            throw new ArgumentException($"Symbol {Name}: volume max {VolumeMax} is below volume min {VolumeMin}.", nameof(VolumeMax));
        }

        if (StopsLevelPoints < 0 || FreezeLevelPoints < 0 || VolumeLimit < 0)
        {
            throw new ArgumentException($"Symbol {Name}: stops level, freeze level and volume limit cannot be negative.", nameof(StopsLevelPoints));
        }
    }

    /// <summary>Rounds a price to the tick size (and to <see cref="Digits"/> to drop binary noise).</summary>
    /// <remarks>
    /// Runs for every replayed price, so the common case avoids Math.Round(double, int): when the tick size is a whole
    /// number of 10^−Digits (0.00001 at 5 digits, 0.25 at 2), ticks × that number is an exact integer and one division
    /// by 10^Digits gives bit for bit what Math.Round(ticks × TickSize, Digits) computes (it scales by the same power,
    /// rounds — here a no-op — and divides). Anything else takes that general formula.
    /// </remarks>
    public double Normalize(double price)
    {
        var ticks = Math.Round(price / _tickSize);
        return _scaledTick > 0 && Math.Abs(ticks * _scaledTick) < 4e15
            ? ticks * _scaledTick / _scale
            : Math.Round(ticks * _tickSize, _digits);
    }

    /// <summary>
    /// The price <paramref name="price"/> + <paramref name="points"/> points, normalized: bit for bit
    /// <c>Normalize(price + points × Point)</c> for a price already on the tick grid, with one division fewer when a
    /// point is a whole number of ticks (the generated path of every M1 bar asks for this four times).
    /// </summary>
    public double AddPoints(double price, int points)
    {
        if (_scaledTick > 0 && _pointTicks > 0)
        {
            var ticks = Math.Round(price / _tickSize) + (points * _pointTicks);
            if (Math.Abs(ticks * _scaledTick) < 4e15)
            {
                return ticks * _scaledTick / _scale;
            }
        }

        return Normalize(price + (points * Point));
    }

    private void CacheNormalization()
    {
        _scale = _digits is >= 0 and < 16 ? Pow10[_digits] : 0;
        var scaled = _tickSize * _scale;
        var whole = Math.Round(scaled);
        _scaledTick = _scale > 0 && whole >= 1 && Math.Abs(scaled - whole) < 1e-9 ? whole : 0;
        var pointTicks = _tickSize > 0 ? _point / _tickSize : 0;
        _pointTicks = pointTicks >= 1 && Math.Abs(pointTicks - Math.Round(pointTicks)) < 1e-9 ? Math.Round(pointTicks) : 0;
    }

    /// <summary>Profit of <paramref name="lots"/> lots moved by <paramref name="priceMove"/> (signed) in the profit currency, unrounded.</summary>
    public double ProfitOf(double priceMove, double lots) => priceMove / TickSize * TickValue * lots;
}

/// <summary>SYMBOL_TRADE_CALC_MODE values the tester implements (MT5's ENUM_SYMBOL_CALC_MODE names).</summary>
public enum SymbolCalcMode
{
    /// <summary>SYMBOL_CALC_MODE_FOREX: margin = lots × contract / leverage × margin rate (in the margin currency).</summary>
    Forex = 0,
    /// <summary>SYMBOL_CALC_MODE_FOREX_NO_LEVERAGE: margin = lots × contract × margin rate.</summary>
    ForexNoLeverage = 1,
    /// <summary>SYMBOL_CALC_MODE_CFD: margin = lots × contract × price × margin rate.</summary>
    Cfd = 2,
    /// <summary>SYMBOL_CALC_MODE_CFDINDEX: margin = lots × contract × price × tick price / tick size × margin rate.</summary>
    CfdIndex = 3,
    /// <summary>SYMBOL_CALC_MODE_CFDLEVERAGE: margin = lots × contract × price / leverage × margin rate.</summary>
    CfdLeverage = 4,
}

/// <summary>SYMBOL_SWAP_MODE values (MT5's ENUM_SYMBOL_SWAP_MODE, same numbers).</summary>
public enum SwapMode
{
    /// <summary>SYMBOL_SWAP_MODE_DISABLED.</summary>
    Disabled = 0,
    /// <summary>SYMBOL_SWAP_MODE_POINTS: swap in points of the price.</summary>
    Points = 1,
    /// <summary>SYMBOL_SWAP_MODE_CURRENCY_SYMBOL: money in the symbol's base currency per lot.</summary>
    CurrencySymbol = 2,
    /// <summary>SYMBOL_SWAP_MODE_CURRENCY_MARGIN: money in the margin currency per lot.</summary>
    CurrencyMargin = 3,
    /// <summary>SYMBOL_SWAP_MODE_CURRENCY_DEPOSIT: money in the account currency per lot.</summary>
    CurrencyDeposit = 4,
    /// <summary>SYMBOL_SWAP_MODE_INTEREST_CURRENT: annual interest on the position's value at the current price.</summary>
    InterestCurrent = 5,
    /// <summary>SYMBOL_SWAP_MODE_INTEREST_OPEN: annual interest on the position's value at the open price.</summary>
    InterestOpen = 6,
    /// <summary>SYMBOL_SWAP_MODE_REOPEN_CURRENT: the position is reopened at the close price ± swap points.</summary>
    ReopenCurrent = 7,
    /// <summary>SYMBOL_SWAP_MODE_REOPEN_BID: the position is reopened at the current bid ± swap points.</summary>
    ReopenBid = 8,
}
