using KimiEA.Smc.Signal;
using KimiEA.Smc.Structure;
using Xunit;

namespace KimiEA.Smc.Tests.Signal;

/// <summary>Calibration files: the written format reads back, a file refuses other settings naming each, and bad files name their problem.</summary>
public sealed class SignalCalibrationFileTests
{
    private static SignalCalibrationFile Sample() => new()
    {
        Symbol = "GBPUSD",
        TimeframeSeconds = 900,
        Inputs = SignalCalibrationFile.InputsOf(new SmcSignalOptions()),
        FittedOn = new CalibrationProvenance([new CalibrationDataFile("data/x.csv", new string('a', 64))], 1_600_000_000, null, 1234, 1_500_000_000, 1_700_000_000, 321),
        Weights = new ConfluenceWeights { ModestTarget = 2.5, LiquiditySweep = 0.75 },
        Calibration = new ConfidenceCalibration([0, 0.5, 0.8333333333333334], [0.25, 0.3, 0.41], [200, 80, 41], 20),
    };

    [Fact]
    public void Written_file_reads_back_field_for_field()
    {
        var file = Sample();
        var back = SignalCalibrationFile.Parse(file.ToJson(), "sample.json");
        Assert.Equal(file.Symbol, back.Symbol);
        Assert.Equal(file.TimeframeSeconds, back.TimeframeSeconds);
        Assert.Equal(file.Inputs, back.Inputs);
        Assert.Equal(file.FittedOn.Data, back.FittedOn.Data);
        Assert.Equal(file.FittedOn with { Data = back.FittedOn.Data }, back.FittedOn);
        Assert.Equal(file.Weights, back.Weights);
        Assert.Equal(file.Calibration.Knots.ToArray(), back.Calibration.Knots.ToArray());
        Assert.Equal(file.Calibration.Probabilities.ToArray(), back.Calibration.Probabilities.ToArray());
        Assert.Equal(file.Calibration.Trials.ToArray(), back.Calibration.Trials.ToArray());
        Assert.Equal(20, back.Calibration.PriorStrength);
        Assert.Equal(41 + 20, back.Calibration.Evidence(0.9));
    }

    [Fact]
    public void A_file_fitted_for_other_inputs_is_refused_naming_each_difference()
    {
        var file = Sample();
        var other = new SmcSignalOptions { Structure = new StructureOptions { SwingLength = 5 }, MaxHoldingBars = 24 };
        var e = Assert.Throws<ArgumentException>(() => file.EnsureMatches(other, "GBPUSD", 900, "sample.json"));
        Assert.Contains("swing_length: 10 in the file, 5 in force", e.Message);
        Assert.Contains("max_holding_bars: 48 in the file, 24 in force", e.Message);
        Assert.Contains("sample.json", e.Message);
        Assert.DoesNotContain("atr_period", e.Message); // only what differs

        var where = Assert.Throws<ArgumentException>(() => file.EnsureMatches(new SmcSignalOptions(), "EURUSD", 3600));
        Assert.Contains("symbol: GBPUSD in the file, EURUSD in force", where.Message);
        Assert.Contains("timeframe_seconds: 900 in the file, 3600 in force", where.Message);

        file.EnsureMatches(new SmcSignalOptions(), "gbpusd", 900); // same settings: accepted

        var applied = file.ApplyTo(new SmcSignalOptions());
        Assert.Same(file.Calibration, applied.Calibration);
        Assert.Same(file.Weights, applied.Weights);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"format":"something-else","version":1}""", "field 'format'")]
    [InlineData("""{"format":"kimiea-signal-calibration","version":2}""", "field 'version'")]
    [InlineData("""{"format":"kimiea-signal-calibration","version":1}""", "field 'inputs' is missing")]
    public void A_bad_file_names_its_problem(string json, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => SignalCalibrationFile.Parse(json, "bad.json"));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Decreasing_knots_or_a_missing_weight_are_refused_with_the_field()
    {
        var json = Sample().ToJson();
        var decreasing = json.Replace("\"hit_probability\": 0.41", "\"hit_probability\": 0.1", StringComparison.Ordinal);
        Assert.NotEqual(json, decreasing);
        Assert.Contains("field 'knots'", Assert.Throws<ArgumentException>(() => SignalCalibrationFile.Parse(decreasing, "f.json")).Message);

        var noWeight = json.Replace("\"ModestTarget\"", "\"Modest\"", StringComparison.Ordinal);
        Assert.Contains("field 'ModestTarget' is missing", Assert.Throws<ArgumentException>(() => SignalCalibrationFile.Parse(noWeight, "f.json")).Message);
    }

    [Fact]
    public void Loading_a_missing_file_names_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "kimi-no-such-calibration-" + Guid.NewGuid().ToString("N") + ".json");
        var e = Assert.Throws<ArgumentException>(() => SignalCalibrationFile.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Signal_defaults_are_the_EA_input_defaults()
    {
        var ea = KimiEA.Core.Abi.KimiConfig.Defaults(magic: 1, timeframeSeconds: 3600);
        Assert.Equal(SignalCalibrationFile.InputsOf(new SmcSignalOptions()), SignalCalibrationFile.InputsOf(SmcSignalOptions.FromInputs(ea)));
        var o = new SmcSignalOptions();
        Assert.Equal(ea.SwingLength, o.Structure.SwingLength);
        Assert.Equal(ea.RangePercent, o.Structure.RangePercent);
        Assert.Equal(ea.MaxHoldingBars, o.MaxHoldingBars);
        Assert.Equal(ea.MinRewardRisk, o.MinRewardRisk);
    }
}
