using System.Reflection;
using System.Runtime.InteropServices;
using Xunit;

namespace KimiEA.Native.Tests.Drift;

/// <summary>
/// The ABI drift check against the built library: the exported symbols of artifacts/native/KimiEA.so (its ELF
/// dynamic symbol table, what dlopen/dlsym and MT5's #import resolve) must be exactly the functions of kimiea.h, and
/// the [UnmanagedCallersOnly] methods compiled into it must have the header's parameter types. A missing export
/// fails here by name instead of stopping the EA on a trader's chart ("cannot find 'kimi_x' in 'KimiEA.dll'").
/// </summary>
public sealed class ExportDriftTests
{
    private static readonly Lazy<AbiDeclarations> Header = new(() => AbiSources.ParseHeader(File.ReadAllText(AbiSources.HeaderPath)));

    private static string Library
    {
        get
        {
            var path = Testing.RepoPaths.NativeLibrary;
            Assert.True(File.Exists(path), $"the engine library {path} does not exist: run ./build.sh first");
            return path;
        }
    }

    [Fact]
    public void Library_exports_exactly_the_header_functions()
    {
        var exported = ElfExports.Read(Library).Where(n => n.StartsWith("kimi_", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var declared = Header.Value.Functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var missing = declared.Where(n => !exported.Contains(n)).Order(StringComparer.Ordinal).ToList();
        var extra = exported.Where(n => !declared.Contains(n)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"{Library} does not export: {string.Join(", ", missing)} (declared in kimiea.h; rebuild with ./build.sh after the exports land)");
        Assert.True(extra.Count == 0, $"{Library} exports kimi_* functions kimiea.h does not declare: {string.Join(", ", extra)}");
    }

    [Fact]
    public void Elf_reader_agrees_with_nm()
    {
        // The reader above is ours; nm (binutils, installed with gcc, which these tests need anyway) is the reference.
        var nm = Standin.StandinProcess.Run("nm", ["-D", "--defined-only", Library], TimeSpan.FromSeconds(30));
        Assert.True(nm.ExitCode == 0, $"nm failed:\n{nm.Tail()}");
        var expected = nm.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length == 3 && (p[1] == "T" || p[1] == "W"))
            .Select(p => p[2].Split('@')[0])
            .Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ElfExports.Read(Library).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Library_export_methods_have_the_header_parameter_types()
    {
        var exports = ExportMethods();
        var problems = new List<string>();
        foreach (var c in Header.Value.Functions)
        {
            if (!exports.TryGetValue(c.Name, out var method))
            {
                problems.Add($"{c.Name}: no [UnmanagedCallersOnly(EntryPoint = \"{c.Name}\")] method in the managed KimiEA.dll");
                continue;
            }

            var expected = c.Parameters.Select(p => AbiSources.CSharpParameter(p.Type)).ToList();
            var actual = method.GetParameters().Select(p => p.ParameterType.ToString()).ToList();
            var expectedReturn = AbiSources.CSharpParameter(c.ReturnType);
            if (!expected.SequenceEqual(actual) || expectedReturn != method.ReturnType.ToString())
            {
                problems.Add($"{c.Name}: kimiea.h ({string.Join(", ", expected)}) -> {expectedReturn}, {method.DeclaringType!.Name}.{method.Name} ({string.Join(", ", actual)}) -> {method.ReturnType}");
            }
        }

        foreach (var name in exports.Keys.Where(n => Header.Value.Functions.All(f => f.Name != n)))
        {
            problems.Add($"{name}: exported by the library but not declared in kimiea.h");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// The [UnmanagedCallersOnly] methods of the managed KimiEA.dll that the NativeAOT library was compiled from
    /// (src/KimiEA.Native/bin/&lt;config&gt;/&lt;tfm&gt;/KimiEA.dll, the newest build), by entry point.
    /// </summary>
    private static Dictionary<string, MethodInfo> ExportMethods()
    {
        var bin = Testing.RepoPaths.Path("src", "KimiEA.Native", "bin");
        var candidates = Directory.Exists(bin)
            ? Directory.GetFiles(bin, "KimiEA.dll", SearchOption.AllDirectories).Where(p => !p.Contains($"{Path.DirectorySeparatorChar}publish{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !p.Contains("native", StringComparison.Ordinal)).ToList()
            : [];
        Assert.True(candidates.Count > 0, $"no managed KimiEA.dll under {bin}: build the solution (./build.sh) first");
        var newest = candidates.OrderByDescending(File.GetLastWriteTimeUtc).First();
        var assembly = Assembly.LoadFrom(newest);
        var methods = new Dictionary<string, MethodInfo>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var entry = m.GetCustomAttributesData()
                    .Where(a => a.AttributeType == typeof(UnmanagedCallersOnlyAttribute))
                    .SelectMany(a => a.NamedArguments)
                    .Where(a => a.MemberName == nameof(UnmanagedCallersOnlyAttribute.EntryPoint))
                    .Select(a => a.TypedValue.Value as string)
                    .FirstOrDefault();
                if (entry is not null)
                {
                    Assert.True(methods.TryAdd(entry, m), $"two methods export {entry}");
                }
            }
        }

        return methods;
    }
}
