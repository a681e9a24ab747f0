using Microsoft.Data.Sqlite;
using Xunit;

namespace KimiEA.Native.Tests.Standin;

/// <summary>
/// The engine library is one file (issue #14, "One library file"): SQLite is linked into it statically
/// (src/KimiEA.Native/StaticSqlite.targets), so a copy of KimiEA.so alone in an empty folder, loaded by a host with an
/// empty library path, opens and writes its journal. The library published with SQLitePCLRaw's separate
/// libe_sqlite3.so beside it fails this test: alone, it cannot open the journal.
/// </summary>
public sealed class SingleFileLibraryTests : IDisposable
{
    private readonly DirectoryInfo _libraryDir = Directory.CreateTempSubdirectory("kimiea-alone-lib-");
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kimiea-alone-work-");

    [Fact]
    public void The_library_alone_in_an_empty_folder_journals_with_an_empty_library_path()
    {
        var published = Testing.RepoPaths.NativeLibrary;
        Assert.True(File.Exists(published), $"the engine library {published} does not exist: run ./build.sh first");
        var alone = Path.Combine(_libraryDir.FullName, "KimiEA.so");
        File.Copy(published, alone);
        Assert.Equal(["KimiEA.so"], _libraryDir.GetFiles().Select(f => f.Name));

        var outcome = StandinProcess.Run(StandinProcess.Compiled,
        [
            alone,
            Testing.RepoPaths.Sample("lean-oanda", "EURUSD_ticks_2014-05-07_08.norm.csv"),
            Testing.RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv"),
            _work.FullName,
            "--quiet",
            .. StandinRun.Inputs,
        ], TimeSpan.FromMinutes(10), new Dictionary<string, string> { ["LD_LIBRARY_PATH"] = string.Empty });

        Assert.True(outcome.ExitCode == 0, $"the stand-in exited with {outcome.ExitCode}:\n{outcome.Tail()}");
        Assert.Equal(0, StandinProcess.Number(StandinProcess.Summary(outcome.StdOut), "violations"));

        // The journal the library wrote: the two adopted positions and the fills of the run are rows of it.
        var journal = Path.Combine(_work.FullName, "standin-journal.db");
        Assert.True(File.Exists(journal), $"the library wrote no journal at {journal}");
        using var connection = new SqliteConnection($"Data Source={journal};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var fills = connection.CreateCommand();
        fills.CommandText = "SELECT COUNT(*) FROM events WHERE kind = 5";
        var fillRows = Convert.ToInt64(fills.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(fillRows >= 2, $"the journal holds {fillRows} fill rows; the stand-in adopts two positions and opens more");
        // Nothing was put beside the library while it ran.
        Assert.Equal(["KimiEA.so"], _libraryDir.GetFiles().Select(f => f.Name));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _libraryDir.Delete(recursive: true);
        _work.Delete(recursive: true);
    }
}
