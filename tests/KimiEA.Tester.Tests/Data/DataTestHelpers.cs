using KimiEA.Data;

namespace KimiEA.Tester.Tests.Data;

/// <summary>Small helpers shared by the data tests: independent UTC arithmetic and temporary files.</summary>
internal static class DataTestHelpers
{
    /// <summary>Seconds since 1970 of a UTC wall time, computed by the BCL (independent of KimiEA.Data's calendar code).</summary>
    public static long Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) =>
        new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero).ToUnixTimeSeconds();

    /// <summary>Milliseconds since 1970 of a UTC wall time.</summary>
    public static long UtcMs(int y, int mo, int d, int h, int mi, int s, int ms) =>
        new DateTimeOffset(y, mo, d, h, mi, s, ms, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static DataReadOptions Skip { get; } = new() { Policy = BadRowPolicy.Skip };
}

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kimi-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes a file with the given lines (LF line ends) and returns its path.</summary>
    public string Write(string name, params string[] lines)
    {
        var p = System.IO.Path.Combine(Path, name);
        File.WriteAllText(p, string.Join('\n', lines));
        return p;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A reader still closing on another thread must not fail the test run; the OS cleans temp.
        }
    }
}
