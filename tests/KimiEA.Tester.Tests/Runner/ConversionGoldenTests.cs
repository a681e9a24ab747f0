using System.Globalization;
using System.Text;
using KimiEA.Data;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Report;
using KimiEA.Tester.Server;
using KimiEA.Tester.Server.Money;
using KimiEA.Tester.Terminal;
using KimiEA.Tester.Tests.Decision;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Runner;

/// <summary>
/// Golden runs of the real engine (in-process, <see cref="ManagedEngine"/>) that trade on a JPY symbol and a JPY cross
/// on a USD account: USDJPY converts its JPY profit through its own price, EURJPY (derived from USDJPY × EURUSD, see
/// data/samples/nautilus-fx/README.md) through the USDJPY data and its EUR margin through the EURUSD H1 data, both
/// replayed as conversion-only series. Both symbols charge swaps in points. Each run checks the accounting identity,
/// conversion and swap facts against the data, and that a second run gives the same bytes.
/// </summary>
public sealed class ConversionGoldenTests : IDisposable
{
    private const long DayMsc = 86_400_000;
    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("kimi-conv-");

    public void Dispose() => _cache.Delete(true);

    // Illustrative swap terms in points (not a broker's): long USDJPY earned, short paid; both sides of EURJPY paid.
    private static TesterSymbol UsdJpy => new()
    {
        Name = "USDJPY", Digits = 3, Point = 0.001, TickSize = 0.001, TickValue = 100, ContractSize = 100_000, NormalizedSpreadPoint = 0.001,
        BaseCurrency = "USD", ProfitCurrency = "JPY", MarginCurrency = "USD",
        SwapMode = SwapMode.Points, SwapLong = 1.5, SwapShort = -4.5, TripleSwapDay = DayOfWeek.Wednesday,
    };

    private static TesterSymbol EurJpy => new()
    {
        Name = "EURJPY", Digits = 3, Point = 0.001, TickSize = 0.001, TickValue = 100, ContractSize = 100_000, NormalizedSpreadPoint = 0.001,
        BaseCurrency = "EUR", ProfitCurrency = "JPY", MarginCurrency = "EUR",
        SwapMode = SwapMode.Points, SwapLong = -2.5, SwapShort = -1.0, TripleSwapDay = DayOfWeek.Wednesday,
    };

    private static string UsdJpyFile => RepoPaths.Sample("nautilus-fx", "USDJPY_M1_2013-02.norm.csv");
    private static string EurJpyFile => RepoPaths.Sample("nautilus-fx", "EURJPY_M1_2013-02.derived.csv");
    private static string EurUsdFile => RepoPaths.Sample("lean-oanda", "EURUSD_H1_2007-2018.norm.csv");

    private static BacktestSettings Settings(string file, string timeframe) => new()
    {
        Data = [new DataInput(file)],
        Model = TickModel.M1Ohlc,
        // Charts of an hour or more: the engine holds positions long enough to cross rollovers.
        Timeframe = timeframe,
        // 2013-02-01 is a Friday: the first two trading days warm the engine up.
        From = new DateTime(2013, 2, 5, 0, 0, 0, DateTimeKind.Utc),
        MinConfidence = 0,
        ApproveAll = true,
        // The FXCM file has crossed bars (negative spreads): skipped and counted (data/samples/nautilus-fx/README.md).
        SkipBadRows = true,
    };

    private (DataInput, TesterSymbol, CacheEntry) Input(string path, TesterSymbol symbol) =>
        (new DataInput(path, symbol.Name), symbol, new MarketDataCache(_cache.FullName).Get(path, DataReadOptions.Lenient));

    private (string Csv, string Summary, BacktestOutcome Outcome) Run(string file, string timeframe, TesterSymbol symbol, params (string Path, TesterSymbol Symbol)[] conversion)
    {
        var settings = Settings(file, timeframe) with { CacheDirectory = _cache.FullName };
        var outcome = BacktestRunner.Run(settings, [Input(file, symbol)], new ManagedEngine(), conversion: [.. conversion.Select(c => Input(c.Path, c.Symbol))]);
        var csv = ReportFiles.TradesCsv(outcome.Result.Trades);
        return (csv, ReportFiles.SummaryJson(outcome.Result, outcome.Run, ReportFiles.Sha256Hex(Encoding.UTF8.GetBytes(csv))), outcome);
    }

