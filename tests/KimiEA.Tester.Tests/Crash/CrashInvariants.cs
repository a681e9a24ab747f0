using System.Globalization;
using KimiEA.Core.Abi;
using KimiEA.Tester.Server;
using Microsoft.Data.Sqlite;

namespace KimiEA.Tester.Tests.Crash;

/// <summary>What the engine journal durably held when a run was killed (read after the kill, before the restart).</summary>
/// <param name="LastSequence">Highest row sequence (0 for no journal yet).</param>
/// <param name="LastTimeMsc">Latest event time (0 when none).</param>
/// <param name="BreakerCode">KIMI_BREAKER_* of the latest breaker row (Active when there is none).</param>
/// <param name="DayStartEquity">Its day-start equity (0 when there is none: the breaker has seen no equity).</param>
/// <param name="Problems">Violations found in the durable state itself.</param>
internal sealed record JournalSnapshot(long LastSequence, long LastTimeMsc, long BreakerCode, double DayStartEquity, IReadOnlyList<string> Problems);

/// <summary>
/// The crash-safety invariants of issue #5, checked on the files a killed-and-restarted run leaves: the engine journal
/// (SQLite) and the broker's durable state (<see cref="BrokerJournalFile"/>). Each check states the property, never
/// a number the code under test produced: expected values come from the other file (broker vs journal) or from the
/// state before the restart.
/// </summary>
internal static class CrashInvariants
{
    private const long MsPerDay = 86_400_000;

