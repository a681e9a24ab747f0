using Microsoft.Data.Sqlite;

namespace KimiEA.Journal;

/// <summary>
/// The external kill switch: writes a control row into a journal from another process (<c>kimi halt</c> /
/// <c>kimi resume</c>). The journal's writer polls the control table and exposes <see cref="TradeJournal.HaltRequested"/>.
/// Control rows live in their own table so the engine's event sequence is never touched by a second writer.
/// </summary>
public static class JournalControl
{
    /// <summary>Requests a halt: every agent stops opening trades within one tick or timer event.</summary>
    /// <param name="path">The journal file (must exist).</param>
    /// <param name="reason">Shown to the trader (null: "halted from outside the terminal").</param>
    /// <param name="time">When (seconds since 1970; the command passes the machine's UTC clock).</param>
    /// <exception cref="JournalException">The file is missing, not a journal, read-only, locked or corrupt.</exception>
    public static void RequestHalt(string path, string? reason, long time) =>
        Write(path, "halt", string.IsNullOrWhiteSpace(reason) ? "halted from outside the terminal" : reason, time);

    /// <summary>Lifts an external halt.</summary>
    /// <exception cref="JournalException">The file is missing, not a journal, read-only, locked or corrupt.</exception>
    public static void RequestResume(string path, string? reason, long time) =>
        Write(path, "resume", reason, time);

    private static void Write(string path, string action, string? reason, long time)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new JournalException($"journal '{path}' does not exist; give the file the EA writes (--db).");
        try
        {
            using var c = new SqliteConnection(TradeJournal.ConnectionString(path, SqliteOpenMode.ReadWrite, 5000));
            c.Open();
            TradeJournal.Execute(c, "PRAGMA busy_timeout = 5000");
            if (JournalSchema.ReadVersion(c) == 0)
                throw new JournalException($"'{path}' is not a KimiEA journal (empty database).");
            JournalSchema.Migrate(c);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO control(time, action, reason) VALUES ($t, $a, $r)";
            cmd.Parameters.AddWithValue("$t", time);
            cmd.Parameters.AddWithValue("$a", action);
            cmd.Parameters.AddWithValue("$r", (object?)reason ?? DBNull.Value);
            cmd.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            throw new JournalException(JournalErrors.Describe(path, ex), ex);
        }
    }
}
