using System.Globalization;
using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using System.Text.RegularExpressions;

namespace KimiEA.Native.Tests.Drift;

/// <summary>One parameter of an exported function, as written in a source (C header or MQL5 #import).</summary>
/// <param name="Type">The parameter's type in the source's own spelling, normalised (e.g. <c>const KimiConfig *</c>,
/// <c>ushort &amp;[]</c>).</param>
/// <param name="Name">The parameter's name.</param>
internal sealed record AbiParameter(string Type, string Name);

/// <summary>One exported function as declared by a source.</summary>
internal sealed record AbiFunction(string ReturnType, string Name, IReadOnlyList<AbiParameter> Parameters);

/// <summary>One struct field as declared by a source.</summary>
internal sealed record AbiField(string Type, string Name);

/// <summary>What one source (kimiea.h or KimiEA.mqh) declares: constants, structs and functions, in order.</summary>
internal sealed record AbiDeclarations(
    IReadOnlyDictionary<string, long> Defines,
    IReadOnlyDictionary<string, IReadOnlyList<AbiField>> Structs,
    IReadOnlyList<AbiFunction> Functions);

/// <summary>
/// Small, strict parsers for the two hand-written ABI sources. They only accept the shapes the files use; anything
/// else (a declaration the parser cannot read) fails loudly instead of being skipped, so a drift can never hide in
/// an unparsed line.
/// </summary>
internal static partial class AbiSources
{
    /// <summary>kimiea.h, the contract.</summary>
    public static string HeaderPath => Testing.RepoPaths.Path("src", "KimiEA.Native", "include", "kimiea.h");

    /// <summary>The MQL5 mirror with the #import block.</summary>
    public static string MqhPath => Testing.RepoPaths.Path("mql5", "Include", "KimiEA", "KimiEA.mqh");

    /// <summary>The C# mirror of each header struct.</summary>
    public static readonly Dictionary<string, Type> CSharpStructs = new(StringComparer.Ordinal)
    {
        ["MqlRates"] = typeof(MqlRates),
        ["MqlTick"] = typeof(MqlTick),
        ["KimiConfig"] = typeof(KimiConfig),
        ["KimiSymbolSpec"] = typeof(KimiSymbolSpec),
        ["KimiAccount"] = typeof(KimiAccount),
        ["KimiInstruction"] = typeof(KimiInstruction),
        ["KimiOrderResult"] = typeof(KimiOrderResult),
        ["KimiDeal"] = typeof(KimiDeal),
        ["KimiPosition"] = typeof(KimiPosition),
        ["KimiStatus"] = typeof(KimiStatus),
        ["KimiEvent"] = typeof(KimiEvent),
        ["KimiZone"] = typeof(KimiZone),
    };

    /// <summary>The C# field type name of a C scalar field type.</summary>
    public static string CSharpType(string cType) => cType switch
    {
        "int32_t" => nameof(Int32),
        "uint32_t" => nameof(UInt32),
        "int64_t" => nameof(Int64),
        "uint64_t" => nameof(UInt64),
        "double" => nameof(Double),
        _ => throw new FormatException($"no C# mapping for the C type '{cType}'"),
    };

    /// <summary>The full C# type name of a C parameter type (UTF-16 strings are char*, const is not expressible).</summary>
    public static string CSharpParameter(string cType)
    {
        if (!cType.EndsWith(" *", StringComparison.Ordinal))
        {
            return "System." + CSharpType(cType);
        }

        var baseType = cType.Replace("const ", string.Empty, StringComparison.Ordinal)[..^2];
        if (baseType == "uint16_t")
        {
            return "System.Char*";
        }

        return CSharpStructs.TryGetValue(baseType, out var t) ? t.FullName + "*" : throw new FormatException($"no C# mirror for '{baseType}'");
    }

