namespace KimiEA.Tester.Feed;

/// <summary>How the tester turns data into prices, after MT5's Strategy Tester modes.</summary>
public enum TickModel
{
    /// <summary>Real ticks (bid/ask as recorded, variable spread); needs tick data.</summary>
    Ticks = 0,
    /// <summary>
    /// "1 minute OHLC": 4 ticks per bar of the lowest timeframe available (M1 data or M1 built from ticks; H1 data gives
    /// 4 ticks per H1 bar), O→L→H→C for a bullish bar, O→H→L→C for a bearish one.
    /// </summary>
    M1Ohlc = 1,
    /// <summary>"Open prices only": the engine sees one tick per chart bar (its open); hidden OHLC ticks of the data's bars still drive SL/TP.</summary>
    Open = 2,
}

/// <summary>Parsing and naming of <see cref="TickModel"/> as the CLI spells it.</summary>
public static class TickModelNames
{
    /// <summary>ticks, m1ohlc or open.</summary>
    public static string ToCode(this TickModel model) => model switch
    {
        TickModel.Ticks => "ticks",
        TickModel.M1Ohlc => "m1ohlc",
        TickModel.Open => "open",
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Unknown tick model."),
    };

    /// <summary>Parses ticks, m1ohlc (alias ohlc) or open (case-insensitive).</summary>
    /// <exception cref="FormatException">Anything else.</exception>
    public static TickModel Parse(string text) => text.ToUpperInvariant() switch
    {
        "TICKS" => TickModel.Ticks,
        "M1OHLC" or "OHLC" => TickModel.M1Ohlc,
        "OPEN" => TickModel.Open,
        _ => throw new FormatException($"'{text}' is not a tick model (expected ticks, m1ohlc (or ohlc) or open)."),
    };
}
