namespace KimiEA.Tester.Server.Money;

/// <summary>
/// Where the trade server gets the prices that turn a symbol's money into the account currency, and when it charges
/// the rollover. The account currency itself is <see cref="AccountSettings.Currency"/>.
/// </summary>
public sealed record MoneySettings
{
    /// <summary>
    /// Conversion pairs replayed from data (a <c>--conversion-data</c> file, or a <c>--data</c> file of a traded pair):
    /// preferred over <see cref="FixedRates"/> for the same pair.
    /// </summary>
    public IReadOnlyList<ConversionSeries> Series { get; init; } = [];

    /// <summary>Fixed rates by pair name, base currency then quote currency (<c>--rate USDJPY=110.5</c>: 1 USD = 110.5 JPY).</summary>
    public IReadOnlyDictionary<string, double> FixedRates { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>When the server day ends and the swaps are charged (default: 00:00 of the server time, which is UTC).</summary>
    public RolloverSchedule Rollover { get; init; } = RolloverSchedule.ServerMidnight;

    /// <summary>Checks the fixed rates; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        foreach (var (pair, rate) in FixedRates)
        {
            _ = CurrencyPair.Parse(pair);
            if (!(rate > 0) || double.IsInfinity(rate))
            {
                throw new ArgumentException($"The rate of {pair} must be a positive number, got {rate}.", nameof(FixedRates));
            }
        }
    }
}

/// <summary>A currency pair BASE/QUOTE: its price is how many QUOTE one BASE costs.</summary>
/// <param name="Base">Base currency (three letters, upper case).</param>
/// <param name="Quote">Quote currency.</param>
public readonly record struct CurrencyPair(string Base, string Quote)
{
    /// <summary>BASEQUOTE, e.g. USDJPY.</summary>
    public string Name => Base + Quote;

    /// <summary>Parses "USDJPY" or "USD/JPY" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Not two three-letter currency codes, or the same one twice.</exception>
    public static CurrencyPair Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Replace("/", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
        if (t.Length != 6 || !IsCurrency(t[..3]) || !IsCurrency(t[3..]) || t[..3] == t[3..])
        {
            throw new ArgumentException($"'{text}' is not a currency pair: expected two different three-letter currency codes such as USDJPY or USD/JPY.", nameof(text));
        }

        return new CurrencyPair(t[..3], t[3..]);
    }

    /// <summary>True for three ASCII letters (a currency code such as USD, JPY, XAU).</summary>
    public static bool IsCurrency(string code) => code.Length == 3 && code.All(char.IsAsciiLetter);

    /// <inheritdoc />
    public override string ToString() => Name;
}