    /// <summary>Parses the C header.</summary>
    public static AbiDeclarations ParseHeader(string text)
    {
        var code = CBlockComment().Replace(text, " ");
        code = LineComment().Replace(code, string.Empty);

        var structs = new Dictionary<string, IReadOnlyList<AbiField>>(StringComparer.Ordinal);
        foreach (Match m in CStruct().Matches(code))
        {
            structs.Add(m.Groups[1].Value, ParseFields(m.Groups[1].Value, m.Groups[2].Value, CField()));
        }

        var functions = new List<AbiFunction>();
        foreach (Match m in CFunction().Matches(code))
        {
            var parameters = new List<AbiParameter>();
            var list = m.Groups[3].Value.Trim();
            if (list != "void")
            {
                foreach (var raw in list.Split(','))
                {
                    var p = CParameter().Match(Collapse(raw));
                    if (!p.Success)
                    {
                        throw new FormatException($"kimiea.h: cannot read parameter '{Collapse(raw)}' of {m.Groups[2].Value}");
                    }

                    var type = (p.Groups[1].Success ? "const " : string.Empty) + p.Groups[2].Value + (p.Groups[3].Value.Length > 0 ? " *" : string.Empty);
                    parameters.Add(new AbiParameter(type, p.Groups[4].Value));
                }
            }

            functions.Add(new AbiFunction(m.Groups[1].Value, m.Groups[2].Value, parameters));
        }

        // Every line that mentions KIMI_API must have become a function (the #define of KIMI_API itself aside).
        var declared = KimiApiUse().Count(code);
        if (declared != functions.Count)
        {
            throw new FormatException($"kimiea.h: {declared} KIMI_API declarations but only {functions.Count} parsed");
        }

        return new AbiDeclarations(ParseDefines(code), structs, functions);
    }

    /// <summary>Parses KimiEA.mqh (constants, structs and the #import "KimiEA.dll" block).</summary>
    public static AbiDeclarations ParseMqh(string text)
    {
        var code = LineComment().Replace(text, string.Empty);

        var structs = new Dictionary<string, IReadOnlyList<AbiField>>(StringComparer.Ordinal);
        foreach (Match m in MqlStruct().Matches(code))
        {
            structs.Add(m.Groups[1].Value, ParseFields(m.Groups[1].Value, m.Groups[2].Value, MqlField()));
        }

        var block = ImportBlock().Match(code);
        if (!block.Success)
        {
            throw new FormatException("KimiEA.mqh: no '#import \"KimiEA.dll\" ... #import' block");
        }

        var functions = new List<AbiFunction>();
        foreach (var line in block.Groups[1].Value.Split('\n'))
        {
            var decl = line.Trim();
            if (decl.Length == 0)
            {
                continue;
            }

            var m = MqlFunction().Match(decl);
            if (!m.Success)
            {
                throw new FormatException($"KimiEA.mqh: cannot read the import '{decl}'");
            }

            var parameters = new List<AbiParameter>();
            var list = m.Groups[3].Value.Trim();
            if (list.Length > 0)
            {
                foreach (var raw in list.Split(','))
                {
                    var p = MqlParameter().Match(Collapse(raw));
                    if (!p.Success)
                    {
                        throw new FormatException($"KimiEA.mqh: cannot read parameter '{Collapse(raw)}' of {m.Groups[2].Value}");
                    }

                    var type = (p.Groups[1].Success ? "const " : string.Empty) + p.Groups[2].Value
                        + (p.Groups[3].Value.Length > 0 ? " &" : string.Empty) + (p.Groups[5].Success ? "[]" : string.Empty);
                    parameters.Add(new AbiParameter(type, p.Groups[4].Value));
                }
            }

            functions.Add(new AbiFunction(m.Groups[1].Value, m.Groups[2].Value, parameters));
        }

        return new AbiDeclarations(ParseDefines(code), structs, functions);
    }

    /// <summary>
    /// The MQL5 spelling a C parameter must have in the #import block (shared/mt5-notes.md §1.2):
    /// int32_t → int, int64_t → long, double → double, <c>const uint16_t *</c> (string in) → string,
    /// <c>uint16_t *</c> (text out) → <c>ushort &amp;[]</c>, a pointer to one struct → <c>(const) T &amp;</c>, and a
    /// pointer followed by an int32_t count/capacity → <c>(const) T &amp;[]</c>.
    /// </summary>
    public static string ExpectedMqlType(IReadOnlyList<AbiParameter> cParameters, int index)
    {
        var p = cParameters[index];
        if (!p.Type.EndsWith(" *", StringComparison.Ordinal))
        {
            return MqlScalar(p.Type);
        }

        var isConst = p.Type.StartsWith("const ", StringComparison.Ordinal);
        var baseType = p.Type[(isConst ? 6 : 0)..^2];
        if (baseType == "uint16_t")
        {
            return isConst ? "string" : "ushort &[]";
        }

        var next = index + 1 < cParameters.Count ? cParameters[index + 1] : null;
        var isArray = next is { Type: "int32_t", Name: "count" or "capacity" };
        return (isConst ? "const " : string.Empty) + baseType + " &" + (isArray ? "[]" : string.Empty);
    }

