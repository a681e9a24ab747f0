using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KimiEA.Core.Abi;
using KimiEA.NativeHost;
using Xunit;

namespace KimiEA.Native.Tests.Drift;

/// <summary>
/// The ABI drift check between the hand-written mirrors of include/kimiea.h: the MQL5 #import block and structs
/// (mql5/Include/KimiEA/KimiEA.mqh), the C# structs and constants (KimiEA.Core.Abi, KimiEA.Core.Market) and the
/// .NET binding (KimiEA.NativeHost.KimiNative). Each mirror must agree with the header on every function name,
/// every parameter type (C → MQL5 mapping of shared/mt5-notes.md §1.2), every struct field and size, and every
/// #define. A drift here is a corrupted call on a trader's terminal, so the expected values are the header's own
/// text, never the mirror's.
/// </summary>
public sealed class AbiDriftTests
{
    private static readonly Lazy<AbiDeclarations> Header = new(() => AbiSources.ParseHeader(File.ReadAllText(AbiSources.HeaderPath)));
    private static readonly Lazy<AbiDeclarations> Mqh = new(() => AbiSources.ParseMqh(File.ReadAllText(AbiSources.MqhPath)));

    [Fact]
    public void Parsers_read_the_whole_header_and_mqh()
    {
        // Guards the parsers themselves against silently skipping a declaration (which would make every other test
        // here pass vacuously): their counts must equal plain line counts of the raw files.
        var header = File.ReadAllLines(AbiSources.HeaderPath);
        var mqh = File.ReadAllLines(AbiSources.MqhPath);
        Assert.Equal(header.Count(l => l.StartsWith("KIMI_API ", StringComparison.Ordinal)), Header.Value.Functions.Count);
        Assert.Equal(header.Count(l => l.StartsWith("typedef struct ", StringComparison.Ordinal)), Header.Value.Structs.Count);
        Assert.Equal(header.Count(l => l.StartsWith("#define KIMI_", StringComparison.Ordinal) && !l.StartsWith("#define KIMI_API", StringComparison.Ordinal)), Header.Value.Defines.Count);
        Assert.Equal(mqh.Count(l => l.StartsWith("struct ", StringComparison.Ordinal)), Mqh.Value.Structs.Count);
        Assert.Equal(mqh.Count(l => l.StartsWith("#define KIMI_", StringComparison.Ordinal)), Mqh.Value.Defines.Count);
        Assert.Equal(mqh.Count(l => l.Contains(" kimi_", StringComparison.Ordinal) && l.TrimEnd().EndsWith(");", StringComparison.Ordinal)), Mqh.Value.Functions.Count);

        // kimiea.h as written by hand: at least the 19 exports of the call sequence, 12 structs (ABI 4 added KimiZone), 55 constants.
        Assert.True(Header.Value.Functions.Count >= 19 && Header.Value.Structs.Count == 12 && Header.Value.Defines.Count >= 55);
    }

    [Fact]
    public void Mqh_imports_exactly_the_header_functions_in_order()
    {
        Assert.Equal(Header.Value.Functions.Select(f => f.Name), Mqh.Value.Functions.Select(f => f.Name));
    }

