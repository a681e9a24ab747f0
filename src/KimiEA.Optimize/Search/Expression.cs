using System.Globalization;

namespace KimiEA.Optimize.Search;

/// <summary>A formula that does not parse, or names something unknown (the message quotes the text and the position).</summary>
public sealed class ExpressionException(string message) : FormatException(message);

/// <summary>
/// A small arithmetic formula over named values, used for the parameter constraints (<c>InpMinConfidence &lt;= InpAutoConfidence</c>)
/// and the custom criterion (<c>net_profit / (1 + equity_dd_pct)</c>): numbers, names, + − * /, unary minus,
/// parentheses, min(a, b), max(a, b), comparisons (&lt; &lt;= &gt; &gt;= == !=, giving 1 or 0) and "and" / &amp;&amp;.
/// Names are resolved once, when parsed, to slots of the value array given to <see cref="Evaluate"/>.
/// </summary>
public sealed class Expression
{
    private readonly Func<double[], double> _eval;

    private Expression(string text, Func<double[], double> eval)
    {
        Text = text;
        _eval = eval;
    }

    /// <summary>The formula as written.</summary>
    public string Text { get; }

    /// <summary>Parses a formula; <paramref name="slotOf"/> maps a name to its slot in the value array (or null when unknown).</summary>
    /// <exception cref="ExpressionException">Syntax error or unknown name (<paramref name="known"/> lists the names for the message).</exception>
    public static Expression Parse(string text, Func<string, int?> slotOf, string known)
    {
        ArgumentNullException.ThrowIfNull(text);
        var p = new Parser(text, slotOf, known);
        var e = p.Or();
        p.SkipSpace();
        if (p.Pos < text.Length)
        {
            throw p.Error($"unexpected '{text[p.Pos]}'");
        }

        return new Expression(text, e);
    }

    /// <summary>The value for these slot values.</summary>
    public double Evaluate(double[] values) => _eval(values);

    private sealed class Parser(string text, Func<string, int?> slotOf, string known)
    {
        public int Pos;

        public ExpressionException Error(string what) => new($"'{text}': {what} at position {Pos + 1}.");

        public void SkipSpace()
        {
            while (Pos < text.Length && char.IsWhiteSpace(text[Pos]))
            {
                Pos++;
            }
        }

        private bool Eat(string token)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, Pos, token, 0, token.Length) == 0)
            {
                Pos += token.Length;
                return true;
            }

            return false;
        }

        public Func<double[], double> Or()
        {
            var left = Comparison();
            while (Eat("&&") || EatWord("and"))
            {
                var l = left;
                var r = Comparison();
                left = v => l(v) != 0 && r(v) != 0 ? 1 : 0;
            }

            return left;
        }

        private bool EatWord(string word)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, Pos, word, 0, word.Length) == 0 && (Pos + word.Length >= text.Length || !char.IsLetterOrDigit(text[Pos + word.Length])))
            {
                Pos += word.Length;
                return true;
            }

            return false;
        }

        private Func<double[], double> Comparison()
        {
            var left = Sum();
            foreach (var op in new[] { "<=", ">=", "==", "!=", "<", ">" })
            {
                if (Eat(op))
                {
                    var l = left;
                    var r = Sum();
                    return op switch
                    {
                        "<=" => v => l(v) <= r(v) ? 1 : 0,
                        ">=" => v => l(v) >= r(v) ? 1 : 0,
                        "==" => v => l(v) == r(v) ? 1 : 0,
                        "!=" => v => l(v) != r(v) ? 1 : 0,
                        "<" => v => l(v) < r(v) ? 1 : 0,
                        _ => v => l(v) > r(v) ? 1 : 0,
                    };
                }
            }

            return left;
        }

        private Func<double[], double> Sum()
        {
            var left = Product();
            while (true)
            {
                var l = left;
                if (Eat("+"))
                {
                    var r = Product();
                    left = v => l(v) + r(v);
                }
                else if (Eat("-"))
                {
                    var r = Product();
                    left = v => l(v) - r(v);
                }
                else
                {
                    return left;
                }
            }
        }

        private Func<double[], double> Product()
        {
            var left = Unary();
            while (true)
            {
                var l = left;
                if (Eat("*"))
                {
                    var r = Unary();
                    left = v => l(v) * r(v);
                }
                else if (Eat("/"))
                {
                    var r = Unary();
                    left = v => l(v) / r(v);
                }
                else
                {
                    return left;
                }
            }
        }

        private Func<double[], double> Unary()
        {
            if (Eat("-"))
            {
                var e = Unary();
                return v => -e(v);
            }

            return Atom();
        }

        private Func<double[], double> Atom()
        {
            SkipSpace();
            if (Eat("("))
            {
                var e = Or();
                if (!Eat(")"))
                {
                    throw Error("missing ')'");
                }

                return e;
            }

            var start = Pos;
            if (Pos < text.Length && (char.IsDigit(text[Pos]) || text[Pos] == '.'))
            {
                while (Pos < text.Length && (char.IsDigit(text[Pos]) || text[Pos] is '.' or 'e' or 'E' || (text[Pos] is '+' or '-' && text[Pos - 1] is 'e' or 'E')))
                {
                    Pos++;
                }

                if (!double.TryParse(text.AsSpan(start, Pos - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    Pos = start;
                    throw Error("bad number");
                }

                return _ => number;
            }

            while (Pos < text.Length && (char.IsLetterOrDigit(text[Pos]) || text[Pos] == '_'))
            {
                Pos++;
            }

            if (Pos == start)
            {
                throw Error(Pos < text.Length ? $"unexpected '{text[Pos]}'" : "unexpected end");
            }

            var name = text[start..Pos];
            if (name is "min" or "max")
            {
                if (!Eat("("))
                {
                    throw Error($"{name} needs (a, b)");
                }

                var a = Or();
                if (!Eat(","))
                {
                    throw Error($"{name} needs two arguments");
                }

                var b = Or();
                if (!Eat(")"))
                {
                    throw Error("missing ')'");
                }

                return name == "min" ? v => Math.Min(a(v), b(v)) : v => Math.Max(a(v), b(v));
            }

            if (slotOf(name) is not { } slot)
            {
                Pos = start;
                throw Error($"unknown name '{name}' (known: {known})");
            }

            return v => v[slot];
        }
    }
}
