using KimiEA.Core.Market;
using KimiEA.Data;
using KimiEA.Smc.Signal;
using KimiEA.Testing;

namespace KimiEA.Smc.Tests.Signal;

/// <summary>Real data for the signal tests (shipped samples and fixtures only), loaded and run once per test run.</summary>
internal static class SignalData
{
    /// <summary>Start of the held-out period of the H1 sample: the calibration was fitted on earlier intents only.</summary>
    public static readonly long HeldOutFrom = new DateTimeOffset(2013, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private static readonly Lazy<Bar[]> H1Lazy = new(() => Load(RepoPaths.Sample("lean-oanda", "EURUSD_H1_2007-2018.norm.csv")));
    private static readonly Lazy<Bar[]> M15Lazy = new(() => Load(RepoPaths.Fixture("smc-peer", "EURUSD_15M.csv")));
    private static readonly Lazy<List<LabelledIntent>> H1RunLazy = new(() => SignalEvaluation.Run(H1, H1Options));
    private static readonly Lazy<List<LabelledIntent>> M15RunLazy = new(() => SignalEvaluation.Run(M15, M15Options));

    /// <summary>The default signal options on an H1 chart (the structure bias takes H4).</summary>
    public static SmcSignalOptions H1Options { get; } = new() { ChartPeriodSeconds = 3600 };

    /// <summary>The default signal options on an M15 chart (the structure bias takes H4).</summary>
    public static SmcSignalOptions M15Options { get; } = new() { ChartPeriodSeconds = 900 };

    /// <summary>EURUSD H1 2007-2018 (74k bars, data/samples/lean-oanda).</summary>
    public static Bar[] H1 => H1Lazy.Value;

    /// <summary>EURUSD M15 2022-2023 (24k bars, tests/fixtures/smc-peer).</summary>
    public static Bar[] M15 => M15Lazy.Value;

    /// <summary>The default signal over <see cref="H1"/>, labelled.</summary>
    public static List<LabelledIntent> H1Run => H1RunLazy.Value;

    /// <summary>The default signal over <see cref="M15"/>, labelled.</summary>
    public static List<LabelledIntent> M15Run => M15RunLazy.Value;

    public static Bar[] Load(string path)
    {
        var rates = BarReader.ReadAll(path).Bars;
        var bars = new Bar[rates.Length];
        for (var i = 0; i < rates.Length; i++)
        {
            bars[i] = Bar.FromRates(rates[i]);
        }

        return bars;
    }
}
