using System.Globalization;
using System.Text;

namespace KimiEA.Tester.Server;

/// <summary>The account a broker journal belongs to (its first record): a restart must use the same one.</summary>
/// <param name="DepositCents">The account's deposit, cents.</param>
/// <param name="Hedging">Hedging (true) or netting account.</param>
/// <param name="Symbols">The server's symbols by index (deals and positions name their symbol by this index).</param>
public sealed record BrokerAccount(long DepositCents, bool Hedging, IReadOnlyList<string> Symbols)
{
    /// <summary>Describes the account for error messages, e.g. "EURUSD,NZDUSD, deposit 10000.00, hedging".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{string.Join(",", Symbols)}, deposit {DepositCents / 100.0:0.00}, {(Hedging ? "hedging" : "netting")}");
}

/// <summary>The broker state a <see cref="BrokerJournalFile"/> replays: what a restarted run continues from.</summary>
public sealed class BrokerState
{
    /// <summary>The account the file was written for (null for a file without an account record).</summary>
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

    /// <summary>Σ profit + commission of every deal, cents (the balance is the deposit plus this).</summary>
    public long DealsCents { get; internal set; }
    /// <summary>Open positions by ticket, in opening order.</summary>
    public IReadOnlyList<ServerPosition> Positions => [.. OpenPositions.Values];
    /// <summary>Every deal, in order.</summary>
    public IReadOnlyList<ServerDeal> Deals => AllDeals;
    /// <summary>The highest order/position ticket used (new tickets must be above it).</summary>
    public long LastOrder { get; internal set; }

    internal SortedDictionary<long, ServerPosition> OpenPositions { get; } = [];
    internal List<ServerDeal> AllDeals { get; } = [];
    internal Dictionary<long, long> InstructionOf { get; } = [];
}

