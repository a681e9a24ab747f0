using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace KimiEA.Journal;

/// <summary>
/// The writer thread's statements, prepared once and driven through SQLitePCLRaw directly: binding values with
/// the typed <c>sqlite3_bind_*</c> calls avoids boxing every column of every row (the ADO.NET parameter API takes
/// <see cref="object"/>), so the writer neither allocates per row nor pays for it in throughput.
/// Only the writer thread touches it.
/// </summary>
internal sealed class RawEventWriter : IDisposable
{
    private const int SqliteRow = 100, SqliteDone = 101;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert, _begin, _commit, _rollback, _syncFull, _syncNormal, _controlId;
    private bool? _fullSync;

    public RawEventWriter(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the journal connection is not open");
        _insert = Prepare("""
            INSERT INTO events(seq, kind, time, magic, symbol, intent_id, ticket, deal, direction, price, volume, sl, tp,
                               confidence, profit, equity, setup, code, exit_reason, mode, text, blob, pip_size, hit_probability)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)
            """);
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _syncFull = Prepare("PRAGMA synchronous = FULL");
        _syncNormal = Prepare("PRAGMA synchronous = NORMAL");
        _controlId = Prepare("SELECT COALESCE(MAX(id), 0) FROM control");
    }

    /// <summary>Commits rows <paramref name="rows"/>[0..n) with sequences from <paramref name="firstSeq"/> in one transaction.</summary>
    public void WriteBatch(JournalEvent[] rows, int n, long firstSeq, bool fullSync)
    {
        if (_fullSync != fullSync)
        {
            Run(fullSync ? _syncFull : _syncNormal);
            _fullSync = fullSync;
        }
        Run(_begin);
        try
        {
            for (var i = 0; i < n; i++)
                Insert(firstSeq + i, rows[i]);
            Run(_commit);
        }
        catch
        {
            // Best effort: the failure that brought us here is what gets reported.
            raw.sqlite3_step(_rollback);
            raw.sqlite3_reset(_rollback);
            throw;
        }
    }

    /// <summary>Highest control row id (0 when none): cheap enough to ask on every writer iteration.</summary>
    public long LatestControlId()
    {
        var rc = raw.sqlite3_step(_controlId);
        try
        {
            if (rc != SqliteRow)
                throw Error(rc);
            return raw.sqlite3_column_int64(_controlId, 0);
        }
        finally
        {
            raw.sqlite3_reset(_controlId);
        }
    }

    private void Insert(long seq, in JournalEvent e)
    {
        var s = _insert;
        raw.sqlite3_bind_int64(s, 1, seq);
        raw.sqlite3_bind_int(s, 2, (int)e.Kind);
        raw.sqlite3_bind_int64(s, 3, e.Time);
        raw.sqlite3_bind_int64(s, 4, e.Magic);
        Text(5, e.Symbol);
        raw.sqlite3_bind_int64(s, 6, e.IntentId);
        raw.sqlite3_bind_int64(s, 7, e.Ticket);
        raw.sqlite3_bind_int64(s, 8, e.Deal);
        raw.sqlite3_bind_int(s, 9, (int)e.Direction);
        Real(10, e.Price);
        Real(11, e.Volume);
        Real(12, e.StopLoss);
        Real(13, e.TakeProfit);
        Real(14, e.Confidence);
        Real(15, e.Profit);
        Real(16, e.Equity);
        raw.sqlite3_bind_int(s, 17, e.SetupId);
        raw.sqlite3_bind_int(s, 18, e.Code);
        Text(19, e.Kind == JournalEventKind.Close ? Core.Trading.ExitReasonNames.ToCode(e.ExitReason) : null);
        Text(20, e.Mode);
        Text(21, e.Text);
        if (e.Blob is null)
            raw.sqlite3_bind_null(s, 22);
        else
            raw.sqlite3_bind_blob(s, 22, e.Blob);
        Real(23, e.PipSize);
        Real(24, e.HitProbability);
        Run(s);
    }

    private void Text(int index, string? value)
    {
        if (value is null)
            raw.sqlite3_bind_null(_insert, index);
        else
            raw.sqlite3_bind_text16(_insert, index, value.AsSpan());
    }

    // SQLite has no NaN: an unknown value (NaN) is stored as NULL and read back as NaN.
    private void Real(int index, double value)
    {
        if (double.IsFinite(value))
            raw.sqlite3_bind_double(_insert, index, value);
        else
            raw.sqlite3_bind_null(_insert, index);
    }

    private void Run(sqlite3_stmt stmt)
    {
        var rc = raw.sqlite3_step(stmt);
        if (rc is SqliteDone or SqliteRow)
        {
            raw.sqlite3_reset(stmt);
            return;
        }
        var error = Error(rc);
        raw.sqlite3_reset(stmt);
        throw error;
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var stmt);
        if (rc != 0)
            throw Error(rc);
        return stmt;
    }

    private SqliteException Error(int rc) =>
        new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));

    public void Dispose()
    {
        _insert.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        _syncFull.Dispose();
        _syncNormal.Dispose();
        _controlId.Dispose();
    }
}
