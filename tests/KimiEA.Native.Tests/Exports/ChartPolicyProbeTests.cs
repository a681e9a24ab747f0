using System.Globalization;
using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.NativeHost;
using KimiEA.Testing;
using Xunit;

namespace KimiEA.Native.Tests.Exports;

/// <summary>
/// Issue 11's probes, through the exported ABI: several charts in one terminal, each deciding by its own inputs. The
/// engine once read mode and thresholds from the FIRST chart attached, so a Simulation chart attached after a Paper
/// or Live chart handed out real orders, and a chart asking 0.95 opened at a lower confidence. Two charts on the same
/// real EURUSD H1 history (one process, one account book) see the same signals; only their own inputs may differ in
/// what they do with them.
/// </summary>
[Collection(NativeAccountGroup.Name)]
public sealed unsafe class ChartPolicyProbeTests
{
    private static KimiNative Lib => NativeAccount.Lib;
    private static readonly Lazy<MqlRates[]> H1 = new(ReadH1);

    // The library's account clock is process-wide and only moves forward (as a terminal's does): each probe replays
    // two years of the history moved, by whole weeks, onto fresh days no other test of the process uses.
    private static int _nextWindow;

    private static KimiSymbolSpec EurUsd => ExportContractTests.EurUsd;

    private static MqlRates[] ReadH1()
    {
        var rows = new List<MqlRates>();
        foreach (var line in File.ReadLines(RepoPaths.Sample("lean-oanda", "EURUSD_H1_2007-2018.norm.csv")).Skip(1))
        {
            var f = line.Split(',');
            var t = DateTimeOffset.Parse(f[0], CultureInfo.InvariantCulture).ToUnixTimeSeconds();
            double P(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            rows.Add(new MqlRates(t, P(1), P(2), P(3), P(4), 100, 10, 0));
        }

        return [.. rows];
    }

    private static long Create(long magic, long mode, double minConf, double autoConf, in KimiAccount account, string? allowList = null)
    {
        var cfg = KimiConfig.Defaults(magic, 3600);
        cfg.Mode = mode;
        cfg.LiveOptIn = mode == AbiCodes.ModeLive ? 1 : 0;
        cfg.MinConfidence = minConf;
        cfg.AutoExecuteConfidence = autoConf;
        var h = Lib.CreateAgent(cfg, "EURUSD", EurUsd, account, null, allowList);
        Assert.True(h > 0, $"kimi_create returned {h}: {Lib.ReadLastError(0)}");
        return h;
    }

    /// <summary>Replays the bars through every chart (tick at each bar's close, then the bar) and returns, per chart, the signals seen, the OPENs handed out and the signals at confidence 0.95 or above.</summary>
    private static (int Signals, int Opens, int SignalsAt095)[] Replay(KimiAccount account, params long[] charts)
    {
        // Two years of the shipped H1 history per probe (2009–2010, 2011–2012, ...): enough setups, quick to replay.
        var year = 2009 + (2 * Interlocked.Increment(ref _nextWindow)) - 2;
        var from = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var to = new DateTimeOffset(year + 2, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var bars = Array.FindAll(H1.Value, b => b.Time >= from && b.Time < to);
        const long week = 7 * 86_400;
        var firstMonday = bars[0].Time - ((bars[0].Time + (3 * 86_400)) % week); // 1970-01-01 was a Thursday
        var shift = (NativeAccount.FreshDaysMs((int)((to - firstMonday) / 86_400) + 7) / 1000) - firstMonday;
        for (var i = 0; i < bars.Length; i++)
        {
            bars[i].Time += shift;
        }

        var counts = new (int Signals, int Opens, int SignalsAt095)[charts.Length];
        var ins = stackalloc KimiInstruction[16];
        var evs = stackalloc KimiEvent[64];
        var warm = 300;
        try
        {
            return ReplayBars(account, charts, bars, warm, counts, ins, evs);
        }
        finally
        {
            foreach (var h in charts)
            {
                Lib.Destroy(h, 1);
            }
        }
    }

    private static (int Signals, int Opens, int SignalsAt095)[] ReplayBars(KimiAccount account, long[] charts, MqlRates[] bars, int warm,
        (int Signals, int Opens, int SignalsAt095)[] counts, KimiInstruction* ins, KimiEvent* evs)
    {
        fixed (MqlRates* w = bars)
        {
            foreach (var h in charts)
            {
                Assert.True(Lib.Warmup(h, w, warm) >= 0, Lib.ReadLastError(h));
            }
        }

        for (var i = warm; i < bars.Length - 1; i++)
        {
            var closeMsc = (bars[i].Time + 3600) * 1000;
            var tick = new MqlTick(closeMsc, bars[i].Close, bars[i].Close + 0.00010);
            var bar = bars[i];
            for (var c = 0; c < charts.Length; c++)
            {
                var h = charts[c];
                Assert.True(Lib.OnTick(h, &tick, &account) >= 0, Lib.ReadLastError(h));
                Assert.True(Lib.OnBar(h, &bar) >= 0, Lib.ReadLastError(h));
                int n;
                while ((n = Lib.PollInstructions(h, ins, 16)) > 0)
                {
                    for (var k = 0; k < n; k++)
                    {
                        if (ins[k].Kind == AbiCodes.InstrOpen)
                        {
                            counts[c].Opens++;
                        }

                        // The broker refuses everything: no position is ever held, so every later signal is decided afresh.
                        var result = new KimiOrderResult { InstructionId = ins[k].Id, Retcode = 10006, TimeMsc = closeMsc };
                        Assert.True(Lib.ReportResult(h, &result) >= 0, Lib.ReadLastError(h));
                    }
                }

                while ((n = Lib.PollEvents(h, evs, 64)) > 0)
                {
                    for (var k = 0; k < n; k++)
                    {
                        if (evs[k].Kind == AbiCodes.EvtSignal)
                        {
                            counts[c].Signals++;
                            counts[c].SignalsAt095 += evs[k].Value >= 0.95 ? 1 : 0;
                        }

                    }
                }
            }
        }

        return counts;
    }

    private static KimiAccount Demo => new() { Login = 91, TradeMode = 0, MarginMode = 2, Leverage = 100, Balance = 100_000, Equity = 100_000, FreeMargin = 100_000 };

    [Fact]
    public void A_simulation_chart_attached_after_a_paper_chart_hands_out_no_order()
    {
        var paper = Create(9101, AbiCodes.ModePaper, 0, 0, Demo);
        var simulation = Create(9102, AbiCodes.ModeSimulation, 0, 0, Demo);
        var counts = Replay(Demo, paper, simulation);
        Assert.True(counts[1].Signals > 0, "the simulation chart saw no signal: the probe checks nothing");
        Assert.True(counts[0].Opens > 0, "the paper chart opened nothing: the probe checks nothing");
        Assert.Equal(0, counts[1].Opens);
    }

    [Fact]
    public void A_simulation_chart_attached_after_a_live_chart_hands_out_no_order()
    {
        var real = Demo with { Login = 92, TradeMode = 2 };
        var live = Create(9103, AbiCodes.ModeLive, 0, 0, real, "92");
        var simulation = Create(9104, AbiCodes.ModeSimulation, 0, 0, real);
        var counts = Replay(real, live, simulation);
        Assert.True(counts[0].Opens > 0, "the live chart opened nothing: the probe checks nothing");
        Assert.True(counts[1].Signals > 0);
        Assert.Equal(0, counts[1].Opens);
    }

    [Fact]
    public void A_chart_asking_095_opens_nothing_below_it_while_a_permissive_chart_attached_first_trades()
    {
        var permissive = Create(9105, AbiCodes.ModePaper, 0, 0, Demo);
        var strict = Create(9106, AbiCodes.ModePaper, 0.95, 0.95, Demo);
        var counts = Replay(Demo, permissive, strict);
        Assert.True(counts[0].Opens > 0);
        Assert.True(counts[1].Signals > counts[1].SignalsAt095, "every signal reached 0.95: the probe checks nothing");
        Assert.True(counts[1].Opens <= counts[1].SignalsAt095, $"{counts[1].Opens} OPENs from {counts[1].SignalsAt095} signals at 0.95 or above");
    }
}

/// <summary>kimi_create's calibration_path (ABI 3): a file fitted for the chart's inputs loads; one fitted for others is refused naming them.</summary>
[Collection(NativeAccountGroup.Name)]
public sealed unsafe class CalibrationPathTests
{
    [Fact]
    public void A_calibration_file_is_loaded_when_it_fits_the_chart_and_refused_naming_the_difference_when_not()
    {
        var dir = Directory.CreateTempSubdirectory("kimi-calibration-abi-");
        try
        {
            var file = Path.Combine(dir.FullName, "eurusd-h1.json");
            File.WriteAllText(file, KimiEA.Smc.Signal.ShippedCalibration.File.ToJson()); // fitted on EURUSD H1 at the EA's defaults
            var h1 = NativeAccount.Config(9201, timeframe: 3600);
            var ok = NativeAccount.Lib.CreateAgent(h1, "EURUSD", NativeAccount.Spec, NativeAccount.Account(), null, null, file);
            Assert.True(ok > 0, NativeAccount.Lib.ReadLastError(0));
            NativeAccount.Lib.Destroy(ok, 1);

            var otherSwing = h1;
            otherSwing.SwingLength = 7;
            var refused = NativeAccount.Lib.CreateAgent(otherSwing, "EURUSD", NativeAccount.Spec, NativeAccount.Account(), null, null, file);
            Assert.Equal(AbiCodes.EConfig, refused);
            Assert.Contains("swing_length", NativeAccount.Lib.ReadLastError(0), StringComparison.Ordinal);

            var m15 = NativeAccount.Config(9202, timeframe: 900);
            Assert.Equal(AbiCodes.EConfig, NativeAccount.Lib.CreateAgent(m15, "EURUSD", NativeAccount.Spec, NativeAccount.Account(), null, null, file));

            var missing = NativeAccount.Lib.CreateAgent(h1, "EURUSD", NativeAccount.Spec, NativeAccount.Account(), null, null, Path.Combine(dir.FullName, "none.json"));
            Assert.True(missing < 0);
            Assert.Contains("none.json", NativeAccount.Lib.ReadLastError(0), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
