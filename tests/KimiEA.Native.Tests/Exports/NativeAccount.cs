using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.NativeHost;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Native.Tests.Exports;

/// <summary>
/// The published library holds ONE account per process (breaker, exposure, rate limiter, emergency stop, market
/// clock), like a terminal. Test classes that create agents through it run one at a time in this collection and
/// destroy every agent they create, so one test's account state never leaks into another's limits or clock.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeAccountGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "native account";
}

/// <summary>Helpers shared by the tests that drive the published library through its C exports.</summary>
internal static unsafe class NativeAccount
{
    public const long MsPerDay = 86_400_000;

    // Every test takes days after the previous test's, so the breaker state the process carries from one test to
    // the next (it survives the last chart's detach, as in a terminal) is always of an earlier day and rolls over.
    private static long _nextDay = new DateTimeOffset(2031, 1, 6, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() / MsPerDay;

    public static KimiNative Lib { get; } = KimiNative.Load(RepoPaths.NativeLibrary);

    /// <summary>Midnight (server time) of a fresh Monday-aligned block of 14 days for one test.</summary>
    public static long FreshDayMs() => Interlocked.Add(ref _nextDay, 14) * MsPerDay;

    /// <summary>Midnight (server time) of the first of <paramref name="days"/> fresh days (whole weeks) for one test.</summary>
    public static long FreshDaysMs(int days) => (Interlocked.Add(ref _nextDay, ((days + 13) / 14) * 14) - (((days + 13) / 14) * 14) + 14) * MsPerDay;

    public static KimiSymbolSpec Spec => new()
    {
        Digits = 5, Point = 0.00001, TickSize = 0.00001, TickValueProfit = 1, TickValueLoss = 1, ContractSize = 100_000,
        VolumeMin = 0.01, VolumeStep = 0.01, VolumeMax = 100, MarginPerLot = 3_666.67, NotionalPerLot = 110_000,
    };

    public static KimiAccount Account(double equity = 10_000) =>
        new() { Login = 1, TradeMode = 0, MarginMode = 2, Leverage = 30, Balance = 10_000, Equity = equity, FreeMargin = equity };

    public static KimiConfig Config(long magic, long timeframe = 900)
    {
        var c = KimiConfig.Defaults(magic, timeframe);
        c.Mode = AbiCodes.ModePaper;
        return c;
    }

    public static long Create(in KimiConfig config, string symbol)
    {
        var h = Lib.CreateAgent(config, symbol, Spec, Account(), null, null);
        Assert.True(h > 0, $"kimi_create returned {h}: {Lib.ReadLastError(0)}");
        return h;
    }

    public static int Tick(long h, long timeMs, double equity, double bid = 1.1000)
    {
        var tick = new MqlTick(timeMs, bid, bid + 0.0001);
        var account = Account(equity);
        return Lib.OnTick(h, &tick, &account);
    }

    public static int Timer(long h, long timeMs, double equity)
    {
        var account = Account(equity);
        return Lib.OnTimer(h, timeMs, &account);
    }

    public static KimiStatus Status(long h)
    {
        KimiStatus s;
        Assert.Equal(AbiCodes.Ok, Lib.GetStatus(h, &s));
        return s;
    }

    /// <summary>Drains events and log lines so the rings never fill during long runs.</summary>
    public static void Drain(long h)
    {
        var events = stackalloc KimiEvent[64];
        while (Lib.PollEvents(h, events, 64) == 64)
        {
        }

        var line = stackalloc char[256];
        while (Lib.PollLog(h, line, 256) > 0)
        {
        }
    }
}
