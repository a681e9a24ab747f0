using System.Globalization;

namespace KimiEA.Tester.Server;

/// <summary>How a name was matched to a specification (printed so a run says which spec it used and why).</summary>
public enum SymbolMatch
{
    /// <summary>The name is the specification's own.</summary>
    Name,
    /// <summary>The name is one of the specification's aliases.</summary>
    Alias,
    /// <summary>The name is a known name with a broker prefix and/or suffix (<c>EURUSD.m</c>, <c>#US30</c>).</summary>
    Affixed,
    /// <summary>The user mapped the name onto a specification (<c>--symbol EURUSD.m=EURUSD</c>).</summary>
    Mapped,
}

/// <summary>A resolved symbol: the specification under the broker's name, and where it came from.</summary>
/// <param name="Symbol">The specification; its <see cref="TesterSymbol.Name"/> is the name the data and the agent use.</param>
/// <param name="SpecName">The catalogue entry it was taken from.</param>
/// <param name="Match">How the name was matched.</param>
/// <param name="Source">The catalogue file (or the built-in catalogue) holding the entry.</param>
public sealed record SymbolResolution(TesterSymbol Symbol, string SpecName, SymbolMatch Match, string Source)
{
    /// <summary>One line for the console and the report: "EURUSD.m: spec EURUSD (built-in catalogue), broker prefix/suffix".</summary>
    public string Describe() => Match switch
    {
        SymbolMatch.Name => $"{Symbol.Name}: spec {SpecName} ({Source})",
        SymbolMatch.Alias => $"{Symbol.Name}: spec {SpecName} ({Source}), by its alias {Symbol.Name}",
        SymbolMatch.Affixed => $"{Symbol.Name}: spec {SpecName} ({Source}), the broker's prefix/suffix taken to change nothing else (give a --spec section [{Symbol.Name}] if it does, e.g. a micro lot)",
        _ => $"{Symbol.Name}: spec {SpecName} ({Source}), as mapped by --symbol {Symbol.Name}={SpecName}",
    };
}

/// <summary>
/// The symbol specifications a run can use: the built-in catalogue shipped in the product (<c>Server/symbols.ini</c>,
/// values cited from a broker's published contract specifications) with any <c>--spec</c> files over it, and the
/// rules that turn a broker's symbol name into one of them. One reader (<see cref="SymbolSpecFile"/>) serves both.
/// </summary>
/// <remarks>
/// Resolution of a name, case-insensitively: (1) a specification's name or alias; else (2) a known name or alias with
/// a broker prefix of punctuation only (<c>#US30</c>, <c>.US30</c>) and/or a suffix that is either punctuation
/// followed by anything (<c>EURUSD.m</c>, <c>US30.cash</c>, <c>EURUSD_i</c>) or lower-case letters
/// (<c>EURUSDm</c>, <c>EURUSDpro</c>), when exactly one specification fits — several fitting is an error listing
/// them; else an error saying how to supply a specification. The resolved symbol keeps the broker's name.
/// </remarks>
public sealed class SymbolCatalog
{
    /// <summary>How messages name the built-in catalogue.</summary>
    public const string BuiltInSource = "built-in catalogue";
    private const string ResourceName = "KimiEA.Tester.symbols.ini";
    private const string Help = "docs/symbol-specs.md";
    private static readonly Lazy<SymbolCatalog> BuiltInCatalog = new(LoadBuiltIn);
    private readonly List<Entry> _entries;
    private readonly Dictionary<string, (Entry Entry, string Spelling)> _byKey;

