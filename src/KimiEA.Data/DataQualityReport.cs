using System.Globalization;
using System.Text;
using KimiEA.Data.Internal;

namespace KimiEA.Data;

/// <summary>
/// What the validator found in one source file: plain counts plus the first few bad rows. Printable as is
/// (<see cref="ToString"/>) and stored in the binary cache so a cached replay still reports it.
/// </summary>
/// <remarks>
/// Times (<see cref="FirstTime"/>, <see cref="LastTime"/>) are in the record's unit: seconds for bars,
/// milliseconds for ticks. Gaps and weekend rows are informational (the rows are kept); the bad-row counts
/// (<see cref="Malformed"/> … <see cref="NonPositivePrice"/>) are rows that were skipped under <see cref="BadRowPolicy.Skip"/>.
/// </remarks>
public sealed record DataQualityReport
{
    /// <summary>The file (or stream name) that was read.</summary>
    public required string Source { get; init; }

    /// <summary>The resolved format.</summary>
    public required DataFormat Format { get; init; }

    /// <summary>Bars or ticks.</summary>
    public required RecordKind Kind { get; init; }

    /// <summary>The time zone naive timestamps were read in.</summary>
    public required string TimeZone { get; init; }

    /// <summary>Data rows read (header and blank lines excluded).</summary>
    public long RowsRead { get; init; }

    /// <summary>Rows that became records.</summary>
    public long RowsAccepted { get; init; }

    /// <summary>Rows skipped as bad (the sum of the bad-row counts).</summary>
    public long RowsSkipped => Malformed + OutOfOrder + Duplicates + NonFinite + OhlcInconsistent + NegativeSpread + NonPositivePrice;

    /// <summary>First accepted record's time (seconds for bars, milliseconds for ticks); 0 when nothing was accepted.</summary>
    public long FirstTime { get; init; }

    /// <summary>Last accepted record's time (same unit as <see cref="FirstTime"/>).</summary>
    public long LastTime { get; init; }

    /// <summary>Bars: the bar period in seconds used for gap detection (given or inferred). Ticks: the gap threshold in milliseconds.</summary>
    public long Period { get; init; }

    /// <summary>Gaps inside the trading week (longer than the threshold, not touching a Saturday).</summary>
    public long Gaps { get; init; }

    /// <summary>Bars only: the bar periods missing inside those gaps.</summary>
    public long MissingBars { get; init; }

    /// <summary>The longest in-week gap between consecutive records (record time unit); 0 when there is none.</summary>
    public long LongestGap { get; init; }

    /// <summary>Time of the record that ends <see cref="LongestGap"/>.</summary>
    public long LongestGapEnd { get; init; }

    /// <summary>Gaps that span (part of) a Saturday: ordinary weekend closures, counted apart from <see cref="Gaps"/>.</summary>
    public long WeekendGaps { get; init; }

    /// <summary>Accepted rows lying wholly inside the weekend (Saturday, or Sunday before <see cref="DataReadOptions.SundayOpenHour"/>).</summary>
    public long WeekendRows { get; init; }

    /// <summary>Rows that could not be parsed.</summary>
    public long Malformed { get; init; }

    /// <summary>Rows earlier than the previous accepted row.</summary>
    public long OutOfOrder { get; init; }

    /// <summary>Duplicate rows (see <see cref="DataProblem.Duplicate"/>).</summary>
    public long Duplicates { get; init; }

    /// <summary>Rows with a NaN or infinite price.</summary>
    public long NonFinite { get; init; }

    /// <summary>Bars with high &lt; low or open/close outside [low, high].</summary>
    public long OhlcInconsistent { get; init; }

    /// <summary>Rows with a negative spread (ask &lt; bid, or a negative spread column).</summary>
    public long NegativeSpread { get; init; }

    /// <summary>Rows with a zero or negative price (a bar's low, a tick's bid).</summary>
    public long NonPositivePrice { get; init; }

    /// <summary>The bad-row counts by problem, in <see cref="DataProblem"/> order (what the console, the report and summary.json show).</summary>
    public IReadOnlyList<KeyValuePair<DataProblem, long>> SkippedByProblem =>
    [
        new(DataProblem.Malformed, Malformed),
        new(DataProblem.OutOfOrder, OutOfOrder),
        new(DataProblem.Duplicate, Duplicates),
        new(DataProblem.NonFinite, NonFinite),
        new(DataProblem.OhlcInconsistent, OhlcInconsistent),
        new(DataProblem.NegativeSpread, NegativeSpread),
        new(DataProblem.NonPositivePrice, NonPositivePrice),
    ];

