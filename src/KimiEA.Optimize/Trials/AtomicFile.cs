namespace KimiEA.Optimize.Trials;

/// <summary>
/// Writes a file so that readers see the old content or the whole new one, never a part: the bytes go to a temporary
/// file in the same folder, which is renamed over the target. A process killed mid-write leaves at most a *.tmp file
/// that the next write replaces. <c>durable</c> also flushes the bytes to the disk before the rename (surviving a power
/// cut, at a few milliseconds a file): the outputs are written so; a pass's trial file is not, since a lost trial is
/// recomputed by the resume.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically (and durably unless <paramref name="durable"/> is false).</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool durable = true)
    {
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            f.Write(bytes);
            f.Flush(flushToDisk: durable);
        }

        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Writes UTF-8 text (no BOM) atomically.</summary>
    public static void WriteText(string path, string text) => Write(path, System.Text.Encoding.UTF8.GetBytes(text));
}
