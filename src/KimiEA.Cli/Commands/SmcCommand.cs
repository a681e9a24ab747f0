using KimiEA.Core.Time;
using System.CommandLine;
using KimiEA.Cli.Backtest;
using KimiEA.Cli.Calibration;
using KimiEA.Cli.Smc;
using KimiEA.Smc.Signal;
using KimiEA.Smc.Structure;
using KimiEA.Smc.Time;

namespace KimiEA.Cli.Commands;

/// <summary>
/// <c>kimi smc</c>: runs every Smart Money Concepts function on an OHLC(V) CSV file and writes the reference
/// package's eight result files (same names, columns and number formatting) so they can be diffed.
/// </summary>
internal static class SmcCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "OHLC(V) CSV file: the reference's format (Date,Open,High,Low,Close,…) or a normalized *.norm.csv.", Required = true };
        var outDir = new Option<string?>("--out") { Description = "Folder for the result files (created if missing); required unless --calibration." };
        var swingLength = new Option<int>("--swing-length") { Description = "Swing length (bars each side).", DefaultValueFactory = _ => 5 };
        var closeBreak = new Option<bool>("--close-break") { Description = "BOS/CHoCH broken by a close (true) or a wick (false).", DefaultValueFactory = _ => true };
        var closeMitigation = new Option<bool>("--close-mitigation") { Description = "Order blocks mitigated by the body (true) or the wick (false).", DefaultValueFactory = _ => false };
        var rangePercent = new Option<double>("--range-percent") { Description = "Liquidity tolerance as a fraction of the price range.", DefaultValueFactory = _ => 0.01 };
        var join = new Option<bool>("--join-consecutive") { Description = "Join consecutive fair value gaps." };
        var timeFrame = new Option<string>("--time-frame") { Description = "Previous high/low period: 4h, 1D, W (or another intraday period dividing a day).", DefaultValueFactory = _ => "1D" };
        var session = new Option<string>("--session") { Description = "Session: Sydney, Tokyo (Asia), London, NewYork, AsianKillZone, LondonOpenKillZone, NewYorkKillZone, LondonCloseKillZone or Custom.", DefaultValueFactory = _ => "London" };
        var start = new Option<string?>("--start") { Description = "Custom session start HH:MM." };
        var end = new Option<string?>("--end") { Description = "Custom session end HH:MM (inclusive)." };
        var timeZone = new Option<string?>("--time-zone") { Description = "Clock of the file's timestamps (the bars are converted to UTC, sessions are then read in UTC or --session-zone): UTC, a fixed offset (+02:00, UTC-5; ISO sign: +02:00 is two hours east), ny-close (broker server time: UTC+2 in New York's winter, UTC+3 in its summer) or America/New_York. Default: the format's own (MT5 exports ny-close, HistData America/New_York, others UTC)." };
        var sessionZone = new Option<string?>("--session-zone") { Description = "Zone the session window is written in (e.g. Europe/London, DST-aware), or 'exchange' for the main sessions in their exchange's local time (London 08:00-17:00 Europe/London, ...); default UTC like the reference." };
        var volume = new Option<string>("--volume") { Description = "Order-block volume: real (the file's volume column, as the reference), tick, or auto.", DefaultValueFactory = _ => "real" };
        var peer = new Option<bool>("--peer-compatible") { Description = "Reproduce the reference package exactly, including its known bugs (for diffing)." };
        var sameBar = CalibrateCommand.SameBarOption();
        var calibration = new Option<bool>("--calibration") { Description = "Instead of the result files, print the trading signal's calibration report on this file, at the EA's default inputs unless --swing-length or --range-percent is given (the same report as `kimi calibrate`)." };

        var cmd = new Command("smc", "Run the Smart Money Concepts functions on a CSV file and write the reference package's result files.");
        foreach (var o in new Option[] { input, outDir, swingLength, closeBreak, closeMitigation, rangePercent, join, timeFrame, session, start, end, timeZone, sessionZone, volume, peer, calibration, sameBar })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(parse =>
        {
            SmcRequest request;
            try
            {
                var isPeer = parse.GetValue(peer);
                var structure = (isPeer ? StructureOptions.PeerCompatible : new StructureOptions()) with
                {
                    SwingLength = parse.GetValue(swingLength),
                    CloseBreak = parse.GetValue(closeBreak),
                    CloseMitigation = parse.GetValue(closeMitigation),
                    RangePercent = parse.GetValue(rangePercent),
                    JoinConsecutiveFvg = parse.GetValue(join),
                };
                structure.Validate();
                if (parse.GetValue(calibration))
                {
                    // the signal's defaults are the EA's (swing length 10), not the detectors' reference defaults (5):
                    // only swing length and range percent given on the command line replace them
                    var defaults = new SmcSignalOptions();
                    var signal = defaults with
                    {
                        Structure = defaults.Structure with
                        {
                            SwingLength = parse.GetResult(swingLength) is { Implicit: false } ? structure.SwingLength : defaults.Structure.SwingLength,
                            RangePercent = parse.GetResult(rangePercent) is { Implicit: false } ? structure.RangePercent : defaults.Structure.RangePercent,
                        },
                    };
                    return CalibrationRunner.Run(
                        new CalibrationRequest
                        {
                            Input = parse.GetValue(input)!,
                            Signal = signal,
                            SameBar = BacktestCli.SameBarOption("--same-bar", parse.GetValue(sameBar)!),
                            DataTimeZone = parse.GetValue(timeZone) is { } fileClock ? MarketTimeZone.Parse(fileClock) : null,
                        },
                        Console.Out);
                }

                if (string.IsNullOrWhiteSpace(parse.GetValue(outDir)))
                {
                    Console.Error.WriteLine("error: --out DIR is required (or use --calibration).");
                    return 1;
                }

                var zoneText = parse.GetValue(sessionZone);
                var window = string.Equals(zoneText, "exchange", StringComparison.OrdinalIgnoreCase)
                    ? SessionWindow.ParseExchangeLocal(parse.GetValue(session)!)
                    : SessionWindow.Parse(parse.GetValue(session)!, parse.GetValue(start), parse.GetValue(end), zoneText is null ? null : MarketTimeZone.Parse(zoneText));
                request = new SmcRequest(
                    parse.GetValue(input)!,
                    parse.GetValue(outDir)!,
                    structure,
                    PeriodFrame.Parse(parse.GetValue(timeFrame)!),
                    isPeer ? PreviousPeriodRule.PeerCompatible : PreviousPeriodRule.LastCompleted,
                    window,
                    parse.GetValue(timeZone) is { } zone ? MarketTimeZone.Parse(zone) : null,
                    ParseVolume(parse.GetValue(volume)!));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or KimiEA.Data.MarketDataException or IOException or UnauthorizedAccessException)
            {
                // Bad options, and (with --calibration, which reads the file here) bad data or an unusable file.
                Console.Error.WriteLine($"error: {CliErrors.Text(ex)}");
                return 1;
            }

            return SmcRun.Execute(request, Console.Out, Console.Error);
        });
        return cmd;
    }

    private static VolumeSource ParseVolume(string text) => text.ToUpperInvariant() switch
    {
        "REAL" => VolumeSource.Real,
        "TICK" => VolumeSource.Tick,
        "AUTO" => VolumeSource.Auto,
        _ => throw new FormatException($"Unknown volume source '{text}': use real, tick or auto."),
    };
}
