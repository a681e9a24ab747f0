using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace KimiEA.Native.Tests.Standin;

/// <summary>The outcome of one child process.</summary>
internal sealed record ProcessOutcome(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>The last lines of both streams, for assertion messages.</summary>
    public string Tail(int lines = 40)
    {
        var all = (StdOut + Environment.NewLine + StdErr).Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}

/// <summary>
/// Compiles tests/standin/standin.c with gcc (as the issue requires: the C stand-in is built by the tests, against
/// include/kimiea.h) and runs it.
/// </summary>
internal static partial class StandinProcess
{
    private static readonly Lazy<string> Binary = new(CompileOnce);

    /// <summary>The stand-in's source.</summary>
    public static string Source => Testing.RepoPaths.Path("tests", "standin", "standin.c");

    /// <summary>The folder of kimiea.h.</summary>
    public static string IncludeDir => Testing.RepoPaths.Path("src", "KimiEA.Native", "include");

    /// <summary>
    /// The gcc arguments: strict C11 with every warning an error, <c>-lm</c> for the stand-in's own rounding
    /// and <c>-ldl</c> for dlopen. Nothing on the engine's behalf: the engine library carries SQLite inside it and names
    /// its own system libraries (<see cref="SingleFileLibraryTests"/>).
    /// </summary>
    public static string[] GccArguments(string output) =>
    [
        "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", IncludeDir, "-o", output, Source, "-lm", "-ldl",
    ];

    /// <summary>The compiled stand-in (compiled once per test run into a private temporary folder).</summary>
    public static string Compiled => Binary.Value;

    /// <summary>Compiles the stand-in into <paramref name="output"/>.</summary>
    public static ProcessOutcome Compile(string output) => Run(FindGcc(), GccArguments(output), TimeSpan.FromMinutes(2));

    /// <summary>Runs a program and waits for it; throws if it outlives <paramref name="timeout"/>.</summary>
    public static ProcessOutcome Run(string program, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeout}");
        }

        process.WaitForExit();
        return new ProcessOutcome(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>gcc on the PATH; a clear failure when it is missing (the tests need it, they never skip).</summary>
    public static string FindGcc()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "gcc");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("gcc was not found on the PATH: the C stand-in (tests/standin/standin.c) is compiled by the tests. Install gcc (e.g. apt-get install gcc); .ci/run does this.");
    }

    /// <summary>The key=value pairs of the stand-in's "standin: summary" line.</summary>
    public static IReadOnlyDictionary<string, string> Summary(string stdout)
    {
        var line = stdout.Split('\n').LastOrDefault(l => l.StartsWith("standin: summary ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("the stand-in printed no summary line");
        return SummaryPair().Matches(line).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
    }

    /// <summary>An integer of the summary.</summary>
    public static long Number(IReadOnlyDictionary<string, string> summary, string key) =>
        summary.TryGetValue(key, out var v)
            ? long.Parse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
            : throw new KeyNotFoundException($"the stand-in's summary has no '{key}'");

    private static string CompileOnce()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kimiea-standin-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        var output = Path.Combine(dir, "standin");
        var outcome = Compile(output);
        if (outcome.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"gcc could not compile {Source} (exit {outcome.ExitCode}):\n{outcome.Tail()}");
        }

        return output;
    }

    [GeneratedRegex(@"(\w+)=(\S+)")]
    private static partial Regex SummaryPair();
}
