using KimiEA.Core.Abi;
using KimiEA.Core.Market;

namespace KimiEA.Tester.Terminal;

/// <summary>
/// One agent (one chart's EA instance) of the engine, as the C ABI of include/kimiea.h exposes it: every method is
/// one export with the handle bound. The tester's implementation is <see cref="NativeEngine"/> (the native library
/// through KimiNative); tests substitute a scripted agent to check the call sequence.
/// Return values are the exports' own: ≥ 0 success (often a count), &lt; 0 an error code.
/// </summary>
public interface IEngineAgent
{
    /// <summary><c>kimi_warmup</c></summary>
    int Warmup(ReadOnlySpan<MqlRates> bars);
    /// <summary><c>kimi_sync_positions</c></summary>
    int SyncPositions(ReadOnlySpan<KimiPosition> positions, long timeMsc);
    /// <summary><c>kimi_on_tick</c></summary>
    int OnTick(in MqlTick tick, in KimiAccount account);
    /// <summary><c>kimi_update_spec</c></summary>
    int UpdateSpec(in KimiSymbolSpec spec);
    /// <summary><c>kimi_on_bar</c></summary>
    int OnBar(in MqlRates bar);
    /// <summary><c>kimi_get_zones</c>: the live SMC structure after the last bar (the EA draws it after each closed bar).</summary>
    int GetZones(Span<KimiZone> into);
    /// <summary><c>kimi_poll_instructions</c></summary>
    int PollInstructions(Span<KimiInstruction> into);
    /// <summary><c>kimi_report_result</c></summary>
    int ReportResult(in KimiOrderResult result);
    /// <summary><c>kimi_on_trade_transaction</c></summary>
    int OnTradeTransaction(in KimiDeal deal);
    /// <summary><c>kimi_on_timer</c></summary>
    int OnTimer(long timeMsc, in KimiAccount account);
    /// <summary><c>kimi_approve</c>: the trader's decision on an intent waiting in the approval band.</summary>
    int Approve(long intentId, bool approve);
    /// <summary><c>kimi_poll_events</c></summary>
    int PollEvents(Span<KimiEvent> into);
    /// <summary><c>kimi_poll_log</c> (UTF-16, NUL-terminated; returns the characters written).</summary>
    int PollLog(Span<char> into);
    /// <summary><c>kimi_get_status</c></summary>
    int GetStatus(out KimiStatus status);
    /// <summary><c>kimi_destroy</c></summary>
    int Destroy(int reason);
    /// <summary><c>kimi_last_error</c> of this handle.</summary>
    string LastError();
    /// <summary><c>kimi_code_name</c>: the name of a code of an event kind.</summary>
    string NameOf(int eventKind, long code);
}

/// <summary>Creates agents (<c>kimi_create</c>).</summary>
public interface IEngineHost
{
    /// <summary><c>kimi_create</c>; throws <see cref="EngineException"/> when the engine refuses.</summary>
    /// <param name="config">The chart's inputs.</param>
    /// <param name="symbol">The chart's symbol.</param>
    /// <param name="spec">The symbol's facts.</param>
    /// <param name="account">The account's facts.</param>
    /// <param name="journalPath">The journal, or null.</param>
    /// <param name="calibrationPath">A signal calibration file for the chart (<c>kimi calibrate --fit --out</c>), or null for the shipped one.</param>
    IEngineAgent Create(in KimiConfig config, string symbol, in KimiSymbolSpec spec, in KimiAccount account, string? journalPath, string? calibrationPath = null);
}

/// <summary>The engine cannot use the run's journal (<c>--journal</c>); the run stops before it starts (the CLI exits with code 2).</summary>
public sealed class JournalUnusableException : IOException
{
    /// <summary>Creates the exception: "--journal <paramref name="path"/>: <paramref name="reason"/>".</summary>
    public JournalUnusableException(string path, string reason)
        : base($"--journal {path}: {reason}")
    {
        JournalPath = path;
    }

    /// <summary>Creates an exception with only a message.</summary>
    public JournalUnusableException() : this("(unknown)", "unusable journal") { }

    /// <summary>Creates an exception with only a message.</summary>
    public JournalUnusableException(string message) : this("(unknown)", message) { }

    /// <summary>Creates an exception with only a message and a cause.</summary>
    public JournalUnusableException(string message, Exception innerException) : base(message, innerException)
    {
        JournalPath = "(unknown)";
    }

    /// <summary>The journal file.</summary>
    public string JournalPath { get; }
}

/// <summary>An engine export returned an error code; the run cannot go on (the CLI exits with code 3).</summary>
public sealed class EngineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineException(string call, long code, string detail)
        : base($"{call} failed with {code}{(detail.Length > 0 ? ": " + detail : string.Empty)}")
    {
        Call = call;
        Code = code;
    }

    /// <summary>Creates the exception with a message.</summary>
    public EngineException(string message) : base(message)
    {
        Call = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public EngineException(string message, Exception inner) : base(message, inner)
    {
        Call = string.Empty;
    }

    /// <summary>Creates an empty exception.</summary>
    public EngineException() : this("The engine failed.")
    {
    }

    /// <summary>The export that failed.</summary>
    public string Call { get; }
    /// <summary>Its return code.</summary>
    public long Code { get; }
}
