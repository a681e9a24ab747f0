using System.Text.RegularExpressions;
using KimiEA.Tester.Server;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Server;

/// <summary>The spec-file reader: a good file gives the hand-written values; every kind of bad line names file, line and field.</summary>
public sealed class SymbolSpecFileTests
{
    private const string Good = """
        # a broker's symbols
        [EURUSD.pro]
        trade_calc_mode = forex
        digits = 5
        trade_contract_size = 100000
        currency_base = EUR
        currency_profit = USD
        leverage = 30
        swap_mode = points
        swap_long = -7.25
        swap_short = 2.5
        swap_rollover3days = friday
        trade_stops_level = 10
        typical_spread = 12
        commission_per_lot_per_side = 3.5
        aliases = EURUSDpro, EU.pro

        ; a CFD whose tick is not worth tick size x contract size
        [GER40.c]
        trade_calc_mode = SYMBOL_CALC_MODE_CFDINDEX
        digits = 2
        trade_tick_size = 0.25
        trade_tick_value = 6.25
        trade_contract_size = 25
        currency_base = EUR
        currency_profit = EUR
        margin_rate = 0.05
        volume_min = 0.1
        volume_step = 0.1
        volume_max = 50
        normalized_spread_point = 0.1
        """;

    [Fact]
    public void A_good_file_gives_the_values_written_and_the_documented_defaults()
    {
        var entries = SymbolSpecFile.Parse(Good, "broker.ini");
        Assert.Equal(2, entries.Count);
        var eu = entries[0].Symbol;
        Assert.Equal("EURUSD.pro", eu.Name);
        Assert.Equal(2, entries[0].Line);
        Assert.Equal(["EURUSDpro", "EU.pro"], entries[0].Aliases);
        Assert.Equal(SymbolCalcMode.Forex, eu.CalcMode);
        Assert.Equal(0.00001, eu.Point);            // default: 10^-digits
        Assert.Equal(0.00001, eu.TickSize);         // default: the point
        Assert.Equal(1.0, eu.TickValue, 12);        // derived: 0.00001 x 100,000 USD
        Assert.False(eu.HasExplicitTickValue);
        Assert.Equal("EUR", eu.MarginCurrency);     // default: the base currency
        Assert.Equal((SwapMode.Points, -7.25, 2.5, DayOfWeek.Friday), (eu.SwapMode, eu.SwapLong, eu.SwapShort, eu.TripleSwapDay));
        Assert.Equal((10, 0), (eu.StopsLevelPoints, eu.FreezeLevelPoints));
        Assert.Equal(12, eu.TypicalSpreadPoints);
        Assert.Equal(3.5, eu.CommissionPerLotPerSide);
        Assert.Equal((0.01, 0.01, 100.0), (eu.VolumeMin, eu.VolumeStep, eu.VolumeMax));
        Assert.Equal(0.00001, eu.NormalizedSpreadPoint);

        var ger = entries[1].Symbol;
        Assert.Equal(SymbolCalcMode.CfdIndex, ger.CalcMode);
        Assert.Equal((0.01, 0.25, 6.25, 25.0), (ger.Point, ger.TickSize, ger.TickValue, ger.ContractSize));
        Assert.True(ger.HasExplicitTickValue);
        Assert.Equal(("EUR", "EUR", "EUR"), (ger.BaseCurrency, ger.ProfitCurrency, ger.MarginCurrency));
        Assert.Equal(0.05, ger.MarginRate);
        Assert.Equal(SwapMode.Disabled, ger.SwapMode);
        Assert.Null(ger.TypicalSpreadPoints);
        Assert.Equal(0.1, ger.NormalizedSpreadPoint);
        Assert.Equal((0.1, 0.1, 50.0), (ger.VolumeMin, ger.VolumeStep, ger.VolumeMax));
    }

    /// <summary>A one-symbol file with <paramref name="line"/> as its line 7 (after six good lines).</summary>
    private static string WithLine(string line) => $"""
        [XAUUSD.x]
        trade_calc_mode = cfdleverage
        digits = 2
        trade_contract_size = 100
        currency_base = XAU
        currency_profit = USD
        {line}
        """;

