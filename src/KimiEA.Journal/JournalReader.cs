using System.Globalization;
using KimiEA.Core.Trading;
using Microsoft.Data.Sqlite;

namespace KimiEA.Journal;

/// <summary>A journal row read back, with its sequence number.</summary>
/// <param name="Sequence">The row's sequence number.</param>
/// <param name="Event">The row.</param>
public readonly record struct JournalRecord(long Sequence, JournalEvent Event);

/// <summary>One row of the <c>trades</c> view.</summary>
/// <param name="Ticket">Position ticket.</param>
/// <param name="ExecutionMode">Execution mode of the intent (or of the fill for adopted positions).</param>
/// <param name="Broker">Always "mt5".</param>
/// <param name="Symbol">Symbol.</param>
/// <param name="Magic">Magic number.</param>
/// <param name="IntentId">Intent id (0 for an adopted position).</param>
/// <param name="SetupId">Setup id (0 when unknown).</param>
/// <param name="Direction">BUY or SELL.</param>
/// <param name="EntryPrice">Entry price.</param>
/// <param name="EntryTime">Entry time.</param>
/// <param name="ExitPrice">Exit price (null while open or unknown).</param>
/// <param name="ExitTime">Exit time (null while open).</param>
/// <param name="ExitReason">TP, SL, TIMEOUT, BREAKER, EMERGENCY, MANUAL, RECONCILED (null while open).</param>
/// <param name="Lots">Volume in lots.</param>
/// <param name="Confidence">Confidence of the intent: probability that its expectancy was positive (null for adopted positions).</param>
/// <param name="StopLoss">Latest SL.</param>
/// <param name="TakeProfit">Latest TP.</param>
/// <param name="Pips">Signed pips won (null while open or without pip size).</param>
/// <param name="Pnl">P&amp;L in account currency (null while open).</param>
/// <param name="IsWinner">P&amp;L &gt; 0 (null while open).</param>
/// <param name="Status">open or closed.</param>
/// <param name="HitProbability">Hit probability of the intent Kelly sized with (null for adopted positions and journals before v3).</param>
public sealed record TradeRow(long Ticket, string? ExecutionMode, string Broker, string? Symbol, long Magic, long IntentId,
    int SetupId, string Direction, double EntryPrice, long EntryTime, double? ExitPrice, long? ExitTime, string? ExitReason,
    double Lots, double? Confidence, double? StopLoss, double? TakeProfit, double? Pips, double? Pnl, bool? IsWinner, string Status, double? HitProbability = null);

/// <summary>Summary shown by <c>kimi journal status</c>.</summary>
/// <param name="Path">The file.</param>
/// <param name="SchemaVersion">Schema version of the file.</param>
/// <param name="Events">Number of rows.</param>
/// <param name="LastSequence">Highest sequence number.</param>
/// <param name="LastEventTime">Time of the highest-sequence row (null when empty).</param>
/// <param name="OpenTrades">Trades with status open.</param>
/// <param name="ClosedTrades">Trades with status closed.</param>
/// <param name="TotalPnl">Sum of closed trades' P&amp;L.</param>
/// <param name="HaltRequested">The external kill switch is in force.</param>
/// <param name="HaltReason">Its reason.</param>
/// <param name="CountsByKind">Rows per kind.</param>
public sealed record JournalStatus(string Path, int SchemaVersion, long Events, long LastSequence, long? LastEventTime,
    long OpenTrades, long ClosedTrades, double TotalPnl, bool HaltRequested, string? HaltReason,
    IReadOnlyList<KeyValuePair<JournalEventKind, long>> CountsByKind);

/// <summary>
/// Read-only access to a journal file. Uses its own read-only connection, so it works while another process is
/// writing (WAL readers see the last committed state). Errors throw <see cref="JournalException"/> naming the file.
/// </summary>
public sealed class JournalReader : IDisposable
{
    private readonly SqliteConnection _connection;