    /// <summary>The first few bad rows, in file order.</summary>
    public IReadOnlyList<DataIssue> Examples { get; init; } = [];

    /// <summary>True when no row was skipped.</summary>
    public bool IsClean => RowsSkipped == 0;

    /// <inheritdoc />
    public bool Equals(DataQualityReport? other) =>
        other is not null
        && Source == other.Source && Format == other.Format && Kind == other.Kind && TimeZone == other.TimeZone
        && RowsRead == other.RowsRead && RowsAccepted == other.RowsAccepted
        && FirstTime == other.FirstTime && LastTime == other.LastTime && Period == other.Period
        && Gaps == other.Gaps && MissingBars == other.MissingBars && LongestGap == other.LongestGap
        && LongestGapEnd == other.LongestGapEnd && WeekendGaps == other.WeekendGaps && WeekendRows == other.WeekendRows
        && Malformed == other.Malformed && OutOfOrder == other.OutOfOrder && Duplicates == other.Duplicates
        && NonFinite == other.NonFinite && OhlcInconsistent == other.OhlcInconsistent && NegativeSpread == other.NegativeSpread
        && NonPositivePrice == other.NonPositivePrice
        && Examples.SequenceEqual(other.Examples);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Source, RowsRead, RowsAccepted, FirstTime, LastTime, Gaps, RowsSkipped);

    /// <summary>The bad-row counts in words: "malformed 0, out-of-order 2, …" (the console and the report print this one text).</summary>
    public string SkippedText() => string.Join(", ", SkippedByProblem.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{ProblemName(kv.Key)} {kv.Value}")));

    /// <summary>The name of a problem in reports and summary.json: malformed, out-of-order, duplicate, non-finite, OHLC-inconsistent, negative spread, non-positive price.</summary>
    public static string ProblemName(DataProblem problem) => problem switch
    {
        DataProblem.Malformed => "malformed",
        DataProblem.OutOfOrder => "out-of-order",
        DataProblem.Duplicate => "duplicate",
        DataProblem.NonFinite => "non-finite",
        DataProblem.OhlcInconsistent => "OHLC-inconsistent",
        DataProblem.NegativeSpread => "negative spread",
        DataProblem.NonPositivePrice => "non-positive price",
        _ => problem.ToString(),
    };

    /// <summary>A time as people read it (<c>2014-05-01 00:00</c>; ticks to the millisecond), from the ISO form the messages use.</summary>
    private static string Readable(long milliseconds, bool withMilliseconds)
    {
        var iso = TimestampParser.Format(milliseconds, withMilliseconds); // 2014-05-01T00:00:00Z or …T00:00:00.123Z
        return withMilliseconds ? iso[..10] + " " + iso[11..^1] : iso[..10] + " " + iso[11..16];
    }

    /// <summary>A multi-line, human-readable summary (what the backtest report prints).</summary>
    public override string ToString()
    {
        var ms = Kind == RecordKind.Ticks;
        var toMs = ms ? 1L : 1000L;
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.Append(ci, $"{Source} ({Format}, {Kind}, zone {TimeZone})\n");
        sb.Append(ci, $"  rows: {RowsRead} read, {RowsAccepted} accepted, {RowsSkipped} skipped\n");
        if (RowsAccepted > 0)
        {
            sb.Append(ci, $"  range: {Readable(FirstTime * toMs, ms)} .. {Readable(LastTime * toMs, ms)} UTC\n");
        }

        if (ms)
        {
            sb.Append(ci, $"  gaps > {Period} ms: {Gaps}");
        }
        else
        {
            sb.Append(ci, $"  gaps (period {Period} s): {Gaps}, {MissingBars} missing bars");
        }

        if (LongestGap > 0)
        {
            sb.Append(ci, $", longest {LongestGap}{(ms ? " ms" : " s")} ending {Readable(LongestGapEnd * toMs, ms)} UTC");
        }

        sb.Append(ci, $"; weekend gaps: {WeekendGaps}; weekend rows: {WeekendRows}\n");
        sb.Append(ci, $"  bad rows: {SkippedText()}\n");
        foreach (var e in Examples)
        {
            sb.Append(ci, $"  line {e.Line}: {e.Message}\n");
        }

        return sb.ToString();
    }
}
