using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Data;
using KimiEA.Testing;
using KimiEA.Tester.Feed;
using KimiEA.Tester.Report;
using KimiEA.Tester.Server;
using KimiEA.Tester.Terminal;
using KimiEA.Tester.Tests.Terminal;

namespace KimiEA.Tester.Tests.Report;

/// <summary>
/// A run over the shipped EURUSD M1 sample (first days, M15 chart) with a scripted engine that alternates buys and
/// sells every 8th closed bar with a 15-pip stop and a 20-pip target: enough trades of every exit kind to exercise
/// the outputs without the native library.
/// </summary>
internal static class SampleRun
{
    public static readonly string M1Sample = RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv");

    public static (BacktestResult Result, RunDescription Run) Execute(int seed = 7, int slippage = 2, int m1Bars = 6_000, int timeframeSeconds = 900, string? file = null)
    {
        file ??= M1Sample;
        var series = BarReader.ReadAll(file, DataReadOptions.Lenient);
        var bars = series.Bars.Take(m1Bars).ToArray();
        var symbol = SymbolTable.Get("EURUSD");
        var n = 0;
        var engine = new ScriptedEngine
        {
            Strategy = bar =>
            {
                if (n++ % 8 != 7)
                {
                    return null;
                }

                var dir = (n / 8) % 2 == 0 ? 1 : -1;
                return
                [
                    new KimiInstruction
                    {
                        Kind = AbiCodes.InstrOpen,
                        Direction = dir,
                        Volume = 0.5,
                        Sl = Math.Round(bar.Close - dir * 0.0015, 5),
                        Tp = Math.Round(bar.Close + dir * 0.0020, 5),
                    },
                ];
            },
        };
        var server = new TradeServer(new AccountSettings(), [symbol],
            new ExecutionSettings { Seed = seed, MaxSlippagePoints = slippage, CommissionPerLot = 7 });
        using var feed = new SymbolFeed(symbol, TickModel.M1Ohlc, null, bars);
        var result = new SimulatedTerminal(engine, server, [feed], new TerminalOptions { TimeframeSeconds = timeframeSeconds }).Run();
        var run = new RunDescription
        {
            DataFiles = [new DataFileInfo(file, "EURUSD", "bars", "0", bars.Length, series.Report)],
            Symbols = ["EURUSD"],
            Mode = "m1ohlc",
            Timeframe = timeframeSeconds == 900 ? "M15" : $"M{timeframeSeconds / 60}",
            TimeframeSeconds = timeframeSeconds,
            Seed = seed,
            Commit = "unknown",
            FillPolicy = "test",
            Parameters = [new("balance", "10000")],
        };
        return (result, run);
    }
}
