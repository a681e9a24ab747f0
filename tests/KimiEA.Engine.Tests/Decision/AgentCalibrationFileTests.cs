using KimiEA.Core.Abi;
using KimiEA.Engine.Agents;
using KimiEA.Smc.Signal;
using KimiEA.Smc.Structure;
using Xunit;

namespace KimiEA.Engine.Tests.Decision;

/// <summary>A chart loads a signal calibration file only when it was fitted for its inputs and time frame; a refused file changes nothing.</summary>
public sealed class AgentCalibrationFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kimi-cal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(SmcSignalOptions fittedFor, long timeframeSeconds)
    {
        var shipped = ShippedCalibration.File;
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, (shipped with { Inputs = SignalCalibrationFile.InputsOf(fittedFor), TimeframeSeconds = timeframeSeconds }).ToJson());
        return path;
    }

    private static KimiConfig Config(long swingLength = 10)
    {
        var c = KimiConfig.Defaults(AgentFixture.Magic, AgentFixture.Tf);
        c.Mode = AbiCodes.ModePaper;
        c.SwingLength = swingLength;
        return c;
    }

    private static Agent Create(AgentHost host, in KimiConfig config, string? calibration) =>
        Agent.Create(host.Account, config, "EURUSD", AgentFixture.Spec, new KimiAccount { Login = 7, Leverage = 30, Balance = 10_000, Equity = 10_000, FreeMargin = 10_000 }, null, null, calibration);

    [Fact]
    public void A_file_fitted_for_the_chart_inputs_is_accepted()
    {
        var host = new AgentHost();
        var agent = Create(host, Config(), Write(new SmcSignalOptions(), AgentFixture.Tf));
        Assert.NotNull(agent);
    }

    [Fact]
    public void A_file_fitted_for_other_inputs_or_another_time_frame_is_refused_naming_them()
    {
        var host = new AgentHost();
        var e = Assert.Throws<EngineException>(() => Create(host, Config(swingLength: 7), Write(new SmcSignalOptions(), AgentFixture.Tf)));
        Assert.Equal(AbiCodes.EConfig, e.Code);
        Assert.Contains("swing_length: 10 in the file, 7 in force", e.Message);

        var tf = Assert.Throws<EngineException>(() => Create(host, Config(), Write(new SmcSignalOptions(), 3600)));
        Assert.Contains("timeframe_seconds: 3600 in the file, 900 in force", tf.Message);

        var swing5 = new SmcSignalOptions { Structure = new StructureOptions { SwingLength = 5 } };
        Assert.Throws<EngineException>(() => Create(host, Config(), Write(swing5, AgentFixture.Tf)));

        // nothing was left attached by the refusals: a chart with the same inputs still attaches afterwards
        Assert.NotNull(Create(host, Config(), null));
    }

    [Fact]
    public void A_missing_file_is_a_config_error_naming_it()
    {
        var path = Path.Combine(_dir, "missing.json");
        var e = Assert.Throws<EngineException>(() => Create(new AgentHost(), Config(), path));
        Assert.Equal(AbiCodes.EConfig, e.Code);
        Assert.Contains(path, e.Message);
    }
}
