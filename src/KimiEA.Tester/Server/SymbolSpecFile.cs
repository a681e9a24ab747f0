using System.Globalization;

namespace KimiEA.Tester.Server;

/// <summary>A symbol specification file that cannot be used: names the file, the line and the field.</summary>
public sealed class SymbolSpecException : FormatException
{
    /// <summary>Creates the exception; the message reads <c>FILE:LINE: [SECTION] field: problem</c>.</summary>
    public SymbolSpecException(string source, int line, string? section, string? field, string problem)
        : base(Compose(source, line, section, field, problem))
    {
        Source = source;
        Line = line;
        Section = section;
        Field = field;
    }

    /// <summary>The file (or "built-in catalogue").</summary>
    public new string Source { get; }
    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }
    /// <summary>The symbol section the line belongs to, or null.</summary>
    public string? Section { get; }
    /// <summary>The field, or null for a problem of the line as a whole.</summary>
    public string? Field { get; }

    private static string Compose(string source, int line, string? section, string? field, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"{source}:{line}: {(section is null ? string.Empty : $"[{section}] ")}{(field is null ? string.Empty : field + ": ")}{problem}");
}

/// <summary>One symbol of a specification file: the specification and the broker names that resolve to it.</summary>
/// <param name="Symbol">The validated specification.</param>
/// <param name="Aliases">Other names of the symbol (a broker's <c>GOLD</c> for <c>XAUUSD</c>, <c>US30Cash</c> for <c>US30</c>).</param>
/// <param name="Line">The line of its section header.</param>
public sealed record SymbolSpecEntry(TesterSymbol Symbol, IReadOnlyList<string> Aliases, int Line);

