using System.Text;

namespace KimiEA.Data.Internal;

/// <summary>
/// Reads a text file line by line (terminators <c>\n</c>, <c>\r\n</c>, <c>\r</c>) with a bound on the line length:
/// a data file that is not text — a run of zero bytes, an image, a 2 GB file without a newline — stops with a
/// <see cref="MarketDataException"/> naming the file and the line instead of growing one string until memory runs
/// out. Lines holding a NUL character are refused the same way (no text data format has them).
/// </summary>
internal sealed class LineReader : IDisposable
{
    /// <summary>The longest line accepted, in characters (data rows are a few dozen; headers a few hundred).</summary>
    public const int MaxLineLength = 1 << 16;

    private readonly TextReader _inner;
    private readonly string _source;
    private readonly char[] _buffer = new char[1 << 16];
    private char[] _line = new char[256];
    private int _pos;
    private int _length;
    private bool _skipLineFeed;
    private long _lineNo;

    public LineReader(Stream stream, string source)
    {
        _inner = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: false);
        _source = source;
    }

    /// <summary>The next line without its terminator, or null at the end of the file.</summary>
    /// <exception cref="MarketDataException">The line is longer than <see cref="MaxLineLength"/> or holds a NUL character.</exception>
    public string? ReadLine()
    {
        var count = 0;
        var started = false;
        while (true)
        {
            if (_pos == _length)
            {
                _length = _inner.Read(_buffer, 0, _buffer.Length);
                _pos = 0;
                if (_length == 0)
                {
                    return started ? Finish(_line.AsSpan(0, count)) : null;
                }
            }

            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (_buffer[_pos] == '\n')
                {
                    _pos++;
                    continue;
                }
            }

            if (!started)
            {
                started = true;
                _lineNo++;
            }

            var rest = _buffer.AsSpan(_pos, _length - _pos);
            var end = rest.IndexOfAny('\r', '\n');
            var take = end < 0 ? rest.Length : end;
            if (count + take > MaxLineLength)
            {
                throw Refuse(rest[..Math.Min(take, MaxLineLength)].Contains('\0') || _line.AsSpan(0, count).Contains('\0')
                    ? "holds zero bytes: this is not a text data file"
                    : $"is longer than {MaxLineLength} characters: this is not a text data file");
            }

            if (end >= 0 && count == 0)
            {
                // The common case: the whole line lies in the buffer.
                _pos += end + 1;
                _skipLineFeed = rest[end] == '\r';
                return Finish(rest[..end]);
            }

            if (_line.Length < count + take)
            {
                Array.Resize(ref _line, Math.Min(MaxLineLength, Math.Max(_line.Length * 2, count + take)));
            }

            rest[..take].CopyTo(_line.AsSpan(count));
            count += take;
            _pos += take;
            if (end >= 0)
            {
                _pos++;
                _skipLineFeed = rest[end] == '\r';
                return Finish(_line.AsSpan(0, count));
            }
        }
    }

    public void Dispose() => _inner.Dispose();

    private string Finish(ReadOnlySpan<char> line) =>
        line.Contains('\0') ? throw Refuse("holds zero bytes: this is not a text data file") : new string(line);

    private MarketDataException Refuse(string problem) =>
        new(_source, _lineNo, null, $"the line {problem}");
}
