using System.Security.Cryptography;
using KimiEA.Smc.Signal;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Report;
using KimiEA.Tester.Terminal;
using KimiEA.Testing;
using Xunit;
using Xunit.Abstractions;

namespace KimiEA.Tester.Tests.Decision;

/// <summary>
/// The decision layer end to end on synthetic markets with a planted edge (<see cref="PlantedEdgeMarket"/>): a
/// calibration file is fitted on one year of the generator (what <c>kimi calibrate --fit --out</c> does), and the EA
/// with its default inputs is backtested with that file on half a year the generator made with another seed. With an
/// edge it trades and makes money; on the same generator without an edge it stays out, and the report says why.
/// </summary>
public sealed class PlantedEdgeBacktestTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTime TrainStart = new(2020, 1, 6, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime TestStart = new(2021, 1, 4, 0, 0, 0, DateTimeKind.Utc);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kimi-planted-");

    public void Dispose() => _dir.Delete(true);

    private BacktestOutcome Run(double hitRate)
    {
        // fit on the training market, at the EA's default inputs
        var (train, planted) = PlantedEdgeMarket.Generate(seed: 1, hitRate, hours: 24 * 365, TrainStart);
        var defaults = new SmcSignalOptions { ChartPeriodSeconds = 3600 }; // the EA defaults on an H1 chart
        var fit = SignalEvaluation.Fit(train, defaults, from: null, to: null, priorStrength: 20);
        var trainCsv = Path.Combine(_dir.FullName, "train.csv");
        PlantedEdgeMarket.WriteM1(trainCsv, train, spreadPoints: 10);
        var calibration = Path.Combine(_dir.FullName, "calibration.json");
        File.WriteAllText(calibration, new SignalCalibrationFile
        {
            Symbol = "EURUSD",
            TimeframeSeconds = 3600,
            Inputs = SignalCalibrationFile.InputsOf(defaults),
            FittedOn = new CalibrationProvenance(
                [new CalibrationDataFile(trainCsv, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(trainCsv))))],
                null, null, train.Length, train[0].Time, train[^1].Time, fit.Labelled.Count),
            Weights = fit.Weights,
            Calibration = fit.Calibration,
        }.ToJson());
        output.WriteLine($"hit rate {hitRate}: {planted} planted intents in training, fitted map {string.Join(", ", fit.Calibration.Probabilities.ToArray().Select(p => p.ToString("0.000")))} on {fit.Labelled.Count} labelled");

        // backtest another half year of the same generator with the file, EA defaults otherwise
        var (test, testPlanted) = PlantedEdgeMarket.Generate(seed: 2, hitRate, hours: 24 * 182, TestStart);
        var data = Path.Combine(_dir.FullName, "EURUSD_M1_planted.norm.csv");
        PlantedEdgeMarket.WriteM1(data, test, spreadPoints: 10);
        var outcome = BacktestRunner.Run(
            new BacktestSettings
            {
                Data = [new DataInput(data, "EURUSD")],
                Model = TickModel.M1Ohlc,
                Timeframe = "H1",
                CacheDirectory = Path.Combine(_dir.FullName, "cache"),
                CalibrationPath = calibration,
            },
            new ManagedEngine());
        var r = outcome.Result;
        output.WriteLine($"  backtest: {testPlanted} planted intents, {r.Counters.Signals} signals, {r.Trades.Count} trades, net {r.Statistics.NetProfit:0.00}; outcomes: " +
            string.Join(", ", r.SignalLog.GroupBy(s => s.Outcome).Select(g => $"{g.Key} {g.Count()} (confidence {g.Min(s => s.Confidence):0.000}..{g.Max(s => s.Confidence):0.000})")));
        return outcome;
    }

    [Fact]
    public void With_a_planted_edge_the_EA_defaults_trade_it_and_the_backtest_is_profitable()
    {
        var r = Run(hitRate: 0.6).Result;
        Assert.True(r.Trades.Count >= 20, $"{r.Trades.Count} trades");
        Assert.True(r.Statistics.NetProfit > 0, $"net {r.Statistics.NetProfit}");
        Assert.Contains(r.SignalLog, s => s.Outcome == SignalRecord.OrderSent && s.Confidence >= 0.85);
        Assert.All(r.SignalLog, s => Assert.InRange(s.HitProbability, 0.01, 0.99)); // both numbers reach the report
    }

    [Fact]
    public void Without_an_edge_it_stays_out_and_the_report_says_why()
    {
        var outcome = Run(hitRate: 0.2);
        var r = outcome.Result;
        Assert.True(r.Counters.Signals >= 20, $"{r.Counters.Signals} signals"); // the setup forms; it is refused
        Assert.Empty(r.Trades);
        // the terminal asked for the zones after every closed bar, as the EA draws them, and the structure was there
        Assert.Equal(r.Counters.Bars, r.Counters.ZoneCalls);
        Assert.True(r.Counters.Zones > r.Counters.ZoneCalls, $"{r.Counters.Zones} zone records over {r.Counters.ZoneCalls} calls");
        Assert.All(r.SignalLog, s => Assert.Equal("ConfidenceBelowMinimum", s.Outcome));
        Assert.All(r.SignalLog, s => Assert.True(s.Confidence < 0.70, $"confidence {s.Confidence}"));

        var html = HtmlReport.Render(r, outcome.Run);
        Assert.Contains("Signals: confidence and what happened", html);
        Assert.Contains("ConfidenceBelowMinimum", html);
    }

    [Fact]
    public void A_calibration_file_for_other_inputs_or_time_frame_is_refused_before_the_replay()
    {
        var file = Path.Combine(_dir.FullName, "swing5.json");
        var swing5 = new SmcSignalOptions { ChartPeriodSeconds = 3600, Structure = new SmcSignalOptions().Structure with { SwingLength = 5 } };
        File.WriteAllText(file, (ShippedCalibration.File with { Inputs = SignalCalibrationFile.InputsOf(swing5) }).ToJson());
        var settings = new BacktestSettings
        {
            Data = [new DataInput(RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv"))],
            Model = TickModel.M1Ohlc,
            Timeframe = "H1",
            CacheDirectory = Path.Combine(_dir.FullName, "cache"),
            CalibrationPath = file,
        };
        var e = Assert.Throws<ArgumentException>(() => BacktestRunner.Run(settings, new ManagedEngine()));
        Assert.Contains("swing_length: 5 in the file, 10 in force", e.Message);

        var shipped = Path.Combine(_dir.FullName, "shipped.json");
        File.WriteAllText(shipped, ShippedCalibration.File.ToJson()); // fitted on H1
        var m15 = Assert.Throws<ArgumentException>(() => BacktestRunner.Run(settings with { Timeframe = "M15", CalibrationPath = shipped }, new ManagedEngine()));
        Assert.Contains("timeframe_seconds: 3600 in the file, 900 in force", m15.Message);
    }
}
