using KimiEA.Tester.Server;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Server;

/// <summary>
/// The built-in catalogue's sanity (checked against facts of the instruments, not against the file itself), the
/// resolution of broker names, file-name guessing and --spec files over the catalogue.
/// </summary>
public sealed class SymbolCatalogTests
{
    private static readonly SymbolCatalog BuiltIn = SymbolCatalog.BuiltIn;

    private static IEnumerable<TesterSymbol> Symbols => BuiltIn.Entries.Select(e => e.Symbol);

    [Fact]
    public void The_catalogue_covers_what_the_issue_names()
    {
        string[] required =
        [
            "EURUSD", "GBPUSD", "USDJPY", "USDCHF", "USDCAD", "AUDUSD", "NZDUSD", // majors
            "EURGBP", "EURCHF", "EURAUD", "GBPCHF", "AUDCAD", "AUDNZD",             // minors
            "EURJPY", "GBPJPY", "AUDJPY", "CADJPY", "CHFJPY", "NZDJPY",             // JPY crosses
            "XAUUSD", "XAGUSD", "US30", "US500", "NAS100", "DE40", "UK100", "JP225", "USOIL", "UKOIL", "BTCUSD",
        ];
        foreach (var name in required)
        {
            Assert.Equal(SymbolMatch.Name, BuiltIn.Resolve(name).Match);
        }

        // The usual other names resolve to the same specifications.
        foreach (var (alias, spec) in new[] { ("GOLD", "XAUUSD"), ("DE30", "DE40"), ("GER40", "DE40"), ("WTI", "USOIL"), ("BRENT", "UKOIL"), ("US100", "NAS100"), ("US30Cash", "US30") })
        {
            Assert.Equal(spec, BuiltIn.Resolve(alias).SpecName);
        }
    }

    [Fact]
    public void Every_entry_validates_and_is_consistent_with_its_instrument()
    {
        foreach (var s in Symbols)
        {
            s.Validate();
            Assert.Equal(Math.Pow(10, -s.Digits), s.Point, 15);
            Assert.True(s.ContractSize > 0 && s.Leverage is >= 1 and <= 30, s.Name);
            if (s.CalcMode == SymbolCalcMode.Forex)
            {
                // A forex pair is BASE+PROFIT, margin in the base currency, 100,000 units a lot.
                Assert.Equal(6, s.Name.Length);
                Assert.Equal(s.Name[..3], s.BaseCurrency);
                Assert.Equal(s.Name[3..], s.ProfitCurrency);
                Assert.Equal(s.BaseCurrency, s.MarginCurrency);
                Assert.Equal(100_000, s.ContractSize);
                // MT5's convention: 3 digits (point 0.001) for JPY-quoted pairs, 5 for the others.
                Assert.Equal(s.ProfitCurrency == "JPY" ? 3 : 5, s.Digits);
                // ESMA: 30:1 for pairs of USD, EUR, JPY, GBP, CAD and CHF, 20:1 for the others.
                string[] majors = ["USD", "EUR", "JPY", "GBP", "CAD", "CHF"];
                Assert.Equal(majors.Contains(s.BaseCurrency) && majors.Contains(s.ProfitCurrency) ? 30 : 20, s.Leverage);
            }
            else
            {
                // Quoted in USD unless the index is European, British or Japanese.
                var expectedProfit = s.Name switch { "DE40" => "EUR", "UK100" => "GBP", "JP225" => "JPY", _ => "USD" };
                Assert.Equal(expectedProfit, s.ProfitCurrency);
                Assert.Equal(s.ProfitCurrency, s.MarginCurrency);
            }

            if (s.SwapMode == SwapMode.Disabled)
            {
                Assert.Equal((0.0, 0.0), (s.SwapLong, s.SwapShort));
            }
        }
    }

