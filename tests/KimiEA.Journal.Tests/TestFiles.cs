using System.Diagnostics;

namespace KimiEA.Journal.Tests;

/// <summary>A fresh temporary folder per test, removed afterwards (immutable flags set by a test are lifted first).</summary>
internal sealed class TempDir : IDisposable
{
    private readonly List<string> _immutable = [];

    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kimi-journal-tests", System.IO.Path.GetRandomFileName());
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Makes a file or folder read-only for this process. chmod alone does not stop root (the CI user here), so when
    /// a write still succeeds the immutable attribute is set with chattr. Fails loudly when neither works.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void MakeReadOnly(string path)
    {
        var isDir = Directory.Exists(path);
        System.IO.File.SetUnixFileMode(path, isDir
            ? UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            : UnixFileMode.UserRead | UnixFileMode.GroupRead);
        if (!IsWritable(path, isDir))
            return;
        using (var p = Process.Start(new ProcessStartInfo("chattr", ["+i", path]) { RedirectStandardError = true }))
        {
            p!.WaitForExit();
            if (p.ExitCode == 0)
                _immutable.Add(path);
        }
        if (IsWritable(path, isDir))
            throw new InvalidOperationException($"cannot make '{path}' read-only on this machine (chmod and chattr +i both failed)");
    }

    private static bool IsWritable(string path, bool isDir)
    {
        try
        {
            if (isDir)
            {
                var probe = System.IO.Path.Combine(path, "probe");
                System.IO.File.WriteAllText(probe, "x");
                System.IO.File.Delete(probe);
            }
            else
            {
                using var s = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            }
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        foreach (var p in _immutable)
            using (var proc = Process.Start("chattr", ["-i", p]))
                proc.WaitForExit();
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                foreach (var f in Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories))
                    System.IO.File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                System.IO.File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            Directory.Delete(Path, true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test that used it.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