    [Theory]
    [InlineData("digits2 = 3", "digits2", "unknown key")]
    [InlineData("leverage = thirty", "leverage", "'thirty' is not a number")]
    [InlineData("leverage = 1,5", "leverage", "is not a number")]
    [InlineData("trade_stops_level = 2.5", "trade_stops_level", "'2.5' is not a whole number")]
    [InlineData("swap_mode = pips", "swap_mode", "'pips' is not one of disabled, points")]
    [InlineData("swap_rollover3days = midweek", "swap_rollover3days", "is not one of sunday, monday")]
    [InlineData("typical_spread =", "typical_spread", "no value")]
    [InlineData("digits = 3", "digits", "given twice in one section (first on line 3)")]
    [InlineData("leverage = 0", "leverage", "must be a positive number")]
    [InlineData("currency_margin = usd", "currency_margin", "three-letter currency code in capitals")]
    [InlineData("swap_long = -3", "swap_mode", "swap mode disabled")]
    [InlineData("point = 0.001", "point", "point must be 10^-digits")]
    [InlineData("trade_tick_size = 0.015", "trade_tick_size", "whole number of points")]
    [InlineData("typical_spread = -4", "typical_spread", "cannot be negative")]
    [InlineData("aliases = GOLD, GOLD", "aliases", "listed twice")]
    [InlineData("aliases = GO LD", "aliases", "not a symbol name")]
    public void A_bad_field_is_refused_naming_file_line_and_field(string line, string field, string problem)
    {
        var e = Assert.Throws<SymbolSpecException>(() => SymbolSpecFile.Parse(WithLine(line), "my-broker.ini"));
        Assert.Equal("my-broker.ini", e.Source);
        Assert.Equal(field, e.Field);
        Assert.Equal("XAUUSD.x", e.Section);
        // The problem's line: the bad line itself (7), except a swap value given with swap mode left out, which is
        // reported on the section (1) since the missing swap_mode has no line.
        Assert.Equal(field == "swap_mode" && line.StartsWith("swap_long", StringComparison.Ordinal) ? 1 : 7, e.Line);
        Assert.StartsWith($"my-broker.ini:{e.Line}: [XAUUSD.x] {field}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("digits = 5\n[EURUSD]", 1, null, "a key before the first [SYMBOL] section")]
    [InlineData("[EURUSD", 1, null, "is not a section header")]
    [InlineData("[EUR USD]", 1, "section", "not a symbol name")]
    [InlineData("[EURUSD]\ndigits 5", 2, null, "neither a [SYMBOL] header")]
    public void A_bad_line_is_refused_naming_its_line(string text, int line, string? field, string problem)
    {
        var e = Assert.Throws<SymbolSpecException>(() => SymbolSpecFile.Parse(text, "f.ini"));
        Assert.Equal(line, e.Line);
        Assert.Equal(field ?? (text.StartsWith("digits", StringComparison.Ordinal) ? "digits" : null), e.Field);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"f.ini:{line}: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_key_is_named_on_the_section_line()
    {
        var e = Assert.Throws<SymbolSpecException>(() => SymbolSpecFile.Parse("\n\n[US30]\ndigits = 1\ntrade_calc_mode = cfd\ncurrency_base = USD\ncurrency_profit = USD\n", "f.ini"));
        Assert.Equal((3, "trade_contract_size"), (e.Line, e.Field));
        Assert.Contains("required, missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbol_twice_or_an_alias_naming_another_symbol_is_refused()
    {
        const string one = "trade_calc_mode = cfd\ndigits = 1\ntrade_contract_size = 1\ncurrency_base = USD\ncurrency_profit = USD\n";
        var twice = Assert.Throws<SymbolSpecException>(() => SymbolSpecFile.Parse($"[US30]\n{one}[us30]\n{one}", "f.ini"));
        Assert.Equal(7, twice.Line);
        Assert.Contains("specified twice (first on line 1)", twice.Message, StringComparison.Ordinal);

        var alias = Assert.Throws<SymbolSpecException>(() => SymbolSpecFile.Parse($"[US30]\n{one}[DJ30]\n{one}aliases = US30\n", "f.ini"));
        Assert.Equal(("DJ30", "aliases"), (alias.Section, alias.Field));
        Assert.Contains("'US30' already names US30 (line 1)", alias.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_spec_file_is_reported_as_missing()
    {
        var path = Path.Combine(Path.GetTempPath(), "kimi-no-such-spec-" + Guid.NewGuid().ToString("N") + ".ini");
        var e = Assert.ThrowsAny<IOException>(() => SymbolSpecFile.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_documentation_lists_every_key_and_its_example_parses()
    {
        var doc = File.ReadAllText(RepoPaths.Path("docs", "symbol-specs.md"));
        var documented = Regex.Matches(doc, @"^\| `([a-z_0-9]+)`(?:, `([a-z_0-9]+)`)*(?:, `([a-z_0-9]+)`)?", RegexOptions.Multiline)
            .SelectMany(m => m.Groups.Cast<Group>().Skip(1).SelectMany(g => g.Captures.Select(c => c.Value)))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(SymbolSpecFile.Keys.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));

        var example = Regex.Match(doc, "```ini\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        var gold = Assert.Single(SymbolSpecFile.Parse(example, "docs/symbol-specs.md"));
        Assert.Equal(("XAUUSD.m", 1.0, 0.01), (gold.Symbol.Name, gold.Symbol.ContractSize, gold.Symbol.TickValue));
    }
}
