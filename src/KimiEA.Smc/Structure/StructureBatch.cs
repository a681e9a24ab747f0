using KimiEA.Core.Market;
using KimiEA.Core.Trading;

namespace KimiEA.Smc.Structure;

/// <summary>
/// One reference output table: the reference function's name (file stem for CSV output), its column names in the
/// reference's order, and one double array per column with one row per bar (NaN where the reference writes an empty cell).
/// </summary>
public sealed class ColumnTable
{
    private readonly double[][] _values;

    /// <summary>Creates a table of <paramref name="rows"/> rows, every cell NaN.</summary>
    public ColumnTable(string name, int rows, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Name = name;
        Columns = columns;
        _values = new double[columns.Length][];
        for (var c = 0; c < columns.Length; c++)
        {
            _values[c] = new double[rows];
            Array.Fill(_values[c], double.NaN);
        }

        RowCount = rows;
    }

    /// <summary>Reference function name, e.g. "bos_choch".</summary>
    public string Name { get; }

    /// <summary>Column names exactly as the reference writes them.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of rows (= bars).</summary>
    public int RowCount { get; }

    /// <summary>The values of column <paramref name="column"/> (index into <see cref="Columns"/>).</summary>
    public double[] Column(int column) => _values[column];

    /// <summary>The values of the column named <paramref name="name"/>.</summary>
    public double[] Column(string name)
    {
        for (var c = 0; c < Columns.Count; c++)
        {
            if (Columns[c] == name)
            {
                return _values[c];
            }
        }

        throw new ArgumentException($"Table {Name} has no column '{name}' (columns: {string.Join(", ", Columns)}).", nameof(name));
    }
}

/// <summary>All structure tables of one batch run.</summary>
/// <param name="Swings">swing_highs_lows: HighLow, Level.</param>
/// <param name="Fvg">fvg: FVG, Top, Bottom, MitigatedIndex (join mode per the options).</param>
/// <param name="BosChoch">bos_choch: BOS, CHOCH, Level, BrokenIndex.</param>
/// <param name="OrderBlocks">ob: OB, Top, Bottom, OBVolume, MitigatedIndex, Percentage.</param>
/// <param name="Liquidity">liquidity: Liquidity, Level, End, Swept.</param>
/// <param name="Retracements">retracements: Direction, CurrentRetracement%, DeepestRetracement%.</param>
/// <param name="LiquidityTolerance">The tolerance R that was used.</param>
public sealed record StructureAnalysis(
    ColumnTable Swings, ColumnTable Fvg, ColumnTable BosChoch, ColumnTable OrderBlocks, ColumnTable Liquidity, ColumnTable Retracements,
    double LiquidityTolerance)
{
    /// <summary>The tables in a fixed order (swing_highs_lows, fvg, bos_choch, ob, liquidity, retracements).</summary>
    public IReadOnlyList<ColumnTable> All => [Swings, Fvg, BosChoch, OrderBlocks, Liquidity, Retracements];
}

/// <summary>
/// Batch analysis = a fold of the streaming <see cref="StructureEngine"/> over the whole series followed by
/// <see cref="StructureEngine.Finish"/>; the events are written into the reference's per-bar columns. The only
/// whole-series step is the liquidity tolerance R, computed first (as the reference does) unless the options give it.
/// </summary>
public static class StructureBatch
{
    /// <summary>Analyses <paramref name="bars"/> with <paramref name="options"/> (defaults when null).</summary>
    public static StructureAnalysis Analyze(ReadOnlySpan<Bar> bars, StructureOptions? options = null)
    {
        var o = options ?? new StructureOptions();
        o.Validate();
        var r = o.LiquidityTolerance;
        if (double.IsNaN(r))
        {
            var max = double.NegativeInfinity;
            var min = double.PositiveInfinity;
            foreach (ref readonly var b in bars)
            {
                max = Math.Max(max, b.High);
                min = Math.Min(min, b.Low);
            }

            r = bars.IsEmpty ? 0 : (max - min) * o.RangePercent;
        }

        var size = Math.Max(bars.Length + 8, (4 * o.SwingLength) + 8);
        var run = o with { LiquidityTolerance = r, HistoryCapacity = size, TrackedCapacity = size };
        var sink = new StructureColumnSink(bars.Length, o.PeerRetracementWrap);
        var engine = new StructureEngine(run, sink);
        foreach (ref readonly var b in bars)
        {
            engine.OnBar(b);
        }

        engine.Finish();
        return sink.Complete(r);
    }
}

/// <summary>
/// Folds structure events into the reference's per-bar columns. <see cref="StructureBatch"/> uses it; a streaming
/// caller can attach it to its own engine and call <see cref="Complete"/> after <see cref="StructureEngine.Finish"/>.
/// </summary>
public sealed class StructureColumnSink : IStructureEventSink
{
    private readonly int _n;
    private readonly bool _wrap;
    private readonly ColumnTable _swings;
    private readonly ColumnTable _fvg;
    private readonly ColumnTable _bos;
    private readonly ColumnTable _liq;
    private readonly ColumnTable _retr;
    private readonly OrderBlock?[] _bullOb;
    private readonly OrderBlock?[] _bearOb;
    private readonly double[] _dir;
    private readonly double[] _cur;
    private readonly double[] _deep;

