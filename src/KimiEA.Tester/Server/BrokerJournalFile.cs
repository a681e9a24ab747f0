using System.Globalization;
using System.Text;

namespace KimiEA.Tester.Server;

/// <summary>The account a broker journal belongs to (its first record): a restart must use the same one.</summary>
/// <param name="DepositCents">The account's deposit, cents.</param>
/// <param name="Hedging">Hedging (true) or netting account.</param>
/// <param name="Symbols">The server's symbols by index (deals and positions name their symbol by this index).</param>
public sealed record BrokerAccount(long DepositCents, bool Hedging, IReadOnlyList<string> Symbols)
{
    /// <summary>The account currency every cent of the file is in (USD for a file written before currencies, which has no currency record).</summary>
    public string Currency { get; init; } = "USD";

    /// <summary>Describes the account for error messages, e.g. "EURUSD,NZDUSD, deposit 10000.00 USD, hedging".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{string.Join(",", Symbols)}, deposit {DepositCents / 100.0:0.00} {Currency}, {(Hedging ? "hedging" : "netting")}");
}

/// <summary>The broker state a <see cref="BrokerJournalFile"/> replays: what a restarted run continues from.</summary>
public sealed class BrokerState
{
    /// <summary>The account the file was written for (null for a missing or empty file, or one whose first request was never completed).</summary>
    public BrokerAccount? Account { get; internal set; }
    /// <summary>True when the file held no complete request at all (a fresh run).</summary>
    public bool IsEmpty { get; internal set; } = true;
    /// <summary>The latest server time any record carries (deal times, position open times), ms; 0 when none.</summary>
    public long LastTimeMsc { get; internal set; }
    /// <summary>
    /// Money of the deals that belongs to no open position, cents: <see cref="DealsCents"/> minus the entry commission
    /// the open positions carry into their future trades (what <see cref="TradeServer.RestoredDealsCents"/> reports).
    /// </summary>
    public long ClosedDealsCents => DealsCents - OpenPositions.Values.Sum(p => p.EntryCommissionCents);
    /// <summary>The instruction id every position ever opened carried (its order comment), by position ticket.</summary>
    public IReadOnlyDictionary<long, long> PositionInstructions => InstructionOf;

    /// <summary>Σ profit + commission + swap of every deal, cents (the balance is the deposit plus this).</summary>
    public long DealsCents { get; internal set; }
    /// <summary>Open positions by ticket, in opening order.</summary>
    public IReadOnlyList<ServerPosition> Positions => [.. OpenPositions.Values];
    /// <summary>Every deal, in order.</summary>
    public IReadOnlyList<ServerDeal> Deals => AllDeals;
    /// <summary>The last rollover that charged swaps, ms (0 when none).</summary>
    public long LastRolloverMsc { get; internal set; }
    /// <summary>The highest order/position ticket used (new tickets must be above it).</summary>
    public long LastOrder { get; internal set; }
    /// <summary>The file's length when it was read, bytes (0 for a missing file).</summary>
    public long FileLength { get; internal set; }
    /// <summary>Bytes up to and including the last commit line: what a <see cref="BrokerJournalFile"/> opened on this state keeps.</summary>
    public long CompleteLength { get; internal set; }
    /// <summary>Bytes after the last commit line: a request whose write a crash interrupted, cut before the file is appended to.</summary>
    public long TornTailBytes => FileLength - CompleteLength;
    /// <summary>Lines in the torn tail (a last line without its newline counts).</summary>
    public int TornTailLines { get; internal set; }

    internal SortedDictionary<long, ServerPosition> OpenPositions { get; } = [];
    internal List<ServerDeal> AllDeals { get; } = [];
    internal Dictionary<long, long> InstructionOf { get; } = [];
}

