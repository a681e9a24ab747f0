namespace KimiEA.Journal;

/// <summary>Settings of a <see cref="TradeJournal"/>. The defaults suit a live terminal.</summary>
public sealed record JournalOptions
{
    /// <summary>Capacity of the append queue (a power of two). When it overflows the journal enters the failed state.</summary>
    public int QueueCapacity { get; init; } = 16384;

    /// <summary>Most rows the writer commits in one transaction.</summary>
    public int MaxBatch { get; init; } = 4096;

    /// <summary>How long a write waits for a lock held by another connection before the journal fails (milliseconds).</summary>
    public int BusyTimeoutMs { get; init; } = 5000;

    /// <summary>How often an idle writer wakes up to look for halt/resume control rows (milliseconds).</summary>
    public int ControlPollMs { get; init; } = 100;

    /// <summary>Run <c>PRAGMA quick_check</c> when opening an existing file (detects corruption before trading).</summary>
    public bool CheckIntegrityOnOpen { get; init; } = true;

    /// <summary>When &gt; 0, caps the database size in pages (<c>PRAGMA max_page_count</c>); a full cap behaves like a full disk.</summary>
    public long MaxPageCount { get; init; }

    internal void Validate()
    {
        if (QueueCapacity < 2 || (QueueCapacity & (QueueCapacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "QueueCapacity must be a power of two ≥ 2.");
        if (MaxBatch < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxBatch), MaxBatch, "MaxBatch must be ≥ 1.");
        if (BusyTimeoutMs < 0)
            throw new ArgumentOutOfRangeException(nameof(BusyTimeoutMs), BusyTimeoutMs, "BusyTimeoutMs must be ≥ 0.");
        if (ControlPollMs < 1)
            throw new ArgumentOutOfRangeException(nameof(ControlPollMs), ControlPollMs, "ControlPollMs must be ≥ 1.");
        if (MaxPageCount < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxPageCount), MaxPageCount, "MaxPageCount must be ≥ 0.");
    }
}
