using KimiEA.Core.Market;
using KimiEA.Data.Internal;
using KimiEA.Core.Time;

namespace KimiEA.Data;

/// <summary>
/// Streams <see cref="MqlRates"/> bars from a normalized CSV, an OHLC(V) CSV, an MT5 Bars export or a HistData
/// ASCII M1 file, validating each row (see <see cref="DataProblem"/>).
/// </summary>
/// <remarks>
/// Column → field mapping (names in any case; MT5 angle brackets ignored):
/// <list type="bullet">
/// <item>time: <c>time_utc</c>, <c>datetime</c>, <c>timestamp</c>, <c>date</c> or <c>time</c>, a <c>date</c>+<c>time</c> pair, or an unnamed column; the bar's open time.</item>
/// <item><c>open</c>, <c>high</c>, <c>low</c>, <c>close</c> → the prices (required).</item>
/// <item><c>volume</c>/<c>vol</c>/<c>real_volume</c> → <see cref="MqlRates.RealVolume"/> (the SMC reference's <c>volume</c> is the column named Volume; HistData's 6th column too).</item>
/// <item><c>tickvol</c>/<c>tick_volume</c> → <see cref="MqlRates.TickVolume"/>.</item>
/// <item><c>spread</c>/<c>spread_points</c> → <see cref="MqlRates.Spread"/> (points).</item>
/// <item>any other column (a leading row number, …) is ignored.</item>
/// </list>
/// Times become seconds since 1970 in the data clock: naive times are converted with
/// <see cref="DataReadOptions.ZoneFor"/>, times with <c>Z</c>/<c>±HH:MM</c> are converted to UTC.
/// </remarks>
public sealed class BarReader : MarketDataReader<MqlRates>
{
    private readonly CsvRow _row;
    private readonly string[] _names;
    private readonly int _cells;
    private readonly int _time, _date, _tod, _open, _high, _low, _close, _real, _tick, _spread;
    private bool _hasPrev;
    private long _prevTime, _prevLine;

    private BarReader(LineReader text, string source, DataReadOptions options, DataFormat format, string firstLine, long firstLineNo)
        : base(text, source, options, format, format == DataFormat.HistDataM1 ? firstLine : null, firstLineNo, RecordKind.Bars)
    {
        if (format == DataFormat.HistDataM1)
        {
            _row = new CsvRow(';');
            _names = ["time", "open", "high", "low", "close", "volume"];
            _cells = 6;
            (_time, _date, _tod, _open, _high, _low, _close, _real, _tick, _spread) = (0, -1, -1, 1, 2, 3, 4, 5, -1, -1);
            return;
        }

        var h = new Header(firstLine);
        _row = new CsvRow(h.Delimiter);
        _names = h.Names;
        _cells = h.Names.Length;
        (_time, _date, _tod) = h.TimeColumns();
        if (_time < 0 && _date < 0)
        {
            throw h.Missing(source, "date/time");
        }

        _open = h.Find("open");
        _high = h.Find("high");
        _low = h.Find("low");
        _close = h.Find("close");
        foreach (var (idx, name) in new[] { (_open, "open"), (_high, "high"), (_low, "low"), (_close, "close") })
        {
            if (idx < 0)
            {
                throw h.Missing(source, name);
            }
        }

        _real = h.Find("volume", "vol", "real_volume", "realvolume");
        _tick = h.Find("tickvol", "tick_volume", "tickvolume", "tick volume");
        _spread = h.Find("spread", "spread_points");
    }

    /// <summary>
    /// True when the rows carry a spread (a <c>spread</c>/<c>spread_points</c> column, MT5's <c>&lt;SPREAD&gt;</c>);
    /// false for HistData and for CSV files without one, whose bars read a spread of 0 that is no measurement.
    /// </summary>
    public bool HasSpreadColumn => _spread >= 0;

    /// <summary>Opens a bar file. The format comes from <paramref name="options"/> or is detected.</summary>
    /// <exception cref="MarketDataException">Empty file, unknown format, a tick file, or a missing required column.</exception>
    public static BarReader Open(string path, DataReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Open(OpenFile(path), path, options);
    }

    /// <summary>Opens bars from a stream (owned and disposed by the reader); <paramref name="source"/> names it in messages.</summary>
    public static BarReader Open(Stream stream, string source, DataReadOptions? options = null) =>
        OpenCore(stream, source, options, RecordKind.Bars, static (text, source, options, format, first, lineNo) => new BarReader(text, source, options, format, first, lineNo));

