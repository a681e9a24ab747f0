using System.Globalization;
using System.Text;
using KimiEA.Core.Abi;

namespace KimiEA.Optimize.Inputs;

/// <summary>A bad line of a .set file (or a bad file): the message names the file and the line.</summary>
public sealed class SetFileException(string message) : FormatException(message);

/// <summary>
/// One line of a .set file: <c>InpName=Value||Start||Step||Stop||Y</c> (Y: optimise over Start..Stop by Step). Numbers
/// are held as decimals so that a range's values are the decimal values the trader typed (0.1 steps do not drift).
/// </summary>
/// <param name="Input">The EA input.</param>
/// <param name="Value">The value (bools as 1/0, enums as their number; 0 for text inputs).</param>
/// <param name="Text">The value as written (text inputs keep it).</param>
/// <param name="Start">Range start (null when the line has no range).</param>
/// <param name="Step">Range step.</param>
/// <param name="Stop">Range stop.</param>
/// <param name="Optimize">The Y flag.</param>
/// <param name="Line">1-based line number in the file (0 for entries not read from a file).</param>
public sealed record SetEntry(EaInput Input, decimal Value, string Text, decimal? Start, decimal? Step, decimal? Stop, bool Optimize, int Line)
{
    /// <summary>Values of the range, Start + i·Step up to Stop (exact decimal arithmetic).</summary>
    public long RangeCount => Optimize ? (long)decimal.Floor((Stop!.Value - Start!.Value) / Step!.Value) + 1 : 1;

    /// <summary>The i-th value of the range (0-based; the value itself when not optimised).</summary>
    public decimal At(long i) => Optimize ? Start!.Value + (i * Step!.Value) : Value;
}

