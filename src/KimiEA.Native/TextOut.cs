namespace KimiEA.Native;

/// <summary>Writes text into a caller-owned UTF-16 buffer: truncated to capacity−1, always NUL-terminated.</summary>
internal static unsafe class TextOut
{
    /// <returns>Characters written (without the NUL), or KIMI_E_INVALID_ARGUMENT for a null/empty buffer.</returns>
    public static int Write(ReadOnlySpan<char> text, char* buffer, int capacity)
    {
        if (buffer == null || capacity < 1)
        {
            return Core.Abi.AbiCodes.EInvalidArgument;
        }

        var n = Math.Min(text.Length, capacity - 1);
        text[..n].CopyTo(new Span<char>(buffer, n));
        buffer[n] = '\0';
        return n;
    }

    /// <summary>Reads an optional UTF-16 NUL-terminated string (null pointer → null).</summary>
    public static string? Read(char* s) => s == null ? null : new string(s);
}
