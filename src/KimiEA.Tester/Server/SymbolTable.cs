namespace KimiEA.Tester.Server;

/// <summary>
/// The built-in contract specifications for the shipped samples (a USD account, 1:30 margin as for an ESMA retail
/// client). Anything else is passed as a <see cref="TesterSymbol"/> of its own, or a built-in one changed with
/// <c>with { ... }</c>.
/// </summary>
public static class SymbolTable
{
    /// <summary>A 5-digit USD-quoted forex pair: tick 0.00001 worth 1 USD per lot (contract 100,000).</summary>
    private static TesterSymbol FxUsd(string name) => new()
    {
        Name = name,
        Digits = 5,
        Point = 0.00001,
        TickSize = 0.00001,
        TickValue = 1.0,
        ContractSize = 100_000,
        DataSpreadPoint = 0.00001,
        BaseCurrency = name[..3],
        MarginCurrency = name[..3],
    };

    /// <summary>The names the table knows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["EURUSD", "GBPUSD", "NZDUSD", "XAUUSD"];

    /// <summary>The built-in specification of <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The symbol is not in the table.</exception>
    public static TesterSymbol Get(string name) => TryGet(name)
        ?? throw new ArgumentException($"No built-in specification for symbol '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The built-in specification of <paramref name="name"/>, or null.</summary>
    public static TesterSymbol? TryGet(string name) => name.ToUpperInvariant() switch
    {
        "EURUSD" or "GBPUSD" or "NZDUSD" => FxUsd(name.ToUpperInvariant()),
        // Gold as MT5 brokers list it: 2 digits, tick 0.01 worth 1 USD on 100 oz. OANDA's data uses a 0.001 point,
        // so its spread_points column is in thousandths (data/samples/lean-oanda/README.md).
        "XAUUSD" => new TesterSymbol
        {
            Name = "XAUUSD",
            Digits = 2,
            Point = 0.01,
            TickSize = 0.01,
            TickValue = 1.0,
            ContractSize = 100,
            DataSpreadPoint = 0.001,
            BaseCurrency = "XAU",
            MarginCurrency = "XAU",
        },
        _ => null,
    };

    /// <summary>
    /// Guesses the symbol of a data file from its name (the shipped samples are named SYMBOL_...): the first
    /// known symbol name that the file name starts with, or null.
    /// </summary>
    public static string? GuessFromFileName(string path)
    {
        var file = Path.GetFileName(path).ToUpperInvariant();
        foreach (var n in Names)
        {
            if (file.StartsWith(n, StringComparison.Ordinal))
            {
                return n;
            }
        }

        return null;
    }
}