/// <summary>
/// A write-ahead file of the broker's state: every deal and every position change is a text line; the lines of one
/// request (see <see cref="IBrokerJournal.Commit"/>) are appended with a closing commit line in one write and flushed
/// to the disk before the server goes on, so a run killed at any point can be restarted on the same broker state
/// (<see cref="Replay"/> then <see cref="TradeServer.Resume"/>). Lines after the last commit line (the crash happened
/// while they were written) are not applied, so a request is restored whole or not at all — never a closing deal
/// without the removal of its position; any malformed line is an error naming its line number.
/// </summary>
/// <remarks>
/// Records, one per line, comma-separated, invariant culture: <c>A,1,deposit cents,hedging 0|1,symbol,...</c> (the
/// account, first record of every file, written by <see cref="WriteAccount"/>), <c>D,...</c> a deal, <c>P,...</c> a
/// position opened or changed, <c>X,ticket</c> a position closed, <c>U,currency</c> the account currency (the line after the account record), <c>R,time</c> a rollover that charged swaps (the
/// positions it changed are the <c>P</c> records before it), <c>C</c> the end of one request's records. Deals end with
/// their swap cents and positions with their accrued swap cents; files written before swaps existed (one field fewer
/// in both) are read with no swap.
/// A file that does not start with the account record is not a broker state: <see cref="Replay"/> refuses it and
/// nothing here ever writes to it. The user's file is only ever cut by the torn tail <see cref="Replay"/> measured
/// (<see cref="BrokerState.TornTailBytes"/>), which the caller reports before opening the file.
/// </remarks>
public sealed class BrokerJournalFile : IBrokerJournal, IDisposable
{
    /// <summary>The longest line a broker state holds (a record is a few hundred bytes; the account record names every symbol).</summary>
    public const int MaxLineBytes = 1 << 16;

    /// <summary>The most bytes an interrupted request can leave after the last commit line (a request is one write of its records).</summary>
    public const long MaxTornTailBytes = 1 << 20;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static ReadOnlySpan<byte> AccountPrefix => "A,1,"u8;
    private readonly FileStream _file;
    private readonly StringBuilder _line = new(256);
    private readonly StringBuilder _pending = new(1024);

    /// <summary>Creates a new broker state file: <paramref name="path"/> must not exist or be empty (nothing is overwritten).</summary>
    /// <exception cref="IOException">The file exists and is not empty.</exception>
    public BrokerJournalFile(string path)
        : this(path, new BrokerState())
    {
    }

    /// <summary>
    /// Opens the file <see cref="Replay"/> read into <paramref name="replayed"/> for appending. Its torn tail (a request
    /// whose write the crash interrupted, which the replay did not apply) is cut off first, so it can never be mistaken
    /// for part of the next request; a file that changed since it was replayed is refused untouched.
    /// </summary>
    /// <exception cref="IOException">The file's length is not the replayed one.</exception>
    public BrokerJournalFile(string path, BrokerState replayed)
    {
        ArgumentNullException.ThrowIfNull(replayed);
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.None);
        try
        {
            if (_file.Length != replayed.FileLength)
            {
                throw new IOException(replayed.FileLength == 0
                    ? string.Create(Inv, $"{path}: the file already holds {_file.Length} bytes; a new broker state is written only to a missing or empty file. It was left untouched.")
                    : string.Create(Inv, $"{path}: the broker state is {_file.Length} bytes long, not the {replayed.FileLength} bytes it was read with; it was left untouched."));
            }

            _file.SetLength(replayed.CompleteLength);
            _file.Seek(0, SeekOrigin.End);
        }
        catch
        {
            _file.Dispose();
            throw;
        }

        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>
    /// Stages the account record, the first record of a new file, so a restart can check it runs the same account. It
    /// reaches the disk with the first request (<see cref="Commit"/>, at the run's first price): a run refused at its
    /// start (say, by an unusable journal) leaves the file empty, as it found it.
    /// </summary>
    public void WriteAccount(BrokerAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        _line.Clear().Append("A,1,").Append(account.DepositCents.ToString(Inv)).Append(',').Append(account.Hedging ? '1' : '0');
        foreach (var s in account.Symbols)
        {
            if (s.Contains(',', StringComparison.Ordinal) || s.Length == 0)
            {
                throw new ArgumentException($"The symbol name '{s}' cannot be written to the broker journal.", nameof(account));
            }

            _line.Append(',').Append(s);
        }

        if (!Money.CurrencyPair.IsCurrency(account.Currency))
        {
            throw new ArgumentException($"The account currency '{account.Currency}' cannot be written to the broker journal.", nameof(account));
        }

        Write(_line);
        Write(_line.Clear().Append("U,").Append(account.Currency));
    }

    /// <inheritdoc />
    public void Commit()
    {
        if (_pending.Length == 0)
        {
            return;
        }

        _pending.Append("C\n");
        _file.Write(Encoding.UTF8.GetBytes(_pending.ToString()));
        _file.Flush(flushToDisk: true);
        _pending.Clear();
    }

