using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Engine;
using KimiEA.Engine.Agents;
using Xunit;

namespace KimiEA.Engine.Tests;

/// <summary>
/// A scripted terminal for one agent: EURUSD on a 10,000 USD demo hedging account, M15, paper mode. The numbers are
/// realistic MT5 facts (5 digits, tick 0.00001 worth 1 USD per lot, 1:30 margin).
/// </summary>
internal sealed class AgentFixture
{
    public const long Magic = 4242;
    public const long Tf = 900;
    public static readonly long T0 = new DateTimeOffset(2014, 5, 7, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    public AgentFixture(AgentHost? host = null, string? journal = null, Action<KimiConfigBuilder>? configure = null)
    {
        Host = host ?? new AgentHost();
        var b = new KimiConfigBuilder(KimiConfig.Defaults(Magic, Tf));
        b.Config.Mode = AbiCodes.ModePaper;
        configure?.Invoke(b);
        Config = b.Config;
        Account = new KimiAccount { Login = 7, TradeMode = 0, MarginMode = 2, Leverage = 30, Balance = 10_000, Equity = 10_000, FreeMargin = 10_000 };
        Agent = Agent.Create(Host.Account, Config, "EURUSD", Spec, Account, journal, null);
        Handle = Host.Add(Agent);
    }

    public static KimiSymbolSpec Spec => new()
    {
        Digits = 5, Point = 0.00001, TickSize = 0.00001, TickValueProfit = 1, TickValueLoss = 1, ContractSize = 100_000,
        VolumeMin = 0.01, VolumeStep = 0.01, VolumeMax = 100, MarginPerLot = 3_666.67, NotionalPerLot = 110_000,
    };

    public AgentHost Host { get; }
    public KimiConfig Config { get; }
    public KimiAccount Account;
    public Agent Agent { get; }
    public long Handle { get; }
    public long NextBarTime { get; private set; } = T0;
    public long NowMsc { get; private set; } = T0 * 1000;

    /// <summary>Feeds <paramref name="n"/> closed bars of range 0.0010 around 1.1000 (ATR ≈ 0.0010) as warm-up.</summary>
    public void WarmUp(int n = 40)
    {
        var bars = new MqlRates[n];
        for (var i = 0; i < n; i++)
        {
            bars[i] = new MqlRates(NextBarTime, 1.1000, 1.1005, 1.0995, 1.1000 + (i % 2 == 0 ? 0.0002 : -0.0002), 100, 10, 0);
            NextBarTime += Tf;
        }

        Assert.True(Agent.Warmup(bars) >= 0);
        NowMsc = NextBarTime * 1000;
    }

    public int Tick(double bid, double ask, double? equity = null)
    {
        NowMsc += 1000;
        if (equity is { } e)
        {
            Account.Equity = e;
        }

        return Agent.OnTick(new MqlTick(NowMsc, bid, ask), Account);
    }

    /// <summary>Closes the bar that opened at NextBarTime.</summary>
    public int Bar(double open, double high, double low, double close)
    {
        var r = Agent.OnBar(new MqlRates(NextBarTime, open, high, low, close, 100, 10, 0));
        NextBarTime += Tf;
        NowMsc = Math.Max(NowMsc, NextBarTime * 1000);
        return r;
    }

    /// <summary>
    /// A buy at <paramref name="entry"/> with the stop 20 pips below and the target 40 pips above (2 R, break-even hit
    /// rate 1/3 without commission), as a signal emits it: a hit probability and the evidence behind it. The default,
    /// 0.6 on 1000 observations, is worth taking beyond doubt (confidence ≈ 1).
    /// </summary>
    public static TradeIntent BuyIntent(double hitProbability = 0.6, int maxBars = 10, double entry = 1.1000, double evidence = 1000) => new()
    {
        Direction = Direction.Buy, Entry = entry, StopLoss = entry - 0.0020, TakeProfit = entry + 0.0040,
        HitProbability = hitProbability, HitEvidence = evidence, MaxHoldingBars = maxBars, SetupId = 1,
    };

    public KimiInstruction[] Poll()
    {
        var buf = new KimiInstruction[16];
        var n = Agent.PollInstructions(buf);
        Assert.True(n >= 0, Agent.LastError);
        return buf[..n];
    }

    /// <summary>
    /// Polls until an instruction is handed out (with a journal, an entry waits until its intent row is durable on
    /// disk, which takes the writer thread a moment); ticks keep arriving meanwhile as in a terminal.
    /// </summary>
    public KimiInstruction[] PollUntilHandedOut(double bid = 1.0999, double ask = 1.1000)
    {
        for (var i = 0; i < 1000; i++)
        {
            var polled = Poll();
            if (polled.Length > 0)
            {
                return polled;
            }

            Thread.Sleep(5);
            Tick(bid, ask);
        }

        return [];
    }

    public List<KimiEvent> Events()
    {
        var buf = new KimiEvent[256];
        var n = Agent.PollEvents(buf);
        return [.. buf[..n]];
    }

    /// <summary>Fills an OPEN like a broker would: result DONE with a position ticket.</summary>
    /// <summary>The instruction count of a handler's pending word (kimiea.h), after checking it is not an error code.</summary>
    public static int Instructions(int pending)
    {
        Assert.True(pending >= 0, $"the handler failed with {pending}");
        return pending & AbiCodes.PendingInstructions;
    }

    public int Fill(in KimiInstruction ins, long ticket, double price) =>
        Agent.ReportResult(new KimiOrderResult
        {
            InstructionId = ins.Id, Retcode = 10009, OrderTicket = ticket, DealTicket = ticket + 1, PositionTicket = ticket,
            TimeMsc = NowMsc, Price = price, Volume = ins.Volume, Bid = price, Ask = price,
        });

    public int Deal(long dealTicket, long positionTicket, int entry, int type, int reason, double volume, double price, double profit, double commission = 0) =>
        Agent.OnTradeTransaction(new KimiDeal
        {
            DealTicket = dealTicket, OrderTicket = dealTicket, PositionTicket = positionTicket, TimeMsc = NowMsc, Entry = entry,
            Type = type, Reason = reason, Magic = Magic, Volume = volume, Price = price, Profit = profit, Commission = commission,
        });
}

/// <summary>Lets a test change the agent's inputs before it is created.</summary>
internal sealed class KimiConfigBuilder(KimiConfig config)
{
    public KimiConfig Config = config;
}
