using KimiEA.Core.Market;
using KimiEA.Data.Internal;

namespace KimiEA.Data;

/// <summary>
/// Streams <see cref="MqlTick"/> ticks from a normalized tick CSV (<c>time_utc,bid,ask</c>) or an MT5 Ticks export,
/// validating each row (see <see cref="DataProblem"/>).
/// </summary>
/// <remarks>
/// Columns: time (<c>time_utc</c>/<c>timestamp</c>/… or the MT5 <c>&lt;DATE&gt;</c>+<c>&lt;TIME&gt;</c> pair), <c>bid</c> and
/// <c>ask</c> (required), optional <c>last</c>, <c>volume</c> (→ <see cref="MqlTick.Volume"/> and
/// <see cref="MqlTick.VolumeReal"/>) and <c>flags</c>. In an MT5 Ticks export an empty bid or ask cell means
/// "unchanged" and the previous accepted tick's value is carried forward; without a flags column the flags say
/// which of bid/ask the row carried. Several ticks may share one millisecond; only a repeat of the previous tick
/// (same millisecond, same bid, ask and last) is a duplicate, dropped and counted under either policy (it carries no
/// new price, and real feeds repeat quotes).
/// </remarks>
public sealed class TickReader : MarketDataReader<MqlTick>
{
    private readonly CsvRow _row;
    private readonly string[] _names;
    private readonly int _cells;
    private readonly int _time, _date, _tod, _bid, _ask, _last, _volume, _flags;
    private readonly bool _carryForward;
    private bool _hasPrev;
    private MqlTick _prev;
    private long _prevLine;

    private TickReader(LineReader text, string source, DataReadOptions options, DataFormat format, string header, long headerLineNo)
        : base(text, source, options, format, null, headerLineNo, RecordKind.Ticks)
    {
        var h = new Header(header);
        _row = new CsvRow(h.Delimiter);
        _names = h.Names;
        _cells = h.Names.Length;
        _carryForward = format == DataFormat.Mt5Ticks;
        (_time, _date, _tod) = h.TimeColumns();
        if (_time < 0 && _date < 0)
        {
            throw h.Missing(source, "date/time");
        }

        _bid = h.Find("bid");
        _ask = h.Find("ask");
        if (_bid < 0)
        {
            throw h.Missing(source, "bid");
        }

        if (_ask < 0)
        {
            throw h.Missing(source, "ask");
        }

        _last = h.Find("last");
        _volume = h.Find("volume", "vol");
        _flags = h.Find("flags");
    }

    /// <summary>Opens a tick file. The format comes from <paramref name="options"/> or is detected.</summary>
    /// <exception cref="MarketDataException">Empty file, unknown format, a bar file, or a missing required column.</exception>
    public static TickReader Open(string path, DataReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Open(BarReader.OpenFile(path), path, options);
    }

    /// <summary>Opens ticks from a stream (owned and disposed by the reader); <paramref name="source"/> names it in messages.</summary>
    public static TickReader Open(Stream stream, string source, DataReadOptions? options = null) =>
        OpenCore(stream, source, options, RecordKind.Ticks, static (text, source, options, format, header, lineNo) => new TickReader(text, source, options, format, header, lineNo));

    /// <summary>Reads a whole tick file into memory (small files and tests; replay large files from the cache).</summary>
    public static TickSeries ReadAll(string path, DataReadOptions? options = null)
    {
        using var reader = Open(path, options);
        var ticks = reader.ReadToEnd();
        return new TickSeries(ticks, reader.Report);
    }

    private protected override bool TryParseRow(string line, long lineNo, out MqlTick tick)
    {
        tick = default;
        var row = _row;
        if (!SplitAndReadTime(row, line, lineNo, _cells, _time, _date, _tod, out var ms))
        {
            return false;
        }

        uint flags = 0;
        if (!Quote(lineNo, _bid, _prev.Bid, out var bid, ref flags, TickFlags.Bid) || !Quote(lineNo, _ask, _prev.Ask, out var ask, ref flags, TickFlags.Ask))
        {
            return false;
        }

        double last = 0;
        if (_last >= 0 && !row[_last].IsEmpty)
        {
            if (!TryPrice(row[_last], out last))
            {
                return Bad(lineNo, DataProblem.Malformed, $"cannot read {_names[_last]} '{row[_last]}'");
            }

            flags |= TickFlags.Last;
        }
        else if (_carryForward && _hasPrev)
        {
            last = _prev.Last;
        }

        double volume = 0;
        if (_volume >= 0 && !row[_volume].IsEmpty)
        {
            if (!TryPrice(row[_volume], out volume) || !double.IsFinite(volume) || volume < 0)
            {
                return Bad(lineNo, DataProblem.Malformed, $"cannot read {_names[_volume]} '{row[_volume]}' (a non-negative volume)");
            }

            flags |= TickFlags.Volume;
        }

        if (_flags >= 0 && !row[_flags].IsEmpty)
        {
            if (!uint.TryParse(row[_flags], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out flags))
            {
                return Bad(lineNo, DataProblem.Malformed, $"cannot read {_names[_flags]} '{row[_flags]}'");
            }
        }

        if (!double.IsFinite(bid) || !double.IsFinite(ask) || !double.IsFinite(last))
        {
            return Bad(lineNo, DataProblem.NonFinite, $"non-finite price: bid={P(bid)} ask={P(ask)}{(last != 0 ? $" last={P(last)}" : string.Empty)}");
        }

        if (ask < bid)
        {
            return Bad(lineNo, DataProblem.NegativeSpread, $"negative spread: ask {P(ask)} is below bid {P(bid)}");
        }

        if (bid <= 0)
        {
            return Bad(lineNo, DataProblem.NonPositivePrice, $"non-positive price: bid {P(bid)}");
        }

        if (_hasPrev && ms <= _prev.TimeMsc)
        {
            if (ms < _prev.TimeMsc)
            {
                return Bad(lineNo, DataProblem.OutOfOrder, $"out-of-order time {When(ms, true)} is before {When(_prev.TimeMsc, true)} on line {_prevLine}");
            }

            if (bid == _prev.Bid && ask == _prev.Ask && last == _prev.Last)
            {
                return Repeated(lineNo, $"duplicate tick {When(ms, true)} bid {P(bid)} ask {P(ask)} (same as line {_prevLine})");
            }
        }

        tick = new MqlTick(ms, bid, ask)
        {
            Last = last,
            Volume = (ulong)Math.Round(volume),
            VolumeReal = volume,
            Flags = flags,
        };
        Quality.Accept(ms);
        _hasPrev = true;
        _prev = tick;
        _prevLine = lineNo;
        return true;
    }

    private bool Quote(long lineNo, int index, double previous, out double value, ref uint flags, uint flag)
    {
        var cell = _row[index];
        if (cell.IsEmpty)
        {
            value = previous;
            if (_carryForward && _hasPrev)
            {
                return true;
            }

            return Bad(lineNo, DataProblem.Malformed, _carryForward
                ? $"empty {_names[index]} and no earlier tick to carry it forward from"
                : $"empty {_names[index]}");
        }

        flags |= flag;
        return TryPrice(cell, out value) || Bad(lineNo, DataProblem.Malformed, $"cannot read {_names[index]} '{cell}'");
    }
}

/// <summary>A whole tick file in memory with its quality report.</summary>
/// <param name="Ticks">The accepted ticks in file order.</param>
/// <param name="Report">What the validator found.</param>
public sealed record TickSeries(MqlTick[] Ticks, DataQualityReport Report);