    /// <inheritdoc />
    public void DealAdded(in ServerDeal deal)
    {
        var d = deal;
        Write(_line.Clear().Append("D,")
        .Append(d.Ticket.ToString(Inv)).Append(',').Append(d.Order.ToString(Inv)).Append(',').Append(d.PositionTicket.ToString(Inv)).Append(',')
        .Append(d.Symbol.ToString(Inv)).Append(',').Append(d.TimeMsc.ToString(Inv)).Append(',').Append(d.Entry.ToString(Inv)).Append(',')
        .Append(d.Type.ToString(Inv)).Append(',').Append(d.Reason.ToString(Inv)).Append(',').Append(d.Magic.ToString(Inv)).Append(',')
        .Append(d.Volume.ToString("R", Inv)).Append(',').Append(d.Price.ToString("R", Inv)).Append(',')
        .Append(d.ProfitCents.ToString(Inv)).Append(',').Append(d.CommissionCents.ToString(Inv)).Append(',').Append(d.SwapCents.ToString(Inv)));
    }

    /// <inheritdoc />
    public void PositionChanged(ServerPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        var p = position;
        Write(_line.Clear().Append("P,")
            .Append(p.Ticket.ToString(Inv)).Append(',').Append(p.Symbol.ToString(Inv)).Append(',').Append(p.Direction.ToString(Inv)).Append(',')
            .Append(p.Volume.ToString("R", Inv)).Append(',').Append(p.PriceOpen.ToString("R", Inv)).Append(',').Append(p.Sl.ToString("R", Inv)).Append(',')
            .Append(p.Tp.ToString("R", Inv)).Append(',').Append(p.Magic.ToString(Inv)).Append(',').Append(p.TimeMsc.ToString(Inv)).Append(',')
            .Append(p.InstructionId.ToString(Inv)).Append(',').Append(p.Margin.ToString("R", Inv)).Append(',').Append(p.EntryCommissionCents.ToString(Inv))
            .Append(',').Append(p.SwapCents.ToString(Inv)));
    }

    /// <inheritdoc />
    public void Rollover(long rolloverMsc) => Write(_line.Clear().Append("R,").Append(rolloverMsc.ToString(Inv)));

    /// <inheritdoc />
    public void PositionRemoved(long ticket) => Write(_line.Clear().Append("X,").Append(ticket.ToString(Inv)));

    /// <summary>Closes the file; records not committed are dropped, as a crash would drop them.</summary>
    public void Dispose() => _file.Dispose();