    /// <summary>Reads a whole bar file into memory (small files; <c>kimi smc</c>).</summary>
    public static BarSeries ReadAll(string path, DataReadOptions? options = null)
    {
        using var reader = Open(path, options);
        var bars = reader.ReadToEnd();
        return new BarSeries(bars, reader.Report);
    }

    /// <summary>Opens a data file for reading after <see cref="InputFile"/>'s checks (missing, folder, FIFO, unreadable).</summary>
    internal static FileStream OpenFile(string path) => InputFile.OpenRead(path);

    private protected override bool TryParseRow(string line, long lineNo, out MqlRates bar)
    {
        bar = default;
        var row = _row;
        if (!SplitAndReadTime(row, line, lineNo, _cells, _time, _date, _tod, out var ms))
        {
            return false;
        }

        var time = CivilTime.FloorDiv(ms, 1000);
        if (!Price(lineNo, _open, out var o) || !Price(lineNo, _high, out var h) || !Price(lineNo, _low, out var l) || !Price(lineNo, _close, out var c))
        {
            return false;
        }

        long real = 0, tick = 0, spread = 0;
        if ((_real >= 0 && !Count(lineNo, _real, out real)) || (_tick >= 0 && !Count(lineNo, _tick, out tick)))
        {
            return false;
        }

        if (_spread >= 0 && !row[_spread].IsEmpty)
        {
            if (!TryPrice(row[_spread], out var s) || !double.IsFinite(s) || Math.Abs(s) > int.MaxValue)
            {
                return Bad(lineNo, DataProblem.Malformed, $"cannot read {_names[_spread]} '{row[_spread]}'");
            }

            spread = (long)Math.Round(s);
        }

        if (!double.IsFinite(o) || !double.IsFinite(h) || !double.IsFinite(l) || !double.IsFinite(c))
        {
            return Bad(lineNo, DataProblem.NonFinite, $"non-finite price: open={P(o)} high={P(h)} low={P(l)} close={P(c)}");
        }

        if (h < l)
        {
            return Bad(lineNo, DataProblem.OhlcInconsistent, $"high {P(h)} is below low {P(l)}");
        }

        if (o < l || o > h || c < l || c > h)
        {
            var which = o < l || o > h ? $"open {P(o)}" : $"close {P(c)}";
            return Bad(lineNo, DataProblem.OhlcInconsistent, $"{which} is outside [low {P(l)}, high {P(h)}]");
        }

        if (spread < 0)
        {
            return Bad(lineNo, DataProblem.NegativeSpread, $"negative spread {spread}");
        }

        if (l <= 0)
        {
            return Bad(lineNo, DataProblem.NonPositivePrice, $"non-positive price: low {P(l)}");
        }

        if (_hasPrev && time <= _prevTime)
        {
            return time < _prevTime
                ? Bad(lineNo, DataProblem.OutOfOrder, $"out-of-order time {When(time, false)} is before {When(_prevTime, false)} on line {_prevLine}")
                : Bad(lineNo, DataProblem.Duplicate, $"duplicate time {When(time, false)} (same as line {_prevLine})");
        }

        _hasPrev = true;
        _prevTime = time;
        _prevLine = lineNo;
        Quality.Accept(time);
        bar = new MqlRates(time, o, h, l, c, tick, (int)spread, real);
        return true;
    }

    private bool Price(long lineNo, int index, out double value)
    {
        var cell = _row[index];
        return TryPrice(cell, out value) || Bad(lineNo, DataProblem.Malformed, cell.IsEmpty ? $"empty {_names[index]}" : $"cannot read {_names[index]} '{cell}'");
    }

    private bool Count(long lineNo, int index, out long value)
    {
        var cell = _row[index];
        value = 0;
        return cell.IsEmpty || TryCount(cell, out value) || Bad(lineNo, DataProblem.Malformed, $"cannot read {_names[index]} '{cell}' (a non-negative count)");
    }
}

/// <summary>A whole bar file in memory with its quality report.</summary>
/// <param name="Bars">The accepted bars in file order.</param>
/// <param name="Report">What the validator found.</param>
public sealed record BarSeries(MqlRates[] Bars, DataQualityReport Report);
