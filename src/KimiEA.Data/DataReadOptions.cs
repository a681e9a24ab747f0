using KimiEA.Core.Time;
using System.Globalization;

namespace KimiEA.Data;

/// <summary>How to read a market data file. Every property has a sensible default; <see cref="Default"/> is strict auto-detection.</summary>
public sealed record DataReadOptions
{
    /// <summary>Strict, auto-detected, format-default time zone.</summary>
    public static DataReadOptions Default { get; } = new();

    /// <summary>Lenient variant of <see cref="Default"/> (bad rows skipped and counted), as <c>kimi backtest --skip-bad-rows</c> reads.</summary>
    public static DataReadOptions Lenient { get; } = new() { Policy = BadRowPolicy.Skip };

    /// <summary>The format, or <see cref="DataFormat.Auto"/> to detect it from the first line.</summary>
    public DataFormat Format { get; init; } = DataFormat.Auto;

    /// <summary>What to do with bad rows (default <see cref="BadRowPolicy.Strict"/>).</summary>
    public BadRowPolicy Policy { get; init; } = BadRowPolicy.Strict;

    /// <summary>
    /// The clock of naive timestamps in the file; null means the format's default (<see cref="DefaultZone"/>): the
    /// broker server clock <see cref="MarketTimeZone.NewYorkClose"/> for MT5 exports (<see cref="DataFormat.Mt5Bars"/>,
    /// <see cref="DataFormat.Mt5Ticks"/>), <see cref="MarketTimeZone.NewYork"/> for <see cref="DataFormat.HistDataM1"/>,
    /// UTC (no conversion) for every other format. Records are always UTC.
    /// </summary>
    public MarketTimeZone? TimeZone { get; init; }

    /// <summary>Bar period in seconds for gap detection; 0 infers it as the smallest spacing among the first 256 bars.</summary>
    public long BarPeriodSeconds { get; init; }

    /// <summary>A bar gap is counted when consecutive bars are more than this many bar periods apart (default 1: any missing bar).</summary>
    public int GapBarPeriods { get; init; } = 1;

    /// <summary>A tick gap is counted when consecutive ticks are more than this many milliseconds apart (default 5 minutes).</summary>
    public long TickGapMilliseconds { get; init; } = 300_000;

    /// <summary>
    /// End of the weekend in the data clock, hours after Sunday 00:00 (default 20). A row lying wholly between
    /// Saturday 00:00 and Sunday at this hour is a weekend row; a gap that spans part of a Saturday is a weekend
    /// gap, not a data gap.
    /// </summary>
    public int SundayOpenHour { get; init; } = 20;

    /// <summary>How many bad-row examples the report keeps (default 10).</summary>
    public int MaxExamples { get; init; } = 10;

    /// <summary>The time zone actually used for <paramref name="format"/>.</summary>
    public MarketTimeZone ZoneFor(DataFormat format) => TimeZone ?? DefaultZone(format);

    /// <summary>
    /// The clock a format's naive timestamps are assumed to be in when none is given: MT5 exports are written in the
    /// broker's server time, most commonly the New York close convention (UTC+2/+3); HistData in New York time
    /// (data/README: the files follow New York daylight saving); everything else in UTC.
    /// </summary>
    public static MarketTimeZone DefaultZone(DataFormat format) => format switch
    {
        DataFormat.Mt5Bars or DataFormat.Mt5Ticks => MarketTimeZone.NewYorkClose,
        DataFormat.HistDataM1 => MarketTimeZone.NewYork,
        _ => MarketTimeZone.Utc,
    };

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Format))
        {
            throw new ArgumentOutOfRangeException(nameof(Format), Format, "Unknown data format.");
        }

        if (!Enum.IsDefined(Policy))
        {
            throw new ArgumentOutOfRangeException(nameof(Policy), Policy, "Unknown bad-row policy.");
        }

        if (BarPeriodSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BarPeriodSeconds), BarPeriodSeconds, "The bar period must be 0 (infer) or positive.");
        }

        if (GapBarPeriods < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(GapBarPeriods), GapBarPeriods, "The gap threshold must be at least 1 bar period.");
        }

        if (TickGapMilliseconds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TickGapMilliseconds), TickGapMilliseconds, "The tick gap threshold must be positive.");
        }

        if (SundayOpenHour is < 0 or > 24)
        {
            throw new ArgumentOutOfRangeException(nameof(SundayOpenHour), SundayOpenHour, "The Sunday open hour must be within 0..24.");
        }

        if (MaxExamples < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxExamples), MaxExamples, "The example count cannot be negative.");
        }
    }

    /// <summary>Everything that changes the records or the report, as a stable string (part of the cache key).</summary>
    internal string Fingerprint(DataFormat resolved) => string.Create(
        CultureInfo.InvariantCulture,
        $"fmt={resolved};policy={Policy};tz={ZoneFor(resolved).Name};period={BarPeriodSeconds};gap={GapBarPeriods};tickgap={TickGapMilliseconds};sun={SundayOpenHour};ex={MaxExamples}");
}