    private static SqliteConnection Open(string journal)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = journal, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        return c;
    }

    private static List<T> Rows<T>(SqliteConnection c, string sql, Func<SqliteDataReader, T> read)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read())
        {
            list.Add(read(r));
        }

        return list;
    }

    /// <summary>
    /// Reads the journal after a kill. Also checks that the durable breaker state is the current day's: the latest
    /// breaker row before the latest signal row (the engine handles a bar's signal only after the tick that rolled the
    /// trading day, so that row is the state the engine traded with) must be of that signal's trading day — else a
    /// restart would not know the day's starting equity.
    /// </summary>
    public static JournalSnapshot Snapshot(string journal)
    {
        if (!File.Exists(journal))
        {
            return new JournalSnapshot(0, 0, AbiCodes.BreakerActive, 0, []);
        }

        using var c = Open(journal);
        if (Rows(c, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'events'", r => r.GetString(0)).Count == 0)
        {
            return new JournalSnapshot(0, 0, AbiCodes.BreakerActive, 0, []); // killed before the schema was committed
        }

        var last = Rows(c, "SELECT COALESCE(MAX(seq), 0), COALESCE(MAX(time), 0) FROM events", r => (Seq: r.GetInt64(0), Time: r.GetInt64(1)))[0];
        var breaker = Rows(c, "SELECT code, equity FROM events WHERE kind = 9 ORDER BY seq DESC LIMIT 1", r => (Code: r.GetInt64(0), ReferenceEquity: r.GetDouble(1)));
        var problems = new List<string>();
        var signal = Rows(c, "SELECT seq, time FROM events WHERE kind = 1 ORDER BY seq DESC LIMIT 1", r => (Seq: r.GetInt64(0), Time: r.GetInt64(1)));
        if (signal.Count == 1)
        {
            // a breaker row records its trading day in the volume column (JournalEvent.BreakerRecord)
            var before = Rows(c, $"SELECT volume FROM events WHERE kind = 9 AND seq < {signal[0].Seq} ORDER BY seq DESC LIMIT 1", r => (long)r.GetDouble(0));
            var signalDay = signal[0].Time / MsPerDay;
            var breakerDay = before.Count == 1 ? before[0] : (long?)null;
            if (breakerDay != signalDay)
            {
                problems.Add($"the latest signal (row {signal[0].Seq}) is of trading day {signalDay}, but the latest durable breaker state before it is of day {breakerDay?.ToString(CultureInfo.InvariantCulture) ?? "none"}: a restart would not know that day's starting equity");
            }
        }

        return breaker.Count == 0
            ? new JournalSnapshot(last.Seq, last.Time, AbiCodes.BreakerActive, 0, problems)
            : new JournalSnapshot(last.Seq, last.Time, breaker[0].Code, breaker[0].ReferenceEquity, problems);
    }

    /// <summary>
    /// Checks the start lines a restarted run printed ("start EURUSD: breaker=... breaker_code=N day_start_equity=X
    /// open_positions=n ...") against the journal's state before the restart: the breaker comes back as it was — same
    /// day-start equity, same state. One step is allowed, because it is the breaker's own rule and the killed engine
    /// may have taken it without its row reaching the disk: tripped with positions open (reducing only) becomes halted
    /// when the broker's history shows those positions closed, so an agent then starts halted and flat.
    /// </summary>
    public static IEnumerable<string> BreakerAfterRestart(int restart, JournalSnapshot before, IReadOnlyList<string> output)
    {
        var starts = output.Where(l => l.StartsWith("start ", StringComparison.Ordinal)).ToList();
        if (starts.Count == 0)
        {
            yield break; // killed before its agents started: nothing was restored yet
        }

        foreach (var line in starts)
        {
            var fields = line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
            var code = long.Parse(fields["breaker_code"], CultureInfo.InvariantCulture);
            var equity = double.Parse(fields["day_start_equity"], CultureInfo.InvariantCulture);
            var flattened = before.BreakerCode == AbiCodes.BreakerReducingOnly && code == AbiCodes.BreakerHalted && fields["open_positions"] == "0";
            if ((code != before.BreakerCode && !flattened) || equity != before.DayStartEquity)
            {
                yield return $"restart {restart}: '{line}', but before the restart the journal's breaker was code {before.BreakerCode} with day-start equity {before.DayStartEquity.ToString("R", CultureInfo.InvariantCulture)}";
            }
        }
    }

    /// <summary>
    /// Rows a restarted run wrote must not decide about moments the killed run had already recorded: every intent row
    /// after <paramref name="before"/>'s last sequence is later than everything durable before the restart.
    /// </summary>
    public static IEnumerable<string> NoIntentForThePast(int restart, string journal, JournalSnapshot before, long brokerLastTimeMsc)
    {
        if (before.LastSequence == 0 || !File.Exists(journal))
        {
            yield break;
        }

        using var c = Open(journal);
        var horizon = Math.Max(before.LastTimeMsc, brokerLastTimeMsc);
        foreach (var (id, time) in Rows(c, $"SELECT intent_id, time FROM events WHERE kind = 2 AND seq > {before.LastSequence}", r => (r.GetInt64(0), r.GetInt64(1))))
        {
            if (time <= horizon)
            {
                yield return $"restart {restart}: intent {id} at {time} ms was decided after the restart for a moment at or before {horizon} ms, which the killed run had already recorded";
            }
        }
    }

    /// <summary>The invariants on the final files.</summary>
    public static List<string> Check(string journal, string brokerState)
    {
        var problems = new List<string>();
        using var c = Open(journal);
        var integrity = Rows(c, "PRAGMA integrity_check", r => r.GetString(0));
        if (integrity is not ["ok"])
        {
            problems.Add($"PRAGMA integrity_check: {string.Join("; ", integrity)}");
        }

        var broker = BrokerJournalFile.Replay(brokerState);
        var fills = Rows(c, "SELECT ticket, intent_id FROM events WHERE kind = 5 AND ticket <> 0", r => (Ticket: r.GetInt64(0), Intent: r.GetInt64(1)));
        var filledTickets = fills.Select(f => f.Ticket).ToHashSet();
        var closingDeals = Rows(c, "SELECT deal FROM events WHERE kind = 7 AND deal <> 0", r => r.GetInt64(0)).ToHashSet();
        var trades = Rows(c, "SELECT ticket, status, pnl, exit_price FROM trades", r => (Ticket: r.GetInt64(0), Status: r.GetString(1),
            Pnl: r.IsDBNull(2) ? (double?)null : r.GetDouble(2), ExitPrice: r.IsDBNull(3) ? (double?)null : r.GetDouble(3))).ToDictionary(t => t.Ticket);
        var abandoned = Rows(c, $"SELECT intent_id FROM events WHERE kind = 14 AND code = 6", r => r.GetInt64(0)).ToHashSet();

        // 1. Every broker deal is in the journal: an opening deal as the fill of its position, a closing deal by its ticket.
        foreach (var d in broker.Deals)
        {
            if (d.Entry == AbiCodes.DealEntryIn ? !filledTickets.Contains(d.PositionTicket) : !closingDeals.Contains(d.Ticket))
            {
                problems.Add($"broker deal {d.Ticket} ({(d.Entry == AbiCodes.DealEntryIn ? "in" : "out")}, position {d.PositionTicket}, {d.TimeMsc} ms) is not in the journal");
            }
        }

        // 2. No intent produced more than one position, at the broker or in the journal, and each position is journaled
        //    under the intent whose order opened it (the comment kimi:<id> the broker kept); an intent the journal
        //    abandoned as never filled has no position at the broker.
        foreach (var g in broker.PositionInstructions.Where(kv => kv.Value != 0).GroupBy(kv => kv.Value).Where(g => g.Count() > 1))
        {
            problems.Add($"intent {g.Key} produced {g.Count()} positions at the broker: {string.Join(", ", g.Select(kv => kv.Key))}");
        }

        foreach (var g in fills.Where(f => f.Intent != 0).GroupBy(f => f.Intent).Where(g => g.Select(f => f.Ticket).Distinct().Count() > 1))
        {
            problems.Add($"intent {g.Key} has fills of {g.Select(f => f.Ticket).Distinct().Count()} positions in the journal");
        }

        var journaledIntent = fills.GroupBy(f => f.Ticket).ToDictionary(g => g.Key, g => g.First().Intent);
        foreach (var (ticket, intent) in broker.PositionInstructions)
        {
            if (journaledIntent.TryGetValue(ticket, out var j) && j != intent)
            {
                problems.Add($"position {ticket} was opened by intent {intent} (broker) but the journal files it under intent {j}");
            }

            if (intent != 0 && abandoned.Contains(intent))
            {
                problems.Add($"intent {intent} was abandoned in the journal as never filled, but the broker has position {ticket} for it");
            }
        }

        // 3. No closed trade lost: every position the broker closed is a closed trade in the journal, with its exit
        //    price and the broker's result to the cent (Σ profit + commission of its deals).
        var brokerPnl = broker.Deals.GroupBy(d => d.PositionTicket).ToDictionary(g => g.Key, g => g.Sum(d => d.ProfitCents + d.CommissionCents));
        var open = broker.Positions.Select(p => p.Ticket).ToHashSet();
        foreach (var ticket in broker.PositionInstructions.Keys.Where(t => !open.Contains(t)))
        {
            if (!trades.TryGetValue(ticket, out var t) || t.Status != "closed")
            {
                problems.Add($"position {ticket} was closed at the broker but the journal {(trades.ContainsKey(ticket) ? "has it " + t.Status : "has no trade for it")}");
                continue;
            }

            if (t.Pnl is not { } pnl || Math.Abs((decimal)pnl * 100 - brokerPnl[ticket]) > 0.5m || t.ExitPrice is null)
            {
                problems.Add($"trade {ticket}: journal pnl {t.Pnl?.ToString("0.00", CultureInfo.InvariantCulture) ?? "unknown"} (exit price {t.ExitPrice?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}), broker {brokerPnl[ticket] / 100.0:0.00}");
            }
        }

        foreach (var ticket in open.Where(t => !trades.TryGetValue(t, out var tr) || tr.Status != "open"))
        {
            problems.Add($"position {ticket} is open at the broker but not open in the journal");
        }

        return problems;
    }
}
