using KimiEA.Core.Abi;
using KimiEA.Risk;
using KimiEA.Risk.Account;

namespace KimiEA.Engine.Account;

/// <summary>
/// The account-level state every agent of a process shares: the risk book (daily drawdown breaker, exposure across
/// agents, order rate limiter, emergency stop) and the journals (one writer per journal file, shared by the agents
/// that name the same file). Thread-safe: MT5 calls each chart's agent on its own thread.
/// </summary>
/// <remarks>
/// The risk book is created by the first agent, from that agent's configuration; account-level limits therefore
/// come from the first chart attached. When every agent is gone and a new one arrives with different settings, the
/// book is rebuilt and the breaker state carried over (the breaker never resets because an EA was re-attached).
/// </remarks>
public sealed class AccountHub
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (Journal.TradeJournal Journal, int Users)> _journals = new(StringComparer.Ordinal);
    private AccountRiskBook? _book;
    private int _agents;
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

    /// <summary>Attaches an agent: returns the shared book, creating or rebuilding it as described above.</summary>
    public AccountRiskBook Attach(RiskConfig config)
    {
        lock (_lock)
        {
            if (_book is null || (_agents == 0 && _book.Config != config))
            {
                var previous = _book;
                var book = new AccountRiskBook(config);
                if (previous is not null)
                {
                    book.RestoreBreaker(previous.BreakerState);
                    if (previous.IsEmergencyStopped)
                    {
                        book.TriggerEmergencyStop(previous.EmergencyStoppedAtMs);
                    }
                }
                else if (_emergencyPending)
                {
                    book.TriggerEmergencyStop(0);
                }

                Volatile.Write(ref _book, book);
            }

            _agents++;
            return _book;
        }
    }

    /// <summary>Detaches an agent (its positions' reservations must already be released).</summary>
    public void Detach()
    {
        lock (_lock)
        {
            _agents = Math.Max(0, _agents - 1);
            if (_agents == 0)
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
            return journal;
        }
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
