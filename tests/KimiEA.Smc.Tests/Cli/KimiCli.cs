using System.Diagnostics;
using KimiEA.Testing;

namespace KimiEA.Smc.Tests.Cli;

/// <summary>
/// Runs the built <c>kimi</c> tool (src/KimiEA.Cli, same configuration as this test assembly) as a child process.
/// This test project has no project reference to the CLI, so the tool is run the way a user runs it; when the tool is
/// not built yet (a lone <c>dotnet test tests/KimiEA.Smc.Tests</c> on a fresh clone) it is built once first.
/// </summary>
internal static class KimiCli
{
    private static readonly Lazy<string> DllLazy = new(Locate);

    /// <summary>Result of one run.</summary>
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    /// <summary>Runs kimi with the arguments.</summary>
    public static Result Run(params string[] args)
    {
        var psi = Start(DllLazy.Value, args);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"kimi {string.Join(' ', args)} did not finish in 3 minutes");
        }

        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A fresh empty temporary folder.</summary>
    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "kimi-smc-tests", Path.GetRandomFileName());
        Directory.CreateDirectory(d);
        return d;
    }

    private static ProcessStartInfo Start(string dll, string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    private static string Locate()
    {
        // This assembly lives in tests/KimiEA.Smc.Tests/bin/<Configuration>/<tfm>/.
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var config = tfmDir.Parent!.Name;
        var dll = RepoPaths.Path("src", "KimiEA.Cli", "bin", config, tfmDir.Name, "kimi.dll");
        if (File.Exists(dll))
        {
            return dll;
        }

        var build = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "build", RepoPaths.Path("src", "KimiEA.Cli", "KimiEA.Cli.csproj"), "-c", config, "-nologo" })
        {
            build.ArgumentList.Add(a);
        }

        using var p = Process.Start(build)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0 || !File.Exists(dll))
        {
            throw new InvalidOperationException($"kimi is not built at {dll} and building it failed:\n{output.Result}\n{errors.Result}");
        }

        return dll;
    }
}
