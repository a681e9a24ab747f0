namespace KimiEA.Journal;

/// <summary>A journal file could not be read or written; the message names the file and the cause.</summary>
public sealed class JournalException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JournalException() { }

    /// <summary>Creates the exception with a message.</summary>
    public JournalException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public JournalException(string message, Exception innerException) : base(message, innerException) { }
}
