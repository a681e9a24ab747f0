using System.CommandLine;
using KimiEA.Cli.Backtest;

namespace KimiEA.Cli.Commands;

/// <summary>
/// <c>kimi backtest</c>: replays real ticks or M1 bars through the native engine library with a simulated MT5
/// terminal and trade server and writes report.html, summary.json and trades.csv. Exit codes: 0 ok, 2 bad
/// arguments, data, journal or broker state, 3 engine error.
/// </summary>
internal static class BacktestCommand
{
    public static Command Create()
    {
        // Values are taken as text and parsed by BacktestCli so that every bad value gets exit code 2 and a message
        // naming the option (a System.CommandLine parse error would exit with 1).
        var data = new Option<string[]>("--data") { Description = "Data file (ticks or M1 bars: normalized CSV, MT5 export, HistData); repeat for several symbols. Default: the shipped EURUSD sample (ticks, or M1 for m1ohlc/open)." };
        var symbol = new Option<string[]>("--symbol") { Description = "Symbol of each --data file, in the same order (default: from the file name). Known: EURUSD, GBPUSD, NZDUSD, XAUUSD." };
        var mode = new Option<string>("--mode") { Description = "Tick model: ticks (real ticks), m1ohlc (4 ticks per M1 bar) or open (open prices only).", DefaultValueFactory = _ => "ticks" };
        var from = new Option<string?>("--from") { Description = "Start, UTC (2014-05-07 or 2014-05-07T08:00:00Z); earlier data warms the engine up." };
        var to = new Option<string?>("--to") { Description = "End, UTC, exclusive." };
        var outDir = new Option<string>("--out") { Description = "Output folder for report.html, summary.json, trades.csv.", DefaultValueFactory = _ => Path.Combine("out", "backtest") };
        var seed = new Option<string>("--seed") { Description = "Seed of the slippage model (same inputs and seed: byte-identical summary.json and trades.csv).", DefaultValueFactory = _ => "1" };
        var journal = new Option<string?>("--journal") { Description = "The engine's SQLite journal file (none by default)." };
        var calibration = new Option<string?>("--calibration") { Description = "A signal calibration file (kimi calibrate --fit --out) fitted for the EA's inputs and this time frame, used instead of the shipped one." };
        var brokerState = new Option<string?>("--broker-state")
        {
            Description = "The simulated broker's durable state file (needs --journal). Missing or empty: a fresh run writes it; any other file that is not a broker state is refused and left untouched. Holding a killed or stopped run's state: "
                + "the run restarts like a terminal — broker deals and positions come back, the engine restores itself from the journal and reconciles, and the replay "
                + "continues after the last recorded moment. A run that stops before the end of its data (--to) leaves its positions open at the broker.",
        };
        var timeframe = new Option<string>("--timeframe") { Description = "Chart timeframe: M1, M5, M15, M30, H1, H4 or D1.", DefaultValueFactory = _ => "M15" };
        var balance = new Option<string>("--balance") { Description = "Initial deposit in the account currency (--currency).", DefaultValueFactory = _ => "10000" };
        var spread = new Option<string?>("--spread") { Description = "Fixed spread in points instead of the data's." };
        var commission = new Option<string>("--commission") { Description = "Round-turn commission per lot in the account currency (half charged per deal).", DefaultValueFactory = _ => "7" };
        var slippage = new Option<string>("--slippage") { Description = "Maximal adverse slippage of market orders in points (seeded, uniform).", DefaultValueFactory = _ => "2" };
        var netting = new Option<bool>("--netting") { Description = "Netting account (one position per symbol) instead of hedging." };
        var sameBar = new Option<string>("--same-bar") { Description = "When one M1 bar covers both the stop and the take-profit: stop-first (pessimistic) or target-first. Printed in the report and summary.json.", DefaultValueFactory = _ => "stop-first" };
        var minConfidence = new Option<string?>("--min-confidence") { Description = "Override the EA's min and auto-execute confidence (0..1) to see what the engine trades below its defaults." };
        var approve = new Option<string>("--approve") { Description = "The simulated trader's answer to intents whose confidence is between the min and the auto-execute level: all (approve each at once) or none (they expire).", DefaultValueFactory = _ => "none" };
        var skipBadRows = new Option<bool>("--skip-bad-rows") { Description = "Skip bad data rows (malformed, out of order, duplicate, NaN, high < low, negative spread, non-positive price) and print how many per file and why; by default the first one stops the run naming the file, line and problem." };
        var cache = new Option<string?>("--cache") { Description = "Binary data cache folder (default ~/.cache/kimi)." };
        var currency = new Option<string>("--currency") { Description = "Account currency (USD, EUR, GBP, JPY ...): profit, margin and swap of every symbol are converted to it at the conversion pair's price of the moment.", DefaultValueFactory = _ => "USD" };
        var rate = new Option<string[]>("--rate") { Description = "Fixed conversion rate PAIR=RATE (e.g. USDJPY=110.5), repeatable; used for a pair no --data or --conversion-data file provides." };
        var conversionData = new Option<string[]>("--conversion-data") { Description = "Data file of a conversion pair (e.g. USDJPY for a JPY cross on a USD account), repeatable: replayed for its prices, never traded." };

        var cmd = new Command("backtest", "Backtest the KimiEA engine on real data with a simulated MT5 terminal and trade server; writes report.html, summary.json and trades.csv.");
        foreach (var o in new Option[] { data, symbol, mode, from, to, outDir, seed, journal, calibration, brokerState, timeframe, balance, spread, commission, slippage, netting, sameBar, skipBadRows, minConfidence, approve, cache, currency, rate, conversionData })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(parse => BacktestCli.Execute(new BacktestArguments
        {
            Data = parse.GetValue(data) ?? [],
            Symbols = parse.GetValue(symbol) ?? [],
            Mode = parse.GetValue(mode)!,
            From = parse.GetValue(from),
            To = parse.GetValue(to),
            Out = parse.GetValue(outDir)!,
            Seed = parse.GetValue(seed)!,
            Journal = parse.GetValue(journal),
            Calibration = parse.GetValue(calibration),
            BrokerState = parse.GetValue(brokerState),
            Timeframe = parse.GetValue(timeframe)!,
            Balance = parse.GetValue(balance)!,
            Spread = parse.GetValue(spread),
            Commission = parse.GetValue(commission)!,
            Slippage = parse.GetValue(slippage)!,
            Netting = parse.GetValue(netting),
            SameBar = parse.GetValue(sameBar)!,
            SkipBadRows = parse.GetValue(skipBadRows),
            Cache = parse.GetValue(cache),
            MinConfidence = parse.GetValue(minConfidence),
            Approve = parse.GetValue(approve),
            Currency = parse.GetValue(currency)!,
            Rates = parse.GetValue(rate) ?? [],
            ConversionData = parse.GetValue(conversionData) ?? [],
        }));
        return cmd;
    }
}