    /// <summary>Creates columns for <paramref name="n"/> bars; <paramref name="wrap"/> = the reference's retracement wrap-around.</summary>
    public StructureColumnSink(int n, bool wrap)
    {
        _n = n;
        _wrap = wrap;
        _swings = new ColumnTable("swing_highs_lows", n, "HighLow", "Level");
        _fvg = new ColumnTable("fvg", n, "FVG", "Top", "Bottom", "MitigatedIndex");
        _bos = new ColumnTable("bos_choch", n, "BOS", "CHOCH", "Level", "BrokenIndex");
        _liq = new ColumnTable("liquidity", n, "Liquidity", "Level", "End", "Swept");
        _retr = new ColumnTable("retracements", n, "Direction", "CurrentRetracement%", "DeepestRetracement%");
        _bullOb = new OrderBlock?[n];
        _bearOb = new OrderBlock?[n];
        _dir = new double[n];
        _cur = new double[n];
        _deep = new double[n];
    }

    /// <inheritdoc/>
    public void OnSwing(in Swing swing)
    {
        _swings.Column(0)[swing.Index] = (int)swing.Kind;
        _swings.Column(1)[swing.Index] = swing.Level;
    }

    /// <inheritdoc/>
    public void OnFairValueGap(in FairValueGap gap, FvgChange change)
    {
        var i = gap.Index;
        _fvg.Column(0)[i] = (int)gap.Direction;
        _fvg.Column(1)[i] = gap.Top;
        _fvg.Column(2)[i] = gap.Bottom;
        _fvg.Column(3)[i] = gap.MitigatedIndex;
    }

    /// <inheritdoc/>
    public void OnStructureBreak(in StructureBreak row, BreakChange change)
    {
        var i = row.Index;
        switch (change)
        {
            case BreakChange.Flagged:
            _bos.Column(row.IsChoch ? 1 : 0)[i] = (int)row.Direction;
            _bos.Column(2)[i] = row.Level;
            break;
            case BreakChange.Broken:
            _bos.Column(3)[i] = row.BrokenIndex;
            break;
            case BreakChange.Cleared:
            case BreakChange.Expired:
            _bos.Column(0)[i] = double.NaN;
            _bos.Column(1)[i] = double.NaN;
            _bos.Column(2)[i] = double.NaN;
            break;
            default:
            break;
        }
    }

    /// <inheritdoc/>
    public void OnOrderBlock(in OrderBlock block, OrderBlockChange change)
    {
        var slots = block.Direction == Direction.Buy ? _bullOb : _bearOb;
        slots[block.Index] = change == OrderBlockChange.Erased ? null : block;
    }

    /// <inheritdoc/>
    public void OnLiquidityPool(in LiquidityPool pool, PoolChange change)
    {
        var i = pool.Index;
        _liq.Column(0)[i] = (int)pool.Kind;
        _liq.Column(1)[i] = pool.Level;
        _liq.Column(2)[i] = pool.End;
        _liq.Column(3)[i] = pool.Swept;
    }

    /// <inheritdoc/>
    public void OnRetracement(in Retracement value)
    {
        _dir[value.Index] = value.Direction;
        _cur[value.Index] = value.Current;
        _deep[value.Index] = value.Deepest;
    }

    /// <summary>Builds the tables; <paramref name="tolerance"/> is recorded as the liquidity R used.</summary>
    public StructureAnalysis Complete(double tolerance)
    {
        var ob = new ColumnTable("ob", _n, "OB", "Top", "Bottom", "OBVolume", "MitigatedIndex", "Percentage");
        for (var i = 0; i < _n; i++)
        {
            // The reference keeps one row per bar; when a bar is both, the bearish block is written last and wins.
            var b = _bearOb[i] ?? _bullOb[i];
            if (b is { } blk)
            {
                ob.Column(0)[i] = (int)blk.Direction;
                ob.Column(1)[i] = blk.Top;
                ob.Column(2)[i] = blk.Bottom;
                ob.Column(3)[i] = blk.Volume;
                ob.Column(4)[i] = blk.MitigatedIndex;
                ob.Column(5)[i] = blk.Percentage;
            }
        }

        FillRetracements();
        return new StructureAnalysis(_swings, _fvg, _bos, ob, _liq, _retr, tolerance);
    }

    // The reference displays bar i's values on row i+1; row 0 shows zeros (or, peer mode, the last bar's values,
    // its wrap-around), then the first three direction changes are blanked as warm-up.
    private void FillRetracements()
    {
        if (_n == 0)
        {
            return;
        }

        var dir = _retr.Column(0);
        var cur = _retr.Column(1);
        var deep = _retr.Column(2);
        for (var r = 1; r < _n; r++)
        {
            (dir[r], cur[r], deep[r]) = (_dir[r - 1], _cur[r - 1], _deep[r - 1]);
        }

        (dir[0], cur[0], deep[0]) = _wrap ? (_dir[_n - 1], _cur[_n - 1], _deep[_n - 1]) : (0, 0, 0);
        var changes = 0;
        for (var i = 0; i + 1 < _n; i++)
        {
            if (dir[i] != dir[i + 1])
            {
                changes++;
            }

            (dir[i], cur[i], deep[i]) = (0, 0, 0);
            if (changes == 3)
            {
                (dir[i + 1], cur[i + 1], deep[i + 1]) = (0, 0, 0);
                break;
            }
        }
    }
}