    private JournalReader(string path, SqliteConnection connection, int schemaVersion)
    {
        Path = path;
        _connection = connection;
        SchemaVersion = schemaVersion;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Schema version of the file.</summary>
    public int SchemaVersion { get; }

    /// <summary>Opens <paramref name="path"/> read-only.</summary>
    /// <exception cref="JournalException">Missing file, not a journal, corrupt, or a schema this build cannot read.</exception>
    public static JournalReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new JournalException($"journal '{path}' does not exist.");
        var connection = new SqliteConnection(TradeJournal.ConnectionString(path, SqliteOpenMode.ReadOnly, 5000));
        try
        {
            connection.Open();
            TradeJournal.Execute(connection, "PRAGMA busy_timeout = 5000");
            var version = JournalSchema.ReadVersion(connection);
            if (version == 0)
                throw new JournalException($"journal '{path}' is empty (no schema); it was never opened by KimiEA.");
            if (version > JournalSchema.CurrentVersion)
                throw new JournalException($"journal '{path}' has schema version {version}, newer than this build's {JournalSchema.CurrentVersion}.");
            if (version < JournalSchema.CurrentVersion)
                throw new JournalException($"journal '{path}' has schema version {version}; open it once with the engine (or kimi halt/resume) to migrate it to {JournalSchema.CurrentVersion}.");
            return new JournalReader(path, connection, version);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new JournalException(JournalErrors.Describe(path, ex), ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The latest event time in the journal at <paramref name="path"/> (the caller's clock, as written), or null when
    /// the file does not exist, has no schema yet (a process killed while creating it) or holds no timed event. A
    /// restarted run continues after it: everything the journal recorded happened at or before that time.
    /// </summary>
    /// <exception cref="JournalException">The file is not a journal, is corrupt, or has a schema this build cannot read.</exception>
    public static long? LastEventTime(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
            return null;
        using (var probe = new SqliteConnection(TradeJournal.ConnectionString(path, SqliteOpenMode.ReadOnly, 5000)))
        {
            try
            {
                probe.Open();
                if (JournalSchema.ReadVersion(probe) == 0)
                    return null;
            }
            catch (SqliteException ex)
            {
                throw new JournalException(JournalErrors.Describe(path, ex), ex);
            }
        }
        using var reader = Open(path);
        return reader.Guard(() =>
        {
            using var cmd = reader._connection.CreateCommand();
            cmd.CommandText = "SELECT MAX(time) FROM events WHERE time > 0";
            return cmd.ExecuteScalar() is long t ? t : (long?)null;
        });
    }

    /// <summary>Rows with a sequence above <paramref name="afterSequence"/>, in order.</summary>
    public IReadOnlyList<JournalRecord> ReadEvents(long afterSequence = 0) =>
        Query("SELECT " + Columns + " FROM events WHERE seq > $after ORDER BY seq", c => c.Parameters.AddWithValue("$after", afterSequence));

    /// <summary>Every row of the <c>trades</c> view, by entry time then ticket.</summary>
    public IReadOnlyList<TradeRow> ReadTrades()
    {
        return Guard(() =>
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = """
                SELECT ticket, execution_mode, broker, symbol, magic, intent_id, setup, direction, entry_price, entry_time,
                       exit_price, exit_time, exit_reason, lots, confidence, sl, tp, pips, pnl, is_winner, status, hit_probability
                FROM trades ORDER BY entry_time, ticket
                """;
            using var r = cmd.ExecuteReader();
            var rows = new List<TradeRow>();
            while (r.Read())
            {
                rows.Add(new TradeRow(r.GetInt64(0), Text(r, 1), r.GetString(2), Text(r, 3), r.GetInt64(4), r.GetInt64(5),
                    r.GetInt32(6), r.GetString(7), Real(r, 8), r.GetInt64(9), NullableReal(r, 10),
                    r.IsDBNull(11) ? null : r.GetInt64(11), Text(r, 12), Real(r, 13), NullableReal(r, 14), NullableReal(r, 15),
                    NullableReal(r, 16), NullableReal(r, 17), NullableReal(r, 18), r.IsDBNull(19) ? null : r.GetInt64(19) == 1,
                    r.GetString(20), NullableReal(r, 21)));
            }
            return (IReadOnlyList<TradeRow>)rows;
        });
    }

    /// <summary>The latest control row: whether <c>kimi halt</c> is in force, and its reason.</summary>
    public (bool HaltRequested, string? Reason) ReadControl() => Guard(() =>
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT action, reason FROM control ORDER BY id DESC LIMIT 1";
        using var r = cmd.ExecuteReader();
        return r.Read() ? (string.Equals(r.GetString(0), "halt", StringComparison.Ordinal), Text(r, 1)) : (false, (string?)null);
    });

    /// <summary>Summary of the file.</summary>
    public JournalStatus ReadStatus() => Guard(() =>
    {
        var events = TradeJournal.ScalarLong(_connection, "SELECT COUNT(*) FROM events");
        var last = TradeJournal.ScalarLong(_connection, "SELECT COALESCE(MAX(seq), 0) FROM events");
        long? lastTime = last == 0 ? null : TradeJournal.ScalarLong(_connection, "SELECT time FROM events ORDER BY seq DESC LIMIT 1");
        var open = TradeJournal.ScalarLong(_connection, "SELECT COUNT(*) FROM trades WHERE status = 'open'");
        var closed = TradeJournal.ScalarLong(_connection, "SELECT COUNT(*) FROM trades WHERE status = 'closed'");
        double pnl;
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "SELECT COALESCE(SUM(pnl), 0.0) FROM trades WHERE status = 'closed'";
            pnl = Convert.ToDouble(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        var counts = new List<KeyValuePair<JournalEventKind, long>>();
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "SELECT kind, COUNT(*) FROM events GROUP BY kind ORDER BY kind";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                counts.Add(new((JournalEventKind)r.GetInt32(0), r.GetInt64(1)));
        }
        var (halt, reason) = ReadControl();
        return new JournalStatus(Path, SchemaVersion, events, last, lastTime, open, closed, pnl, halt, reason, counts);
    });

    /// <summary>Folds the agent's rows (and the account-wide rows) into an <see cref="AgentLedger"/>.</summary>
    public RestoredAgent RestoreAgent(long magic, string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        var ledger = new AgentLedger(magic, symbol);
        var rows = Query("SELECT " + Columns + " FROM events WHERE (magic = $m AND symbol = $s) OR kind IN (9, 11, 12, 13) OR (kind = 10 AND magic = 0) ORDER BY seq",
            c =>
            {
                c.Parameters.AddWithValue("$m", magic);
                c.Parameters.AddWithValue("$s", symbol);
            });
        foreach (var row in rows)
            ledger.Apply(row.Event);
        var (halt, reason) = ReadControl();
        var last = Guard(() => TradeJournal.ScalarLong(_connection, "SELECT COALESCE(MAX(seq), 0) FROM events"));
        return new RestoredAgent(ledger, halt, reason, last);
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _connection.Dispose();

    private const string Columns =
        "seq, kind, time, magic, symbol, intent_id, ticket, deal, direction, price, volume, sl, tp, confidence, profit, equity, setup, code, exit_reason, mode, text, blob, pip_size, hit_probability";

    private List<JournalRecord> Query(string sql, Action<SqliteCommand> bind) => Guard(() =>
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        bind(cmd);
        using var r = cmd.ExecuteReader();
        var list = new List<JournalRecord>();
        while (r.Read())
        {
            var e = new JournalEvent
            {
                Kind = (JournalEventKind)r.GetInt32(1), Time = r.GetInt64(2), Magic = r.GetInt64(3), Symbol = Text(r, 4),
                IntentId = r.GetInt64(5), Ticket = r.GetInt64(6), Deal = r.GetInt64(7), Direction = (Direction)r.GetInt32(8),
                Price = Real(r, 9), Volume = Real(r, 10), StopLoss = Real(r, 11), TakeProfit = Real(r, 12),
                Confidence = Real(r, 13), Profit = Real(r, 14), Equity = Real(r, 15), SetupId = r.GetInt32(16), Code = r.GetInt32(17),
                ExitReason = r.IsDBNull(18) ? ExitReason.None : ExitReasonNames.Parse(r.GetString(18)),
                Mode = Text(r, 19), Text = Text(r, 20), Blob = r.IsDBNull(21) ? null : (byte[])r.GetValue(21), PipSize = Real(r, 22), HitProbability = Real(r, 23),
            };
            list.Add(new JournalRecord(r.GetInt64(0), e));
        }
        return list;
    });

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (SqliteException ex)
        {
            throw new JournalException(JournalErrors.Describe(Path, ex), ex);
        }
        catch (FormatException ex)
        {
            throw new JournalException($"journal '{Path}': unreadable row ({ex.Message})", ex);
        }
    }

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static double Real(SqliteDataReader r, int i) => r.IsDBNull(i) ? double.NaN : r.GetDouble(i);
    private static double? NullableReal(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
}
