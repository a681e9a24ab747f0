using Microsoft.Data.Sqlite;

namespace KimiEA.Journal;

/// <summary>Turns storage exceptions into one human-readable sentence naming the file and the cause.</summary>
internal static class JournalErrors
{
    // Primary SQLite result codes (https://www.sqlite.org/rescode.html).
    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteNoMem = 7, SqliteReadOnly = 8, SqliteIoErr = 10,
        SqliteCorrupt = 11, SqliteFull = 13, SqliteCantOpen = 14, SqliteConstraint = 19, SqliteNotADb = 26;

    public static string Describe(string path, Exception ex) => ex switch
    {
        SqliteException s => $"journal '{path}': {Cause(s.SqliteErrorCode)} (SQLite error {s.SqliteErrorCode}: {s.Message})",
        UnauthorizedAccessException => $"journal '{path}': access denied ({ex.Message})",
        IOException => $"journal '{path}': I/O error ({ex.Message})",
        _ => $"journal '{path}': {ex.GetType().Name}: {ex.Message}",
    };

    private static string Cause(int code) => (code & 0xFF) switch
    {
        SqliteFull => "disk full (or the file reached its size cap)",
        SqliteBusy or SqliteLocked => "locked by another connection or process",
        SqliteReadOnly => "the file or its folder is read-only",
        SqliteCorrupt or SqliteNotADb => "the file is corrupt or not a SQLite database",
        SqliteCantOpen => "cannot open or create the file (read-only folder, no permission or bad path)",
        SqliteIoErr => "disk I/O error",
        SqliteNoMem => "out of memory",
        SqliteConstraint => "a row conflicts with the journal (is another process writing the same journal?)",
        _ => "storage error",
    };
}
