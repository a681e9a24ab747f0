namespace KimiEA.Data;

/// <summary>
/// Bad market data input: a bad row under <see cref="BadRowPolicy.Strict"/>, a missing column, an empty file or an
/// unknown format. The message always names the file, and the line when there is one.
/// </summary>
public sealed class MarketDataException : Exception
{
    /// <summary>Creates the exception; <paramref name="line"/> 0 means the problem is the whole file.</summary>
    public MarketDataException(string source, long line, DataProblem? problem, string detail)
        : base(line > 0 ? $"{source}: line {line}: {detail}" : $"{source}: {detail}")
    {
        FilePath = source;
        Line = line;
        Problem = problem;
        Detail = detail;
    }

    /// <summary>Creates an exception with only a message (for serializers and analyzers).</summary>
    public MarketDataException() : this("(unknown)", 0, null, "bad market data") { }

    /// <summary>Creates an exception with only a message.</summary>
    public MarketDataException(string message) : this("(unknown)", 0, null, message) { }

    /// <summary>Creates an exception with only a message and an inner exception.</summary>
    public MarketDataException(string message, Exception innerException) : base(message, innerException)
    {
        FilePath = "(unknown)";
        Detail = message;
    }

    /// <summary>The file (or stream name) the data came from.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number, 0 when the problem concerns the whole file (empty file, missing column in a headerless format).</summary>
    public long Line { get; }

    /// <summary>The bad-row kind, or null for file-level problems (empty file, missing column, unknown format).</summary>
    public DataProblem? Problem { get; }

    /// <summary>The problem without the file/line prefix.</summary>
    public string Detail { get; }
}
