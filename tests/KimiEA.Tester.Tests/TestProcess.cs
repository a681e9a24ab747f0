using System.Diagnostics;

namespace KimiEA.Tester.Tests;

/// <summary>Runs a child process to its end (the kimi CLI, headless Chromium) and collects its exit code and output.</summary>
internal static class TestProcess
{
    public static async Task<(int Code, string Out, string Err)> Run(ProcessStartInfo psi, TimeSpan limit)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        using var p = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(limit);
        var err = p.StandardError.ReadToEndAsync(timeout.Token);
        var output = await p.StandardOutput.ReadToEndAsync(timeout.Token);
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, output, await err);
    }
}
