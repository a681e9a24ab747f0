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
    /// <summary>The command; <paramref name="execute"/> replaces the run (kimi optimize parses backtest options with it).</summary>
    public static Command Create(Func<BacktestArguments, int>? execute = null)
    {
        // Values are taken as text and parsed by BacktestCli so that every bad value gets exit code 2 and a message
        // naming the option (a System.CommandLine parse error would exit with 1).
        var data = new Option<string[]>("--data") { Description = "Data file (ticks, or bars of M1 … D1 up to the chart's timeframe: normalized CSV, MT5 export, HistData); repeat for several symbols. Default: the shipped EURUSD sample (ticks, or M1 for m1ohlc/open)." };
        var symbol = new Option<string[]>("--symbol") { Description = "Symbol of each --data file, in the same order, as the broker names it (default: from the file name). Broker prefixes/suffixes (EURUSD.m, #US30) resolve to the catalogue's spec when unambiguous; NAME=SPEC maps one explicitly (--symbol EURUSD.pro=EURUSD). `--list-symbols` shows the catalogue." };
        var spec = new Option<string[]>("--spec") { Description = "Symbol specification file (INI sections with MT5's field names, docs/symbol-specs.md) over the built-in catalogue; repeatable." };
        var listSymbols = new Option<bool>("--list-symbols") { Description = "Print the symbol catalogue (built-in and --spec files) and exit." };
        var mode = new Option<string>("--mode") { Description = "Tick model: ticks (real ticks), m1ohlc or ohlc (4 ticks per bar of the data's timeframe: M1, or H1 … D1 from such data) or open (open prices only).", DefaultValueFactory = _ => "ticks" };
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
        var timeframe = new Option<string>("--timeframe") { Description = "Chart timeframe: M1, M5, M15, M30, H1, H4 or D1 (the data's timeframe or a multiple of it).", DefaultValueFactory = _ => "M15" };
        var balance = new Option<string>("--balance") { Description = "Initial deposit in the account currency (--currency).", DefaultValueFactory = _ => "10000" };
        var spread = new Option<string?>("--spread") { Description = "Fixed spread in the symbol's points instead of the data's. Data without spreads (HistData, OHLC CSV) needs it unless the symbol's spec has a typical spread; the run prints which spread it used." };
        var commission = new Option<string>("--commission") { Description = "Round-turn commission per lot in the account currency (half charged per deal).", DefaultValueFactory = _ => "7" };
        var slippage = new Option<string>("--slippage") { Description = "Maximal adverse slippage of market orders in points (seeded, uniform).", DefaultValueFactory = _ => "2" };
        var netting = new Option<bool>("--netting") { Description = "Netting account (one position per symbol) instead of hedging." };
        var sameBar = new Option<string>("--same-bar") { Description = "When one M1 bar covers both the stop and the take-profit: stop-first (pessimistic) or target-first. Printed in the report and summary.json.", DefaultValueFactory = _ => "stop-first" };
        var minConfidence = new Option<string?>("--min-confidence") { Description = "Override the EA's min and auto-execute confidence (0..1) to see what the engine trades below its defaults." };
        var approve = new Option<string>("--approve") { Description = "The simulated trader's answer to intents whose confidence is between the min and the auto-execute level: all (approve each at once) or none (they expire).", DefaultValueFactory = _ => "none" };
        var skipBadRows = new Option<bool>("--skip-bad-rows") { Description = "Skip bad data rows (malformed, out of order, duplicate, NaN, high < low, negative spread, non-positive price) and print how many per file and why; by default the first one stops the run naming the file, line and problem." };
        var set = new Option<string?>("--set") { Description = "The EA's inputs as a MetaEditor .set file (UTF-16LE or UTF-8), applied as the EA applies them; kimi optimize writes the best trial's as best.set." };
        var cache = new Option<string?>("--cache") { Description = "Binary data cache folder (default ~/.cache/kimi)." };
        var dataTimeZone = new Option<string?>("--data-time-zone")
        {
            Description = "Clock of the data files' timestamps (times with Z or an offset keep theirs): UTC, a fixed offset (+02:00, UTC-5), "
                + "ny-close (broker server time: UTC+2 while New York is on standard time, UTC+3 while on daylight time; the server day starts at 17:00 New York) "
                + "or America/New_York. Default: each format's own (MT5 exports ny-close, with a notice; HistData America/New_York; normalized files UTC).",
        };
        var currency = new Option<string>("--currency") { Description = "Account currency (USD, EUR, GBP, JPY ...): profit, margin and swap of every symbol are converted to it at the conversion pair's price of the moment.", DefaultValueFactory = _ => "USD" };
        var rate = new Option<string[]>("--rate") { Description = "Fixed conversion rate PAIR=RATE (e.g. USDJPY=110.5), repeatable; used for a pair no --data or --conversion-data file provides." };
        var conversionData = new Option<string[]>("--conversion-data") { Description = "Data file of a conversion pair (e.g. USDJPY for a JPY cross on a USD account), repeatable: replayed for its prices, never traded." };

        var cmd = new Command("backtest", "Backtest the KimiEA engine on real data with a simulated MT5 terminal and trade server; writes report.html, summary.json and trades.csv.");
        foreach (var o in new Option[] { data, symbol, spec, listSymbols, mode, from, to, outDir, seed, journal, calibration, brokerState, timeframe, balance, spread, commission, slippage, netting, sameBar, skipBadRows, minConfidence, approve, set, cache, dataTimeZone, currency, rate, conversionData })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(parse => (execute ?? BacktestCli.Execute)(new BacktestArguments
        {
            Data = parse.GetValue(data) ?? [],
            Symbols = parse.GetValue(symbol) ?? [],
            Specs = parse.GetValue(spec) ?? [],
            ListSymbols = parse.GetValue(listSymbols),
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
            DataTimeZone = parse.GetValue(dataTimeZone),
            MinConfidence = parse.GetValue(minConfidence),
            Approve = parse.GetValue(approve),
            Set = parse.GetValue(set),
            Currency = parse.GetValue(currency)!,
            Rates = parse.GetValue(rate) ?? [],
            ConversionData = parse.GetValue(conversionData) ?? [],
        }));
        return cmd;
    }
}
