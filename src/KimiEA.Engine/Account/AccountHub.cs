using KimiEA.Core.Abi;
using KimiEA.Risk;
using KimiEA.Engine.Agents;
using KimiEA.Risk.Account;

namespace KimiEA.Engine.Account;

/// <summary>
/// The account-level state every agent of a process shares: the risk book (daily drawdown breaker, exposure across
/// agents, order rate limiter, emergency stop) and the journals (one writer per journal file, shared by the agents
/// that name the same file). Thread-safe: MT5 calls each chart's agent on its own thread.
/// </summary>
/// <remarks>
/// Only the account-wide limits (<see cref="AccountLimits"/>) live here; every chart keeps its own decision settings.
/// The first chart attached puts its account limits in force; a chart attached while others are attached must bring
/// the same values or it is refused (KIMI_E_CONFIG naming each differing input, the value in force and the chart that
/// set it). When every chart has left, the next one may bring new limits: the book keeps its breaker state, its order
/// times and the reservations of positions that detached charts left open (the breaker never resets because an EA was
/// re-attached, and a detach never frees limits an open position still uses).
/// </remarks>
public sealed class AccountHub
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (Journal.TradeJournal Journal, int Users)> _journals = new(StringComparer.Ordinal);
    private AccountRiskBook? _book;
    private readonly HashSet<string> _liveOwners = new(StringComparer.Ordinal); // the attached charts' identities (magic/symbol)
    private string _limitsSetBy = string.Empty;
    private long _emergencyGeneration;
    private bool _emergencyPending; // engaged before the first agent created the book
    private string _emergencyReason = string.Empty;

    /// <summary>The account's market time: the breaker's trading day and the rate limiter follow it (see <see cref="MarketClock"/>).</summary>
    public MarketClock Clock { get; } = new();

    /// <summary>The risk book (null before the first agent).</summary>
    public AccountRiskBook? Book => Volatile.Read(ref _book);

    /// <summary>Increments whenever the emergency stop is engaged; agents compare it with the value they last acted on.</summary>
    /// <remarks>Read on every tick of every agent: a plain volatile read (a 64-bit process reads a long atomically), not
    /// Interlocked.Read, which is a locked compare-exchange.</remarks>
    public long EmergencyGeneration => Volatile.Read(ref _emergencyGeneration);

    /// <summary>Why the emergency stop was engaged.</summary>
    public string EmergencyReason
    {
        get
        {
            lock (_lock)
            {
                return _emergencyReason;
            }
        }
    }

    /// <summary>
    /// Attaches a chart: returns the shared book, creating it, or putting <paramref name="limits"/> in force when no
    /// other chart is attached.
    /// </summary>
    /// <param name="limits">The chart's account-level inputs.</param>
    /// <param name="chart">How to name the chart in messages (symbol, timeframe, magic).</param>
    /// <param name="ownerKey">The chart's agent identity (<see cref="Agent.OwnerKey"/>); one live chart per identity.</param>
    /// <exception cref="EngineException">KIMI_E_CONFIG: other charts are attached with different account limits, or a
    /// live chart already trades the same magic on the same symbol.</exception>
    public AccountRiskBook Attach(AccountLimits limits, string chart, string ownerKey)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentException.ThrowIfNullOrEmpty(ownerKey);
        lock (_lock)
        {
            if (_liveOwners.Contains(ownerKey))
            {
                throw new EngineException(AbiCodes.EConfig,
                    $"another chart already runs with magic and symbol {ownerKey}: two charts would manage the same positions. Give each chart its own magic number.");
            }

            if (_book is null)
            {
                var book = new AccountRiskBook(limits);
                if (_emergencyPending)
                {
                    book.TriggerEmergencyStop(0);
                }

                Volatile.Write(ref _book, book);
                _limitsSetBy = chart;
            }
            else if (_book.Limits != limits)
            {
                if (_liveOwners.Count > 0)
                {
                    var differences = _book.Limits.Differences(limits);
                    var text = string.Join("; ", differences.Select(d =>
                        $"{ConfigMapping.AccountInputName(d.Name)} is {d.Requested} on this chart but {d.InForce} is in force"));
                    throw new EngineException(AbiCodes.EConfig,
                        $"account-wide limits differ from the ones in force, set by {_limitsSetBy}: {text}. Every chart of the terminal shares these limits: give this chart the same values, or remove the other charts first.");
                }

                _book.ReplaceLimits(limits);
                _limitsSetBy = chart;
            }
            else if (_liveOwners.Count == 0)
            {
                _limitsSetBy = chart;
            }

            _liveOwners.Add(ownerKey);
            return _book;
        }
    }

    /// <summary>Detaches a chart. The reservations of positions it leaves open stay in the book (see remarks).</summary>
    public void Detach(string ownerKey)
    {
        lock (_lock)
        {
            if (_liveOwners.Remove(ownerKey) && _liveOwners.Count == 0)
            {
                Clock.Reset(); // no chart left to vouch for the market's time; the next one starts the clock again
            }
        }
    }

    /// <summary>Engages (true) or resets (false) the process-wide emergency stop.</summary>
    public void SetEmergency(bool engage, string reason)
    {
        lock (_lock)
        {
            _emergencyReason = reason;
            Volatile.Write(ref _emergencyPending, engage);
            if (engage)
            {
                _book?.TriggerEmergencyStop(0);
                Interlocked.Increment(ref _emergencyGeneration);
            }
            else
            {
                _book?.ResetEmergencyStop();
            }
        }
    }

    /// <summary>Opens (or shares) the journal at <paramref name="path"/>; the caller must <see cref="ReleaseJournal"/> it.</summary>
    public Journal.TradeJournal AcquireJournal(string path)
    {
        var full = Path.GetFullPath(path);
        lock (_lock)
        {
            if (_journals.TryGetValue(full, out var entry))
            {
                _journals[full] = (entry.Journal, entry.Users + 1);
                return entry.Journal;
            }

            var journal = Journal.TradeJournal.Open(full);
            _journals[full] = (journal, 1);
            ReserveDetachedPositions(journal);
            return journal;
        }
    }

    /// <summary>
    /// When a journal is opened: the positions detached charts left open, as the journal recorded them, are reserved in
    /// the book again (a reservation already held for the same ticket is taken over, never doubled), so a restarted
    /// terminal counts them against the account limits as the terminal before it did. A journal that cannot be read
    /// reserves nothing here; the agent then reports the journal failure itself.
    /// </summary>
    private void ReserveDetachedPositions(Journal.TradeJournal journal)
    {
        var book = _book;
        if (book is null || journal.IsFailed || !journal.Flush())
        {
            return;
        }

        IReadOnlyList<Journal.DetachedPosition> detached;
        try
        {
            detached = Journal.DetachedPositions.Read(journal.Path).Open;
        }
        catch (Journal.JournalException)
        {
            return;
        }

        foreach (var p in detached)
        {
            if (_liveOwners.Contains(Agent.OwnerKey(p.Magic, p.Symbol)))
            {
                continue; // that chart is attached: it holds its own positions
            }

            book.Adopt(book.RegisterSymbol(p.Symbol), book.RegisterOwner(Agent.OwnerKey(p.Magic, p.Symbol)), p.Ticket, p.Direction,
                p.Volume, NonNegative(p.RiskMoney), NonNegative(p.Notional), double.NaN, out _);
        }

        static double NonNegative(double v) => double.IsFinite(v) && v > 0 ? v : 0;
    }

    /// <summary>Releases a journal acquired with <see cref="AcquireJournal"/>; the last user flushes and closes it.</summary>
    public void ReleaseJournal(Journal.TradeJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        lock (_lock)
        {
            var full = Path.GetFullPath(journal.Path);
            if (!_journals.TryGetValue(full, out var entry))
            {
                return;
            }

            if (entry.Users > 1)
            {
                _journals[full] = (entry.Journal, entry.Users - 1);
                return;
            }

            _journals.Remove(full);
        }

        journal.Flush();
        journal.Dispose();
    }

    /// <summary>Maps an MT5 KIMI_BREAKER_* code from the risk library's status.</summary>
    public static int BreakerCode(BreakerStatus status) => status switch
    {
        BreakerStatus.ReducingOnly => AbiCodes.BreakerReducingOnly,
        BreakerStatus.Halted => AbiCodes.BreakerHalted,
        _ => AbiCodes.BreakerActive,
    };
}
