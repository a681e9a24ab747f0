namespace KimiEA.Data;

/// <summary>The text formats the readers understand. <see cref="Auto"/> detects the format from the first line.</summary>
public enum DataFormat
{
    /// <summary>Detect from the header (or, for headerless files, from the first row's shape).</summary>
    Auto = 0,

    /// <summary>Normalized bars: <c>time_utc,open,high,low,close,volume[,spread_points]</c>, ISO-8601 times with <c>Z</c>.</summary>
    NormalizedBars,

    /// <summary>Normalized ticks: <c>time_utc,bid,ask</c>, ISO-8601 times with <c>Z</c> and millisecond precision.</summary>
    NormalizedTicks,

    /// <summary>
    /// OHLC(V) CSV as the SMC reference reads it: a date/time column (named <c>Date</c>/<c>Time</c>/<c>Datetime</c>/
    /// <c>Timestamp</c>, or an unnamed column) plus open, high, low, close and optional volume columns, names in any case.
    /// </summary>
    OhlcvCsv,

    /// <summary>MT5 terminal Bars export: tab-separated, <c>&lt;DATE&gt; &lt;TIME&gt; &lt;OPEN&gt; … &lt;SPREAD&gt;</c>, dates <c>2014.05.01</c>.</summary>
    Mt5Bars,

    /// <summary>MT5 terminal Ticks export: tab-separated, <c>&lt;DATE&gt; &lt;TIME&gt; &lt;BID&gt; &lt;ASK&gt; &lt;LAST&gt; &lt;VOLUME&gt; &lt;FLAGS&gt;</c>; empty bid/ask cells carry the previous value forward.</summary>
    Mt5Ticks,

    /// <summary>HistData.com Generic ASCII M1: no header, <c>YYYYMMDD HHMMSS;open;high;low;close;volume</c>, exchange-local time (America/New_York by default).</summary>
    HistDataM1,
}

/// <summary>What the records of a series are.</summary>
public enum RecordKind
{
    /// <summary><see cref="KimiEA.Core.Market.MqlRates"/> bars; times in seconds.</summary>
    Bars = 1,

    /// <summary><see cref="KimiEA.Core.Market.MqlTick"/> ticks; times in milliseconds.</summary>
    Ticks = 2,
}

/// <summary>What to do with a bad row.</summary>
public enum BadRowPolicy
{
    /// <summary>The first bad row throws a <see cref="MarketDataException"/> naming file, line and problem (used by <c>kimi smc</c>).</summary>
    Strict = 0,

    /// <summary>Bad rows are skipped and counted in the <see cref="DataQualityReport"/>, with the first few as examples (used by the backtester).</summary>
    Skip = 1,
}

/// <summary>Extension helpers for <see cref="DataFormat"/>.</summary>
public static class DataFormatExtensions
{
    /// <summary>The record kind a concrete format produces; <see cref="DataFormat.Auto"/> has none and throws.</summary>
    public static RecordKind Kind(this DataFormat format) => format switch
    {
        DataFormat.NormalizedBars or DataFormat.OhlcvCsv or DataFormat.Mt5Bars or DataFormat.HistDataM1 => RecordKind.Bars,
        DataFormat.NormalizedTicks or DataFormat.Mt5Ticks => RecordKind.Ticks,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Auto has no record kind until the file is detected."),
    };
}
