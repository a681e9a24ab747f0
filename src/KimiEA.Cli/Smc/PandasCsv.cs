using System.Globalization;
using System.Text;

namespace KimiEA.Cli.Smc;

/// <summary>How pandas prints a column's dtype.</summary>
internal enum PandasDtype
{
    /// <summary>float64: Python <c>repr</c> (shortest round-trip digits); NaN is an empty cell.</summary>
    Float64,

    /// <summary>float32: numpy's shortest float32 repr (e.g. 0.97345555); NaN is an empty cell.</summary>
    Float32,

    /// <summary>int64: plain integer.</summary>
    Int64,
}

/// <summary>A column to write: header, dtype and one value per row.</summary>
internal sealed record PandasColumn(string Name, PandasDtype Dtype, double[] Values);

/// <summary>
/// Writes tables the way <c>DataFrame.to_csv(index=False)</c> does, so a user of the Python package can diff our
/// files against theirs: comma separated, "\n" line ends, NaN as an empty cell, floats in Python repr style.
/// </summary>
internal static class PandasCsv
{
    /// <summary>Writes the header and every row.</summary>
    public static void Write(TextWriter w, IReadOnlyList<PandasColumn> columns)
    {
        var rows = columns.Count == 0 ? 0 : columns[0].Values.Length;
        foreach (var c in columns)
        {
            if (c.Values.Length != rows)
            {
                throw new ArgumentException($"Column {c.Name} has {c.Values.Length} rows, expected {rows}.", nameof(columns));
            }
        }

        w.Write(string.Join(',', columns.Select(c => c.Name)));
        w.Write('\n');
        var sb = new StringBuilder(128);
        for (var r = 0; r < rows; r++)
        {
            sb.Clear();
            for (var c = 0; c < columns.Count; c++)
            {
                if (c > 0)
                {
                    sb.Append(',');
                }

                sb.Append(Format(columns[c].Values[r], columns[c].Dtype));
            }

            sb.Append('\n');
            w.Write(sb);
        }
    }

    /// <summary>One cell as pandas prints it.</summary>
    public static string Format(double value, PandasDtype dtype)
    {
        if (double.IsNaN(value))
        {
            return string.Empty;
        }

        return dtype switch
        {
            PandasDtype.Int64 => ((long)value).ToString(CultureInfo.InvariantCulture),
            PandasDtype.Float32 => PythonRepr(((float)value).ToString("R", CultureInfo.InvariantCulture)),
            _ => PythonRepr(value.ToString("R", CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>
    /// Re-spells .NET's shortest round-trip text in Python's repr style: the same digits, fixed notation when the
    /// decimal exponent is in [−4, 16), else <c>d.ddde±XX</c>; integral values keep a ".0".
    /// </summary>
    internal static string PythonRepr(string dotnet)
    {
        switch (dotnet)
        {
            case "∞":
            case "Infinity":
                return "inf";
            case "-∞":
            case "-Infinity":
                return "-inf";
            default:
                break;
        }

        var negative = dotnet.StartsWith('-');
        var s = negative ? dotnet[1..] : dotnet;
        var exp = 0;
        var e = s.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }

        // Split into a digit string and decpt so that value = 0.DIGITS × 10^decpt.
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? s : s[..dot];
        var fracPart = dot < 0 ? string.Empty : s[(dot + 1)..];
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        var decpt = intPart.Length - leadingZeros + exp;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return negative ? "-0.0" : "0.0";
        }

        var sb = new StringBuilder(32);
        if (negative)
        {
            sb.Append('-');
        }

        if (decpt > -4 && decpt <= 16)
        {
            if (decpt <= 0)
            {
                sb.Append("0.").Append('0', -decpt).Append(digits);
            }
            else if (decpt >= digits.Length)
            {
                sb.Append(digits).Append('0', decpt - digits.Length).Append(".0");
            }
            else
            {
                sb.Append(digits, 0, decpt).Append('.').Append(digits, decpt, digits.Length - decpt);
            }
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var x = decpt - 1;
            sb.Append('e').Append(x < 0 ? '-' : '+').Append(Math.Abs(x).ToString("00", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
