using BenchmarkDotNet.Attributes;
using KimiEA.Core.Trading;
using KimiEA.Journal;

namespace KimiEA.Benchmarks.Journal;

/// <summary>A journal in a fresh temporary folder, removed on dispose, and the intent row the benchmarks append.</summary>
internal sealed class ScratchJournal : IDisposable
{
    private readonly string _dir;

    public ScratchJournal(int queueCapacity)
    {
        _dir = Path.Combine(Path.GetTempPath(), "kimi-journal-bench", Path.GetRandomFileName());
        Directory.CreateDirectory(_dir);
        Journal = TradeJournal.Open(Path.Combine(_dir, "bench.db"), new JournalOptions { QueueCapacity = queueCapacity });
        if (Journal.IsFailed)
            throw new InvalidOperationException(Journal.FailureReason);
        var intent = new TradeIntent { Direction = Direction.Buy, Entry = 1.1, StopLoss = 1.098, TakeProfit = 1.104, Confidence = 0.6, SetupId = 3 };
        Event = JournalEvent.Intent(1_700_000_000, 4242, "EURUSD", 1, intent, 0.5, "live");
    }

    public TradeJournal Journal { get; }

    /// <summary>An order-lifecycle row: batches holding it are committed with synchronous=FULL (fsynced).</summary>
    public JournalEvent Event { get; }

    /// <summary>Waits until everything is on disk; a failed journal aborts the run instead of measuring the refusal path.</summary>
    public void FlushOrThrow()
    {
        if (!Journal.Flush(120_000) || Journal.IsFailed)
            throw new InvalidOperationException("journal failed during the benchmark: " + Journal.FailureReason);
    }

    public void Dispose()
    {
        Journal.Dispose();
        Directory.Delete(_dir, true);
    }
}

/// <summary>
/// Issue #5 target: <see cref="Append"/> costs ≤ 1 µs and 0 bytes on the caller's (tick) thread, while the writer
/// thread commits to disk concurrently. Each iteration appends 131,072 rows into a 262,144-slot queue drained before
/// the iteration, so every measured call takes the accepting path.
/// Run: dotnet run -c Release --project benchmarks/KimiEA.Benchmarks -- --filter '*Journal*' --job short
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the journal.")]
public class JournalAppendBenchmarks
{
    private ScratchJournal _scratch = null!;
    private JournalEvent _event;

    [GlobalSetup]
    public void Setup()
    {
        _scratch = new ScratchJournal(262_144);
        _event = _scratch.Event;
    }

    [IterationSetup]
    public void Drain() => _scratch.FlushOrThrow();

    /// <summary>One append on the caller's thread.</summary>
    [Benchmark]
    [InvocationCount(131_072)]
    public long Append() => _scratch.Journal.Append(_event);

    [GlobalCleanup]
    public void Cleanup()
    {
        _scratch.FlushOrThrow();
        _scratch.Dispose();
    }
}

/// <summary>
/// Issue #5 target: ≥ 50,000 rows/s sustained to disk. One operation = one row appended and committed (fsynced);
/// rows/s = 1 / mean.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes the journal.")]
public class JournalThroughputBenchmarks
{
    private const int Rows = 100_000;
    private ScratchJournal _scratch = null!;

    [GlobalSetup]
    public void Setup() => _scratch = new ScratchJournal(131_072);

    [Benchmark(OperationsPerInvoke = Rows)]
    public long AppendAndFlushIntents()
    {
        var journal = _scratch.Journal;
        var e = _scratch.Event;
        long last = 0;
        for (var i = 0; i < Rows; i++)
            last = journal.Append(e);
        _scratch.FlushOrThrow();
        return last;
    }

    [GlobalCleanup]
    public void Cleanup() => _scratch.Dispose();
}
