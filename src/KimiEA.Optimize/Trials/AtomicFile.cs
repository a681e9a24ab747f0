namespace KimiEA.Optimize.Trials;

/// <summary>
/// Writes a file so that readers see the old content or the whole new one, never a part: the bytes go to a temporary
/// file in the same folder, are flushed to disk, and the temporary file is renamed over the target. A process killed
/// mid-write leaves at most a *.tmp file that the next write replaces.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            f.Write(bytes);
            f.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Writes UTF-8 text (no BOM) atomically.</summary>
    public static void WriteText(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));
}
