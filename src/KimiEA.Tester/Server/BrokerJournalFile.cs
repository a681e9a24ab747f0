using System.Globalization;
using System.Text;

namespace KimiEA.Tester.Server;

/// <summary>The broker state a <see cref="BrokerJournalFile"/> replays: what a restarted run continues from.</summary>
public sealed class BrokerState
{
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
}

/// <summary>
/// A write-ahead file of the broker's state: every deal and every position change is appended as one text line and
/// flushed to the disk before the server goes on, so a run killed at any point can be restarted on the same broker
/// state (<see cref="Replay"/> then <see cref="TradeServer.Restore"/>). A torn last line (the crash happened while it
/// was written) is ignored; any other bad line is an error naming its line number.
/// </summary>
public sealed class BrokerJournalFile : IBrokerJournal, IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly FileStream _file;
    private readonly StringBuilder _line = new(256);

    /// <summary>Opens (or creates) the file for appending.</summary>
    public BrokerJournalFile(string path)
    {
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

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

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    /// <summary>Reads a journal back into the state it describes.</summary>
    /// <exception cref="InvalidDataException">A line other than a torn last one is malformed.</exception>
    public static BrokerState Replay(string path)
    {
        var state = new BrokerState();
        var lines = File.ReadAllText(path).Split('\n');
        // The text after the last newline is a line whose write did not complete.
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var f = lines[i].Split(',');
            try
            {
                switch (f[0])
                {
                    case "D" when f.Length == 14:
                        var d = new ServerDeal
                        {
                            Ticket = L(f[1]), Order = L(f[2]), PositionTicket = L(f[3]), Symbol = (int)L(f[4]), TimeMsc = L(f[5]),
                            Entry = (int)L(f[6]), Type = (int)L(f[7]), Reason = (int)L(f[8]), Magic = L(f[9]),
                            Volume = D(f[10]), Price = D(f[11]), ProfitCents = L(f[12]), CommissionCents = L(f[13]),
                        };
                        state.AllDeals.Add(d);
                        state.DealsCents += d.ProfitCents + d.CommissionCents;
                        state.LastOrder = Math.Max(state.LastOrder, Math.Max(d.Order, d.PositionTicket));
                        break;
                    case "P" when f.Length == 13:
                        var p = new ServerPosition
                        {
                            Ticket = L(f[1]), Symbol = (int)L(f[2]), Direction = (int)L(f[3]), Volume = D(f[4]), PriceOpen = D(f[5]),
                            Sl = D(f[6]), Tp = D(f[7]), Magic = L(f[8]), TimeMsc = L(f[9]), InstructionId = L(f[10]), Margin = D(f[11]),
                            EntryCommissionCents = L(f[12]),
                        };
                        state.OpenPositions[p.Ticket] = p;
                        state.LastOrder = Math.Max(state.LastOrder, p.Ticket);
                        break;
                    case "X" when f.Length == 2:
                        state.OpenPositions.Remove(L(f[1]));
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

    private static long L(string s) => long.Parse(s, NumberStyles.Integer, Inv);

    private static double D(string s) => double.Parse(s, NumberStyles.Float, Inv);

    private void Write(StringBuilder line)
    {
        line.Append('\n');
        var bytes = Encoding.UTF8.GetBytes(line.ToString());
        _file.Write(bytes);
        _file.Flush(flushToDisk: true);
    }
}
