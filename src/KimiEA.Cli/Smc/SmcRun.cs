using KimiEA.Core.Time;
using System.Text;
using KimiEA.Core.Market;
using KimiEA.Data;
using KimiEA.Smc.Structure;
using KimiEA.Smc.Time;

namespace KimiEA.Cli.Smc;

/// <summary>Which MT5 volume feeds the order-block volume.</summary>
internal enum VolumeSource
{
    /// <summary>The column named volume (real volume), as the reference reads it; 0 when the file has none.</summary>
    Real,

    /// <summary>The tick-volume column.</summary>
    Tick,

    /// <summary>Real volume when non-zero, else tick volume (<see cref="Bar.FromRates"/>).</summary>
    Auto,
}

/// <summary>Everything <c>kimi smc</c> was asked to do.</summary>
internal sealed record SmcRequest(
    string Input,
    string OutDir,
    StructureOptions Structure,
    PeriodFrame TimeFrame,
    PreviousPeriodRule PreviousRule,
    SessionWindow Session,
    MarketTimeZone? FileClock,
    VolumeSource Volume);

/// <summary>
/// Runs the analysis and writes the eight files. Output is staged in a temporary folder inside the output folder and
/// moved into place only after every file was written, so a failure leaves no partial output behind.
/// </summary>
internal static class SmcRun
{
    /// <summary>Runs <paramref name="request"/>; returns the process exit code (0 ok, 1 bad input, 2 cannot write).</summary>
    public static int Execute(SmcRequest request, TextWriter stdout, TextWriter stderr)
    {
        Bar[] bars;
        try
        {
            bars = ReadBars(request);
        }
        catch (Exception ex) when (ex is MarketDataException or InputFileException)
        {
            stderr.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {request.Input}: cannot read the file: {ex.Message}");
            return 1;
        }

        if (bars.Length == 0)
        {
            stderr.WriteLine($"error: {request.Input}: the file has a header but no bars");
            return 1;
        }

        IReadOnlyList<(string File, IReadOnlyList<PandasColumn> Columns)> tables;
        try
        {
            var structure = StructureBatch.Analyze(bars, request.Structure);
            var previous = TimeBatch.PreviousHighLow(bars, request.TimeFrame, request.PreviousRule);
            var sessions = TimeBatch.Sessions(bars, request.Session, MarketTimeZone.Utc);
            tables = SmcOutputs.Tables(structure, previous, sessions);
        }
        catch (ArgumentException ex)
        {
            // The detectors re-check their input; the reader normally reports these first with file and line.
            stderr.WriteLine($"error: {request.Input}: {CliErrors.Text(ex)}");
            return 1;
        }

        return WriteAll(request.OutDir, tables, stdout, stderr, bars.Length);
    }

    private static Bar[] ReadBars(SmcRequest request)
    {
        // As every reader of the product: naive times are read in the file's clock (--time-zone, else the format's
        // default: MT5 exports ny-close, HistData America/New_York, the rest UTC) and the bars are UTC from here on.
        var series = BarReader.ReadAll(request.Input, new DataReadOptions { TimeZone = request.FileClock });
        var bars = new Bar[series.Bars.Length];
        for (var i = 0; i < bars.Length; i++)
        {
            ref readonly var r = ref series.Bars[i];
            bars[i] = request.Volume switch
            {
                VolumeSource.Tick => new Bar(r.Time, r.Open, r.High, r.Low, r.Close, r.TickVolume),
                VolumeSource.Auto => Bar.FromRates(r),
                _ => new Bar(r.Time, r.Open, r.High, r.Low, r.Close, r.RealVolume),
            };
        }

        return bars;
    }

    private static int WriteAll(string outDir, IReadOnlyList<(string File, IReadOnlyList<PandasColumn> Columns)> tables, TextWriter stdout, TextWriter stderr, int rows)
    {
        string stage;
        try
        {
            Directory.CreateDirectory(outDir);
            stage = Path.Combine(outDir, $".kimi-smc-{Environment.ProcessId}-{Path.GetRandomFileName()}");
            Directory.CreateDirectory(stage);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {outDir}: cannot create the output folder: {ex.Message}");
            return 2;
        }

        var moved = new List<string>(tables.Count);
        try
        {
            foreach (var (file, columns) in tables)
            {
                using var w = new StreamWriter(Path.Combine(stage, file), false, new UTF8Encoding(false), 1 << 16);
                PandasCsv.Write(w, columns);
            }

            foreach (var (file, _) in tables)
            {
                File.Move(Path.Combine(stage, file), Path.Combine(outDir, file), overwrite: true);
                moved.Add(Path.Combine(outDir, file));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A half-replaced set of files would mix two runs: take back the ones already moved.
            foreach (var f in moved)
            {
                TryDeleteFile(f);
            }

            stderr.WriteLine($"error: {outDir}: cannot write the output files: {ex.Message}");
            return 2;
        }
        finally
        {
            TryDelete(stage);
        }

        stdout.WriteLine($"kimi smc: {rows} bars, wrote {string.Join(", ", tables.Select(t => t.File))} to {outDir}");
        return 0;
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort while already reporting the original failure.
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: the staging folder is hidden and holds only our own temporary files.
        }
    }
}
