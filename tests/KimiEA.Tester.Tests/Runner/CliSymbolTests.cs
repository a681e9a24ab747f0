using System.Text.Json;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Runner;

/// <summary>
/// <c>kimi backtest</c>'s symbol options through the published <c>artifacts/kimi</c> (./build.sh): the catalogue listing,
/// a broker name mapped onto a specification, a spec file with a bad line, an unknown symbol, and a HistData file run
/// at the specification's typical spread that says so.
/// </summary>
public sealed class CliSymbolTests : IDisposable
{
    private static readonly string HistData = RepoPaths.Path("tests", "fixtures", "data-formats", "DAT_ASCII_EURUSD_M1_2017_excerpt.csv");
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kimi-cli-symbols-");

    public void Dispose() => _work.Delete(true);

    private string Dir(string name) => Path.Combine(_work.FullName, name);

    private Task<(int Code, string Out, string Err)> Backtest(params string[] args) =>
        CliBacktestTests.Kimi(["backtest", "--mode", "m1ohlc", "--out", Dir("out"), "--cache", Dir("cache"), .. args]);

    [Fact]
    public async Task List_symbols_prints_the_catalogue_with_a_spec_file_over_it()
    {
        var spec = Dir("mine.ini");
        File.WriteAllText(spec, "[GER40.x]\ntrade_calc_mode = cfdleverage\ndigits = 1\ntrade_contract_size = 1\ncurrency_base = EUR\ncurrency_profit = EUR\n");
        var r = await CliBacktestTests.Kimi("backtest", "--list-symbols", "--spec", spec);
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("USDJPY", r.Out, StringComparison.Ordinal);
        Assert.Contains("GER40.x", r.Out, StringComparison.Ordinal);
        Assert.Contains("37 symbols from built-in catalogue, " + spec, r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_HistData_file_under_a_broker_name_runs_at_the_typical_spread_and_says_so()
    {
        var r = await Backtest("--data", HistData, "--symbol", "EURUSD.m=EURUSD");
        Assert.True(r.Code == 0, $"{r.Out}\n{r.Err}");
        Assert.Contains("EURUSD.m: spec EURUSD (built-in catalogue), as mapped by --symbol EURUSD.m=EURUSD; spread 16 points of 0.00001, the typical spread", r.Out, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("out"), "summary.json")));
        var file = summary.RootElement.GetProperty("data_files")[0];
        Assert.Equal("EURUSD.m", file.GetProperty("symbol").GetString());
        Assert.Equal("spec typical", file.GetProperty("spread_source").GetString());
    }

    [Fact]
    public async Task A_file_under_HistDatas_standard_name_needs_no_symbol_option()
    {
        // HistData names its files DAT_ASCII_<SYMBOL>_M1_<YYYYMM>.csv: the symbol and the format come from the file.
        var named = Dir("DAT_ASCII_EURUSD_M1_201701.csv");
        File.Copy(HistData, named);
        var r = await Backtest("--data", named);
        Assert.True(r.Code == 0, $"{r.Out}\n{r.Err}");
        Assert.Contains("EURUSD: spec EURUSD (built-in catalogue); spread 16 points of 0.00001, the typical spread", r.Out, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir("out"), "summary.json")));
        Assert.Equal("EURUSD", summary.RootElement.GetProperty("data_files")[0].GetProperty("symbol").GetString());
    }

    [Fact]
    public async Task An_unknown_symbol_says_how_to_supply_a_spec()
    {
        var r = await Backtest("--data", HistData, "--symbol", "FOO");
        Assert.Equal(2, r.Code);
        Assert.Contains("No specification for symbol 'FOO'", r.Err, StringComparison.Ordinal);
        Assert.Contains("--spec FILE (format: docs/symbol-specs.md", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", r.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("out")));
    }

    [Fact]
    public async Task A_bad_spec_file_names_its_line_and_field()
    {
        var spec = Dir("bad.ini");
        File.WriteAllText(spec, "# mine\n[EURUSD.x]\ndigits = five\ntrade_calc_mode = forex\ntrade_contract_size = 100000\ncurrency_base = EUR\ncurrency_profit = USD\n");
        var r = await Backtest("--data", HistData, "--symbol", "EURUSD.x", "--spec", spec);
        Assert.Equal(2, r.Code);
        Assert.Contains($"{spec}:3: [EURUSD.x] digits: 'five' is not a whole number", r.Err, StringComparison.Ordinal);
    }
}