/// <summary>
/// A write-ahead file of the broker's state: every deal and every position change is a text line; the lines of one
/// request (see <see cref="IBrokerJournal.Commit"/>) are appended with a closing commit line in one write and flushed
/// to the disk before the server goes on, so a run killed at any point can be restarted on the same broker state
/// (<see cref="Replay"/> then <see cref="TradeServer.Resume"/>). Lines after the last commit line (the crash happened
/// while they were written) are ignored, so a request is restored whole or not at all — never a closing deal without
/// the removal of its position; any malformed line is an error naming its line number.
/// </summary>
/// <remarks>
/// Records, one per line, comma-separated, invariant culture: <c>A,1,deposit cents,hedging 0|1,symbol,...</c> (the
/// account, first record of a file written by <see cref="WriteAccount"/>), <c>D,...</c> a deal, <c>P,...</c> a
/// position opened or changed, <c>X,ticket</c> a position closed, <c>C</c> the end of one request's records.
/// </remarks>
public sealed class BrokerJournalFile : IBrokerJournal, IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly FileStream _file;
    private readonly StringBuilder _line = new(256);
    private readonly StringBuilder _pending = new(1024);

    /// <summary>
    /// Opens (or creates) the file for appending. Whatever follows the last commit line (a request whose write the
    /// crash interrupted, which <see cref="Replay"/> ignored) is cut off first, so it can never be mistaken for part
    /// of the next request.
    /// </summary>
    public BrokerJournalFile(string path)
    {
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.None);
        try
        {
            _file.SetLength(CompleteLength(_file));
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

    /// <summary>Writes the account record: the first record of a new file, so a restart can check it runs the same account.</summary>
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

        Write(_line);
        Commit();
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
        .Append(d.ProfitCents.ToString(Inv)).Append(',').Append(d.CommissionCents.ToString(Inv)));
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
            .Append(p.InstructionId.ToString(Inv)).Append(',').Append(p.Margin.ToString("R", Inv)).Append(',').Append(p.EntryCommissionCents.ToString(Inv)));
    }

    /// <inheritdoc />
    public void PositionRemoved(long ticket) => Write(_line.Clear().Append("X,").Append(ticket.ToString(Inv)));

    /// <summary>Closes the file; records not committed are dropped, as a crash would drop them.</summary>
    public void Dispose() => _file.Dispose();

    /// <summary>Reads a journal back into the state it describes: every request up to the last commit line.</summary>
    /// <exception cref="InvalidDataException">A complete line is malformed (the message names the file and line).</exception>
    public static BrokerState Replay(string path)
    {
        var state = new BrokerState();
        var staged = new List<Action>();
        var lines = File.ReadAllText(path).Split('\n');
        // The text after the last newline is a line whose write did not complete; lines after the last commit line
        // belong to a request whose write did not complete: neither is applied.
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var f = lines[i].Split(',');
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
                        break;
                    case "A" when f.Length >= 5 && f[1] == "1":
                        if (i != 0)
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
                        break;
                    case "D" when f.Length == 14:
                        var d = new ServerDeal
                        {
                            Ticket = L(f[1]), Order = L(f[2]), PositionTicket = L(f[3]), Symbol = (int)L(f[4]), TimeMsc = L(f[5]),
                            Entry = (int)L(f[6]), Type = (int)L(f[7]), Reason = (int)L(f[8]), Magic = L(f[9]),
                            Volume = D(f[10]), Price = D(f[11]), ProfitCents = L(f[12]), CommissionCents = L(f[13]),
                        };
                        staged.Add(() =>
                        {
                            state.AllDeals.Add(d);
                            state.DealsCents += d.ProfitCents + d.CommissionCents;
                            state.LastTimeMsc = Math.Max(state.LastTimeMsc, d.TimeMsc);
                            state.LastOrder = Math.Max(state.LastOrder, Math.Max(d.Order, d.PositionTicket));
                        });
                        break;
                    case "P" when f.Length == 13:
                        var p = new ServerPosition
                        {
                            Ticket = L(f[1]), Symbol = (int)L(f[2]), Direction = (int)L(f[3]), Volume = D(f[4]), PriceOpen = D(f[5]),
                            Sl = D(f[6]), Tp = D(f[7]), Magic = L(f[8]), TimeMsc = L(f[9]), InstructionId = L(f[10]), Margin = D(f[11]),
                            EntryCommissionCents = L(f[12]),
                        };
                        staged.Add(() =>
                        {
                            state.OpenPositions[p.Ticket] = p;
                            state.InstructionOf.TryAdd(p.Ticket, p.InstructionId);
                            state.LastOrder = Math.Max(state.LastOrder, p.Ticket);
                            state.LastTimeMsc = Math.Max(state.LastTimeMsc, p.TimeMsc);
                        });
                        break;
                    case "X" when f.Length == 2:
                        var ticket = L(f[1]);
                        staged.Add(() => state.OpenPositions.Remove(ticket));
                        break;
                    default:
                        throw new FormatException($"unknown record '{f[0]}' with {f.Length} fields");
                }
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{path}, line {i + 1}: {e.Message}", e);
            }
        }

        return state;
    }

    /// <summary>Length of the file up to and including its last commit line (0 when it has none).</summary>
    private static long CompleteLength(FileStream file)
    {
        var bytes = new byte[file.Length];
        file.Seek(0, SeekOrigin.Begin);
        file.ReadExactly(bytes);
        for (var k = bytes.Length - 2; k >= 0; k--)
        {
            if (bytes[k] == (byte)'C' && bytes[k + 1] == (byte)'\n' && (k == 0 || bytes[k - 1] == (byte)'\n'))
            {
                return k + 2;
            }
        }

        return 0;
    }

    private static long L(string s) => long.Parse(s, NumberStyles.Integer, Inv);

    private static double D(string s) => double.Parse(s, NumberStyles.Float, Inv);

    /// <summary>Adds a record to the request being written (on the disk at the next <see cref="Commit"/>).</summary>
    private void Write(StringBuilder line) => _pending.Append(line).Append('\n');
}