    /// <summary>The MQL5 scalar type of a C scalar type.</summary>
    public static string MqlScalar(string cType) => cType switch
    {
        "int32_t" => "int",
        "uint32_t" => "uint",
        "int64_t" => "long",
        "uint64_t" => "ulong",
        "double" => "double",
        _ => throw new FormatException($"no MQL5 mapping for the C type '{cType}'"),
    };

    /// <summary>Size in bytes of a C scalar field type.</summary>
    public static int CSize(string cType) => cType switch
    {
        "int32_t" or "uint32_t" => 4,
        "int64_t" or "uint64_t" or "double" => 8,
        _ => throw new FormatException($"no size for the C type '{cType}'"),
    };

    /// <summary>Size in bytes of an MQL5 scalar type (mt5-notes §1.2).</summary>
    public static int MqlSize(string mqlType) => mqlType switch
    {
        "int" or "uint" => 4,
        "long" or "ulong" or "double" or "datetime" => 8,
        _ => throw new FormatException($"no size for the MQL5 type '{mqlType}'"),
    };

    /// <summary><c>time_msc</c> → <c>TimeMsc</c>; <c>KIMI_E_INVALID_HANDLE</c> (prefix removed) → <c>EInvalidHandle</c>.</summary>
    public static string Pascal(string snake)
    {
        var parts = snake.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(parts.Select(p => char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant()));
    }

    private static Dictionary<string, long> ParseDefines(string code)
    {
        var defines = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (Match m in Define().Matches(code))
        {
            defines.Add(m.Groups[1].Value, long.Parse(m.Groups[2].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }

        return defines;
    }

    private static List<AbiField> ParseFields(string owner, string body, Regex field)
    {
        var fields = new List<AbiField>();
        foreach (var raw in body.Split(';'))
        {
            var decl = Collapse(raw);
            if (decl.Length == 0)
            {
                continue;
            }

            var m = field.Match(decl);
            if (!m.Success)
            {
                throw new FormatException($"{owner}: cannot read the field '{decl}'");
            }

            fields.Add(new AbiField(m.Groups[1].Value, m.Groups[2].Value));
        }

        return fields;
    }

    private static string Collapse(string s) => Whitespace().Replace(s, " ").Trim();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CBlockComment();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^[ \t]*#define[ \t]+(KIMI_\w+)[ \t]+(-?\d+)[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex Define();

    [GeneratedRegex(@"typedef\s+struct\s+(\w+)\s*\{(.*?)\}\s*\1\s*;", RegexOptions.Singleline)]
    private static partial Regex CStruct();

    [GeneratedRegex(@"^((?:u?int(?:32|64)_t)|double) (\w+)$")]
    private static partial Regex CField();

    [GeneratedRegex(@"KIMI_API\s+(\w+)\s+(\w+)\s*\(([^)]*)\)\s*;", RegexOptions.Singleline)]
    private static partial Regex CFunction();

    [GeneratedRegex(@"KIMI_API\s+\w+\s+\w+\s*\(")]
    private static partial Regex KimiApiUse();

    [GeneratedRegex(@"^(const )?(\w+) ?(\*?) ?(\w+)$")]
    private static partial Regex CParameter();

    [GeneratedRegex(@"^struct\s+(\w+)\s*\{(.*?)\}\s*;", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex MqlStruct();

    [GeneratedRegex(@"^(long|double|int|uint|ulong|datetime) (\w+)$")]
    private static partial Regex MqlField();

    [GeneratedRegex("#import \"KimiEA\\.dll\"[ \\t]*\\r?\\n(.*?)^[ \\t]*#import[ \\t]*\\r?$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex ImportBlock();

    [GeneratedRegex(@"^(\w+)\s+(\w+)\s*\(([^)]*)\)\s*;$")]
    private static partial Regex MqlFunction();

    [GeneratedRegex(@"^(const )?(\w+) ?(&?) ?(\w+) ?(\[\])?$")]
    private static partial Regex MqlParameter();
}
