using System.Text;
using System.Text.Json;
using KimiEA.Data;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Report;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Runner;

/// <summary>
/// Which spread a run uses, by data format, with hand-worked prices: an MT5 export's SPREAD is in the symbol's points,
/// the normalized CSV's spread_points in the vendor's point, a file without spreads takes --spread or the spec's
/// typical spread and is refused without either; the run's description and summary.json say which and why.
/// </summary>
public sealed class SpreadSourceTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kimi-spread-");

    public void Dispose() => _work.Delete(true);

    private static string Fixture(string file) => RepoPaths.Path("tests", "fixtures", "data-formats", file);

    private const string Mt5Gold = "XAUUSD_M1_201405010000_201405010009.csv";
    private const string HistData = "DAT_ASCII_EURUSD_M1_2017_excerpt.csv";

    private BacktestSettings Settings(string path, int? spread = null, IReadOnlyList<string>? specs = null) => new()
    {
        Data = [new DataInput(path)],
        Model = TickModel.M1Ohlc,
        SpreadPoints = spread,
        SpecFiles = specs ?? [],
        CacheDirectory = Path.Combine(_work.FullName, "cache"),
    };

    /// <summary>The first generated tick of the file's first bar, through the spread the runner chooses.</summary>
    private static (FeedSpread Spread, FeedTick Tick) FirstTick(BacktestSettings settings)
    {
        var (_, symbol, entry) = BacktestRunner.Prepare(settings).Single();
        var spread = FeedSpread.For(settings.SpreadPoints, symbol, entry);
        using var bars = entry.OpenBars();
        using var feed = new SymbolFeed(symbol, TickModel.M1Ohlc, null, new ChunkedRecords<KimiEA.Core.Market.MqlRates>(bars.TryReadChunk), spread.FixedPoints, spread.DataPointSize);
        Assert.True(feed.MoveNext());
        return (spread, feed.Current);
    }

    [Fact]
    public void Mt5_export_of_gold_reads_SPREAD_in_the_symbols_0_01_points()
    {
        var (spread, tick) = FirstTick(Settings(Fixture(Mt5Gold)));
        // The file is named as MT5 names exports; its first bar opens at 1291.68 with SPREAD 35.
        // 35 points x 0.01 = 0.35 USD: ask 1291.68 + 0.35 = 1292.03 (OANDA's 0.001 point would have made it 0.035).
        Assert.Equal((SpreadOrigin.Data, 0.01), (spread.Origin, spread.DataPointSize));
        Assert.Equal(35, tick.SpreadPoints);
        Assert.Equal(1291.68, tick.Bid, 9);
        Assert.Equal(1292.03, tick.Ask, 9);
        Assert.Equal(0.35, tick.Ask - tick.Bid, 9);
        Assert.Contains("SPREAD column of the MT5 export, in the symbol's points of 0.01", spread.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalized_oanda_gold_reads_spread_points_in_oandas_0_001_point()
    {
        var (spread, tick) = FirstTick(Settings(RepoPaths.Sample("lean-oanda", "XAUUSD_M1_2014-05.norm.csv")));
        // First row: open 1291.677, spread_points 277 of OANDA's 0.001 = 0.277 USD = 27.7 -> 28 points of 0.01.
        // Bid 1291.677 on the 0.01 grid = 1291.68; ask 1291.68 + 0.28 = 1291.96.
        Assert.Equal((SpreadOrigin.Data, 0.001), (spread.Origin, spread.DataPointSize));
        Assert.Equal(28, tick.SpreadPoints);
        Assert.Equal(1291.68, tick.Bid, 9);
        Assert.Equal(1291.96, tick.Ask, 9);
        Assert.Contains("data vendor's points of 0.001, converted to the symbol's points of 0.01", spread.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void HistData_without_spread_uses_the_specs_typical_spread_and_says_so()
    {
        var (spread, tick) = FirstTick(Settings(Fixture(HistData)));
        // EURUSD's typical spread in the built-in catalogue: 16 points (XM's average 0.00016). First bar opens 1.04600.
        Assert.Equal((SpreadOrigin.SpecTypical, (int?)16), (spread.Origin, spread.FixedPoints));
        Assert.Equal(1.046, tick.Bid, 9);
        Assert.Equal(1.04616, tick.Ask, 9);
        Assert.Contains("16 points of 0.00001, the typical spread of EURUSD's specification", spread.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void HistData_without_spread_uses_the_spread_option_when_given()
    {
        var (spread, tick) = FirstTick(Settings(Fixture(HistData), spread: 7));
        Assert.Equal((SpreadOrigin.Option, (int?)7), (spread.Origin, spread.FixedPoints));
        Assert.Equal(1.04607, tick.Ask, 9);
        Assert.Contains("7 points of 0.00001 (--spread), fixed, replacing none in the data", spread.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_without_spread_and_a_spec_without_typical_spread_is_refused_before_the_run()
    {
        var spec = Path.Combine(_work.FullName, "no-typical.ini");
        File.WriteAllText(spec, "[EURUSD]\ntrade_calc_mode = forex\ndigits = 5\ntrade_contract_size = 100000\ncurrency_base = EUR\ncurrency_profit = USD\n");
        var e = Assert.Throws<ArgumentException>(() => BacktestRunner.Prepare(Settings(Fixture(HistData), specs: [spec])));
        Assert.Contains(HistData, e.Message, StringComparison.Ordinal);
        Assert.Contains("has no spread column (a HistData M1 file)", e.Message, StringComparison.Ordinal);
        Assert.Contains("pass --spread POINTS", e.Message, StringComparison.Ordinal);
        Assert.Contains("typical_spread", e.Message, StringComparison.Ordinal);
        // With --spread the same run is accepted.
        Assert.Single(BacktestRunner.Prepare(Settings(Fixture(HistData), spread: 5, specs: [spec])));
    }

    [Theory]
    [InlineData(Mt5Gold, null, "data", "SPREAD column of the MT5 export")]
    [InlineData(HistData, null, "spec typical", "typical spread of EURUSD's specification")]
    [InlineData(HistData, 9, "--spread", "9 points of 0.00001 (--spread)")]
    public void The_report_and_summary_json_say_which_spread_was_used(string file, int? spreadOption, string source, string text)
    {
        var settings = Settings(Fixture(file), spreadOption);
        var outcome = BacktestRunner.Run(settings, ScriptedStrategies.Alternating());
        var info = Assert.Single(outcome.Run.DataFiles);
        Assert.Equal(source, info.SpreadSource);
        Assert.Contains(text, info.Spread, StringComparison.Ordinal);
        Assert.Contains(outcome.Run.Parameters, p => p.Key == $"spread {info.Symbol}" && p.Value.Contains(text, StringComparison.Ordinal));
        Assert.Contains(outcome.Run.Parameters, p => p.Key == $"spec {info.Symbol}" && p.Value == $"{info.Symbol}: spec {info.Symbol} (built-in catalogue)");
        var trades = ReportFiles.TradesCsv(outcome.Result.Trades);
        using var json = JsonDocument.Parse(ReportFiles.SummaryJson(outcome.Result, outcome.Run, ReportFiles.Sha256Hex(Encoding.UTF8.GetBytes(trades))));
        var f = json.RootElement.GetProperty("data_files")[0];
        Assert.Equal(source, f.GetProperty("spread_source").GetString());
        Assert.Contains(text, f.GetProperty("spread").GetString(), StringComparison.Ordinal);
        // The console prints the same line before the run.
        Assert.Contains(BacktestRunner.SymbolNotes(settings, BacktestRunner.Prepare(settings)), n => n.Contains(text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_broker_named_JPY_pair_resolves_to_its_spec_and_converts_by_its_own_price()
    {
        // USDJPY pays its profit in JPY: on a USD account the trade server converts it at USDJPY's own price, so no
        // --rate or conversion data is needed (the JPY crosses need USDJPY; see CliCurrencyTests).
        var inputs = BacktestRunner.Prepare(Settings(Fixture(HistData)) with
        {
            Data = [new DataInput(Fixture(HistData), "USDJPY.m")],
        });
        var symbol = Assert.Single(inputs).Symbol;
        Assert.Equal("USDJPY.m", symbol.Name);
        Assert.Equal(("USD", "JPY", 3), (symbol.BaseCurrency, symbol.ProfitCurrency, symbol.Digits));
    }
}
