using System.Globalization;
using KimiEA.Core.Trading;
using Microsoft.Data.Sqlite;

namespace KimiEA.Journal;

/// <summary>
/// The account's append-only SQLite journal. <see cref="Append"/> is safe to call from any number of threads on
/// the tick path: it copies the event into a preallocated bounded queue, stamps it with the next sequence number
/// and returns; a writer thread commits batches of rows in WAL mode (<c>synchronous=FULL</c> for batches holding
/// order-lifecycle rows). Nothing here throws into the caller once the journal exists: every storage problem
/// (bad path, read-only, disk full, locked, corrupt, queue overflow) puts the journal in the failed state, with a
/// sentence saying why, and the engine must then stop opening trades. Open exactly one instance per file per process.
/// </summary>
public sealed class TradeJournal : IDisposable
{
    private readonly EventRing? _ring;
    private readonly JournalOptions _options;
    private readonly SqliteConnection? _connection;
    private readonly Thread? _writer;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly object _progressGate = new();
    private readonly string _queueFullReason;
    private readonly long _sequenceBase;
    private long _durableSequence;
    private long _writerIterations;
    private int _writerIdle;
    private volatile bool _stopping;
    private volatile bool _writerDead;
    private string? _failureReason;
    private volatile bool _haltRequested;
    private volatile string? _haltReason;
    private long _lastControlId;

    private TradeJournal(string path, JournalOptions options, string? failure)
    {
        Path = path;
        _options = options;
        _queueFullReason = $"journal '{path}': the append queue ({options.QueueCapacity} events) is full, the writer cannot keep up; events were lost.";
        if (failure is not null)
        {
            _failureReason = failure;
            _writerDead = true;
        }
    }

