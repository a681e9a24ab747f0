using KimiEA.Core.Time;
namespace KimiEA.Data.Internal;

/// <summary>
/// Counts everything the <see cref="DataQualityReport"/> shows and applies the bad-row policy. Times are in the
/// record's unit (seconds for bars, milliseconds for ticks).
/// </summary>
internal sealed class QualityTracker(string source, DataFormat format, RecordKind kind, DataReadOptions options, string zone)
{
    // Bar period inference looks at this many bars before deciding (the smallest spacing among them).
    private const int InferenceWindow = 256;
    private const long WeekendHours = 24 + 24;

    private readonly long _unitsPerSecond = kind == RecordKind.Ticks ? 1000 : 1;
    private readonly List<DataIssue> _examples = [];
    private readonly List<long> _pending = [];
    private long _period = kind == RecordKind.Ticks ? 0 : options.BarPeriodSeconds;
    private bool _hasPrev;
    private long _prev;
    private long _rowsRead, _accepted, _first, _gaps, _missing, _longest, _longestEnd, _weekendGaps, _weekendRows;
    private long _malformed, _outOfOrder, _duplicates, _nonFinite, _ohlc, _negSpread, _nonPositive;

    public long RowsRead => _rowsRead;

    public long Accepted => _accepted;

    public void RowRead() => _rowsRead++;

    /// <summary>Records a bad row: throws under Strict, otherwise counts it and keeps it as an example.</summary>
    public void Bad(long line, DataProblem problem, string message)
    {
        if (options.Policy == BadRowPolicy.Strict)
        {
            throw new MarketDataException(source, line, problem, message);
        }

        Count(line, problem, message);
    }

    /// <summary>
    /// Records a tick that repeats the previous one exactly (same millisecond, bid, ask and last): it carries nothing
    /// the previous tick did not, so it is dropped and counted as a duplicate under either policy — never an error.
    /// </summary>
    public void Repeat(long line, string message) => Count(line, DataProblem.Duplicate, message);

    private void Count(long line, DataProblem problem, string message)
    {

        switch (problem)
        {
            case DataProblem.Malformed: _malformed++; break;
            case DataProblem.OutOfOrder: _outOfOrder++; break;
            case DataProblem.Duplicate: _duplicates++; break;
            case DataProblem.NonFinite: _nonFinite++; break;
            case DataProblem.OhlcInconsistent: _ohlc++; break;
            case DataProblem.NegativeSpread: _negSpread++; break;
            case DataProblem.NonPositivePrice: _nonPositive++; break;
            default: throw new ArgumentOutOfRangeException(nameof(problem), problem, "Unknown data problem.");
        }

        if (_examples.Count < options.MaxExamples)
        {
            _examples.Add(new DataIssue(line, problem, message));
        }
    }

    public void Accept(long time)
    {
        _accepted++;
        if (!_hasPrev)
        {
            _first = time;
        }

        if (kind == RecordKind.Bars && _period == 0)
        {
            _pending.Add(time);
            if (_pending.Count > InferenceWindow)
            {
                FlushPending();
            }
        }
        else
        {
            if (_hasPrev)
            {
                Pair(_prev, time);
            }

            WeekendRow(time);
        }

        _prev = time;
        _hasPrev = true;
    }

    /// <summary>Ends the stream: decides the bar period if it is still unknown and evaluates the held-back bars.</summary>
    public void Finish()
    {
        if (_pending.Count > 0)
        {
            FlushPending();
        }
    }

    public DataQualityReport Build() => new()
    {
        Source = source,
        Format = format,
        Kind = kind,
        TimeZone = zone,
        RowsRead = _rowsRead,
        RowsAccepted = _accepted,
        FirstTime = _accepted > 0 ? _first : 0,
        LastTime = _accepted > 0 ? _prev : 0,
        Period = kind == RecordKind.Ticks ? options.TickGapMilliseconds : _period,
        Gaps = _gaps,
        MissingBars = _missing,
        LongestGap = _longest,
        LongestGapEnd = _longestEnd,
        WeekendGaps = _weekendGaps,
        WeekendRows = _weekendRows,
        Malformed = _malformed,
        OutOfOrder = _outOfOrder,
        Duplicates = _duplicates,
        NonFinite = _nonFinite,
        OhlcInconsistent = _ohlc,
        NegativeSpread = _negSpread,
        NonPositivePrice = _nonPositive,
        Examples = [.. _examples],
    };

    private void FlushPending()
    {
        if (_period == 0)
        {
            var min = long.MaxValue;
            for (var i = 1; i < _pending.Count; i++)
            {
                min = Math.Min(min, _pending[i] - _pending[i - 1]);
            }

            // A single bar has no spacing: no gaps can be judged, weekend rows use a 1-second span.
            _period = min == long.MaxValue ? 0 : min;
        }

        for (var i = 0; i < _pending.Count; i++)
        {
            if (i > 0 && _period > 0)
            {
                Pair(_pending[i - 1], _pending[i]);
            }

            WeekendRow(_pending[i]);
        }

        _pending.Clear();
    }

    private void Pair(long prev, long cur)
    {
        var delta = cur - prev;
        var threshold = kind == RecordKind.Ticks ? options.TickGapMilliseconds : options.GapBarPeriods * _period;
        if (delta <= threshold)
        {
            return;
        }

        // The missing stretch starts when the previous record's span ends.
        var missingStart = prev + (kind == RecordKind.Bars ? _period : 1);
        if (TouchesSaturday(missingStart, cur))
        {
            _weekendGaps++;
            return;
        }

        _gaps++;
        if (kind == RecordKind.Bars)
        {
            _missing += (delta / _period) - 1;
        }

        if (delta > _longest)
        {
            _longest = delta;
            _longestEnd = cur;
        }
    }

    private void WeekendRow(long time)
    {
        var span = kind == RecordKind.Bars && _period > 0 ? _period : 1;
        if (span >= WeekendHours * 3600 * _unitsPerSecond)
        {
            return;
        }

        if (InWeekend(time) && InWeekend(time + span - 1))
        {
            _weekendRows++;
        }
    }

    private bool InWeekend(long t)
    {
        var unitsPerDay = CivilTime.SecondsPerDay * _unitsPerSecond;
        var day = CivilTime.FloorDiv(t, unitsPerDay);
        var weekday = CivilTime.DayOfWeek(day);
        return weekday == 6 || (weekday == 0 && t - (day * unitsPerDay) < options.SundayOpenHour * 3600L * _unitsPerSecond);
    }

    /// <summary>True when [from, to) overlaps a Saturday.</summary>
    private bool TouchesSaturday(long from, long to)
    {
        if (to <= from)
        {
            return false;
        }

        var unitsPerDay = CivilTime.SecondsPerDay * _unitsPerSecond;
        var d0 = CivilTime.FloorDiv(from, unitsPerDay);
        var d1 = CivilTime.FloorDiv(to - 1, unitsPerDay);
        if (d1 - d0 >= 6)
        {
            return true;
        }

        for (var d = d0; d <= d1; d++)
        {
            if (CivilTime.DayOfWeek(d) == 6)
            {
                return true;
            }
        }

        return false;
    }
}
