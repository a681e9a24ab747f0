using Xunit;

namespace KimiEA.Native.Tests.Standin;

/// <summary>
/// The C stand-in is compiled from include/kimiea.h with every warning an error: a header change that breaks the C
/// side of the ABI (a renamed export, a changed struct, a changed prototype) fails here first.
/// </summary>
public sealed class StandinCompileTests
{
    private static readonly string[] LibmCandidates = ["/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6", "/lib64/libm.so.6"];

    [Fact]
    public void Standin_compiles_against_the_header_with_warnings_as_errors()
    {
        var dir = Directory.CreateTempSubdirectory("kimiea-standin-compile-");
        try
        {
            var output = Path.Combine(dir.FullName, "standin");
            var outcome = StandinProcess.Compile(output);
            Assert.True(outcome.ExitCode == 0, $"gcc {string.Join(' ', StandinProcess.GccArguments(output))} failed:\n{outcome.Tail()}");
            Assert.True(File.Exists(output), "gcc reported success but wrote no binary");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Standin_refuses_to_start_without_its_arguments()
    {
        // The usage error is the stand-in's own contract (exit 2 = the run could not start), so a test harness that
        // passes the wrong arguments can never be mistaken for a passing run.
        var outcome = StandinProcess.Run(StandinProcess.Compiled, [], TimeSpan.FromSeconds(30));
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("usage: standin", outcome.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Standin_names_the_missing_export_of_a_library_that_lacks_it()
    {
        // libm is a real shared library without any kimi_* export: the stand-in must stop with exit 2 and name the
        // first export it could not bind, never run half a sequence.
        var libm = LibmCandidates.FirstOrDefault(File.Exists);
        Assert.True(libm is not null, "no libm.so.6 found to play a library without the KimiEA exports");
        var work = Directory.CreateTempSubdirectory("kimiea-standin-nolib-");
        try
        {
            var outcome = StandinProcess.Run(StandinProcess.Compiled,
                [libm!, Testing.RepoPaths.Sample("lean-oanda", "EURUSD_ticks_2014-05-07_08.norm.csv"), Testing.RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv"), work.FullName],
                TimeSpan.FromSeconds(30));
            Assert.Equal(2, outcome.ExitCode);
            Assert.Contains("does not export kimi_abi_version", outcome.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