    [Theory]
    // tick value = tick size x contract size, in the profit currency (hand-worked)
    [InlineData("EURUSD", 0.00001, 1.0, "USD")]     // 0.00001 x 100,000
    [InlineData("USDJPY", 0.001, 100.0, "JPY")]     // 0.001 x 100,000
    [InlineData("EURGBP", 0.00001, 1.0, "GBP")]
    [InlineData("XAUUSD", 0.01, 1.0, "USD")]        // 0.01 x 100 oz
    [InlineData("XAGUSD", 0.001, 5.0, "USD")]       // 0.001 x 5,000 oz
    [InlineData("UK100", 0.05, 0.05, "GBP")]        // 0.05 x 1
    [InlineData("JP225", 1.0, 1.0, "JPY")]
    [InlineData("USOIL", 0.01, 1.0, "USD")]         // 0.01 x 100 barrels: XM's "value of minimum price fluctuation USD 1"
    public void Tick_value_is_derived_in_the_profit_currency(string name, double tickSize, double tickValue, string currency)
    {
        var s = BuiltIn.Resolve(name).Symbol;
        Assert.Equal(tickSize, s.TickSize, 12);
        Assert.Equal(tickValue, s.TickValue, 9);
        Assert.False(s.HasExplicitTickValue);
        Assert.Equal(currency, s.ProfitCurrency);
    }