    [Fact]
    public void Mqh_import_signatures_map_the_header_types()
    {
        var mqh = Mqh.Value.Functions.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var c in Header.Value.Functions)
        {
            if (!mqh.TryGetValue(c.Name, out var m))
            {
                problems.Add($"{c.Name}: missing from the #import block");
                continue;
            }

            if (AbiSources.MqlScalar(c.ReturnType) != m.ReturnType)
            {
                problems.Add($"{c.Name}: returns {c.ReturnType} in kimiea.h but {m.ReturnType} in KimiEA.mqh");
            }

            if (c.Parameters.Count != m.Parameters.Count)
            {
                problems.Add($"{c.Name}: {c.Parameters.Count} parameters in kimiea.h, {m.Parameters.Count} in KimiEA.mqh");
                continue;
            }

            for (var i = 0; i < c.Parameters.Count; i++)
            {
                var expected = AbiSources.ExpectedMqlType(c.Parameters, i);
                if (expected != m.Parameters[i].Type || c.Parameters[i].Name != m.Parameters[i].Name)
                {
                    problems.Add($"{c.Name} parameter {i + 1}: kimiea.h '{c.Parameters[i].Type} {c.Parameters[i].Name}' needs '{expected} {c.Parameters[i].Name}' in KimiEA.mqh, found '{m.Parameters[i].Type} {m.Parameters[i].Name}'");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Mqh_declares_every_kimi_struct_field_for_field_and_not_the_builtin_mql_structs()
    {
        var problems = new List<string>();
        foreach (var (name, cFields) in Header.Value.Structs)
        {
            var builtin = name is "MqlRates" or "MqlTick";
            var declared = Mqh.Value.Structs.TryGetValue(name, out var mFields);
            if (builtin)
            {
                if (declared)
                {
                    problems.Add($"{name} is MQL5's own struct and must not be redeclared in KimiEA.mqh");
                }

                continue;
            }

            if (!declared)
            {
                problems.Add($"{name}: missing from KimiEA.mqh");
                continue;
            }

            var expected = cFields.Select(f => $"{AbiSources.MqlScalar(f.Type)} {f.Name}").ToList();
            var actual = mFields!.Select(f => $"{f.Type} {f.Name}").ToList();
            if (!expected.SequenceEqual(actual))
            {
                problems.Add($"{name}: kimiea.h [{string.Join(", ", expected)}] vs KimiEA.mqh [{string.Join(", ", actual)}]");
            }

            var cSize = cFields.Sum(f => AbiSources.CSize(f.Type));
            var mSize = mFields!.Sum(f => AbiSources.MqlSize(f.Type));
            if (cSize != mSize)
            {
                problems.Add($"{name}: {cSize} bytes in C, {mSize} bytes in MQL5 (pack 1)");
            }
        }

        foreach (var name in Mqh.Value.Structs.Keys.Where(n => !Header.Value.Structs.ContainsKey(n)))
        {
            problems.Add($"KimiEA.mqh declares struct {name}, which kimiea.h does not have");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Kimi_structs_hold_only_8_byte_fields_so_every_packing_agrees()
    {
        // kimiea.h promises "only 8-byte fields, no padding under any packing"; the EA relies on it (MQL5 packs to 1).
        foreach (var (name, fields) in Header.Value.Structs.Where(s => s.Key.StartsWith("Kimi", StringComparison.Ordinal)))
        {
            Assert.All(fields, f => Assert.True(AbiSources.CSize(f.Type) == 8, $"{name}.{f.Name} is {f.Type}"));
        }
    }

    [Fact]
    public void CSharp_structs_mirror_the_header_field_for_field_with_the_same_size()
    {
        var problems = new List<string>();
        Assert.Equal(Header.Value.Structs.Keys.Order(StringComparer.Ordinal), AbiSources.CSharpStructs.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, cFields) in Header.Value.Structs)
        {
            var type = AbiSources.CSharpStructs[name];
            var fields = type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .OrderBy(f => Marshal.OffsetOf(type, f.Name).ToInt64()).ToList();
            var expected = cFields.Select(f => $"{AbiSources.CSharpType(f.Type)} {AbiSources.Pascal(f.Name)}").ToList();
            var actual = fields.Select(f => $"{f.FieldType.Name} {f.Name}").ToList();
            if (!expected.SequenceEqual(actual))
            {
                problems.Add($"{name}: kimiea.h [{string.Join(", ", expected)}] vs C# [{string.Join(", ", actual)}]");
            }

            var offset = 0;
            foreach (var f in cFields)
            {
                var field = fields.FirstOrDefault(x => x.Name == AbiSources.Pascal(f.Name));
                if (field is not null && Marshal.OffsetOf(type, field.Name).ToInt32() != offset)
                {
                    problems.Add($"{name}.{f.Name}: offset {offset} in C (pack 1 / 8-byte fields), {Marshal.OffsetOf(type, field.Name)} in C#");
                }

                offset += AbiSources.CSize(f.Type);
            }

            var declaredSize = (int)type.GetField("Size", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
            var unsafeSize = (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
            if (offset != declaredSize || offset != unsafeSize || offset != Marshal.SizeOf(type))
            {
                problems.Add($"{name}: {offset} bytes in C, {name}.Size = {declaredSize}, Unsafe.SizeOf = {unsafeSize}, Marshal.SizeOf = {Marshal.SizeOf(type)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Mqh_defines_equal_the_header_defines()
    {
        var header = Header.Value.Defines.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}");
        var mqh = Mqh.Value.Defines.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}");
        Assert.Equal(header, mqh);
    }

    [Fact]
    public void AbiCodes_equal_the_header_defines()
    {
        var codes = typeof(AbiCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var expected = Header.Value.Defines
            .Select(d => $"{AbiSources.Pascal(d.Key["KIMI_".Length..])}={d.Value}").Order(StringComparer.Ordinal);
        var actual = codes.Select(c => $"{c.Key}={c.Value}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void NativeHost_binds_every_header_export_with_the_header_types()
    {
        Assert.Equal(Header.Value.Functions.Select(f => f.Name), KimiNative.ExportNames);

        var problems = new List<string>();
        foreach (var c in Header.Value.Functions)
        {
            var field = typeof(KimiNative).GetField(AbiSources.Pascal(c.Name["kimi_".Length..]), BindingFlags.Public | BindingFlags.Instance);
            if (field is null)
            {
                problems.Add($"{c.Name}: KimiNative has no field {AbiSources.Pascal(c.Name["kimi_".Length..])}");
                continue;
            }

            var fp = field.FieldType;
            if (!fp.IsFunctionPointer || !fp.IsUnmanagedFunctionPointer)
            {
                problems.Add($"{c.Name}: KimiNative.{field.Name} is not an unmanaged function pointer");
                continue;
            }

            var expected = c.Parameters.Select(p => AbiSources.CSharpParameter(p.Type)).ToList();
            var actual = fp.GetFunctionPointerParameterTypes().Select(t => t.ToString()).ToList();
            if (!expected.SequenceEqual(actual) || AbiSources.CSharpParameter(c.ReturnType) != fp.GetFunctionPointerReturnType().ToString())
            {
                problems.Add($"{c.Name}: kimiea.h ({string.Join(", ", expected)}) -> {AbiSources.CSharpParameter(c.ReturnType)}, KimiNative ({string.Join(", ", actual)}) -> {fp.GetFunctionPointerReturnType()}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