/// <summary>
/// A MetaEditor .set file of the EA's inputs. Read in UTF-16LE with BOM (as MT5 saves it) or UTF-8 with or without
/// BOM; written in UTF-16LE with BOM and CRLF, as MT5 writes it. Every name must be an input of KimiEA.mq5
/// (<see cref="EaInputs"/>), every value one the EA accepts, every optimised range well formed: otherwise a
/// <see cref="SetFileException"/> names the file, the line and the problem.
/// </summary>
public sealed class SetFile
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private SetFile(string source, IReadOnlyList<SetEntry> entries)
    {
        Source = source;
        Entries = entries;
    }

    /// <summary>Where it was read from (for messages and the report).</summary>
    public string Source { get; }

    /// <summary>The entries in file order.</summary>
    public IReadOnlyList<SetEntry> Entries { get; }

    /// <summary>The optimised entries (Y), in file order.</summary>
    public IReadOnlyList<SetEntry> Optimized => [.. Entries.Where(e => e.Optimize)];

    /// <summary>Reads and checks a .set file.</summary>
    /// <exception cref="SetFileException">Unknown input, bad value or range, bad encoding (file and line named).</exception>
    /// <exception cref="KimiEA.Data.InputFileException">The file is missing, not a regular file or unreadable.</exception>
    public static SetFile Load(string path)
    {
        KimiEA.Data.InputFile.CheckExistingRegular(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses the bytes of a .set file (<paramref name="source"/> names it in messages).</summary>
    /// <exception cref="SetFileException">Unknown input, bad value or range, bad encoding.</exception>
    public static SetFile Parse(ReadOnlySpan<byte> bytes, string source)
    {
        var text = Decode(bytes, source);
        var entries = new List<SetEntry>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == ';' || line[0] == '#')
            {
                continue;
            }

            var entry = ParseLine(line, source, i + 1);
            if (seen.TryGetValue(entry.Input.Name, out var first))
            {
                throw new SetFileException($"{source}:{i + 1}: {entry.Input.Name} is already set on line {first}.");
            }

            seen[entry.Input.Name] = i + 1;
            entries.Add(entry);
        }

        var file = new SetFile(source, entries);
        file.CheckValues();
        return file;
    }

    /// <summary>A .set file of entries (e.g. the chosen trial's values over the search file's ranges).</summary>
    public static SetFile Of(string source, IReadOnlyList<SetEntry> entries) => new(source, entries);

    /// <summary>This file with each named input's value replaced (ranges and flags kept).</summary>
    public SetFile WithValues(IReadOnlyDictionary<string, decimal> values) =>
        new(Source, [.. Entries.Select(e => values.TryGetValue(e.Input.Name, out var v) ? e with { Value = v, Text = FormatValue(e.Input.Kind, v) } : e)]);

    /// <summary>Applies the engine inputs' values to a config as the EA's BuildConfig does (host-only inputs change nothing).</summary>
    public KimiConfig Apply(KimiConfig config)
    {
        foreach (var e in Entries)
        {
            e.Input.Apply?.Invoke(ref config, (double)e.Value);
        }

        return config;
    }

    /// <summary>
    /// One line per host-only input (<see cref="EaInput.HostOnly"/>) the file sets to something other than the EA's
    /// default: <c>kimi backtest</c> and <c>kimi optimize</c> do not apply it, and say so rather than ignore it silently.
    /// </summary>
    public IReadOnlyList<string> HostOnlyNotices() =>
        [.. Entries.Where(e => e.Input.HostOnly is not null && !string.Equals(e.Text.Trim(), e.Input.Default, StringComparison.OrdinalIgnoreCase))
            .Select(e => $"notice: {Source}:{e.Line}: {e.Input.Name}={e.Text} is not applied: {e.Input.HostOnly}.")];

    /// <summary>The file's text as MT5 writes it (CRLF line ends; a comment header).</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append("; KimiEA inputs (MetaEditor .set format: value||start||step||stop||Y/N)\r\n");
        foreach (var e in Entries)
        {
            sb.Append(e.Input.Name).Append('=').Append(e.Input.Kind == EaInputKind.Text ? e.Text : FormatValue(e.Input.Kind, e.Value));
            if (e.Input.Kind != EaInputKind.Text)
            {
                var start = e.Start ?? e.Value;
                var step = e.Step ?? 0;
                var stop = e.Stop ?? e.Value;
                sb.Append("||").Append(FormatValue(e.Input.Kind, start))
                  .Append("||").Append(step.ToString(Inv))
                  .Append("||").Append(FormatValue(e.Input.Kind, stop))
                  .Append("||").Append(e.Optimize ? 'Y' : 'N');
            }

            sb.Append("\r\n");
        }

        return sb.ToString();
    }

    /// <summary>Writes the file in UTF-16LE with BOM, atomically (a temporary file renamed over the target).</summary>
    public void Save(string path)
    {
        var encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        Trials.AtomicFile.Write(path, [.. encoding.GetPreamble(), .. encoding.GetBytes(ToText())]);
    }

    /// <summary>A value in .set notation: true/false for bools, the number otherwise.</summary>
    public static string FormatValue(EaInputKind kind, decimal value) =>
        kind == EaInputKind.Boolean ? (value != 0 ? "true" : "false") : value.ToString(Inv);

    private static string Decode(ReadOnlySpan<byte> bytes, string source)
    {
        try
        {
            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
            {
                return new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true).GetString(bytes[2..]);
            }

            if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
            {
                throw new SetFileException($"{source}: UTF-16 big-endian is not a .set encoding; save it as UTF-16LE (MT5's) or UTF-8.");
            }

            var body = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? bytes[3..] : bytes;
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            throw new SetFileException($"{source}: not UTF-16LE with a byte order mark nor UTF-8 ({e.Message})");
        }
    }

    private static SetEntry ParseLine(string line, string source, int lineNo)
    {
        string Where() => $"{source}:{lineNo}";
        var eq = line.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new SetFileException($"{Where()}: expected Name=Value||Start||Step||Stop||Y/N, got '{line}'.");
        }

        var name = line[..eq].Trim();
        var input = EaInputs.Find(name)
            ?? throw new SetFileException($"{Where()}: '{name}' is not an input of KimiEA.mq5 (its inputs: {string.Join(", ", EaInputs.All.Select(i => i.Name))}).");
        var rest = line[(eq + 1)..];
        if (input.Kind == EaInputKind.Text)
        {
            // A string input has no range; MetaEditor writes the value alone.
            return new SetEntry(input, 0, rest, null, null, null, false, lineNo);
        }

        var parts = rest.Split("||");
        if (parts.Length is not (1 or 5))
        {
            throw new SetFileException($"{Where()}: {name}: expected Value or Value||Start||Step||Stop||Y/N, got '{rest}'.");
        }

        var value = Number(input, parts[0], "value", Where());
        CheckEnum(input, value, "value", Where());
        if (parts.Length == 1)
        {
            return new SetEntry(input, value, parts[0].Trim(), null, null, null, false, lineNo);
        }

        var flag = parts[4].Trim();
        if (flag is not ("Y" or "N" or "y" or "n"))
        {
            throw new SetFileException($"{Where()}: {name}: the optimisation flag must be Y or N, got '{flag}'.");
        }

        var optimize = flag is "Y" or "y";
        var start = Number(input, parts[1], "start", Where());
        var stop = Number(input, parts[3], "stop", Where());
        var step = input.Kind == EaInputKind.Boolean ? Step(parts[2], Where(), name, optimize, boolean: true) : Step(parts[2], Where(), name, optimize, boolean: false);
        if (optimize)
        {
            if (!input.IsEngineInput)
            {
                throw new SetFileException($"{Where()}: {name} cannot be optimised: {input.HostOnly}.");
            }

            if (input.Kind == EaInputKind.Boolean)
            {
                // MetaEditor optimises a bool over false..true whatever the step column says.
                (start, step, stop) = (Math.Min(start, stop), 1, Math.Max(start, stop));
            }

            if (step <= 0)
            {
                throw new SetFileException($"{Where()}: {name}: the step must be positive, got {step.ToString(Inv)}.");
            }

            if (start > stop)
            {
                throw new SetFileException($"{Where()}: {name}: start {start.ToString(Inv)} is after stop {stop.ToString(Inv)}.");
            }

            if (input.Kind is EaInputKind.WholeNumber or EaInputKind.Enumeration && step != decimal.Truncate(step))
            {
                throw new SetFileException($"{Where()}: {name} is a whole number; the step {step.ToString(Inv)} is not.");
            }

            CheckEnum(input, start, "start", Where());
            CheckEnum(input, stop, "stop", Where());
        }

        return new SetEntry(input, value, parts[0].Trim(), start, step, stop, optimize, lineNo);
    }

    private static decimal Step(string text, string where, string name, bool optimize, bool boolean)
    {
        if (decimal.TryParse(text.Trim(), NumberStyles.Float, Inv, out var step))
        {
            return step;
        }

        // An unused range column of a bool (or a line not optimised) may hold anything MetaEditor wrote.
        return boolean || !optimize ? 0 : throw new SetFileException($"{where}: {name}: step '{text}' is not a number.");
    }

    private static decimal Number(EaInput input, string text, string what, string where)
    {
        var t = text.Trim();
        if (input.Kind == EaInputKind.Boolean)
        {
            return t.ToUpperInvariant() switch
            {
                "TRUE" or "1" => 1,
                "FALSE" or "0" => 0,
                _ => throw new SetFileException($"{where}: {input.Name}: {what} '{t}' is not true or false."),
            };
        }

        if (!decimal.TryParse(t, NumberStyles.Float, Inv, out var v))
        {
            throw new SetFileException($"{where}: {input.Name}: {what} '{t}' is not a number.");
        }

        if (input.Kind is EaInputKind.WholeNumber or EaInputKind.Enumeration && v != decimal.Truncate(v))
        {
            throw new SetFileException($"{where}: {input.Name}: {what} {t} is not a whole number.");
        }

        return v;
    }

    private static void CheckEnum(EaInput input, decimal value, string what, string where)
    {
        if (input.Kind == EaInputKind.Enumeration && !input.EnumValues.Contains((long)value))
        {
            throw new SetFileException($"{where}: {input.Name}: {what} {value.ToString(Inv)} is not one of {string.Join(", ", input.EnumValues)}.");
        }
    }

    /// <summary>
    /// The file's values together, and each end of every optimised range with the other values, must be a config the
    /// EA's kimi_create accepts (the engine's own rules, <see cref="EaInputs.Problem"/>).
    /// </summary>
    private void CheckValues()
    {
        var values = Apply(KimiConfig.Defaults(0, 900));
        if (EaInputs.Problem(values) is { } problem)
        {
            // Name the line whose value alone (over the defaults) is refused, when there is one.
            var line = Entries.FirstOrDefault(e => e.Input.Apply is not null && EaInputs.Problem(Over(KimiConfig.Defaults(0, 900), e, e.Value)) is not null);
            throw new SetFileException(line is null
                ? $"{Source}: the EA refuses these values together: {problem}"
                : $"{Source}:{line.Line}: {line.Input.Name}={line.Text} is outside the EA's valid range ({problem}).");
        }

        // A range end must be a value the EA accepts with some setting of the other optimised inputs (their file values,
        // all at their starts, or all at their stops): min confidence 0.9 is fine when the auto-execute range reaches
        // 0.9. A combination the EA refuses is then a trial of status "invalid", not a bad file.
        var optimised = Entries.Where(e => e.Optimize).ToList();
        KimiConfig[] backgrounds =
        [
            values,
            optimised.Aggregate(values, (c, o) => Over(c, o, o.Start!.Value)),
            optimised.Aggregate(values, (c, o) => Over(c, o, o.At(o.RangeCount - 1))),
        ];
        foreach (var e in optimised)
        {
            foreach (var (what, v) in new[] { ("start", e.Start!.Value), ("last value of the range", e.At(e.RangeCount - 1)) })
            {
                var problems = backgrounds.Select(b => EaInputs.Problem(Over(b, e, v))).ToList();
                if (problems.All(p => p is not null))
                {
                    throw new SetFileException($"{Source}:{e.Line}: {e.Input.Name}: {what} {v.ToString(Inv)} is outside the EA's valid range ({problems[0]}).");
                }
            }
        }
    }

    private static KimiConfig Over(KimiConfig config, SetEntry e, decimal value)
    {
        e.Input.Apply!(ref config, (double)value);
        return config;
    }
}