    [Theory]
    [InlineData("EURUSD.m", "EURUSD")]
    [InlineData("EURUSDm", "EURUSD")]
    [InlineData("EURUSD.pro", "EURUSD")]
    [InlineData("EURUSD_i", "EURUSD")]
    [InlineData("#US30", "US30")]
    [InlineData("US30.cash", "US30")]
    [InlineData("eurusd.ecn", "EURUSD")]
    [InlineData("GOLD.m", "XAUUSD")]
    public void A_broker_prefix_or_suffix_resolves_to_the_base_spec_and_keeps_the_broker_name(string broker, string spec)
    {
        var r = BuiltIn.Resolve(broker);
        Assert.Equal(SymbolMatch.Affixed, r.Match);
        Assert.Equal(spec, r.SpecName);
        Assert.Equal(broker, r.Symbol.Name);
        var baseSpec = BuiltIn.Resolve(spec).Symbol;
        Assert.Equal(baseSpec with { Name = broker }, r.Symbol);
        Assert.Contains($"spec {spec}", r.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("US3000")]     // another instrument, not US30 with a suffix
    [InlineData("BTCUSDT")]    // upper-case suffix without punctuation: not a broker suffix
    [InlineData("XEURUSD")]    // a letter prefix
    [InlineData("FOO")]
    public void A_name_that_is_no_known_symbol_gets_an_error_saying_how_to_supply_a_spec(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => BuiltIn.Resolve(name));
        Assert.Contains($"No specification for symbol '{name}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("--spec FILE", e.Message, StringComparison.Ordinal);
        Assert.Contains("docs/symbol-specs.md", e.Message, StringComparison.Ordinal);
        Assert.Contains($"--symbol {name}=EURUSD", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ambiguous_broker_name_is_an_error_listing_the_candidates()
    {
        var catalog = SymbolCatalog.Of(SymbolSpecFile.Parse("""
            [EURUSD]
            trade_calc_mode = forex
            digits = 5
            trade_contract_size = 100000
            currency_base = EUR
            currency_profit = USD
            [EURUSD.ecn]
            trade_calc_mode = forex
            digits = 5
            trade_contract_size = 10000
            currency_base = EUR
            currency_profit = USD
            """, "two.ini"), "two.ini");
        // ".ecn.m" on EURUSD, or ".m" on EURUSD.ecn: the name alone cannot tell.
        var e = Assert.Throws<ArgumentException>(() => catalog.Resolve("EURUSD.ecn.m"));
        Assert.Contains("'EURUSD.ecn.m' is ambiguous", e.Message, StringComparison.Ordinal);
        Assert.Contains("EURUSD (two.ini)", e.Message, StringComparison.Ordinal);
        Assert.Contains("EURUSD.ecn (two.ini)", e.Message, StringComparison.Ordinal);
        Assert.Contains("--symbol EURUSD.ecn.m=", e.Message, StringComparison.Ordinal);

        // A data file named after it is just as ambiguous: an error, not a guess.
        var guess = Assert.Throws<ArgumentException>(() => catalog.GuessFromFileName("EURUSD.ecn.m_M1_202401020000_202401312359.csv"));
        Assert.Contains("EURUSD.ecn.m_M1_202401020000_202401312359.csv: Symbol 'EURUSD.ecn.m' is ambiguous", guess.Message, StringComparison.Ordinal);

        // The user says which: the mapping wins, under the broker's name.
        var mapped = catalog.Resolve("EURUSD.ecn.m", "EURUSD.ecn");
        Assert.Equal((SymbolMatch.Mapped, "EURUSD.ecn", "EURUSD.ecn.m", 10_000.0), (mapped.Match, mapped.SpecName, mapped.Symbol.Name, mapped.Symbol.ContractSize));
    }

    [Fact]
    public void An_explicit_mapping_resolves_any_broker_name_and_an_unknown_target_is_an_error()
    {
        var r = BuiltIn.Resolve("Germany40", "DE40");
        Assert.Equal(("Germany40", "DE40", SymbolMatch.Mapped), (r.Symbol.Name, r.SpecName, r.Match));
        Assert.Equal(BuiltIn.Resolve("DE40").Symbol with { Name = "Germany40" }, r.Symbol);
        var e = Assert.Throws<ArgumentException>(() => BuiltIn.Resolve("X.m", "NOPE"));
        Assert.Contains("No specification for symbol 'NOPE' (named by --symbol X.m=NOPE)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DAT_ASCII_USDJPY_M1_201601.csv", "USDJPY")]                     // HistData
    [InlineData("HISTDATA_COM_ASCII_EURUSD_M1201601.zip", "EURUSD")]             // HistData's download name
    [InlineData("EURUSD_M1_202401020000_202401312359.csv", "EURUSD")]            // MT5 "Export bars"
    [InlineData("/data/XAUUSD.m_M1_202401020000_202401312359.csv", "XAUUSD.m")]  // MT5 export of a broker name
    [InlineData("GBPJPY_ticks_2024.csv", "GBPJPY")]
    [InlineData("EURUSD_M1_2014-05.norm.csv", "EURUSD")]                         // the shipped samples
    [InlineData("gold-2020-m1.csv", "gold")]                                     // an alias, spelt as the file spells it
    [InlineData("DAT_ASCII_SPXUSD_M1_2019.csv", "SPXUSD")]                       // HistData's name of the S&P 500 (US500)
    public void A_data_file_name_gives_its_symbol(string file, string symbol)
    {
        Assert.Equal(symbol, BuiltIn.GuessFromFileName(file)?.Symbol.Name, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_file_name_without_a_symbol_guesses_nothing()
    {
        Assert.Null(BuiltIn.GuessFromFileName("prices_M1_2024.csv"));
    }

    [Fact]
    public void A_spec_file_replaces_a_built_in_symbol_and_adds_new_ones()
    {
        var dir = Directory.CreateTempSubdirectory("kimi-spec-");
        try
        {
            var file = Path.Combine(dir.FullName, "broker.ini");
            File.WriteAllText(file, """
                [XAUUSD]
                trade_calc_mode = cfdleverage
                digits = 3
                trade_contract_size = 10
                currency_base = XAU
                currency_profit = USD
                currency_margin = USD
                [SPX500.x]
                trade_calc_mode = cfdleverage
                digits = 2
                trade_contract_size = 1
                currency_base = USD
                currency_profit = USD
                aliases = SPX
                """);
            var catalog = BuiltIn.WithFiles([file]);
            Assert.Equal([SymbolCatalog.BuiltInSource, file], catalog.Sources);
            var gold = catalog.Resolve("XAUUSD");
            Assert.Equal((3, 10.0, file), (gold.Symbol.Digits, gold.Symbol.ContractSize, gold.Source));
            // The built-in entry is gone with its alias: GOLD no longer names the replaced specification.
            Assert.Throws<ArgumentException>(() => catalog.Resolve("GOLD"));
            Assert.Equal("SPX500.x", catalog.Resolve("SPX").SpecName);
            Assert.Equal(BuiltIn.Resolve("EURUSD").Symbol, catalog.Resolve("EURUSD").Symbol);

            var second = Path.Combine(dir.FullName, "other.ini");
            File.WriteAllText(second, "[SPX]\ntrade_calc_mode = cfd\ndigits = 1\ntrade_contract_size = 1\ncurrency_base = USD\ncurrency_profit = USD\n");
            var e = Assert.Throws<SymbolSpecException>(() => BuiltIn.WithFiles([file, second]));
            Assert.Contains($"'SPX' is also specified in {file}", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void The_shipped_catalogue_file_is_the_embedded_one()
    {
        // One source of truth: the embedded resource is the repository file, read by the same parser.
        var fromFile = SymbolSpecFile.Load(RepoPaths.Path("src", "KimiEA.Tester", "Server", "symbols.ini"));
        Assert.Equal(fromFile.Select(e => e.Symbol), Symbols);
    }
}
