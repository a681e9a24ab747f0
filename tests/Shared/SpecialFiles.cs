using System.Diagnostics;

namespace KimiEA.Testing;

/// <summary>Files a user may hand a command by mistake, made cheaply for tests (compiled into every test project from tests/Shared).</summary>
internal static class SpecialFiles
{
    /// <summary>Creates a named pipe (FIFO) with the system's mkfifo: opening it to read blocks until a writer comes.</summary>
    public static string Fifo(string dir, string name)
    {
        var path = System.IO.Path.Combine(dir, name);
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("mkfifo could not be started");
        p.WaitForExit();
        return p.ExitCode == 0 ? path : throw new InvalidOperationException($"mkfifo {path} exited with {p.ExitCode}");
    }

    /// <summary>Extends a file (created when missing) by <paramref name="bytes"/> zero bytes without writing them: a sparse file.</summary>
    public static string AppendZeros(string path, long bytes)
    {
        using var f = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write);
        f.SetLength(f.Length + bytes);
        return path;
    }
}
