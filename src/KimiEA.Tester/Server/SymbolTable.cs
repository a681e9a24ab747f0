namespace KimiEA.Tester.Server;

/// <summary>
/// Short-hand for the built-in catalogue (<see cref="SymbolCatalog.BuiltIn"/>, the embedded <c>Server/symbols.ini</c>)
/// where no <c>--spec</c> file is involved: tests, benchmarks and tools that need "EURUSD as shipped".
/// </summary>
public static class SymbolTable
{
    /// <summary>The names the built-in catalogue knows (aliases not included).</summary>
    public static IReadOnlyList<string> Names => [.. SymbolCatalog.BuiltIn.Entries.Select(e => e.Symbol.Name)];

    /// <summary>The built-in specification of <paramref name="name"/> (case-insensitive; aliases and broker suffixes resolve).</summary>
    /// <exception cref="ArgumentException">Unknown or ambiguous; the message says how to supply a specification.</exception>
    public static TesterSymbol Get(string name) => SymbolCatalog.BuiltIn.Resolve(name).Symbol;

    /// <summary>The built-in specification of <paramref name="name"/>, or null.</summary>
    public static TesterSymbol? TryGet(string name) => SymbolCatalog.BuiltIn.TryResolve(name, out _)?.Symbol;

    /// <summary>The symbol a data file is named after (<see cref="SymbolCatalog.GuessFromFileName"/>), by its broker name, or null.</summary>
    public static string? GuessFromFileName(string path) => SymbolCatalog.BuiltIn.GuessFromFileName(path)?.Symbol.Name;
}
