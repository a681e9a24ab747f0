using BenchmarkDotNet.Attributes;
using KimiEA.Core.Trading;
using KimiEA.Risk;
using KimiEA.Risk.Account;
using KimiEA.Risk.Gate;
using KimiEA.Risk.Sizing;

namespace KimiEA.Benchmarks.Risk;

/// <summary>
/// Target (issue #3): one gate + sizing decision, including the atomic exposure reservation, mean ≤ 200 ns and
/// 0 bytes allocated. Each iteration approves an EURUSD buy (Kelly, posterior over 40 closed trades), reserves it
/// and releases it again so the book stays in steady state; server time advances 1 s per decision. Also measures
/// the per-tick breaker update every agent makes.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class RiskGateBenchmarks
{
    private AccountRiskBook _book = null!;
    private static readonly AgentPolicy Policy = new() { Mode = TradingMode.Paper };
    private int _symbol;
    private int _owner;
    private TradeIntent _intent;
    private SymbolSpec _spec;
    private AccountFacts _account;
    private SetupStats _stats;
    private long _time;

    [GlobalSetup]
    public void Setup()
    {
        _book = new AccountRiskBook(new AccountLimits { MaxOrdersPerMinute = 120 });
        _owner = _book.RegisterOwner("bench-chart");
        _symbol = _book.RegisterSymbol("EURUSD");
        _spec = new SymbolSpec
        {
            Digits = 5, Point = 0.00001, TickSize = 0.00001, TickValueProfit = 1.0, TickValueLoss = 1.0, ContractSize = 100_000,
            VolumeMin = 0.01, VolumeStep = 0.01, VolumeMax = 100, StopsLevelPoints = 10, MarginPerLot = 3_600, NotionalPerLot = 108_000,
        };
        _account = new AccountFacts
        {
            Login = 5001, TradeMode = AccountTradeMode.Demo, MarginMode = AccountMarginMode.RetailHedging, Leverage = 30,
            Balance = 10_000, Equity = 10_000, FreeMargin = 100_000,
        };
        _intent = new TradeIntent
        {
            Direction = Direction.Buy, Entry = 1.08000, StopLoss = 1.07800, TakeProfit = 1.08400, MaxHoldingBars = 20,
            HitProbability = 0.6, HitEvidence = 200, SetupId = 1,
        };
        _stats = new SetupStats("EURUSD", 1, 22, 18);
        _time = 1_700_000_000_000;
    }

    [Benchmark(Description = "trade-worthiness + gate + Kelly sizing + reserve/release")]
    public double DecideAndRelease()
    {
        _time += 1_000;
        var intent = TradeWorthiness.Assess(_intent, 1.07998, 1.08000, _spec, 7, _stats);
        var d = PreTradeGate.Decide(intent, new MarketSnapshot(1.07998, 1.08000, 0.00100, _time), _spec, _account, _symbol, _owner, Policy, _book);
        _book.Release(d.Reservation);
        return d.Volume;
    }

    [Benchmark(Description = "breaker update per tick")]
    public BreakerStatus BreakerTick()
    {
        _time += 250;
        return _book.OnEquity(10_000, _time);
    }
}