    [Fact]
    public void UsdJpy_OnAUsdAccount_TradesConvertsAndChargesSwaps()
    {
        var (csv, summary, outcome) = Run(UsdJpyFile, "H1", UsdJpy);
        var trades = outcome.Result.Trades;
        Assert.True(trades.Count > 0, "the engine should trade USDJPY with the thresholds lowered");
        AssertIdentity(outcome);
        // JPY → USD through USDJPY itself at the closing moment: the implied rate (profit in JPY / profit in USD) is
        // within 0.5 % of the exit price (bid or ask, depending on the sign, of the tick that closed the trade).
        foreach (var t in trades.Where(t => Math.Abs(t.ProfitCents) >= 100))
        {
            var jpy = (t.ExitPrice - t.EntryPrice) * t.Direction * 100_000 * t.Lots;
            var rate = jpy / (t.ProfitCents / 100.0);
            Assert.InRange(rate / t.ExitPrice, 0.995, 1.005);
        }

        AssertSwaps(trades, UsdJpy, rateAt: t => t.ExitPrice);
        Assert.Contains("USDJPY profit JPY via USDJPY itself", outcome.Run.Parameters.Single(p => p.Key == "conversion").Value, StringComparison.Ordinal);
        var again = Run(UsdJpyFile, "H1", UsdJpy);
        Assert.Equal(csv, again.Csv);
        Assert.Equal(summary, again.Summary);
        GoldenTests.Check("managed-usdjpy-h1-m1ohlc", summary);
    }

    [Fact]
    public void EurJpy_OnAUsdAccount_ConvertsThroughUsdJpyAndEurUsdData()
    {
        var eurusd = SymbolTable.Get("EURUSD");
        var (csv, summary, outcome) = Run(EurJpyFile, "H1", EurJpy, (UsdJpyFile, UsdJpy), (EurUsdFile, eurusd));
        var trades = outcome.Result.Trades;
        Assert.True(trades.Count > 0, "the engine should trade EURJPY with the thresholds lowered");
        AssertIdentity(outcome);
        // JPY → USD through the USDJPY data: the implied rate is the open (± spread) of the USDJPY bar of the exit minute.
        var usdjpy = BarOpens(UsdJpyFile);
        foreach (var t in trades.Where(t => Math.Abs(t.ProfitCents) >= 100))
        {
            var jpy = (t.ExitPrice - t.EntryPrice) * t.Direction * 100_000 * t.Lots;
            var rate = jpy / (t.ProfitCents / 100.0);
            Assert.InRange(rate / OpenAt(usdjpy, t.ExitTimeMsc), 0.997, 1.003);
        }

        // At least one EURJPY position stays open over a rollover in this month: the swap path is exercised.
        Assert.True(AssertSwaps(trades, EurJpy, rateAt: t => OpenAt(usdjpy, t.ExitTimeMsc)) > 0);
        Assert.NotEqual(0, outcome.Result.Statistics.SwapTotal);
        var conversion = outcome.Run.Parameters.Single(p => p.Key == "conversion").Value;
        Assert.Contains("EURJPY profit JPY via USDJPY from USDJPY_M1_2013-02.norm.csv", conversion, StringComparison.Ordinal);
        Assert.Contains("EURJPY margin EUR via EURUSD from EURUSD_H1_2007-2018.norm.csv", conversion, StringComparison.Ordinal);
        var again = Run(EurJpyFile, "H1", EurJpy, (UsdJpyFile, UsdJpy), (EurUsdFile, eurusd));
        Assert.Equal(csv, again.Csv);
        Assert.Equal(summary, again.Summary);
        GoldenTests.Check("managed-eurjpy-h1-m1ohlc", summary);
    }

