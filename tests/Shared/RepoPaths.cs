namespace KimiEA.Testing;

/// <summary>
/// Locates files of the repository from a test run (compiled into every test project from tests/Shared).
/// </summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root (the folder holding KimiEA.sln). KIMI_REPO_ROOT overrides the search.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>Absolute path of a repository-relative path.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>A fixture under tests/fixtures.</summary>
    public static string Fixture(params string[] parts) => System.IO.Path.Combine([Root, "tests", "fixtures", .. parts]);

    /// <summary>A shipped sample under data/samples.</summary>
    public static string Sample(params string[] parts) => System.IO.Path.Combine([Root, "data", "samples", .. parts]);

    /// <summary>
    /// The read-only shared data folder beside the checkout (../shared/data), or null when it is absent (a user's
    /// fresh clone). Only optional extra checks may depend on it.
    /// </summary>
    public static string? SharedData
    {
        get
        {
            var p = System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, "..", "shared", "data"));
            return Directory.Exists(p) ? p : null;
        }
    }

    /// <summary>The published native library (artifacts/native/KimiEA.so), or KIMI_NATIVE_LIB when set.</summary>
    public static string NativeLibrary =>
        Environment.GetEnvironmentVariable("KIMI_NATIVE_LIB") is { Length: > 0 } env
            ? env
            : System.IO.Path.Combine(Root, "artifacts", "native", OperatingSystem.IsWindows() ? "KimiEA.dll" : "KimiEA.so");

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("KIMI_REPO_ROOT") is { Length: > 0 } env && File.Exists(System.IO.Path.Combine(env, "KimiEA.sln")))
        {
            return env;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "KimiEA.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Cannot find the repository root (KimiEA.sln) above {AppContext.BaseDirectory}; set KIMI_REPO_ROOT.");
    }
}
