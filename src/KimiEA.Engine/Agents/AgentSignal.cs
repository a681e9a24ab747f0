using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Smc.Signal;
using KimiEA.Smc.Structure;
using KimiEA.Smc.Time;

namespace KimiEA.Engine.Agents;

/// <summary>
/// The agent's signal stage: the streaming SMC signal (structure detectors, ATR, confluence and calibrated
/// confidence, see docs/signal.md) configured from the EA's inputs. Warm-up bars go through the same detectors; only
/// live closed bars may produce intents.
/// </summary>
internal sealed class AgentSignal
{
    private readonly SmcSignal _signal;

    public AgentSignal(in KimiConfig config)
    {
        var minRr = config.MinRewardRisk > 0 ? config.MinRewardRisk : 1.5;
        var options = new SmcSignalOptions
        {
            Structure = new StructureOptions { SwingLength = (int)config.SwingLength, RangePercent = config.RangePercent },
            MaxHoldingBars = config.MaxHoldingBars > 0 ? (int)config.MaxHoldingBars : new SmcSignalOptions().MaxHoldingBars,
            MinRewardRisk = minRr,
            MaxRewardRisk = Math.Max(minRr, new SmcSignalOptions().MaxRewardRisk),
            DataClock = TimeZoneRule.Fixed(TimeSpan.FromMinutes(config.ServerUtcOffsetMinutes)),
            ChartPeriodSeconds = config.TimeframeSeconds, // picks the higher timeframe of the structure bias
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new EngineException(AbiCodes.EConfig, "invalid signal input: " + e.Message);
        }

        _signal = new SmcSignal(options);
    }

    /// <summary>The current ATR of the chart timeframe (0 until it is warmed up).</summary>
    public double Atr => _signal.Atr.IsReady ? _signal.Atr.Value : 0;

    /// <summary>Throws <see cref="ArgumentException"/> when a bar at <paramref name="barTime"/> would be refused by the signal (not aligned to the chart period its higher-timeframe bias needs); changes nothing.</summary>
    public void CheckBar(long barTime) => _signal.HtfStructure?.CheckAligned(barTime);

    /// <summary>A history bar: updates every detector, never trades.</summary>
    public void Warm(in Bar bar) => _signal.OnBar(bar, out _);

    /// <summary>A live closed bar: true when it completes a setup.</summary>
    public bool OnBar(in Bar bar, out TradeIntent intent) => _signal.OnBar(bar, out intent);
}
