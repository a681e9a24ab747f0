using KimiEA.Core.Time;
using System.Globalization;
using KimiEA.Data.Internal;

namespace KimiEA.Data;

/// <summary>
/// A streaming reader of one market data file: one record at a time (or a chunk into a caller's span), validated
/// as it goes, so the whole file is never held in memory. <see cref="Report"/> is complete once
/// <see cref="TryRead"/> has returned false.
/// </summary>
/// <typeparam name="T"><see cref="KimiEA.Core.Market.MqlRates"/> or <see cref="KimiEA.Core.Market.MqlTick"/>.</typeparam>
public abstract class MarketDataReader<T> : IDisposable
    where T : unmanaged
{
    private readonly LineReader _text;
    private string? _pendingLine;
    private long _pendingLineNo;
    private long _lineNo;
    private bool _finished;
    private bool _disposed;

    private protected MarketDataReader(LineReader text, string source, DataReadOptions options, DataFormat format, string? firstLine, long firstLineNo, RecordKind kind)
    {
        _text = text;
        Source = source;
        Options = options;
        Format = format;
        TimeZone = options.ZoneFor(format);
        _lineNo = firstLineNo;
        Quality = new QualityTracker(source, format, kind, options, TimeZone.Name);
        if (firstLine is not null)
        {
            _pendingLine = firstLine;
            _pendingLineNo = firstLineNo;
        }
    }

    /// <summary>The file path or stream name used in messages and the report.</summary>
    public string Source { get; }

    /// <summary>The resolved format.</summary>
    public DataFormat Format { get; }

    /// <summary>The zone naive timestamps are read in.</summary>
    public MarketTimeZone TimeZone { get; }

    /// <summary>The options in force.</summary>
    public DataReadOptions Options { get; }

    /// <summary>The quality report so far; complete after the last record was read.</summary>
    public DataQualityReport Report => Quality.Build();

    private protected QualityTracker Quality { get; }

    /// <summary>
    /// Reads the next good record. Under <see cref="BadRowPolicy.Strict"/> a bad row throws
    /// <see cref="MarketDataException"/>; under <see cref="BadRowPolicy.Skip"/> it is counted and skipped.
    /// Returns false at the end of the data (and throws if the file held no data rows, or no good ones).
    /// </summary>
    public bool TryRead(out T record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!_finished)
        {
            string? line;
            long lineNo;
            if (_pendingLine is not null)
            {
                line = _pendingLine;
                lineNo = _pendingLineNo;
                _pendingLine = null;
            }
            else
            {
                line = _text.ReadLine();
                lineNo = ++_lineNo;
                if (line is null)
                {
                    Finish();
                    break;
                }
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            Quality.RowRead();
            if (TryParseRow(line, lineNo, out record))
            {
                return true;
            }
        }

        record = default;
        return false;
    }

    /// <summary>Fills <paramref name="destination"/> with up to its length of good records; returns how many (0 at the end).</summary>
    public int ReadChunk(Span<T> destination)
    {
        var n = 0;
        while (n < destination.Length && TryRead(out destination[n]))
        {
            n++;
        }

        return n;
    }

    /// <summary>Reads every remaining record into an array (for small files and the SMC command).</summary>
    public T[] ReadToEnd()
    {
        var list = new List<T>();
        while (TryRead(out var r))
        {
            list.Add(r);
        }

        return [.. list];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the underlying reader.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _text.Dispose();
        }

        _disposed = true;
    }

    /// <summary>Counts (Skip) or throws (Strict) a bad row; always returns false so parsers can <c>return Bad(…)</c>.</summary>
    private protected bool Bad(long lineNo, DataProblem problem, string message)
    {
        Quality.Bad(lineNo, problem, message);
        return false;
    }

    /// <summary>Counts a tick that repeats the previous one exactly (dropped under either policy); returns false.</summary>
    private protected bool Repeated(long lineNo, string message)
    {
        Quality.Repeat(lineNo, message);
        return false;
    }

    /// <summary>
    /// Splits a data line and reads its timestamp (a single column, or a date + time pair when
    /// <paramref name="time"/> is -1) into milliseconds in the data clock; reports malformed rows.
    /// </summary>
    private protected bool SplitAndReadTime(CsvRow row, string line, long lineNo, int cells, int time, int date, int timeOfDay, out long ms)
    {
        row.Split(line);
        if (row.Count > cells)
        {
            ms = 0;
            return Bad(lineNo, DataProblem.Malformed, $"expected {cells} cells, found {row.Count}");
        }

        var ok = time >= 0
            ? TimestampParser.TryParse(row[time], out ms, out var absolute)
            : TimestampParser.TryParse(row[date], row[timeOfDay], out ms, out absolute);
        if (!ok)
        {
            var shown = time >= 0 ? row[time].ToString() : $"{row[date]} {row[timeOfDay]}";
            return Bad(lineNo, DataProblem.Malformed, $"cannot read the time '{shown}'");
        }

        if (!absolute)
        {
            ms = TimeZone.ToUtcMilliseconds(ms);
        }

        return true;
    }

    /// <summary>Parses and validates one non-blank data line; reports bad rows to <see cref="Quality"/> and returns false for them.</summary>
    private protected abstract bool TryParseRow(string line, long lineNo, out T record);

    private void Finish()
    {
        _finished = true;
        Quality.Finish();
        if (Quality.RowsRead == 0)
        {
            throw new MarketDataException(Source, 0, null, "no data rows (the file has only a header)");
        }

        if (Quality.Accepted == 0)
        {
            var r = Quality.Build();
            var first = r.Examples.Count > 0 ? $"; first: line {r.Examples[0].Line}: {r.Examples[0].Message}" : string.Empty;
            throw new MarketDataException(Source, 0, null, $"no valid rows: all {r.RowsRead} data rows are bad{first}");
        }
    }

    /// <summary>Creates a reader of a concrete format once the first line has been read.</summary>
    private protected delegate TReader ReaderFactory<out TReader>(LineReader text, string source, DataReadOptions options, DataFormat format, string firstLine, long firstLineNo);

    /// <summary>Shared opening logic: options check, first line, format detection or override, record-kind check.</summary>
    private protected static TReader OpenCore<TReader>(Stream stream, string source, DataReadOptions? options, RecordKind kind, ReaderFactory<TReader> create)
        where TReader : MarketDataReader<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        options ??= DataReadOptions.Default;
        try
        {
            options.Validate();
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        var text = new LineReader(stream, source);
        try
        {
            var (first, lineNo) = FirstLine(text, source);
            var format = options.Format == DataFormat.Auto ? Detect(first, source) : options.Format;
            if (format.Kind() != kind)
            {
                throw new MarketDataException(source, 0, null, $"the file holds {format.Kind().ToString().ToLowerInvariant()} ({format}), not {kind.ToString().ToLowerInvariant()}");
            }

            return create(text, source, options, format, first, lineNo);
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    /// <summary>Reads up to the first non-blank line; throws for an empty file.</summary>
    internal static (string Line, long LineNo) FirstLine(LineReader text, string source)
    {
        long n = 0;
        while (text.ReadLine() is { } line)
        {
            n++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                return (line, n);
            }
        }

        throw new MarketDataException(source, 0, null, "the file is empty");
    }

    /// <summary>Detects the format from the first non-blank line.</summary>
    internal static DataFormat Detect(string firstLine, string source)
    {
        var t = firstLine.Trim();
        if (t.Length >= 16 && IsHistDataRow(t))
        {
            return DataFormat.HistDataM1;
        }

        var header = new Header(firstLine);
        var bidAsk = header.Has("bid") && header.Has("ask");
        var ohlc = header.Has("open") && header.Has("high") && header.Has("low") && header.Has("close");
        if (bidAsk && !ohlc)
        {
            return header.IsMt5 ? DataFormat.Mt5Ticks : DataFormat.NormalizedTicks;
        }

        if (ohlc)
        {
            return header.IsMt5 ? DataFormat.Mt5Bars
                : header.Names[0] == "time_utc" ? DataFormat.NormalizedBars
                : DataFormat.OhlcvCsv;
        }

        var shown = t.Length > 120 ? string.Concat(t.AsSpan(0, 120), "…") : t;
        throw new MarketDataException(source, 0, null,
            $"unrecognised format: the first line '{shown}' is not a header with open/high/low/close or bid/ask columns, nor a HistData 'YYYYMMDD HHMMSS;o;h;l;c;v' row");
    }

    private static bool IsHistDataRow(string t)
    {
        for (var i = 0; i < 15; i++)
        {
            var ok = i == 8 ? t[i] == ' ' : char.IsAsciiDigit(t[i]);
            if (!ok)
            {
                return false;
            }
        }

        return t[15] == ';';
    }

    /// <summary>Parses a price cell; false for empty or non-numeric text (NaN and infinities parse and are judged later).</summary>
    private protected static bool TryPrice(ReadOnlySpan<char> cell, out double value) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses a non-negative whole count written as an integer or a float.</summary>
    private protected static bool TryCount(ReadOnlySpan<char> cell, out long value)
    {
        value = 0;
        if (long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return value >= 0;
        }

        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d >= 0 && d < 9e18)
        {
            value = (long)Math.Round(d);
            return true;
        }

        return false;
    }

    /// <summary>Formats a price for messages (round-trip).</summary>
    private protected static string P(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats a record time for messages.</summary>
    private protected static string When(long time, bool ticks) => TimestampParser.Format(ticks ? time : time * 1000, ticks);
}
