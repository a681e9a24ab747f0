using System.Globalization;
using KimiEA.Native.Tests.Exports;
using Xunit;
using Xunit.Abstractions;

namespace KimiEA.Native.Tests.Fuzz;

/// <summary>
/// The ABI fuzzer (<see cref="AbiFuzzer"/>) against the published library. CI runs a short seeded run (a few
/// seconds); <c>KIMI_FUZZ_LONG=1</c> runs at least 10 million calls; <c>KIMI_FUZZ_SEED=N</c> replays a seed (a failure
/// prints the seed and the call number in its message).
/// </summary>
[Collection(NativeAccountGroup.Name)]
public sealed class AbiFuzzTests(ITestOutputHelper output)
{
    private const long DefaultSeed = 20_261_206;

    [Fact]
    public void Hostile_and_valid_calls_over_four_agents_keep_every_invariant()
    {
        var seed = Environment.GetEnvironmentVariable("KIMI_FUZZ_SEED") is { Length: > 0 } s
            ? long.Parse(s, CultureInfo.InvariantCulture)
            : DefaultSeed;
        var calls = Environment.GetEnvironmentVariable("KIMI_FUZZ_LONG") == "1" ? 10_000_000L : 300_000L;
        var start = NativeAccount.FreshDayMs() + 3_600_000;
        var fuzzer = new AbiFuzzer(NativeAccount.Lib, seed, start);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            fuzzer.Start();
            fuzzer.Run(calls);
        }
        finally
        {
            fuzzer.Stop();
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}: {fuzzer.Calls} calls ({fuzzer.InvalidCalls} invalid, all refused), {fuzzer.Opens} OPEN instructions, {fuzzer.Trips} breaker trips, {(fuzzer.MarketMs - start) / 86_400_000.0:0} market days, {watch.Elapsed.TotalSeconds:0.0} s"));

        // The run must have exercised what it checks: entries (limits, one hand-out each), trips (the breaker rule)
        // and refusals.
        Assert.True(fuzzer.Calls >= calls);
        Assert.True(fuzzer.Opens > 0, "the run produced no OPEN instruction: the limits were never exercised");
        Assert.True(fuzzer.Trips > 0, "the breaker never tripped: its invariant was never exercised");
        Assert.True(fuzzer.InvalidCalls > calls / 100, "too few invalid calls");
    }
}
