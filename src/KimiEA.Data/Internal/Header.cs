namespace KimiEA.Data.Internal;

/// <summary>A parsed header line: normalized column names (trimmed, quotes and MT5 angle brackets removed, lower case).</summary>
internal sealed class Header
{
    public Header(string line)
    {
        Line = line;
        Delimiter = CsvRow.DetectDelimiter(line);
        var row = new CsvRow(Delimiter);
        row.Split(line);
        Names = new string[row.Count];
        for (var i = 0; i < row.Count; i++)
        {
            var cell = row[i];
            if (cell.Length >= 2 && cell[0] == '<' && cell[^1] == '>')
            {
                cell = cell[1..^1];
            }

            Names[i] = cell.Trim().ToString().ToLowerInvariant();
        }
    }

    public string Line { get; }

    public char Delimiter { get; }

    public string[] Names { get; }

    public bool IsMt5 => Line.TrimStart().StartsWith("<DATE>", StringComparison.OrdinalIgnoreCase);

    /// <summary>Index of the first column whose name is one of <paramref name="names"/>, or -1.</summary>
    public int Find(params ReadOnlySpan<string> names)
    {
        foreach (var n in names)
        {
            var i = Array.IndexOf(Names, n);
            if (i >= 0)
            {
                return i;
            }
        }

        return -1;
    }

    public bool Has(string name) => Array.IndexOf(Names, name) >= 0;

    /// <summary>
    /// The timestamp columns: a single column (<c>time_utc</c>, <c>datetime</c>, <c>timestamp</c>, <c>date</c>,
    /// <c>time</c>, or an unnamed column), or a <c>date</c> + <c>time</c> pair (MT5 exports, split CSVs).
    /// </summary>
    public (int Single, int Date, int Time) TimeColumns()
    {
        var single = Find("time_utc", "datetime", "date_time", "timestamp", "gmt time", "local time", "time (utc)");
        if (single >= 0)
        {
            return (single, -1, -1);
        }

        var date = Find("date", "day");
        var time = Find("time");
        if (date >= 0 && time >= 0)
        {
            return (-1, date, time);
        }

        if (date >= 0 || time >= 0)
        {
            return (Math.Max(date, time), -1, -1);
        }

        // pandas writes the index as an unnamed first column (backtesting.py's EURUSD.csv).
        var unnamed = Array.IndexOf(Names, string.Empty);
        return (unnamed, -1, -1);
    }

    public MarketDataException Missing(string source, string what) =>
        new(source, 1, null, $"missing required column '{what}' (header: {Line.Trim()})");
}
