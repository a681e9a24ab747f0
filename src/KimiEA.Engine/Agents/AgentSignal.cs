using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Smc.Signal;

namespace KimiEA.Engine.Agents;

/// <summary>
/// The agent's signal stage: the streaming SMC signal (structure detectors, ATR, confluence and calibrated hit
/// probability with its evidence, see docs/signal.md) configured from the EA's inputs and, optionally, a calibration
/// file fitted for them. Warm-up bars go through the same detectors; only
/// live closed bars may produce intents.
/// </summary>
internal sealed class AgentSignal
{
    private readonly SmcSignal _signal;

    /// <summary>The signal of a chart's inputs with the shipped calibration.</summary>
    /// <exception cref="EngineException">KIMI_E_CONFIG when an input is out of range.</exception>
    public AgentSignal(in KimiConfig config)
        : this(config, calibration: null)
    {
    }

    /// <summary>
    /// The signal of a chart's inputs with a loaded calibration file (null: the shipped calibration). The file must
    /// have been fitted for these inputs and this chart's time frame (<see cref="SignalCalibrationFile.EnsureMatches"/>).
    /// </summary>
    /// <exception cref="EngineException">KIMI_E_CONFIG when an input is out of range or the file was fitted for other settings (the text names each).</exception>
    public AgentSignal(in KimiConfig config, SignalCalibrationFile? calibration)
    {
        var options = SmcSignalOptions.FromInputs(config);
        try
        {
            options.Validate();
            if (calibration is not null)
            {
                calibration.EnsureMatches(options, symbol: null, timeframeSeconds: config.TimeframeSeconds);
                options = options with { Calibration = calibration.Calibration };
            }
        }
        catch (ArgumentException e)
        {
            throw new EngineException(AbiCodes.EConfig, (calibration is null ? "invalid signal input: " : "signal calibration: ") + e.Message);
        }

        _signal = new SmcSignal(options);
    }

    /// <summary>The structure engine the signal feeds (query it, never feed it): what kimi_get_zones draws.</summary>
    public KimiEA.Smc.Structure.StructureEngine Structure => _signal.Structure;

    /// <summary>The current ATR of the chart timeframe (0 until it is warmed up).</summary>
    public double Atr => _signal.Atr.IsReady ? _signal.Atr.Value : 0;

    /// <summary>Throws <see cref="ArgumentException"/> when a bar at <paramref name="barTime"/> would be refused by the signal (not aligned to the chart period its higher-timeframe bias needs); changes nothing.</summary>
    public void CheckBar(long barTime) => _signal.HtfStructure?.CheckAligned(barTime);

    /// <summary>A history bar: updates every detector, never trades.</summary>
    public void Warm(in Bar bar) => _signal.OnBar(bar, out _);

    /// <summary>A live closed bar: true when it completes a setup.</summary>
    public bool OnBar(in Bar bar, out TradeIntent intent) => _signal.OnBar(bar, out intent);
}
