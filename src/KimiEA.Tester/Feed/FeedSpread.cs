using System.Globalization;
using KimiEA.Data;
using KimiEA.Tester.Server;

namespace KimiEA.Tester.Feed;

/// <summary>Where the spread of a run's symbol comes from (named in the console, the report and summary.json).</summary>
public enum SpreadOrigin
{
    /// <summary>Measured in the data: ask − bid of real ticks, or the bars' spread column.</summary>
    Data,
    /// <summary>A fixed spread the user gave (<c>--spread</c>).</summary>
    Option,
    /// <summary>The specification's typical spread (<c>typical_spread</c>), for data without spreads.</summary>
    SpecTypical,
}

/// <summary>
/// The spread one data file's feed uses, and the unit its spread column is in. The unit belongs to the file's format:
/// an MT5 "Export bars" file's &lt;SPREAD&gt; is in the symbol's points; the normalized CSV's <c>spread_points</c> is in
/// the data vendor's point (<see cref="TesterSymbol.NormalizedSpreadPoint"/>, documented with the data:
/// data/samples/lean-oanda/README.md); an OHLCV CSV's <c>spread</c> column is taken in symbol points. A file with no
/// spread (HistData; a CSV without the column) uses <c>--spread</c>, else the specification's typical spread, else the
/// run is refused: a spread is never silently zero.
/// </summary>
/// <param name="Origin">Where the spread comes from.</param>
/// <param name="FixedPoints">The fixed spread in symbol points (<see cref="SpreadOrigin.Option"/>, <see cref="SpreadOrigin.SpecTypical"/>), else null.</param>
/// <param name="DataPointSize">The price of one unit of the bars' spread column (used with <see cref="SpreadOrigin.Data"/> bars).</param>
/// <param name="Description">One line saying which spread and why, for the console, the report and summary.json.</param>
public sealed record FeedSpread(SpreadOrigin Origin, int? FixedPoints, double DataPointSize, string Description)
{
    /// <summary>The code summary.json uses: "data", "--spread" or "spec typical".</summary>
    public string OriginCode => Origin switch
    {
        SpreadOrigin.Data => "data",
        SpreadOrigin.Option => "--spread",
        _ => "spec typical",
    };

    /// <summary>Decides the spread of one file (its format, its spread column, the user's --spread, the spec).</summary>
    /// <param name="fixedPoints">The run's --spread in symbol points, or null.</param>
    /// <param name="symbol">The file's symbol.</param>
    /// <param name="format">The file's detected format.</param>
    /// <param name="kind">Ticks or bars.</param>
    /// <param name="hasSpreadColumn">For bars: whether the file has a spread column.</param>
    /// <param name="path">The file, for the message.</param>
    /// <exception cref="ArgumentException">Bars without a spread, no --spread and no typical spread in the specification.</exception>
    public static FeedSpread For(int? fixedPoints, TesterSymbol symbol, DataFormat format, RecordKind kind, bool hasSpreadColumn, string path)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        var inv = CultureInfo.InvariantCulture;
        var point = symbol.Point.ToString("0.##########", inv);
        if (fixedPoints is { } f)
        {
            return new FeedSpread(SpreadOrigin.Option, f, symbol.Point, string.Create(inv,
                $"{f} points of {point} (--spread), fixed, replacing {(kind == RecordKind.Ticks || hasSpreadColumn ? "the data's" : "none in the data")}"));
        }

        if (kind == RecordKind.Ticks)
        {
            return new FeedSpread(SpreadOrigin.Data, null, symbol.Point, "from the data: ask − bid of every tick");
        }

        if (hasSpreadColumn)
        {
            return format switch
            {
                DataFormat.NormalizedBars => new FeedSpread(SpreadOrigin.Data, null, symbol.NormalizedSpreadPoint, string.Create(inv,
                    $"from the data: spread_points column of the normalized CSV, in the data vendor's points of {symbol.NormalizedSpreadPoint.ToString("0.##########", inv)}{(symbol.NormalizedSpreadPoint == symbol.Point ? string.Empty : $", converted to the symbol's points of {point}")}")),
                DataFormat.Mt5Bars => new FeedSpread(SpreadOrigin.Data, null, symbol.Point, string.Create(inv,
                    $"from the data: SPREAD column of the MT5 export, in the symbol's points of {point}")),
                _ => new FeedSpread(SpreadOrigin.Data, null, symbol.Point, string.Create(inv,
                    $"from the data: spread column, taken in the symbol's points of {point}")),
            };
        }

        if (symbol.TypicalSpreadPoints is { } typical)
        {
            return new FeedSpread(SpreadOrigin.SpecTypical, typical, symbol.Point, string.Create(inv,
                $"{typical} points of {point}, the typical spread of {symbol.Name}'s specification (the data has no spread column; --spread sets another)"));
        }

        throw new ArgumentException(
            $"{path} has no spread column ({FormatName(format)}) and {symbol.Name}'s specification gives no typical spread: pass --spread POINTS "
            + "(in the symbol's points), or give the symbol a typical_spread in a --spec file (docs/symbol-specs.md). The tester does not trade at a zero spread it was not told of.");
    }

    /// <summary>Decides the spread of a cached data file (reads the source file's header for bars to see whether it has a spread column).</summary>
    /// <exception cref="ArgumentException">As <see cref="For(int?, TesterSymbol, DataFormat, RecordKind, bool, string)"/>.</exception>
    public static FeedSpread For(int? fixedPoints, TesterSymbol symbol, CacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var hasColumn = false;
        if (entry.Kind == RecordKind.Bars)
        {
            using var reader = BarReader.Open(entry.SourcePath, new DataReadOptions { Format = entry.Report.Format });
            hasColumn = reader.HasSpreadColumn;
        }

        return For(fixedPoints, symbol, entry.Report.Format, entry.Kind, hasColumn, entry.SourcePath);
    }

    private static string FormatName(DataFormat format) => format switch
    {
        DataFormat.HistDataM1 => "a HistData M1 file",
        DataFormat.OhlcvCsv => "an OHLC CSV without a spread column",
        DataFormat.NormalizedBars => "a normalized CSV without spread_points",
        _ => format.ToString(),
    };
}