    private TradeJournal(string path, JournalOptions options, SqliteConnection connection, long sequenceBase)
        : this(path, options, null)
    {
        _connection = connection;
        _sequenceBase = sequenceBase;
        _durableSequence = sequenceBase;
        _ring = new EventRing(options.QueueCapacity);
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "KimiEA journal writer" };
        _writer.Start();
    }

    /// <summary>Full path of the journal file.</summary>
    public string Path { get; }

    /// <summary>
    /// Every row with a sequence number ≤ this value is committed to the file (rows of lifecycle kinds are also
    /// fsynced). Hand an order instruction out only when this has reached its intent's sequence.
    /// </summary>
    public long DurableSequence => Volatile.Read(ref _durableSequence);

    /// <summary>True once the journal failed; the engine must not open new trades. Sticky until disposed.</summary>
    public bool IsFailed => Volatile.Read(ref _failureReason) is not null;

    /// <summary>Why the journal failed (names the file and the cause), or null while healthy.</summary>
    public string? FailureReason => Volatile.Read(ref _failureReason);

    /// <summary>True while an external kill switch (<c>kimi halt</c>) is in force; seen by the writer within <see cref="JournalOptions.ControlPollMs"/>.</summary>
    public bool HaltRequested => _haltRequested;

    /// <summary>The reason given with the latest <c>kimi halt</c>, or null.</summary>
    public string? HaltReason => _haltReason;

    /// <summary>
    /// Opens (creating if needed) and migrates the journal at <paramref name="path"/> and starts its writer.
    /// Storage problems do not throw: the returned journal is then failed, with <see cref="FailureReason"/> set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (a programming error).</exception>
    public static TradeJournal Open(string path, JournalOptions? options = null)
    {
        options ??= new JournalOptions();
        options.Validate();
        if (string.IsNullOrWhiteSpace(path))
            return new TradeJournal(path ?? "", options, "journal path is empty: set the journal file in the EA inputs.");
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return new TradeJournal(path, options, $"journal path '{path}' is not a valid file path ({ex.Message}).");
        }
        if (Directory.Exists(full))
            return new TradeJournal(full, options, $"journal path '{full}' is a folder, not a file.");
        var dir = System.IO.Path.GetDirectoryName(full);
        if (dir is not null && !Directory.Exists(dir))
            return new TradeJournal(full, options, $"journal folder '{dir}' does not exist (journal '{full}').");

        SqliteConnection? connection = null;
        try
        {
            connection = new SqliteConnection(ConnectionString(full, SqliteOpenMode.ReadWriteCreate, options.BusyTimeoutMs));
            connection.Open();
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
                throw new JournalException($"journal '{full}': the file or its folder is read-only; the journal must be writable.");
            Execute(connection, $"PRAGMA busy_timeout = {options.BusyTimeoutMs.ToString(CultureInfo.InvariantCulture)}");
            var isNew = ScalarLong(connection, "SELECT COUNT(*) FROM sqlite_master") == 0;
            if (!isNew && options.CheckIntegrityOnOpen)
            {
                var check = ScalarText(connection, "PRAGMA quick_check(1)");
                if (!string.Equals(check, "ok", StringComparison.Ordinal))
                    throw new JournalException($"journal '{full}' is corrupt (integrity check: {check}); restore it from a backup or move it away.");
            }
            var mode = ScalarText(connection, "PRAGMA journal_mode = WAL");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new JournalException($"journal '{full}': could not switch to WAL mode (got '{mode}'); is the file or its folder read-only?");
            Execute(connection, "PRAGMA synchronous = FULL");
            if (options.MaxPageCount > 0)
                Execute(connection, $"PRAGMA max_page_count = {options.MaxPageCount.ToString(CultureInfo.InvariantCulture)}");
            JournalSchema.Migrate(connection);
            var seqBase = ScalarLong(connection, "SELECT COALESCE(MAX(seq), 0) FROM events");
            var journal = new TradeJournal(full, options, connection, seqBase);
            return journal;
        }
        catch (Exception ex) when (ex is SqliteException or JournalException or IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            var reason = ex is JournalException ? ex.Message : JournalErrors.Describe(full, ex);
            return new TradeJournal(full, options, reason);
        }
    }

    /// <summary>
    /// Queues <paramref name="e"/> for writing and returns its sequence number (≥ 1). Never blocks, never throws,
    /// allocates nothing. Returns 0 when the event was not accepted: the writer stopped (storage failure or
    /// disposed), the queue is full, or the kind is undefined. A queue overflow leaves the journal failed (the engine
    /// stops opening trades) but later rows are still recorded as far as possible.
    /// </summary>
    public long Append(in JournalEvent e)
    {
        if (_writerDead || _ring is null)
            return 0;
        if (!JournalEventKinds.IsDefined(e.Kind))
        {
            Fail("journal: an event with an undefined kind was appended (engine bug); refusing to trade unrecorded.");
            return 0;
        }
        if (!_ring.TryEnqueue(e, out var position))
        {
            Fail(_queueFullReason);
            return 0;
        }
        if (Volatile.Read(ref _writerIdle) == 1 && Interlocked.Exchange(ref _writerIdle, 0) == 1)
            _wake.Set();
        return _sequenceBase + position + 1;
    }

    /// <summary>
    /// Blocks until everything appended before the call is committed and the control table has been read once
    /// more (for shutdown and tests; never on the tick path). False when the journal failed or the timeout passed.
    /// </summary>
    public bool Flush(int timeoutMs = 30000)
    {
        if (_ring is null || _writer is null)
            return false;
        var target = _sequenceBase + _ring.ClaimedCount;
        long startIteration;
        lock (_progressGate)
            startIteration = _writerIterations;
        var deadline = timeoutMs;
        Interlocked.Exchange(ref _writerIdle, 0);
        _wake.Set();
        lock (_progressGate)
        {
            // Two completed writer iterations guarantee one began after this call (so it saw our rows and polled control).
            while ((DurableSequence < target || _writerIterations < startIteration + 2) && !_writerDead)
            {
                if (deadline <= 0)
                    return false;
                const int slice = 50;
                Monitor.Wait(_progressGate, slice);
                deadline -= slice;
                if (_writerIterations < startIteration + 2)
                    _wake.Set();
            }
        }
        return DurableSequence >= target && !IsFailed;
    }

    /// <summary>
    /// Reads this agent's state back from the file (flushing first): open intents, believed positions, breaker
    /// state, per-setup statistics and the halt flags. A failed journal returns an empty ledger, and the engine
    /// must not trade anyway.
    /// </summary>
    public RestoredAgent Restore(long magic, string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (_connection is null || !Flush())
            return new RestoredAgent(new AgentLedger(magic, symbol), HaltRequested, HaltReason, DurableSequence);
        try
        {
            using var reader = JournalReader.Open(Path);
            var restored = reader.RestoreAgent(magic, symbol);
            return restored;
        }
        catch (JournalException ex)
        {
            Fail(ex.Message);
            return new RestoredAgent(new AgentLedger(magic, symbol), HaltRequested, HaltReason, DurableSequence);
        }
    }

    /// <summary>Stops the writer after it has written what is queued, and closes the file.</summary>
    public void Dispose()
    {
        if (_writer is not null && !_stopping)
        {
            _stopping = true;
            _wake.Set();
            _writer.Join();
        }
        _connection?.Dispose();
        _wake.Dispose();
    }

    private void Fail(string reason)
    {
        Interlocked.CompareExchange(ref _failureReason, reason, null);
    }

    private void WriterLoop()
    {
        var connection = _connection!;
        var ring = _ring!;
        var batch = new JournalEvent[_options.MaxBatch];
        try
        {
            using var writer = new RawEventWriter(connection);
            using var control = connection.CreateCommand();
            control.CommandText = "SELECT id, action, reason FROM control ORDER BY id DESC LIMIT 1";
            while (true)
            {
                var n = 0;
                var lifecycle = false;
                long lastPosition = -1;
                while (n < batch.Length && ring.TryDequeue(out batch[n], out var position))
                {
                    lifecycle |= JournalEventKinds.IsLifecycle(batch[n].Kind);
                    lastPosition = position;
                    n++;
                }
                if (n > 0)
                {
                    var firstSeq = _sequenceBase + lastPosition + 2 - n;
                    writer.WriteBatch(batch, n, firstSeq, lifecycle);
                    Array.Clear(batch, 0, n);
                    Volatile.Write(ref _durableSequence, firstSeq + n - 1);
                }
                var controlId = writer.LatestControlId();
                if (controlId != _lastControlId)
                    PollControl(control);
                lock (_progressGate)
                {
                    _writerIterations++;
                    Monitor.PulseAll(_progressGate);
                }
                if (n == 0)
                {
                    if (_stopping && ring.IsDrained)
                        break;
                    Volatile.Write(ref _writerIdle, 1);
                    if (ring.IsDrained && !_stopping)
                        _wake.Wait(_options.ControlPollMs);
                    Volatile.Write(ref _writerIdle, 0);
                    _wake.Reset();
                }
            }
        }
#pragma warning disable CA1031 // An exception escaping a background thread kills the whole terminal: every failure must become the failed state.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(JournalErrors.Describe(Path, ex) + "; the engine must not open new trades.");
        }
        finally
        {
            _writerDead = true;
            lock (_progressGate)
                Monitor.PulseAll(_progressGate);
        }
    }

    private void PollControl(SqliteCommand control)
    {
        using var r = control.ExecuteReader();
        if (!r.Read())
            return;
        var id = r.GetInt64(0);
        if (id == _lastControlId)
            return;
        _lastControlId = id;
        _haltReason = r.IsDBNull(2) ? null : r.GetString(2);
        _haltRequested = string.Equals(r.GetString(1), "halt", StringComparison.Ordinal);
    }

    internal static string ConnectionString(string path, SqliteOpenMode mode, int busyTimeoutMs)
    {
        // Microsoft.Data.Sqlite finds the native provider by reflection, which NativeAOT trimming may remove; initialising
        // the bundled provider explicitly (idempotent) keeps the journal working inside the native library.
        SQLitePCL.Batteries_V2.Init();
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = Math.Max(1, busyTimeoutMs / 1000),
        }.ToString();
    }

    internal static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    internal static long ScalarLong(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    internal static string? ScalarText(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar() as string;
    }
}
