using System.CommandLine;
using System.Globalization;
using KimiEA.Cli.Backtest;
using KimiEA.Cli.Calibration;
using KimiEA.Data;
using KimiEA.Smc.Signal;

namespace KimiEA.Cli.Commands;

/// <summary>
/// <c>kimi calibrate</c>: runs the SMC signal over a data file and prints its hit-probability buckets against the
/// realised hit rate of the intents' own barriers (count, mean, hit rate, Wilson interval, Brier score) and its
/// confidence buckets against the realised mean R; <c>--fit</c> fits the weights and the map on the file (use
/// <c>--to</c> to keep a held-out part) and <c>--out</c> writes them as a calibration file.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var defaults = new SmcSignalOptions();
        var input = new Option<string>("--input") { Description = "Bar file (normalized *.norm.csv, OHLCV CSV, MT5 export, HistData M1).", Required = true };
        var timeframe = new Option<string?>("--timeframe") { Description = "Resample to this frame first: M5, M15, M30, H1, H4, D1 or 15min/1h/... (default: as in the file)." };
        var from = new Option<string?>("--from") { Description = "Report only intents whose signal bar opens at or after this date (yyyy-MM-dd[THH:mm], data clock)." };
        var to = new Option<string?>("--to") { Description = "Report only intents whose signal bar opens before this date." };
        var buckets = new Option<int>("--buckets") { Description = "Number of equal-width confidence buckets.", DefaultValueFactory = _ => 10 };
        var fit = new Option<bool>("--fit") { Description = "Fit the isotonic calibration on the selected intents and print it (the table is then in-sample)." };
        var prior = new Option<double>("--prior-strength") { Description = "Beta prior strength (pseudo-trades per score) for --fit.", DefaultValueFactory = _ => 20 };
        var swing = new Option<int>("--swing-length") { Description = "Swing length L.", DefaultValueFactory = _ => defaults.Structure.SwingLength };
        var range = new Option<double>("--range-percent") { Description = "Liquidity tolerance as a fraction of the range seen so far.", DefaultValueFactory = _ => defaults.Structure.RangePercent };
        var hold = new Option<int>("--max-holding-bars") { Description = "Vertical barrier in bars.", DefaultValueFactory = _ => defaults.MaxHoldingBars };
        var minRr = new Option<double>("--min-rr") { Description = "Minimum reward/risk of a liquidity target.", DefaultValueFactory = _ => defaults.MinRewardRisk };
        var maxRr = new Option<double>("--max-rr") { Description = "Reward/risk cap (and fallback target).", DefaultValueFactory = _ => defaults.MaxRewardRisk };
        var atr = new Option<int>("--atr-period") { Description = "ATR period.", DefaultValueFactory = _ => defaults.AtrPeriod };
        var buffer = new Option<double>("--stop-buffer-atr") { Description = "Stop buffer beyond the zone, in ATR.", DefaultValueFactory = _ => defaults.StopBufferAtr };
        var ema = new Option<int>("--htf-ema") { Description = "Period of the slow EMA standing for the higher-timeframe bias.", DefaultValueFactory = _ => defaults.HtfEmaPeriod };
        var biasSource = new Option<HtfBiasSource>("--htf-bias") { Description = "Source of the HtfBias factor: Structure (BOS/CHoCH on the higher timeframe) or Ema.", DefaultValueFactory = _ => defaults.HtfBiasSource };
        var htfSwing = new Option<int?>("--htf-swing-length") { Description = "Swing length on the higher timeframe (default: --swing-length)." };
        var requireBias = new Option<bool>("--require-htf-bias") { Description = "Only trade with the higher-timeframe bias." };
        var requireConfirmed = new Option<bool>("--require-confirmed-break") { Description = "Use a BOS/CHoCH only once no later pattern can clear it." };
        var sameBar = SameBarOption();
        var outFile = new Option<string?>("--out") { Description = "With --fit: write the fit as a calibration file (JSON, docs/signal.md) for kimi backtest --calibration and the EA." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing --out file." };
        var costR = new Option<double>("--cost-r") { Description = "Round-turn cost (spread + commission) in R charged to every intent for the confidence table (the bars carry no spread).", DefaultValueFactory = _ => 0 };
        var symbol = new Option<string?>("--symbol") { Description = "Symbol recorded in the --out file (default: the data file name up to its first '_')." };
        var dataTimeZone = new Option<string?>("--data-time-zone") { Description = "Clock of the file's timestamps, as kimi backtest --data-time-zone: UTC, +02:00, ny-close or America/New_York (default: the format's own; MT5 exports ny-close)." };

        var cmd = new Command("calibrate", "Reliability of the SMC signal on real data: hit-probability buckets vs realised hit rate of each intent's own barriers (Wilson intervals, Brier score), and confidence buckets vs realised mean R; --fit --out writes a calibration file.")
        {
            input, timeframe, from, to, buckets, fit, prior, swing, range, hold, minRr, maxRr, atr, buffer, ema, biasSource, htfSwing, requireBias, requireConfirmed, sameBar,
            outFile, overwrite, symbol, costR, dataTimeZone,
        };
        cmd.SetAction(p =>
        {
            try
            {
                var structure = defaults.Structure with { SwingLength = p.GetValue(swing), RangePercent = p.GetValue(range) };
                var signal = defaults with
                {
                    Structure = structure,
                    HtfBiasSource = p.GetValue(biasSource),
                    HtfStructure = p.GetValue(htfSwing) is { } hl ? structure with { SwingLength = hl } : null,
                    MaxHoldingBars = p.GetValue(hold),
                    MinRewardRisk = p.GetValue(minRr),
                    MaxRewardRisk = p.GetValue(maxRr),
                    AtrPeriod = p.GetValue(atr),
                    StopBufferAtr = p.GetValue(buffer),
                    HtfEmaPeriod = p.GetValue(ema),
                    RequireHtfBias = p.GetValue(requireBias),
                    RequireConfirmedBreak = p.GetValue(requireConfirmed),
                };
                var request = new CalibrationRequest
                {
                    Input = p.GetValue(input)!,
                    Timeframe = p.GetValue(timeframe),
                    From = ParseDate(p.GetValue(from), "--from"),
                    To = ParseDate(p.GetValue(to), "--to"),
                    Buckets = p.GetValue(buckets),
                    Fit = p.GetValue(fit),
                    PriorStrength = p.GetValue(prior),
                    Signal = signal,
                    SameBar = BacktestCli.SameBarOption("--same-bar", p.GetValue(sameBar)!),
                    Out = p.GetValue(outFile),
                    Overwrite = p.GetValue(overwrite),
                    Symbol = p.GetValue(symbol),
                    CostR = p.GetValue(costR),
                    DataTimeZone = p.GetValue(dataTimeZone) is { } zone ? BacktestCli.DataZone(zone) : null,
                };
                if (!(request.CostR >= 0) || double.IsInfinity(request.CostR))
                {
                    throw new ArgumentOutOfRangeException("--cost-r", request.CostR, "--cost-r must be a finite number ≥ 0.");
                }

                if (request.Out is not null && !request.Fit)
                {
                    throw new ArgumentException("--out writes a fitted calibration: add --fit.");
                }

                if (request.Buckets < 1)
                {
                    throw new ArgumentOutOfRangeException("--buckets", request.Buckets, "--buckets must be at least 1.");
                }

                return CalibrationRunner.Run(request, Console.Out);
            }
            catch (Exception e) when (e is MarketDataException or ArgumentException or FormatException or IOException)
            {
                Console.Error.WriteLine($"kimi calibrate: {CliErrors.Text(e)}");
                return 2;
            }
        });
        return cmd;
    }

    /// <summary>The labels' same-bar rule, the same option and default as <c>kimi backtest --same-bar</c> (also used by <c>kimi smc --calibration</c>).</summary>
    public static Option<string> SameBarOption() => new("--same-bar")
    {
        Description = "Labels: when one bar touches both the stop and the take-profit, stop-first (pessimistic) or target-first — as kimi backtest --same-bar.",
        DefaultValueFactory = _ => "stop-first",
    };

    private static long? ParseDate(string? text, string option)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm"];
        if (!DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
        {
            throw new FormatException($"{option} '{text}' is not a date (expected yyyy-MM-dd or yyyy-MM-ddTHH:mm).");
        }

        return (long)(dt - DateTime.UnixEpoch).TotalSeconds;
    }
}
