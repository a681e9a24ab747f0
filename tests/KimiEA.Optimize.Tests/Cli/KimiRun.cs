using System.Diagnostics;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Optimize.Tests.Cli;

/// <summary>Runs the published <c>artifacts/kimi</c> (./build.sh) to its end, or starts it to be killed.</summary>
internal static class KimiRun
{
    public static ProcessStartInfo Info(IEnumerable<string> args)
    {
        var launcher = RepoPaths.Path("artifacts", "kimi");
        Assert.True(File.Exists(launcher), $"{launcher} is missing: run ./build.sh (./test.sh does) first.");
        var psi = new ProcessStartInfo(launcher) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        psi.Environment["KIMI_NATIVE_LIB"] = RepoPaths.NativeLibrary;
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return psi;
    }

    /// <summary>Runs kimi and returns its exit code and output.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var p = Process.Start(Info(args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), $"kimi {string.Join(' ', args)} did not finish in 3 minutes");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
