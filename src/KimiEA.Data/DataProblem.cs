namespace KimiEA.Data;

/// <summary>The kinds of bad rows the validator recognises.</summary>
public enum DataProblem
{
    /// <summary>The row cannot be parsed: wrong number of cells, an empty or non-numeric cell, an invalid date.</summary>
    Malformed = 1,

    /// <summary>The timestamp is earlier than the previous accepted row's.</summary>
    OutOfOrder,

    /// <summary>
    /// Bars: the same timestamp as the previous accepted bar (a bad row). Ticks: the same millisecond and the same
    /// prices as the previous tick (dropped and counted under either policy: it repeats a quote, it does not contradict one).
    /// </summary>
    Duplicate,

    /// <summary>A price is NaN or infinite.</summary>
    NonFinite,

    /// <summary>high &lt; low, or open/close outside [low, high].</summary>
    OhlcInconsistent,

    /// <summary>A negative spread: ask &lt; bid for ticks, a negative spread column for bars.</summary>
    NegativeSpread,

    /// <summary>A price that is zero or negative (a bar's low, a tick's bid): no market quotes it.</summary>
    NonPositivePrice,
}

/// <summary>One example of a bad row, kept in the <see cref="DataQualityReport"/>.</summary>
/// <param name="Line">1-based line number in the source file.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Message">A human-readable description naming the column and value.</param>
public sealed record DataIssue(long Line, DataProblem Problem, string Message);
