using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using Xunit;
using static KimiEA.Native.Tests.Exports.NativeAccount;

namespace KimiEA.Native.Tests.Exports;

/// <summary>
/// Issue 10, "refuse what is not a number or not possible", through the C exports: each case of the issue is refused
/// with KIMI_E_INVALID_ARGUMENT (KIMI_E_CONFIG for inputs at create), the last error names the field, and the agent's
/// status is exactly what it was before the call.
/// </summary>
[Collection(NativeAccountGroup.Name)]
public sealed unsafe class InputValidationTests
{
    private const long Hour = 3_600_000;

    [Fact]
    public void Create_refuses_nan_equity_unknown_sizing_mode_limits_beyond_int_and_an_inverted_volume_range()
    {
        var spec = Spec;
        var account = Account();
        fixed (char* sym = "IVA")
        {
            var cfg = Config(201);
            account.Equity = double.NaN;
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.Create(&cfg, sym, &spec, &account, null, null, null));
            Assert.Contains("account.equity", Lib.ReadLastError(0), StringComparison.Ordinal);
            account = Account();

            cfg.SizingMode = 99;
            Assert.Equal(AbiCodes.EConfig, Lib.Create(&cfg, sym, &spec, &account, null, null, null));
            Assert.Contains("config.sizing_mode = 99", Lib.ReadLastError(0), StringComparison.Ordinal);
            cfg = Config(201);

            // 2^32 + 5 would have been enforced as 5 after a cast to int.
            cfg.MaxPositionsTotal = (1L << 32) + 5;
            Assert.Equal(AbiCodes.EConfig, Lib.Create(&cfg, sym, &spec, &account, null, null, null));
            Assert.Contains("config.max_positions_total = 4294967301", Lib.ReadLastError(0), StringComparison.Ordinal);
            cfg = Config(201);
            cfg.MaxOrdersPerMinute = (1L << 32) + 5;
            Assert.Equal(AbiCodes.EConfig, Lib.Create(&cfg, sym, &spec, &account, null, null, null));
            cfg = Config(201);

            spec.VolumeMin = 200; // above volume_max 100
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.Create(&cfg, sym, &spec, &account, null, null, null));
            Assert.Contains("volume_min", Lib.ReadLastError(0), StringComparison.Ordinal);
            spec = Spec;
            spec.ContractSize = double.NaN;
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.Create(&cfg, sym, &spec, &account, null, null, null));
            Assert.Contains("contract_size", Lib.ReadLastError(0), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Nan_in_ticks_accounts_specs_and_timers_is_refused_and_changes_nothing()
    {
        var day = FreshDayMs();
        var h = Create(Config(202), "IVB");
        try
        {
            var now = day + (10 * Hour);
            Assert.True(Tick(h, now, 10_000) >= 0);
            var before = Status(h);
            var tick = new MqlTick(now + 1_000, 1.1, 1.1001);

            (string Field, KimiAccount Account)[] accounts =
            [
                ("account.free_margin", Account() with { FreeMargin = double.NaN }),
                ("account.margin", Account() with { Margin = double.NaN }),
                ("account.equity", Account() with { Equity = double.PositiveInfinity }),
                ("account.trade_mode", Account() with { TradeMode = 9 }),
                ("account.leverage", Account() with { Leverage = (1L << 32) + 5 }),
            ];
            foreach (var (field, bad) in accounts)
            {
                var a = bad;
                Assert.Equal(AbiCodes.EInvalidArgument, Lib.OnTick(h, &tick, &a));
                Assert.Contains(field, Lib.ReadLastError(h), StringComparison.Ordinal);
                Assert.Equal(AbiCodes.EInvalidArgument, Lib.OnTimer(h, now + 1_000, &a));
                Assert.Contains(field, Lib.ReadLastError(h), StringComparison.Ordinal);
            }

            var account = Account();
            var nanAsk = new MqlTick(now + 1_000, 1.1, double.NaN);
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.OnTick(h, &nanAsk, &account));
            Assert.Contains("tick.ask", Lib.ReadLastError(h), StringComparison.Ordinal);

            (string Field, KimiSymbolSpec Spec)[] specs =
            [
                ("spec.contract_size", Spec with { ContractSize = double.NaN }),
                ("spec.volume_limit", Spec with { VolumeLimit = double.NaN }),
                ("spec.volume_min", Spec with { VolumeMin = 150 }),
                ("spec.stops_level_points", Spec with { StopsLevelPoints = (1L << 32) + 5 }),
            ];
            foreach (var (field, bad) in specs)
            {
                var s = bad;
                Assert.Equal(AbiCodes.EInvalidArgument, Lib.UpdateSpec(h, &s));
                Assert.Contains(field, Lib.ReadLastError(h), StringComparison.Ordinal);
            }

            Assert.Equal(before, Status(h));
        }
        finally
        {
            Lib.Destroy(h, 1);
        }
    }

    [Fact]
    public void A_bad_deal_is_refused_whole_and_a_bad_warmup_feeds_no_bar()
    {
        var day = FreshDayMs();
        var h = Create(Config(203), "IVC");
        try
        {
            var now = day + (10 * Hour);
            Assert.True(Tick(h, now, 10_000) >= 0);

            // An adopted position through its fill deal, then a closing deal with NaN profit: refused, and the
            // position is still open (the old library returned -2 but closed it with realised P&L NaN).
            var fill = Deal(301, 300, AbiCodes.DealEntryIn, AbiCodes.DealTypeBuy, now, profit: 0);
            Assert.True(Lib.OnTradeTransaction(h, &fill) >= 0, Lib.ReadLastError(h));
            Assert.Equal(1, Status(h).OpenPositions);
            var before = Status(h);
            foreach (var (field, mutate) in new (string, Func<KimiDeal, KimiDeal>)[]
            {
                ("deal.profit", d => d with { Profit = double.NaN }),
                ("deal.commission", d => d with { Commission = double.PositiveInfinity }),
                ("deal.swap", d => d with { Swap = double.NaN }),
                ("deal.entry", d => d with { Entry = 7 }),
                ("deal.price", d => d with { Price = 0 }),
            })
            {
                var bad = mutate(Deal(302, 300, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, now + 1_000, profit: -5));
                Assert.Equal(AbiCodes.EInvalidArgument, Lib.OnTradeTransaction(h, &bad));
                Assert.Contains(field, Lib.ReadLastError(h), StringComparison.Ordinal);
                Assert.Equal(before, Status(h));
            }

            // The same deal, well-formed, is still accepted afterwards (the refused ones were not marked as seen).
            var close = Deal(302, 300, AbiCodes.DealEntryOut, AbiCodes.DealTypeSell, now + 1_000, profit: -5);
            Assert.True(Lib.OnTradeTransaction(h, &close) >= 0, Lib.ReadLastError(h));
            var after = Status(h);
            Assert.Equal(0, after.OpenPositions);
            Assert.Equal(-5, after.RealizedPnl, 9);

            var bars = stackalloc MqlRates[3];
            bars[0] = new MqlRates((now / 1000) - 2700, 1.1, 1.1002, 1.0998, 1.1);
            bars[1] = new MqlRates((now / 1000) - 1800, double.NaN, 1.1002, 1.0998, 1.1);
            bars[2] = new MqlRates((now / 1000) - 900, 1.1, 1.1002, 1.0998, 1.1);
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.Warmup(h, bars, 3));
            Assert.Contains("bar.open", Lib.ReadLastError(h), StringComparison.Ordinal);
            Assert.Equal(after.BarsSeen, Status(h).BarsSeen);
        }
        finally
        {
            Lib.Destroy(h, 1);
        }
    }

    [Fact]
    public void Impossible_broker_positions_are_refused_with_a_journaled_reason_and_never_enter_the_risk_book()
    {
        var day = FreshDayMs();
        var journal = Path.Combine(Path.GetTempPath(), $"kimi-refused-{Guid.NewGuid():N}.db");
        var h = Lib.CreateAgent(Config(204), "IVD", Spec, Account(), journal, null);
        Assert.True(h > 0, Lib.ReadLastError(0));
        var other = Create(Config(205), "IVD2");
        try
        {
            var now = day + (10 * Hour);
            Assert.True(Tick(h, now, 10_000) >= 0);
            var before = Status(h);

            (string Field, KimiPosition Position)[] cases =
            [
                ("position.volume", Position(1e12, 1.1, 1.09, 1.12)),           // volume max is 100
                ("position.sl", Position(0.1, 1.1, double.NaN, 1.12)),
                ("position.sl", Position(0.1, 1.1, 1.13, 1.12)),               // a buy's stop above its target
                ("position.price_open", Position(0.1, -1.1, 0, 0)),
            ];
            foreach (var (field, bad) in cases)
            {
                var p = bad;
                Assert.Equal(AbiCodes.EInvalidArgument, Lib.SyncPositions(h, &p, 1, now + 1_000));
                Assert.Contains(field, Lib.ReadLastError(h), StringComparison.Ordinal);
                var s = Status(h);
                Assert.Equal(before.OpenPositions, s.OpenPositions);
                Assert.Equal(0, s.OpenRisk, 9);
            }

            // The refusal is shown (and journaled) as a reconciliation row naming the reason.
            var events = stackalloc KimiEvent[64];
            var n = Lib.PollEvents(h, events, 64);
            var refused = 0;
            for (var i = 0; i < n; i++)
            {
                refused += events[i].Kind == AbiCodes.EvtReconciled && Lib.NameOf(AbiCodes.EvtReconciled, events[i].Code) == "RefusedBrokerPosition" ? 1 : 0;
            }

            Assert.Equal(cases.Length, refused);

            // A 1e12-lot fill deal of an unknown position is refused the same way; the other chart's risk is untouched.
            var fill = Deal(401, 400, AbiCodes.DealEntryIn, AbiCodes.DealTypeBuy, now + 2_000, profit: 0) with { Volume = 1e12 };
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.OnTradeTransaction(h, &fill));
            Assert.Contains("deal.volume", Lib.ReadLastError(h), StringComparison.Ordinal);
            Assert.Equal(0, Status(other).OpenRisk, 9);
            Assert.Equal(0, Status(h).OpenPositions);
        }
        finally
        {
            Lib.Destroy(h, 1);
            Lib.Destroy(other, 1);
        }

        // The journal (flushed when the chart detached) holds one reconciliation row per refusal, with the reason.
        try
        {
            using var reader = Journal.JournalReader.Open(journal);
            var rows = reader.ReadEvents().Select(r => r.Event)
                .Where(e => e.Kind == Journal.JournalEventKind.Reconciliation && e.Code == (int)Journal.ReconcileActionKind.RefusedBrokerPosition)
                .ToList();
            Assert.Equal(5, rows.Count);
            Assert.Contains(rows, e => e.Ticket == 9001 && e.Text!.Contains("position.volume = 1000000000000", StringComparison.Ordinal));
            Assert.Contains(rows, e => e.Ticket == 400 && e.Text!.Contains("deal.volume", StringComparison.Ordinal));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(journal) + "*"))
            {
                File.Delete(f);
            }
        }
    }

    [Fact]
    public void Fill_prices_and_volumes_must_be_numbers_and_the_emergency_flag_a_boolean()
    {
        var day = FreshDayMs();
        var h = Create(Config(206), "IVE");
        try
        {
            Assert.True(Tick(h, day + Hour, 10_000) >= 0);
            var result = new KimiOrderResult { InstructionId = 1, Retcode = 10009, PositionTicket = 5, TimeMsc = day + Hour, Price = double.NaN, Volume = 0.1 };
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.ReportResult(h, &result));
            Assert.Contains("result.price", Lib.ReadLastError(h), StringComparison.Ordinal);
            result.Price = 1.1;
            result.Volume = double.NaN;
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.ReportResult(h, &result));
            Assert.Contains("result.volume", Lib.ReadLastError(h), StringComparison.Ordinal);

            fixed (char* why = "x")
            {
                Assert.Equal(AbiCodes.EInvalidArgument, Lib.EmergencyStop(7, why));
                Assert.Equal(0, Status(h).Emergency);
            }
        }
        finally
        {
            Lib.Destroy(h, 1);
        }
    }

    [Fact]
    public void A_short_log_buffer_gets_the_line_truncated_and_the_line_is_consumed()
    {
        var day = FreshDayMs();
        var h = Create(Config(207), "IVF");
        try
        {
            Assert.True(Tick(h, day + Hour, 10_000) >= 0);
            Assert.True(Tick(h, day + Hour + 1_000, 9_790) >= 0); // a breaker transition: one log line

            var tiny = stackalloc char[1];
            Assert.Equal(AbiCodes.EInvalidArgument, Lib.PollLog(h, tiny, 1)); // no room for a character: the line stays

            var buf = stackalloc char[8];
            Assert.Equal(7, Lib.PollLog(h, buf, 8));
            Assert.Equal('\0', buf[7]);
            Assert.Equal("daily d", new string(buf, 0, 7)); // "daily drawdown breaker -> HALTED ..." cut to 7 characters
            var rest = stackalloc char[256];
            while (Lib.PollLog(h, rest, 256) > 0)
            {
            }

            Assert.Equal(0, Lib.PollLog(h, buf, 8));
        }
        finally
        {
            Lib.Destroy(h, 1);
        }
    }

    private static KimiDeal Deal(long ticket, long position, long entry, long type, long timeMs, double profit) => new()
    {
        DealTicket = ticket, OrderTicket = ticket, PositionTicket = position, TimeMsc = timeMs, Entry = entry, Type = type,
        Reason = AbiCodes.DealReasonClient, Magic = 0, Volume = 0.1, Price = 1.1, Profit = profit,
    };

    private static KimiPosition Position(double volume, double price, double sl, double tp) => new()
    {
        Ticket = 9001, Type = 0, Magic = 0, TimeMsc = 0, Volume = volume, PriceOpen = price, Sl = sl, Tp = tp,
    };
}
