using Microsoft.Data.Sqlite;

namespace KimiEA.Journal;

/// <summary>
/// The versioned journal schema. <see cref="Migrations"/>[i] upgrades a file from version i to i + 1; each step
/// runs in its own transaction and records itself in <c>schema_version</c>, so an interrupted upgrade resumes.
/// Never edit a shipped step: add a new one.
/// </summary>
public static class JournalSchema
{
    /// <summary>The schema version this build writes.</summary>
    public const int CurrentVersion = 3;

    // v1: the append-only event table. Updates and deletes are refused by triggers: the journal is a log of facts.
    private const string V1 = """
        CREATE TABLE schema_version(version INTEGER PRIMARY KEY, description TEXT NOT NULL);
        CREATE TABLE events(
            seq INTEGER PRIMARY KEY,
            kind INTEGER NOT NULL,
            time INTEGER NOT NULL,
            magic INTEGER NOT NULL,
            symbol TEXT,
            intent_id INTEGER NOT NULL,
            ticket INTEGER NOT NULL,
            deal INTEGER NOT NULL,
            direction INTEGER NOT NULL,
            price REAL, volume REAL, sl REAL, tp REAL, confidence REAL, profit REAL, equity REAL,
            setup INTEGER NOT NULL,
            code INTEGER NOT NULL,
            exit_reason TEXT,
            mode TEXT,
            text TEXT,
            blob BLOB);
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
        """;

    // v2: pip size on rows (for the trades' pips), lookup indexes, the external kill-switch table and the trades view.
    // Duplicate fill/close rows of one deal are counted once (grouped by ticket and deal).
    private const string V2 = V2Tables + TradesViewV2;

    private const string V2Tables = """
        ALTER TABLE events ADD COLUMN pip_size REAL;
        CREATE INDEX events_agent ON events(magic, symbol, kind);
        CREATE INDEX events_ticket ON events(ticket) WHERE ticket <> 0;
        CREATE INDEX events_intent ON events(intent_id) WHERE intent_id <> 0;
        CREATE TABLE control(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time INTEGER NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('halt', 'resume')),
            reason TEXT);
        """;

    // the trades view as v2 created it (v3 re-creates it with the hit probability)
    private const string TradesViewV2 = """
        CREATE VIEW trades AS
        WITH fills AS (
            SELECT ticket, deal, MIN(seq) AS seq FROM events WHERE kind = 5 AND ticket <> 0 GROUP BY ticket, deal),
        fill_agg AS (
            SELECT fl.ticket AS ticket, MIN(fl.seq) AS first_seq, SUM(e.volume) AS lots
            FROM fills fl JOIN events e ON e.seq = fl.seq GROUP BY fl.ticket),
        closes AS (
            SELECT ticket, deal, MIN(seq) AS seq FROM events WHERE kind = 7 AND ticket <> 0 GROUP BY ticket, deal),
        close_agg AS (
            SELECT cl.ticket AS ticket, MAX(cl.seq) AS last_seq, SUM(e.profit) AS pnl, SUM(e.volume) AS closed_lots,
                   MIN(e.volume) AS min_lots
            FROM closes cl JOIN events e ON e.seq = cl.seq GROUP BY cl.ticket),
        t AS (
            SELECT fa.ticket AS ticket, fa.first_seq AS first_seq, fa.lots AS lots, ca.last_seq AS last_seq, ca.pnl AS pnl,
                   CASE WHEN ca.ticket IS NULL THEN 'open'
                        WHEN ca.min_lots = 0 OR ca.closed_lots >= fa.lots - 1e-9 THEN 'closed'
                        ELSE 'open' END AS status
            FROM fill_agg fa LEFT JOIN close_agg ca ON ca.ticket = fa.ticket)
        SELECT
            t.ticket AS ticket,
            COALESCE(i.mode, f.mode) AS execution_mode,
            'mt5' AS broker,
            f.symbol AS symbol,
            f.magic AS magic,
            f.intent_id AS intent_id,
            COALESCE(i.setup, 0) AS setup,
            CASE f.direction WHEN 1 THEN 'BUY' WHEN -1 THEN 'SELL' ELSE 'NONE' END AS direction,
            f.price AS entry_price,
            f.time AS entry_time,
            CASE WHEN t.status = 'closed' THEN c.price END AS exit_price,
            CASE WHEN t.status = 'closed' THEN c.time END AS exit_time,
            CASE WHEN t.status = 'closed' THEN c.exit_reason END AS exit_reason,
            t.lots AS lots,
            i.confidence AS confidence,
            COALESCE(m.sl, f.sl) AS sl,
            COALESCE(m.tp, f.tp) AS tp,
            CASE WHEN t.status = 'closed' AND f.pip_size > 0 AND c.price IS NOT NULL
                 THEN (c.price - f.price) * f.direction / f.pip_size END AS pips,
            t.pnl AS pnl,
            CASE WHEN t.status = 'closed' THEN (CASE WHEN t.pnl > 0 THEN 1 ELSE 0 END) END AS is_winner,
            t.status AS status
        FROM t
        JOIN events f ON f.seq = t.first_seq
        LEFT JOIN events c ON c.seq = t.last_seq
        LEFT JOIN events i ON i.seq = (SELECT MIN(x.seq) FROM events x WHERE x.kind = 2 AND x.intent_id = f.intent_id AND f.intent_id <> 0)
        LEFT JOIN events m ON m.seq = (SELECT MAX(x.seq) FROM events x WHERE x.kind = 6 AND x.ticket = t.ticket);
        """;