    [Fact]
    public void JpyCross_WithoutConversionData_IsRefusedBeforeTheRun_NamingThePairs()
    {
        var settings = Settings(EurJpyFile, "H1") with { CacheDirectory = _cache.FullName };
        var e = Assert.Throws<MissingConversionException>(() => BacktestRunner.Run(settings, [Input(EurJpyFile, EurJpy)], new ManagedEngine()));
        Assert.Contains("USDJPY or JPYUSD", e.Message, StringComparison.Ordinal);
        Assert.Contains("USDEUR or EURUSD", e.Message, StringComparison.Ordinal);
        // A fixed rate for each pair is enough to run.
        var fixedRates = settings with { Rates = new Dictionary<string, double> { ["USDJPY"] = 93.0, ["EURUSD"] = 1.35 }, To = new DateTime(2013, 2, 6, 0, 0, 0, DateTimeKind.Utc) };
        var outcome = BacktestRunner.Run(fixedRates, [Input(EurJpyFile, EurJpy)], new ManagedEngine());
        Assert.Contains("USDJPY fixed at 93", outcome.Run.Parameters.Single(p => p.Key == "conversion").Value, StringComparison.Ordinal);
    }

    /// <summary>deposit + Σ profit + Σ commission + Σ swap = final balance, to the cent; the statistics' swap total is Σ swap.</summary>
    private static void AssertIdentity(BacktestOutcome outcome)
    {
        var r = outcome.Result;
        var s = r.Statistics;
        var sum = r.Trades.Sum(t => t.ProfitCents + t.CommissionCents + t.SwapCents);
        Assert.Equal(Cents.Of(s.InitialBalance) + sum, Cents.Of(s.FinalBalance));
        Assert.Equal(r.Trades.Sum(t => t.SwapCents), Cents.Of(s.SwapTotal));
    }

    /// <summary>
    /// A trade's swap is charged for each 00:00 UTC it was open over (none for the ends of Saturday and Sunday, three
    /// for Wednesday's): swap points × 0.001 JPY per unit × 100,000 × lots, converted at the JPY rate of each rollover (within 3 % of the exit's over these weeks).
    /// </summary>
    /// <returns>The number of trades that were charged a swap.</returns>
    private static int AssertSwaps(IReadOnlyList<ClosedTrade> trades, TesterSymbol symbol, Func<ClosedTrade, double> rateAt)
    {
        var spanning = 0;
        foreach (var t in trades)
        {
            var days = 0;
            for (var midnight = (t.EntryTimeMsc / DayMsc + 1) * DayMsc; midnight <= t.ExitTimeMsc; midnight += DayMsc)
            {
                days += RolloverSchedule.SwapDays(DateTimeOffset.FromUnixTimeMilliseconds(midnight - 1).DayOfWeek, DayOfWeek.Wednesday);
            }

            if (days == 0)
            {
                Assert.Equal(0, t.SwapCents);
                continue;
            }

            spanning++;
            var points = t.Direction > 0 ? symbol.SwapLong : symbol.SwapShort;
            var expected = days * points * 100 * t.Lots / rateAt(t);
            Assert.InRange(t.SwapCents / 100.0, expected - (Math.Abs(expected) * 0.03) - (0.01 * days), expected + (Math.Abs(expected) * 0.03) + (0.01 * days));
        }

        return spanning;
    }

    private static (long[] Times, double[] Opens) BarOpens(string path)
    {
        var rows = File.ReadLines(path).Skip(1).Select(l => l.Split(',')).ToArray();
        return (
            [.. rows.Select(r => DateTimeOffset.Parse(r[0], CultureInfo.InvariantCulture).ToUnixTimeMilliseconds())],
            [.. rows.Select(r => double.Parse(r[1], CultureInfo.InvariantCulture))]);
    }

    private static double OpenAt((long[] Times, double[] Opens) bars, long timeMsc)
    {
        var i = Array.BinarySearch(bars.Times, timeMsc);
        return bars.Opens[i >= 0 ? i : ~i - 1];
    }
}
