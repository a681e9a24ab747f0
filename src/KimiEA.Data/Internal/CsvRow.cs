namespace KimiEA.Data.Internal;

/// <summary>Splits one delimited line into cells without allocating (cell bounds are kept in reused arrays).</summary>
internal sealed class CsvRow
{
    private int[] _starts = new int[16];
    private int[] _lengths = new int[16];
    private string _line = string.Empty;

    public CsvRow(char delimiter) => Delimiter = delimiter;

    public char Delimiter { get; }

    public int Count { get; private set; }

    public string Line => _line;

    /// <summary>Cell <paramref name="index"/>, trimmed of blanks and surrounding double quotes; empty when the row is shorter.</summary>
    public ReadOnlySpan<char> this[int index]
    {
        get
        {
            if (index >= Count)
            {
                return [];
            }

            var cell = _line.AsSpan(_starts[index], _lengths[index]).Trim();
            if (cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"')
            {
                cell = cell[1..^1].Trim();
            }

            return cell;
        }
    }

    public void Split(string line)
    {
        _line = line;
        Count = 0;
        var start = 0;
        for (var i = 0; i <= line.Length; i++)
        {
            if (i == line.Length || line[i] == Delimiter)
            {
                if (Count == _starts.Length)
                {
                    Array.Resize(ref _starts, Count * 2);
                    Array.Resize(ref _lengths, Count * 2);
                }

                _starts[Count] = start;
                _lengths[Count] = i - start;
                Count++;
                start = i + 1;
            }
        }
    }

    /// <summary>The delimiter of a header or data line: tab, else semicolon when there is no comma, else comma.</summary>
    public static char DetectDelimiter(string line) =>
        line.Contains('\t', StringComparison.Ordinal) ? '\t'
        : line.Contains(';', StringComparison.Ordinal) && !line.Contains(',', StringComparison.Ordinal) ? ';'
        : ',';
}
