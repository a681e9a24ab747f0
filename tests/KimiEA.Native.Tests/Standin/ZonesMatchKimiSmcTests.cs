using System.Globalization;
using KimiEA.Core.Abi;
using Xunit;

namespace KimiEA.Native.Tests.Standin;

/// <summary>
/// kimi_get_zones equals what <c>kimi smc</c> writes for the same bars (issue #14, "SMC zones on the chart"). The C
/// stand-in drives the library over two days of real EURUSD ticks (warm-up plus closed M15 bars), reads the zones after
/// every closed bar (checking the invariants the EA's drawing relies on itself) and writes the bars it fed and the last
/// zones; the published <c>kimi smc</c> then analyses exactly those bars with the chart's structure inputs, and every
/// exported zone must be the row <c>kimi smc</c> wrote for it. <c>kimi smc</c> analyses the file as a whole (its last
/// bar is the end of data), so it may know more in the last bars; the export must never contradict it.
/// </summary>
public sealed class ZonesMatchKimiSmcTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("kimiea-zones-");

    [Fact]
    public void Exported_zones_are_the_rows_kimi_smc_writes_for_the_same_bars()
    {
        var library = Testing.RepoPaths.NativeLibrary;
        Assert.True(File.Exists(library), $"the engine library {library} does not exist: run ./build.sh first");
        var run = StandinProcess.Run(StandinProcess.Compiled,
        [
            library,
            Testing.RepoPaths.Sample("lean-oanda", "EURUSD_ticks_2014-05-07_08.norm.csv"),
            Testing.RepoPaths.Sample("lean-oanda", "EURUSD_M1_2014-05.norm.csv"),
            _work.FullName, "--quiet", "--no-journal", "--zones-out", _work.FullName,
        ], TimeSpan.FromMinutes(10));
        Assert.True(run.ExitCode == 0, $"the stand-in exited with {run.ExitCode}:\n{run.Tail()}");
        var summary = StandinProcess.Summary(run.StdOut);
        Assert.Equal(StandinProcess.Number(summary, "bars") + 1, StandinProcess.Number(summary, "zone_calls")); // after the warm-up and every closed bar

        var defaults = KimiConfig.Defaults(1, 900);
        var smcDir = Path.Combine(_work.FullName, "smc");
        var smc = StandinProcess.Run(Tester.KimiLauncher,
        [
            "smc", "--input", Path.Combine(_work.FullName, "bars.norm.csv"), "--out", smcDir,
            "--swing-length", defaults.SwingLength.ToString(CultureInfo.InvariantCulture),
            "--range-percent", defaults.RangePercent.ToString("R", CultureInfo.InvariantCulture), "--volume", "auto",
        ], TimeSpan.FromMinutes(5), new Dictionary<string, string> { ["KIMI_NATIVE_LIB"] = library });
        Assert.True(smc.ExitCode == 0, $"kimi smc exited with {smc.ExitCode}:\n{smc.Tail()}");

        var barTimes = File.ReadLines(Path.Combine(_work.FullName, "bars.norm.csv")).Skip(1)
            .Select(l => DateTimeOffset.Parse(l[..l.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture).ToUnixTimeSeconds()).ToArray();
        var indexOf = barTimes.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var zones = Csv(Path.Combine(_work.FullName, "zones.csv"));
        var ob = Csv(Path.Combine(smcDir, "ob.csv"));
        var fvg = Csv(Path.Combine(smcDir, "fvg.csv"));
        var bos = Csv(Path.Combine(smcDir, "bos_choch.csv"));
        var swings = Csv(Path.Combine(smcDir, "swing_highs_lows.csv"));
        var liquidity = Csv(Path.Combine(smcDir, "liquidity.csv"));
        Assert.Equal(barTimes.Length, fvg.Count);

        var problems = new List<string>();
        int Row(long time, string what)
        {
            if (indexOf.TryGetValue(time, out var i))
            {
                return i;
            }

            problems.Add($"{what}: time {time} is not the open time of a bar fed");
            return -1;
        }

        var exportedFvg = new HashSet<int>();
        foreach (var z in zones)
        {
            var kind = (int)N(z["kind"]);
            var dir = N(z["direction"]);
            var top = N(z["top"]);
            var bottom = N(z["bottom"]);
            var at = Row((long)N(z["start_time"]), $"zone kind {kind}");
            if (at < 0)
            {
                continue;
            }

            switch (kind)
            {
                case AbiCodes.ZoneOrderBlock:
                    // float32 columns in the file: the export carries the same float32-rounded levels
                    if (N(ob[at]["OB"]) != dir || (float)top != F(ob[at]["Top"]) || (float)bottom != F(ob[at]["Bottom"]) || N(ob[at]["MitigatedIndex"]) != 0
                        || (float)N(z["value"]) != F(ob[at]["Percentage"]))
                    {
                        problems.Add($"order block at bar {at}: export {dir} {top}/{bottom} {z["value"]}%, ob.csv {string.Join(',', ob[at].Values)}");
                    }

                    break;
                case AbiCodes.ZoneFvg:
                    exportedFvg.Add(at);
                    if (N(fvg[at]["FVG"]) != dir || top != N(fvg[at]["Top"]) || bottom != N(fvg[at]["Bottom"]) || N(fvg[at]["MitigatedIndex"]) != 0)
                    {
                        problems.Add($"gap at bar {at}: export {dir} {top}/{bottom}, fvg.csv {string.Join(',', fvg[at].Values)}");
                    }

                    break;
                case AbiCodes.ZoneBreak:
                    var column = ((long)N(z["flags"]) & AbiCodes.ZoneFlagChoch) != 0 ? "CHOCH" : "BOS";
                    var broken = Row((long)N(z["end_time"]), "break");
                    if (N(bos[at][column]) != dir || (float)top != F(bos[at]["Level"]) || N(bos[at]["BrokenIndex"]) != broken)
                    {
                        problems.Add($"{column} at bar {at}: export {dir} {top} broken at {broken}, bos_choch.csv {string.Join(',', bos[at].Values)}");
                    }

                    break;
                case AbiCodes.ZoneLeg:
                    var end = Row((long)N(z["end_time"]), "leg");
                    var levels = new[] { at, end }.Where(i => i >= 0).Select(i => (Kind: N(swings[i]["HighLow"]), Level: N(swings[i]["Level"]))).ToList();
                    if (!levels.Contains((1, top)) || !levels.Contains((-1, bottom)) || N(z["value"]) != (top + bottom) / 2)
                    {
                        problems.Add($"leg {at}..{end}: export {top}/{bottom}, swing_highs_lows.csv {string.Join("; ", levels)}");
                    }

                    break;
                case AbiCodes.ZoneLiquidity:
                    var swept = ((long)N(z["flags"]) & AbiCodes.ZoneFlagSwept) != 0;
                    var last = Row((long)N(z["end_time"]), "pool");
                    if (N(liquidity[at]["Liquidity"]) != dir || (float)top != F(liquidity[at]["Level"])
                        || N(liquidity[at][swept ? "Swept" : "End"]) != last || N(liquidity[at]["End"]) == 0)
                    {
                        problems.Add($"pool at bar {at}: export {dir} {top} to {last} swept {swept}, liquidity.csv {string.Join(',', liquidity[at].Values)}");
                    }

                    break;
                default:
                    problems.Add($"unknown zone kind {kind}");
                    break;
            }
        }

        // Gaps are final one bar after their middle candle and mitigated bar by bar, so the sets are equal.
        var fileFvg = Enumerable.Range(0, fvg.Count).Where(i => fvg[i]["FVG"] != string.Empty && N(fvg[i]["MitigatedIndex"]) == 0).ToHashSet();
        if (!fileFvg.SetEquals(exportedFvg))
        {
            problems.Add($"unmitigated gaps: fvg.csv [{string.Join(',', fileFvg.Order())}], export [{string.Join(',', exportedFvg.Order())}]");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Contains(zones, z => (int)N(z["kind"]) == AbiCodes.ZoneOrderBlock);
        Assert.Contains(zones, z => (int)N(z["kind"]) == AbiCodes.ZoneBreak);
        Assert.Contains(zones, z => (int)N(z["kind"]) == AbiCodes.ZoneLeg);
        Assert.True(exportedFvg.Count >= 3, $"only {exportedFvg.Count} gaps were compared");
    }

    private static double N(string cell) => cell.Length == 0 ? double.NaN : double.Parse(cell, CultureInfo.InvariantCulture);

    private static float F(string cell) => cell.Length == 0 ? float.NaN : float.Parse(cell, CultureInfo.InvariantCulture);

    private static List<Dictionary<string, string>> Csv(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal)).ToList();
    }

    /// <inheritdoc/>
    public void Dispose() => _work.Delete(recursive: true);

    private static class Tester
    {
        /// <summary>The published launcher (./build.sh); a missing build fails with what to do.</summary>
        public static string KimiLauncher
        {
            get
            {
                var launcher = Testing.RepoPaths.Path("artifacts", "kimi");
                Assert.True(File.Exists(launcher), $"{launcher} is missing: run ./build.sh (./test.sh does) first.");
                return launcher;
            }
        }
    }
}