    /// <summary>
    /// Reads a broker state back, streaming: every request up to the last commit line is applied; the lines after it
    /// (a request whose write was interrupted) are checked and measured (<see cref="BrokerState.TornTailBytes"/>) but
    /// not applied. A missing or empty file is an empty state (a fresh run).
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// Not a broker state (its first line is not the account record, a line is too long or holds zero bytes), more
    /// bytes after the last commit line than one interrupted write leaves, or a malformed complete line; the message
    /// names the file and line. The file is never written.
    /// </exception>
    /// <exception cref="IOException">The path is a folder, a FIFO or a device, or cannot be read.</exception>
    public static BrokerState Replay(string path)
    {
        var state = new BrokerState();
        if (!KimiEA.Data.InputFile.CheckCreatable(path))
        {
            return state;
        }

        using var file = KimiEA.Data.InputFile.OpenRead(path);
        var staged = new List<Action>();
        var buffer = new byte[1 << 16];
        var line = new List<byte>(256);
        long offset = 0;
        var lineNo = 0;
        var tailLines = 0;
        int n;
        while ((n = file.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                var b = buffer[i];
                offset++;
                if (b != (byte)'\n')
                {
                    if (line.Count == MaxLineBytes || b == 0)
                    {
                        throw NotBrokerState(path, lineNo + 1, b == 0 ? "it holds zero bytes" : $"it is longer than {MaxLineBytes} bytes");
                    }

                    line.Add(b);
                    continue;
                }

                lineNo++;
                var text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line));
                line.Clear();
                if (lineNo == 1 && !text.StartsWith("A,1,", StringComparison.Ordinal))
                {
                    throw NotBrokerState(path, 1, "it is not the account record 'A,1,…' that kimi backtest --broker-state starts every file with");
                }

                if (ApplyLine(state, staged, text, path, lineNo))
                {
                    state.CompleteLength = offset;
                    tailLines = 0;
                }
                else
                {
                    tailLines++;
                }
            }
        }

        if (line.Count > 0)
        {
            // A last line without its newline: the write stopped inside it. On line 1 it must be the start of the account record.
            var partial = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line);
            if (lineNo == 0 && !(partial.StartsWith(AccountPrefix) || AccountPrefix.StartsWith(partial)))
            {
                throw NotBrokerState(path, 1, "it is not the account record 'A,1,…' that kimi backtest --broker-state starts every file with");
            }

            tailLines++;
        }

        state.FileLength = offset;
        state.TornTailLines = tailLines;
        if (state.TornTailBytes > MaxTornTailBytes)
        {
            throw new InvalidDataException(string.Create(Inv,
                $"{path}: {state.TornTailBytes} bytes follow the last complete request: far more than an interrupted write leaves, so this is not a broker state kimi wrote; the file was left untouched."));
        }

        return state;
    }

    private static InvalidDataException NotBrokerState(string path, int line, string why) =>
        new(string.Create(Inv, $"{path}, line {line}: not a broker state file: {why}. The file was left untouched; pass a new file or the one a previous run wrote."));

    /// <summary>Stages one complete line; applies the staged request and returns true on a commit line.</summary>
    private static bool ApplyLine(BrokerState state, List<Action> staged, string line, string path, int lineNo)
    {
        var f = line.Split(',');
        try
        {
            switch (f[0])
            {
                case "C" when f.Length == 1:
                    foreach (var apply in staged)
                    {
                        apply();
                    }

                    staged.Clear();
                    state.IsEmpty = false;
                    return true;
                case "A" when f.Length >= 5 && f[1] == "1":
                    if (lineNo != 1)
                    {
                        throw new FormatException("the account record must be the first line");
                    }

                    var account = new BrokerAccount(L(f[2]), f[3] switch
                    {
                        "1" => true,
                        "0" => false,
                        _ => throw new FormatException($"hedging flag '{f[3]}' is not 0 or 1"),
                    }, f[4..]);
                    staged.Add(() => state.Account = account);
                    return false;
                case "D" when f.Length is 14 or 15:
                    var d = new ServerDeal
                    {
                        Ticket = L(f[1]), Order = L(f[2]), PositionTicket = L(f[3]), Symbol = (int)L(f[4]), TimeMsc = L(f[5]),
                        Entry = (int)L(f[6]), Type = (int)L(f[7]), Reason = (int)L(f[8]), Magic = L(f[9]),
                        Volume = D(f[10]), Price = D(f[11]), ProfitCents = L(f[12]), CommissionCents = L(f[13]),
                        SwapCents = f.Length == 15 ? L(f[14]) : 0,
                    };
                    staged.Add(() =>
                    {
                        state.AllDeals.Add(d);
                        state.DealsCents += d.ProfitCents + d.CommissionCents + d.SwapCents;
                        state.LastTimeMsc = Math.Max(state.LastTimeMsc, d.TimeMsc);
                        state.LastOrder = Math.Max(state.LastOrder, Math.Max(d.Order, d.PositionTicket));
                    });
                    return false;
                case "P" when f.Length is 13 or 14:
                    var p = new ServerPosition
                    {
                        Ticket = L(f[1]), Symbol = (int)L(f[2]), Direction = (int)L(f[3]), Volume = D(f[4]), PriceOpen = D(f[5]),
                        Sl = D(f[6]), Tp = D(f[7]), Magic = L(f[8]), TimeMsc = L(f[9]), InstructionId = L(f[10]), Margin = D(f[11]),
                        EntryCommissionCents = L(f[12]),
                        SwapCents = f.Length == 14 ? L(f[13]) : 0,
                    };
                    staged.Add(() =>
                    {
                        state.OpenPositions[p.Ticket] = p;
                        state.InstructionOf.TryAdd(p.Ticket, p.InstructionId);
                        state.LastOrder = Math.Max(state.LastOrder, p.Ticket);
                        state.LastTimeMsc = Math.Max(state.LastTimeMsc, p.TimeMsc);
                    });
                    return false;
                case "U" when f.Length == 2 && lineNo == 2:
                    var currency = f[1];
                    staged.Add(() => state.Account = state.Account! with { Currency = currency });
                    return false;
                case "R" when f.Length == 2:
                    var rollover = L(f[1]);
                    staged.Add(() => state.LastRolloverMsc = Math.Max(state.LastRolloverMsc, rollover));
                    return false;
                case "X" when f.Length == 2:
                    var ticket = L(f[1]);
                    staged.Add(() => state.OpenPositions.Remove(ticket));
                    return false;
                default:
                    throw new FormatException($"unknown record '{f[0]}' with {f.Length} fields");
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}, line {lineNo}: {e.Message}", e);
        }
    }

    private static long L(string s) => long.Parse(s, NumberStyles.Integer, Inv);

    private static double D(string s) => double.Parse(s, NumberStyles.Float, Inv);

    /// <summary>Adds a record to the request being written (on the disk at the next <see cref="Commit"/>).</summary>
    private void Write(StringBuilder line) => _pending.Append(line).Append('\n');
}