/// <summary>
/// Reads symbol specification files: INI-like sections, one per symbol, with the lower-case names of MT5's
/// <c>SYMBOL_…</c> properties as keys. The built-in catalogue (<c>Server/symbols.ini</c>, embedded) and every
/// <c>--spec</c> file go through this one reader. The format is documented in docs/symbol-specs.md.
/// </summary>
/// <remarks>
/// Strict: an unknown key, a repeated key or section, a value that is not of the key's type, a missing required key
/// and a specification <see cref="TesterSymbol.Validate"/> refuses all throw a <see cref="SymbolSpecException"/>
/// naming the file, the line and the field. Nothing is guessed: a key left out takes the documented default.
/// </remarks>
public static class SymbolSpecFile
{
    /// <summary>The keys a section may hold, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "digits", "point", "trade_tick_size", "trade_tick_value", "trade_contract_size", "trade_calc_mode",
        "currency_base", "currency_profit", "currency_margin", "leverage", "margin_rate",
        "swap_mode", "swap_long", "swap_short", "swap_rollover3days",
        "trade_stops_level", "trade_freeze_level", "volume_min", "volume_step", "volume_max", "volume_limit",
        "commission_per_lot_per_side", "typical_spread", "normalized_spread_point", "aliases",
    ];

    private static readonly string[] Required = ["digits", "trade_contract_size", "trade_calc_mode", "currency_base", "currency_profit"];

    // The key each TesterSymbol property comes from, to place a validation failure on the line of its field.
    private static readonly Dictionary<string, string> KeyOfProperty = new(StringComparer.Ordinal)
    {
        [nameof(TesterSymbol.Digits)] = "digits",
        [nameof(TesterSymbol.Point)] = "point",
        [nameof(TesterSymbol.TickSize)] = "trade_tick_size",
        [nameof(TesterSymbol.TickValue)] = "trade_tick_value",
        [nameof(TesterSymbol.ContractSize)] = "trade_contract_size",
        [nameof(TesterSymbol.CalcMode)] = "trade_calc_mode",
        [nameof(TesterSymbol.BaseCurrency)] = "currency_base",
        [nameof(TesterSymbol.ProfitCurrency)] = "currency_profit",
        [nameof(TesterSymbol.MarginCurrency)] = "currency_margin",
        [nameof(TesterSymbol.Leverage)] = "leverage",
        [nameof(TesterSymbol.MarginRate)] = "margin_rate",
        [nameof(TesterSymbol.SwapMode)] = "swap_mode",
        [nameof(TesterSymbol.SwapLong)] = "swap_long",
        [nameof(TesterSymbol.SwapShort)] = "swap_short",
        [nameof(TesterSymbol.TripleSwapDay)] = "swap_rollover3days",
        [nameof(TesterSymbol.StopsLevelPoints)] = "trade_stops_level",
        [nameof(TesterSymbol.FreezeLevelPoints)] = "trade_freeze_level",
        [nameof(TesterSymbol.VolumeMin)] = "volume_min",
        [nameof(TesterSymbol.VolumeStep)] = "volume_step",
        [nameof(TesterSymbol.VolumeMax)] = "volume_max",
        [nameof(TesterSymbol.VolumeLimit)] = "volume_limit",
        [nameof(TesterSymbol.CommissionPerLotPerSide)] = "commission_per_lot_per_side",
        [nameof(TesterSymbol.TypicalSpreadPoints)] = "typical_spread",
        [nameof(TesterSymbol.NormalizedSpreadPoint)] = "normalized_spread_point",
    };

    /// <summary>Reads a specification file.</summary>
    /// <exception cref="SymbolSpecException">The file's content is not a valid specification.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<SymbolSpecEntry> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        KimiEA.Data.InputFile.CheckExistingRegular(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses specification text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="SymbolSpecException">The text is not a valid specification.</exception>
    public static IReadOnlyList<SymbolSpecEntry> Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<SymbolSpecEntry>();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        Section? current = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                if (current is not null)
                {
                    entries.Add(current.Build(source));
                }

                if (line[^1] != ']' || line.Length < 3)
                {
                    throw new SymbolSpecException(source, lineNo, null, null, $"'{line}' is not a section header; write [SYMBOL].");
                }

                var name = line[1..^1].Trim();
                CheckName(source, lineNo, null, "section", name);
                if (names.TryGetValue(name, out var first))
                {
                    throw new SymbolSpecException(source, lineNo, name, null, $"{name} is specified twice (first on line {first}); one section per symbol.");
                }

                names[name] = lineNo;
                current = new Section(name, lineNo);
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new SymbolSpecException(source, lineNo, current?.Name, null, $"'{line}' is neither a [SYMBOL] header, a key = value line nor a # comment.");
            }

            var key = line[..eq].Trim().ToLowerInvariant();
            var value = line[(eq + 1)..].Trim();
            if (current is null)
            {
                throw new SymbolSpecException(source, lineNo, null, key, "a key before the first [SYMBOL] section.");
            }

            if (!Keys.Contains(key, StringComparer.Ordinal))
            {
                throw new SymbolSpecException(source, lineNo, current.Name, key, $"unknown key; the keys are {string.Join(", ", Keys)} (docs/symbol-specs.md).");
            }

            if (value.Length == 0)
            {
                throw new SymbolSpecException(source, lineNo, current.Name, key, "no value after '='.");
            }

            if (current.Values.TryGetValue(key, out var earlier))
            {
                throw new SymbolSpecException(source, lineNo, current.Name, key, $"given twice in one section (first on line {earlier.Line}).");
            }

            current.Values[key] = (value, lineNo);
        }

        if (current is not null)
        {
            entries.Add(current.Build(source));
        }

        // An alias may not be another symbol's name or alias: a name resolves to one specification.
        var owner = new Dictionary<string, (string Symbol, int Line)>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries)
        {
            owner[e.Symbol.Name] = (e.Symbol.Name, e.Line);
        }

        foreach (var e in entries)
        {
            foreach (var a in e.Aliases)
            {
                if (owner.TryGetValue(a, out var taken))
                {
                    throw new SymbolSpecException(source, e.Line, e.Symbol.Name, "aliases", $"'{a}' already names {taken.Symbol} (line {taken.Line}).");
                }

                owner[a] = (e.Symbol.Name, e.Line);
            }
        }

        return entries;
    }

    /// <summary>A symbol name or alias: printable, no spaces, '=' or ','.</summary>
    private static void CheckName(string source, int line, string? section, string field, string name)
    {
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '=' or ',' or '[' or ']'))
        {
            throw new SymbolSpecException(source, line, section, field, $"'{name}' is not a symbol name (no spaces, '=', ',' or brackets).");
        }
    }

    private sealed class Section(string name, int line)
    {
        public string Name { get; } = name;
        public int Line { get; } = line;
        public Dictionary<string, (string Text, int Line)> Values { get; } = new(StringComparer.Ordinal);

        public SymbolSpecEntry Build(string source)
        {
            foreach (var key in Required)
            {
                if (!Values.ContainsKey(key))
                {
                    throw new SymbolSpecException(source, Line, Name, key, "required, missing.");
                }
            }

            var digits = Int("digits");
            var calc = Enumerated("trade_calc_mode", CalcModes);
            var baseCurrency = Text("currency_base");
            var symbol = new TesterSymbol
            {
                Name = Name,
                Digits = digits,
                Point = Values.ContainsKey("point") ? Number("point") : Math.Pow(10, -Math.Clamp(digits, 0, 15)),
                TickSize = Values.ContainsKey("trade_tick_size") ? Number("trade_tick_size")
                    : Values.ContainsKey("point") ? Number("point") : Math.Pow(10, -Math.Clamp(digits, 0, 15)),
                ContractSize = Number("trade_contract_size"),
                CalcMode = calc,
                BaseCurrency = baseCurrency,
                ProfitCurrency = Text("currency_profit"),
                MarginCurrency = Values.ContainsKey("currency_margin") ? Text("currency_margin") : baseCurrency,
                SwapMode = Values.ContainsKey("swap_mode") ? Enumerated("swap_mode", SwapModes) : SwapMode.Disabled,
                SwapLong = Optional("swap_long", 0),
                SwapShort = Optional("swap_short", 0),
                TripleSwapDay = Values.ContainsKey("swap_rollover3days") ? Enumerated("swap_rollover3days", Days) : DayOfWeek.Wednesday,
                StopsLevelPoints = Values.ContainsKey("trade_stops_level") ? Int("trade_stops_level") : 0,
                FreezeLevelPoints = Values.ContainsKey("trade_freeze_level") ? Int("trade_freeze_level") : 0,
                CommissionPerLotPerSide = Optional("commission_per_lot_per_side", 0),
                TypicalSpreadPoints = Values.ContainsKey("typical_spread") ? Int("typical_spread") : null,
            };
            // Keys whose absence keeps TesterSymbol's own default (or derivation) are set only when given.
            if (Values.ContainsKey("trade_tick_value"))
            {
                symbol = symbol with { TickValue = Number("trade_tick_value") };
            }

            if (Values.ContainsKey("normalized_spread_point"))
            {
                symbol = symbol with { NormalizedSpreadPoint = Number("normalized_spread_point") };
            }

            symbol = symbol with
            {
                Leverage = Optional("leverage", symbol.Leverage),
                MarginRate = Optional("margin_rate", symbol.MarginRate),
                VolumeMin = Optional("volume_min", symbol.VolumeMin),
                VolumeStep = Optional("volume_step", symbol.VolumeStep),
                VolumeMax = Optional("volume_max", symbol.VolumeMax),
                VolumeLimit = Optional("volume_limit", symbol.VolumeLimit),
            };
            try
            {
                symbol.Validate();
            }
            catch (ArgumentException e)
            {
                var key = e.ParamName is { } p && KeyOfProperty.TryGetValue(p, out var k) ? k : null;
                var line = key is not null && Values.TryGetValue(key, out var v) ? v.Line : Line;
                var message = e.Message;
                var suffix = e.ParamName is null ? string.Empty : $" (Parameter '{e.ParamName}')";
                if (suffix.Length > 0 && message.EndsWith(suffix, StringComparison.Ordinal))
                {
                    message = message[..^suffix.Length];
                }

                throw new SymbolSpecException(source, line, Name, key, message + (key is not null && !Values.ContainsKey(key) ? " (the default, as the key is not given)" : string.Empty));
            }

            var aliases = new List<string>();
            if (Values.TryGetValue("aliases", out var list))
            {
                foreach (var raw in list.Text.Split(','))
                {
                    var alias = raw.Trim();
                    CheckName(source, list.Line, Name, "aliases", alias);
                    if (aliases.Contains(alias, StringComparer.OrdinalIgnoreCase) || string.Equals(alias, Name, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new SymbolSpecException(source, list.Line, Name, "aliases", $"'{alias}' is listed twice or is the symbol's own name.");
                    }

                    aliases.Add(alias);
                }
            }

            return new SymbolSpecEntry(symbol, aliases, Line);

            string Text(string key) => Values[key].Text;

            SymbolSpecException Bad(string key, string expected) =>
                new(source, Values[key].Line, Name, key, $"'{Values[key].Text}' is not {expected}.");

            double Number(string key) =>
                double.TryParse(Values[key].Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                    ? d
                    : throw Bad(key, "a number (use '.' as the decimal point)");

            double Optional(string key, double fallback) => Values.ContainsKey(key) ? Number(key) : fallback;

            int Int(string key) =>
                int.TryParse(Values[key].Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                    ? n
                    : throw Bad(key, "a whole number");

            T Enumerated<T>(string key, IReadOnlyDictionary<string, T> names) =>
                names.TryGetValue(Values[key].Text.Trim(), out var x)
                    ? x
                    : throw Bad(key, $"one of {string.Join(", ", names.Keys.Where(n => !n.StartsWith("SYMBOL_", StringComparison.OrdinalIgnoreCase)))}");
        }
    }

    /// <summary>trade_calc_mode values: MT5's ENUM_SYMBOL_CALC_MODE names, with or without the SYMBOL_CALC_MODE_ prefix.</summary>
    private static readonly Dictionary<string, SymbolCalcMode> CalcModes = WithPrefix("SYMBOL_CALC_MODE_", new Dictionary<string, SymbolCalcMode>
    {
        ["forex"] = SymbolCalcMode.Forex,
        ["forex_no_leverage"] = SymbolCalcMode.ForexNoLeverage,
        ["cfd"] = SymbolCalcMode.Cfd,
        ["cfdindex"] = SymbolCalcMode.CfdIndex,
        ["cfdleverage"] = SymbolCalcMode.CfdLeverage,
    });

    /// <summary>swap_mode values: MT5's ENUM_SYMBOL_SWAP_MODE names, with or without the SYMBOL_SWAP_MODE_ prefix.</summary>
    private static readonly Dictionary<string, SwapMode> SwapModes = WithPrefix("SYMBOL_SWAP_MODE_", new Dictionary<string, SwapMode>
    {
        ["disabled"] = SwapMode.Disabled,
        ["points"] = SwapMode.Points,
        ["currency_symbol"] = SwapMode.CurrencySymbol,
        ["currency_margin"] = SwapMode.CurrencyMargin,
        ["currency_deposit"] = SwapMode.CurrencyDeposit,
        ["interest_current"] = SwapMode.InterestCurrent,
        ["interest_open"] = SwapMode.InterestOpen,
        ["reopen_current"] = SwapMode.ReopenCurrent,
        ["reopen_bid"] = SwapMode.ReopenBid,
    });

    /// <summary>swap_rollover3days values: day names (MT5's ENUM_DAY_OF_WEEK, SUNDAY … SATURDAY).</summary>
    private static readonly Dictionary<string, DayOfWeek> Days = Enum.GetValues<DayOfWeek>()
        .ToDictionary(d => d.ToString().ToLowerInvariant(), d => d, StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, T> WithPrefix<T>(string prefix, Dictionary<string, T> names)
    {
        var all = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in names)
        {
            all[k] = v;
        }

        foreach (var (k, v) in names)
        {
            all[prefix + k] = v;
        }

        return all;
    }

    /// <summary>The spec-file word for a calc mode (lower-case MT5 name without prefix).</summary>
    public static string CalcModeName(SymbolCalcMode mode) => CalcModes.First(kv => kv.Value == mode && !kv.Key.StartsWith("SYMBOL_", StringComparison.Ordinal)).Key;

    /// <summary>The spec-file word for a swap mode (lower-case MT5 name without prefix).</summary>
    public static string SwapModeName(SwapMode mode) => SwapModes.First(kv => kv.Value == mode && !kv.Key.StartsWith("SYMBOL_", StringComparison.Ordinal)).Key;
}