    // v3: the hit probability next to the confidence on signal and intent rows (the confidence is now the posterior
    // probability that the trade's expectancy is positive, docs/signal.md), and in the trades view. (Static fields
    // initialise in text order: the view comes first.)
    private static readonly string TradesViewV3 = TradesViewV2.Replace(
        "i.confidence AS confidence,", "i.confidence AS confidence,\n    i.hit_probability AS hit_probability,", StringComparison.Ordinal);

    private static readonly string V3 = "ALTER TABLE events ADD COLUMN hit_probability REAL;\nDROP VIEW trades;\n" + TradesViewV3;

    private static readonly string[] Migrations = [V1, V2, V3];
    private static readonly string[] Descriptions =
    [
        "append-only events",
        "pip_size, indexes, control table (kill switch), trades view",
        "hit_probability next to the confidence, in the trades view too",
    ];

    /// <summary>Reads the schema version of an open database: 0 for an empty file.</summary>
    /// <exception cref="JournalException">The file holds tables but is not a KimiEA journal.</exception>
    public static int ReadVersion(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'";
            if (Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0)
                throw new JournalException($"'{connection.DataSource}' is a SQLite database but not a KimiEA journal (no schema_version table).");
            return 0;
        }
        cmd.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return (int)Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Upgrades the database to <paramref name="targetVersion"/> (default: <see cref="CurrentVersion"/>) and returns the version it found.</summary>
    /// <exception cref="JournalException">The file is newer than this build, or not a journal.</exception>
    public static int Migrate(SqliteConnection connection, int targetVersion = CurrentVersion)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (targetVersion < 1 || targetVersion > CurrentVersion)
            throw new ArgumentOutOfRangeException(nameof(targetVersion), targetVersion, $"schema versions run from 1 to {CurrentVersion}.");
        var found = ReadVersion(connection);
        if (found > CurrentVersion)
            throw new JournalException($"journal '{connection.DataSource}' has schema version {found}, newer than this build's {CurrentVersion}; use a newer KimiEA.");
        for (var v = found; v < targetVersion; v++)
        {
            using var tx = connection.BeginTransaction();
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = Migrations[v];
            cmd.ExecuteNonQuery();
            cmd.CommandText = "INSERT INTO schema_version(version, description) VALUES ($v, $d)";
            cmd.Parameters.AddWithValue("$v", v + 1);
            cmd.Parameters.AddWithValue("$d", Descriptions[v]);
            cmd.ExecuteNonQuery();
            tx.Commit();
        }
        return found;
    }
}