    private SymbolCatalog(List<Entry> entries, IReadOnlyList<string> sources)
    {
        _entries = entries;
        Sources = sources;
        _byKey = new Dictionary<string, (Entry, string)>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries)
        {
            _byKey[e.Symbol.Name] = (e, e.Symbol.Name);
            foreach (var a in e.Aliases)
            {
                _byKey[a] = (e, a);
            }
        }
    }

    /// <summary>The built-in catalogue (parsed once from the embedded resource).</summary>
    public static SymbolCatalog BuiltIn => BuiltInCatalog.Value;

    /// <summary>The files this catalogue was read from (the built-in one first).</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>The specifications, in catalogue order (built-in first, then each file's).</summary>
    public IEnumerable<(TesterSymbol Symbol, IReadOnlyList<string> Aliases, string Source)> Entries =>
        _entries.Select(e => (e.Symbol, (IReadOnlyList<string>)e.Aliases, e.Source));

    /// <summary>A catalogue of the given entries alone (tests; a spec file on its own).</summary>
    public static SymbolCatalog Of(IEnumerable<SymbolSpecEntry> entries, string source) =>
        new([.. entries.Select(e => new Entry(e.Symbol, [.. e.Aliases], source))], [source]);

    /// <summary>
    /// This catalogue with the specification files over it: a file's section replaces a specification of the same
    /// name (its aliases go with it); a name or alias two files both define is an error naming both.
    /// </summary>
    /// <exception cref="SymbolSpecException">A file is not a valid specification.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public SymbolCatalog WithFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var entries = new List<Entry>(_entries);
        var sources = new List<string>(Sources);
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            var file = SymbolSpecFile.Load(path);
            foreach (var spec in file)
            {
                var keys = spec.Aliases.Prepend(spec.Symbol.Name).ToList();
                foreach (var key in keys)
                {
                    if (owners.TryGetValue(key, out var other))
                    {
                        throw new SymbolSpecException(path, spec.Line, spec.Symbol.Name, null, $"'{key}' is also specified in {other}; give each symbol in one --spec file.");
                    }

                    owners[key] = path;
                }

                // The file's section replaces what the catalogue had under that name or alias (no earlier file has
                // these keys: checked above).
                entries.RemoveAll(e => keys.Contains(e.Symbol.Name, StringComparer.OrdinalIgnoreCase));
                for (var i = 0; i < entries.Count; i++)
                {
                    var kept = entries[i].Aliases.Where(a => !keys.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList();
                    if (kept.Count != entries[i].Aliases.Count)
                    {
                        entries[i] = entries[i] with { Aliases = kept };
                    }
                }

                entries.Add(new Entry(spec.Symbol, [.. spec.Aliases], path));
            }

            sources.Add(path);
        }

        return new SymbolCatalog(entries, sources);
    }

    /// <summary>Resolves a symbol name (see the class remarks); <paramref name="specName"/> maps it onto that entry explicitly.</summary>
    /// <exception cref="ArgumentException">Unknown or ambiguous name; the message says how to supply a specification.</exception>
    public SymbolResolution Resolve(string name, string? specName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (specName is not null)
        {
            if (!_byKey.TryGetValue(specName, out var target))
            {
                throw new ArgumentException(Unknown(specName, $" (named by --symbol {name}={specName})"));
            }

            return new SymbolResolution(target.Entry.Symbol with { Name = name }, target.Entry.Symbol.Name, SymbolMatch.Mapped, target.Entry.Source);
        }

        return TryResolve(name, out var problem) ?? throw new ArgumentException(problem);
    }

    /// <summary>Resolves a name; null (with the reason) when it is unknown or ambiguous.</summary>
    public SymbolResolution? TryResolve(string name, out string problem)
    {
        ArgumentNullException.ThrowIfNull(name);
        var found = Find(name, out var fits);
        problem = found is not null ? string.Empty
            : fits.Count == 0 ? Unknown(name, string.Empty)
            : Ambiguous(name, fits);
        return found;
    }

    /// <summary>The resolution of <paramref name="name"/>, or null with the affixed candidates that fit (none, or several).</summary>
    private SymbolResolution? Find(string name, out List<(Entry Entry, string Key)> fits)
    {
        fits = [];
        if (_byKey.TryGetValue(name, out var hit))
        {
            var isName = string.Equals(hit.Spelling, hit.Entry.Symbol.Name, StringComparison.Ordinal);
            return new SymbolResolution(hit.Entry.Symbol with { Name = hit.Spelling }, hit.Entry.Symbol.Name, isName ? SymbolMatch.Name : SymbolMatch.Alias, hit.Entry.Source);
        }

        foreach (var (key, (entry, spelling)) in _byKey)
        {
            if (Affixed(name, key) && !fits.Any(f => ReferenceEquals(f.Entry, entry)))
            {
                fits.Add((entry, spelling));
            }
        }

        return fits.Count == 1
            ? new SymbolResolution(fits[0].Entry.Symbol with { Name = name }, fits[0].Entry.Symbol.Name, SymbolMatch.Affixed, fits[0].Entry.Source)
            : null;
    }

    private static string Ambiguous(string name, List<(Entry Entry, string Key)> fits) =>
        $"Symbol '{name}' is ambiguous: it reads as {string.Join(" or as ", fits.Select(f => $"{f.Key} ({f.Entry.Source}{(string.Equals(f.Key, f.Entry.Symbol.Name, StringComparison.Ordinal) ? string.Empty : ", alias of " + f.Entry.Symbol.Name)})"))} "
        + $"with a broker prefix/suffix. Say which with --symbol {name}={fits[0].Entry.Symbol.Name}, or give a [{name}] section in a --spec file.";

    /// <summary>
    /// The symbol a data file is named after: the first part of the file name (split at '_', '-' and spaces) that
    /// resolves — <c>EURUSD_M1_2014-05.norm.csv</c>, MT5 exports such as <c>EURUSD.m_M1_202401020000_202401312359.csv</c>,
    /// HistData's <c>DAT_ASCII_USDJPY_M1_201601.csv</c> and <c>HISTDATA_COM_ASCII_EURUSD_M1201601.zip</c>. Null when no
    /// part does.
    /// </summary>
    /// <exception cref="ArgumentException">A part of the name is ambiguous (the message lists the candidates).</exception>
    public SymbolResolution? GuessFromFileName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stem = Path.GetFileName(path);
        var dot = stem.LastIndexOf('.');
        if (dot > 0)
        {
            stem = stem[..dot];
        }

        foreach (var part in stem.Split(['_', '-', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var r = Find(part, out var fits);
            if (r is not null)
            {
                return r;
            }

            if (fits.Count > 1)
            {
                throw new ArgumentException($"{Path.GetFileName(path)}: {Ambiguous(part, fits)}");
            }
        }

        return null;
    }

    /// <summary>The catalogue as a table for <c>kimi backtest --list-symbols</c>.</summary>
    public string Listing()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("symbol      digits  tick size  contract   calc mode    base/profit/margin  lev.  typ.spread  swap (mode long/short, 3-day)       aliases");
        foreach (var e in _entries)
        {
            var s = e.Symbol;
            var swap = s.SwapMode == SwapMode.Disabled ? "none" : string.Create(inv, $"{SymbolSpecFile.SwapModeName(s.SwapMode)} {s.SwapLong}/{s.SwapShort} {s.TripleSwapDay.ToString()[..3]}");
            sb.AppendLine(string.Create(inv,
                $"{s.Name,-11} {s.Digits,6}  {s.TickSize,9:0.#########}  {s.ContractSize,8:0.##}   {SymbolSpecFile.CalcModeName(s.CalcMode),-11}  {s.BaseCurrency}/{s.ProfitCurrency}/{s.MarginCurrency,-9}  {s.Leverage,4:0.##}  {(s.TypicalSpreadPoints is { } ts ? ts.ToString(inv) : "-"),10}  {swap,-34}  {string.Join(", ", e.Aliases)}"));
        }

        sb.Append(string.Create(inv, $"{_entries.Count} symbols from {string.Join(", ", Sources)}. Format and sources: {Help}."));
        return sb.ToString();
    }

    /// <summary>True when <paramref name="name"/> is <paramref name="key"/> with a broker prefix and/or suffix.</summary>
    private static bool Affixed(string name, string key)
    {
        for (var at = name.IndexOf(key, StringComparison.OrdinalIgnoreCase); at >= 0; at = name.IndexOf(key, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var prefix = name.AsSpan(0, at);
            var suffix = name.AsSpan(at + key.Length);
            if (prefix.Length + suffix.Length == 0)
            {
                continue;
            }

            var prefixOk = !prefix.ContainsAnyExcept(BrokerPunctuation);
            var suffixOk = suffix.IsEmpty || BrokerPunctuation.Contains(suffix[0]) || !suffix.ContainsAnyExceptInRange('a', 'z');
            if (prefixOk && suffixOk)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly System.Buffers.SearchValues<char> BrokerPunctuation = System.Buffers.SearchValues.Create("._-#!+$@~");

    private string Unknown(string name, string context) =>
        $"No specification for symbol '{name}'{context}: it is not in the {string.Join(" nor in ", Sources)}. "
        + $"Supply one with --spec FILE (format: {Help}; `kimi backtest --list-symbols` lists the known symbols), "
        + $"or map a broker name onto a known symbol with --symbol {name}=EURUSD.";

    private static SymbolCatalog LoadBuiltIn()
    {
        using var stream = typeof(SymbolCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The built-in symbol catalogue ({ResourceName}) is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return Of(SymbolSpecFile.Parse(reader.ReadToEnd(), BuiltInSource), BuiltInSource);
    }

    private sealed record Entry(TesterSymbol Symbol, List<string> Aliases, string Source);
}
