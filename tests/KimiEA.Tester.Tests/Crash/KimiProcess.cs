using System.Diagnostics;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Tester.Tests.Crash;

/// <summary>
/// The published <c>artifacts/kimi</c> (./build.sh) running in its own process, as a user or a terminal host runs it:
/// its output is collected line by line while it runs, and it can be killed with SIGKILL at any moment.
/// </summary>
internal sealed class KimiProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _out = [];
    private readonly List<string> _err = [];

    private KimiProcess(Process process)
    {
        _process = process;
    }

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Exit code (after the end; 137 after SIGKILL).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_out)
            {
                return [.. _out];
            }
        }
    }

    /// <summary>Standard error so far.</summary>
    public string Error
    {
        get
        {
            lock (_err)
            {
                return string.Join('\n', _err);
            }
        }
    }

    /// <summary>The launcher; a missing build is a failure that says what to do, as in the other end-to-end tests.</summary>
    public static string Launcher
    {
        get
        {
            var launcher = RepoPaths.Path("artifacts", "kimi");
            Assert.True(File.Exists(launcher), $"{launcher} is missing: run ./build.sh (./test.sh does) first.");
            return launcher;
        }
    }

    /// <summary>Starts <c>kimi</c> with <paramref name="args"/> from the repository root.</summary>
    public static KimiProcess Start(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(Launcher)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root,
        };
        psi.Environment["KIMI_NATIVE_LIB"] = RepoPaths.NativeLibrary;
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var p = new Process { StartInfo = psi };
        var k = new KimiProcess(p);
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (k._out)
            {
                k._out.Add(e.Data);
            }
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (k._err)
                {
                    k._err.Add(e.Data);
                }
            }
        };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return k;
    }

    /// <summary>SIGKILL (Process.Kill sends it on Linux): no handler, no flush, no finally block runs.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It ended on its own in the meantime.
        }

        WaitForExit(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for the end and for the output to be read completely.</summary>
    public void WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            throw new TimeoutException($"kimi did not end within {timeout.TotalSeconds} s.\n{Error}");
        }

        _process.WaitForExit(); // drains the asynchronous output readers
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
