using FsCheck;
using FsCheck.Fluent;
using KimiEA.Core.Abi;
using KimiEA.Core.Market;
using KimiEA.Core.Trading;
using KimiEA.Engine.Agents;
using Xunit;

namespace KimiEA.Engine.Tests;

/// <summary>
/// Model-based test of several charts on one account (issues 10 and 11): FsCheck generates sequences of create, tick,
/// intent, bar, drain (each instruction executed or refused by a simulated broker), broker-side closes, position
/// snapshots, approvals (right, wrong and late), emergency toggles, detaches and re-attaches, NaN inputs and implausible
/// times (each must be refused and change nothing) over five charts with their own
/// modes, thresholds and position limits, and shrinks a failing sequence to a minimal one. After every step:
/// no OPEN from a Simulation chart, none below its chart's own thresholds (auto-execute, or min when the trader
/// approved), none while the emergency stop is engaged, each instruction handed out once, the account book holding
/// exactly one reservation per open position (detached charts' included) — so each is released once — and the
/// account limits never exceeded.
/// </summary>
public class MultiAgentModelTests
{
    private const int Charts = 5;
    private const long Tf = 900;
    private const int MaxPositionsTotal = 3;
    private const double MaxTotalRisk = 0.025;
    private const double Equity = 10_000;

    /// <summary>One step of a scenario; A–D are its parameters (their meaning depends on the kind).</summary>
    public readonly record struct Op(int Kind, int Chart, int A, int B)
    {
        public override string ToString() => Kind switch
        {
            0 => $"create({Chart})",
            1 => $"tick({Chart}, {A})",
            2 => $"intent({Chart}, hit rate {0.30 + (A * 0.015):0.000}, {(B % 2 == 0 ? "buy" : "sell")})",
            3 => "bar(all charts)",
            4 => $"drain({Chart}, outcomes {A})",
            5 => $"broker-close({A})",
            6 => $"sync({Chart})",
            7 => $"approve({Chart}, pick {A}, {(B % 3 == 0 ? "skip" : B % 3 == 1 ? "approve" : "unknown id")})",
            8 => $"emergency({(A % 2 == 0 ? "off" : "on")})",
            9 => $"destroy({Chart})",
            10 => $"bad-input({Chart}, {(A % 3 == 0 ? "NaN equity" : A % 3 == 1 ? "NaN bid" : "NaN deal profit")})",
            _ => $"implausible-time({Chart}, {(A % 2 == 0 ? "timer 30 days ahead" : "tick in 2200")})",
        };
    }

    /// <summary>A chart's own inputs (constant across its detach and re-attach).</summary>
    private sealed record ChartInputs(long Mode, double Min, double Auto, int MaxPositions);

    private sealed record Scenario(ChartInputs[] Inputs, Op[] Ops)
    {
        public override string ToString() =>
            string.Join("; ", Inputs.Select((c, i) => $"chart {i}: mode {c.Mode} min {c.Min} auto {c.Auto} max {c.MaxPositions}"))
            + Environment.NewLine + string.Join(", ", Ops.Select(o => o.ToString()));
    }

    private static readonly Gen<ChartInputs> InputsGen =
        from mode in Gen.Elements((long)AbiCodes.ModeSimulation, AbiCodes.ModePaper, AbiCodes.ModePaper)
        from min in Gen.Elements(0.5, 0.7, 0.8)
        from auto in Gen.Elements(0.0, 0.85, 0.95)
        from max in Gen.Choose(1, 2)
        select new ChartInputs(mode, min, Math.Max(min, auto), max);

    private static readonly Gen<Op> OpGen =
        from kind in Gen.Frequency(
            (3, Gen.Constant(0)), (6, Gen.Constant(1)), (8, Gen.Constant(2)), (5, Gen.Constant(3)), (8, Gen.Constant(4)),
            (2, Gen.Constant(5)), (2, Gen.Constant(6)), (6, Gen.Constant(7)), (2, Gen.Constant(8)), (2, Gen.Constant(9)),
            (2, Gen.Constant(10)), (2, Gen.Constant(11)))
        from chart in Gen.Choose(0, Charts - 1)
        from a in Gen.Choose(0, 9)
        from b in Gen.Choose(0, 5)
        select new Op(kind, chart, a, b);

    private static readonly Gen<Scenario> ScenarioGen =
        from inputs in Gen.ArrayOf(InputsGen, Charts)
        from ops in Gen.ArrayOf(OpGen)
        select new Scenario(inputs, ops);

    private static IEnumerable<Scenario> Shrink(Scenario s) =>
        Enumerable.Range(0, s.Ops.Length).Select(i => s with { Ops = [.. s.Ops.Take(i), .. s.Ops.Skip(i + 1)] });

    [Fact]
    public void Charts_decide_by_their_own_inputs_and_the_account_book_stays_exact()
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(500).WithStartSize(20).WithEndSize(120);
        Prop.ForAll(Arb.From(ScenarioGen, Shrink), s => new Model(s.Inputs).Run(s.Ops)).Check(config);

        // the scenarios reached what the invariants are about (else they would hold vacuously)
        var seen = $"{Coverage.Opens} OPENs ({Coverage.Approved} after an approval), {Coverage.Closes} CLOSEs, {Coverage.Refused} refused bad inputs";
        Assert.True(Coverage.Opens >= 50 && Coverage.Approved >= 2 && Coverage.Closes >= 10 && Coverage.Refused >= 50, "the scenarios exercised too little: " + seen);
    }

    /// <summary>What the generated scenarios exercised, summed over the run (shrinking runs included).</summary>
    private static class Coverage
    {
        public static int Opens;
        public static int Approved;
        public static int Refused;
        public static int Closes;
    }

    /// <summary>The simulated terminal, broker and trader, and the checks.</summary>
    private sealed class Model(ChartInputs[] inputs)
    {
        private readonly AgentHost _host = new();
        private readonly Agent?[] _agents = new Agent?[Charts];
        private readonly long[] _lastBar = new long[Charts];
        private readonly HashSet<long>[] _handedOut = new HashSet<long>[Charts];
        private readonly Dictionary<long, double>[] _awaiting = new Dictionary<long, double>[Charts];
        private readonly List<long>[] _decided = new List<long>[Charts];
        private readonly Dictionary<long, (int Chart, Direction Dir, double Volume)> _broker = [];
        private readonly int[] _staleReservations = new int[Charts];
        private long _now = new DateTimeOffset(2014, 5, 7, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        private long _nextTicket = 1000;
        private long _nextDeal = 1;
        private double _bid = 1.1000;
        private bool _emergency;
        private double _lastSignalConfidence = double.NaN;

        public bool Run(Op[] ops)
        {
            foreach (var op in ops)
            {
                Step(op);
                CheckBook(op);
            }

            return true;
        }

        private static InvalidOperationException Violation(string what) => new(what);

        private double Ask => _bid + 0.0001;

        private static KimiAccount Account => new() { Login = 7, TradeMode = 0, MarginMode = 2, Leverage = 100, Balance = Equity, Equity = Equity, FreeMargin = Equity };

        private void Step(Op op)
        {
            var c = op.Chart;
            var agent = _agents[c];
            switch (op.Kind)
            {
                case 0 when agent is null:
                    Create(c);
                    break;
                case 1 when agent is not null:
                    _now += 1_000;
                    _bid = Math.Round(_bid + ((op.A - 4.5) * 0.00002), 5);
                    Expect(agent.OnTick(new MqlTick(_now, _bid, Ask), Account), agent);
                    Drain(c, 0, allowOpen: false);
                    break;
                case 2 when agent is not null:
                    var hit = 0.30 + (op.A * 0.015); // on 100 observations: confidences from about 0.2 to 0.99 at 2 R
                    var buy = op.B % 2 == 0;
                    var entry = buy ? Ask : _bid;
                    var intent = new TradeIntent
                    {
                        Direction = buy ? Direction.Buy : Direction.Sell, Entry = entry, HitProbability = hit, HitEvidence = 100, SetupId = 1, MaxHoldingBars = 2, // short: bars reach the vertical barrier
                        StopLoss = buy ? entry - 0.0020 : entry + 0.0020, TakeProfit = buy ? entry + 0.0040 : entry - 0.0040,
                    };
                    _lastSignalConfidence = double.NaN;
                    Expect(agent.InjectIntent(intent), agent);
                    var opens = Drain(c, 0, allowOpen: true);
                    var conf = _lastSignalConfidence; // the confidence the engine published for this intent
                    if (opens > 0 && (inputs[c].Mode == AbiCodes.ModeSimulation || double.IsNaN(conf) || conf < inputs[c].Auto || _emergency))
                    {
                        throw Violation($"chart {c} (mode {inputs[c].Mode}, auto {inputs[c].Auto}) handed out an OPEN for confidence {conf} (emergency {_emergency})");
                    }

                    break;
                case 3:
                    // a bar closes on every chart (they share the timeframe), as time passes in a terminal
                    var bar = Math.Max(_lastBar.Max() + Tf, (_now / 1000 / Tf * Tf) - Tf);
                    _now = Math.Max(_now, (bar + Tf) * 1000);
                    for (var k = 0; k < Charts; k++)
                    {
                        if (_agents[k] is { } live && bar > _lastBar[k])
                        {
                            _lastBar[k] = bar;
                            Expect(live.OnBar(new MqlRates(bar, _bid, _bid + 0.0005, _bid - 0.0005, _bid, 100, 10, 0)), live);
                            Drain(k, 0, allowOpen: false);
                        }
                    }

                    break;
                case 4 when agent is not null:
                    Drain(c, op.A, allowOpen: false);
                    break;
                case 5 when _broker.Count > 0:
                    var ticket = _broker.Keys.OrderBy(t => t).ElementAt(op.A % _broker.Count);
                    CloseAtBroker(ticket, AbiCodes.DealReasonSl);
                    break;
                case 6 when agent is not null:
                    var held = _broker.Where(p => p.Value.Chart == c).Select(p => new KimiPosition
                    {
                        Ticket = p.Key, Type = p.Value.Dir == Direction.Buy ? 0 : 1, Magic = Magic(c), TimeMsc = _now - 1_000,
                        Volume = p.Value.Volume, PriceOpen = 1.1, Sl = p.Value.Dir == Direction.Buy ? 1.098 : 1.102, Tp = p.Value.Dir == Direction.Buy ? 1.104 : 1.096,
                    }).ToArray();
                    Expect(agent.SyncPositions(held, _now), agent);
                    _staleReservations[c] = 0;
                    Drain(c, 0, allowOpen: false);
                    break;
                case 7 when agent is not null:
                    // the trader answers on a chart that asks, when one does (else on this chart: a wrong or late id)
                    var asking = Enumerable.Range(0, Charts).Where(k => _agents[k] is not null && _awaiting[k].Count > 0).ToArray();
                    var on = asking.Length > 0 && op.B % 3 != 2 ? asking[op.A % asking.Length] : c;
                    Approve(on, _agents[on]!, op);
                    break;
                case 8:
                    _emergency = op.A % 2 == 1;
                    _host.Account.SetEmergency(_emergency, "model");
                    break;
                case 9 when agent is not null:
                    agent.Destroy(1);
                    _agents[c] = null;
                    break;
                case 10 when agent is not null:
                    Refused(op, agent, () => (op.A % 3) switch
                    {
                        0 => agent.OnTick(new MqlTick(_now + 1_000, _bid, Ask), Account with { Equity = double.NaN }),
                        1 => agent.OnTick(new MqlTick(_now + 1_000, double.NaN, Ask), Account),
                        _ => agent.OnTradeTransaction(new KimiDeal
                        {
                            DealTicket = _nextDeal + 1_000_000, PositionTicket = _broker.Keys.FirstOrDefault(), TimeMsc = _now, Entry = AbiCodes.DealEntryOut,
                            Type = AbiCodes.DealTypeSell, Reason = AbiCodes.DealReasonSl, Magic = Magic(c), Volume = 0.01, Price = _bid, Profit = double.NaN,
                        }),
                    });
                    break;
                case 11 when agent is not null:
                    Refused(op, agent, () => op.A % 2 == 0
                        ? agent.OnTimer(_now + (30L * 86_400_000), Account)
                        : agent.OnTick(new MqlTick(new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), _bid, Ask), Account));
                    break;
            }
        }

        /// <summary>A call that must be refused with KIMI_E_INVALID_ARGUMENT and change nothing: the book, the breaker and the agent's status are as before.</summary>
        private void Refused(Op op, Agent agent, Func<int> call)
        {
            var book = _host.Account.Book!;
            var before = (book.OpenPositions, book.OpenRisk, book.BreakerState);
            agent.GetStatus(out var statusBefore);
            var rc = call();
            if (rc != AbiCodes.EInvalidArgument)
            {
                throw Violation($"{op} returned {rc}, expected KIMI_E_INVALID_ARGUMENT");
            }

            Coverage.Refused++;
            agent.GetStatus(out var statusAfter);
            if ((book.OpenPositions, book.OpenRisk, book.BreakerState) != before || !statusAfter.Equals(statusBefore))
            {
                throw Violation($"{op} was refused but changed the book, the breaker or the agent's status");
            }
        }

        private static long Magic(int chart) => 100 + chart;

        private void Create(int c)
        {
            var cfg = KimiConfig.Defaults(Magic(c), Tf);
            cfg.Mode = inputs[c].Mode;
            cfg.MinConfidence = inputs[c].Min;
            cfg.AutoExecuteConfidence = inputs[c].Auto;
            cfg.MaxPositions = inputs[c].MaxPositions;
            cfg.MaxPositionsTotal = MaxPositionsTotal;
            cfg.MaxTotalRisk = MaxTotalRisk;
            var spec = AgentFixture.Spec;
            var agent = Agent.Create(_host.Account, cfg, "EURUSD", spec, Account, null, null);
            _agents[c] = agent;
            _handedOut[c] = [];
            _awaiting[c] = [];
            _decided[c] = [];
            var bars = new MqlRates[40];
            var start = (_now / 1000 / Tf * Tf) - (41 * Tf);
            for (var i = 0; i < bars.Length; i++)
            {
                bars[i] = new MqlRates(start + (i * Tf), 1.1000, 1.1005, 1.0995, 1.1000, 100, 10, 0);
            }

            Expect(agent.Warmup(bars), agent);
            _lastBar[c] = bars[^1].Time;
            Step(new Op(6, c, 0, 0)); // OnInit reconciles with the broker's positions of this magic (the call sequence)
            Expect(agent.OnTick(new MqlTick(_now, _bid, Ask), Account), agent);
            Drain(c, 0, allowOpen: false);
        }

        private void Approve(int c, Agent agent, Op op)
        {
            var mode = op.B % 3;
            if (mode == 2 || (_awaiting[c].Count == 0 && _decided[c].Count == 0))
            {
                var rc = agent.Approve(987_654_321L + op.A, approve: true);
                if (rc != AbiCodes.EUnknownIntent)
                {
                    throw Violation($"an unknown id was answered with {rc}");
                }

                return;
            }

            if (_awaiting[c].Count == 0)
            {
                // a decision on an intent already decided or expired: refused, and nothing is handed out
                var id = _decided[c][op.A % _decided[c].Count];
                var rc = agent.Approve(id, approve: true);
                if (rc is not (AbiCodes.EState or AbiCodes.EExpired))
                {
                    throw Violation($"a second decision on {id} returned {rc}");
                }

                if (Drain(c, 0, allowOpen: true) > 0)
                {
                    throw Violation($"a refused decision on {id} handed out an OPEN");
                }

                return;
            }

            var (pick, conf) = _awaiting[c].OrderBy(x => x.Key).ElementAt(op.A % _awaiting[c].Count);
            var approve = mode == 1;
            Expect(agent.Approve(pick, approve), agent);
            _awaiting[c].Remove(pick);
            _decided[c].Add(pick);
            var opens = Drain(c, 0, allowOpen: true, approvedId: pick);
            if (opens > 0 && (!approve || inputs[c].Mode == AbiCodes.ModeSimulation || conf < inputs[c].Min || _emergency))
            {
                throw Violation($"chart {c}: decision {(approve ? "approve" : "skip")} on {pick} (confidence {conf}) handed out an OPEN");
            }
        }

        /// <summary>Executes every instruction the agent hands out (outcome bits pick DONE or REJECT) and drains events; returns the OPENs handed out.</summary>
        private int Drain(int c, int outcomes, bool allowOpen, long approvedId = 0)
        {
            var agent = _agents[c]!;
            var buf = new KimiInstruction[16];
            var opens = 0;
            int n;
            var k = 0;
            while ((n = agent.PollInstructions(buf)) > 0)
            {
                for (var i = 0; i < n; i++, k++)
                {
                    var ins = buf[i];
                    if (!_handedOut[c].Add(ins.Id))
                    {
                        throw Violation($"instruction {ins.Id} of chart {c} handed out twice");
                    }

                    var refuse = ((outcomes >> (k % 4)) & 1) == 1;
                    if (ins.Kind == AbiCodes.InstrOpen)
                    {
                        opens++;
                        Coverage.Opens++;
                        Coverage.Approved += approvedId != 0 ? 1 : 0;
                        if (!allowOpen || (approvedId != 0 && ins.Id != approvedId))
                        {
                            throw Violation($"chart {c} handed out OPEN {ins.Id} that no intent or approval of this step asked for");
                        }

                        if (refuse)
                        {
                            Expect(agent.ReportResult(new KimiOrderResult { InstructionId = ins.Id, Retcode = 10006, TimeMsc = _now }), agent);
                            continue;
                        }

                        var ticket = _nextTicket++;
                        _broker[ticket] = (c, (Direction)ins.Direction, ins.Volume);
                        Expect(agent.ReportResult(new KimiOrderResult
                        {
                            InstructionId = ins.Id, Retcode = 10009, OrderTicket = ticket, DealTicket = ticket, PositionTicket = ticket,
                            TimeMsc = _now, Price = ins.Price, Volume = ins.Volume, Bid = _bid, Ask = Ask,
                        }), agent);
                        Expect(agent.OnTradeTransaction(new KimiDeal
                        {
                            DealTicket = _nextDeal++, OrderTicket = ticket, PositionTicket = ticket, TimeMsc = _now, Entry = AbiCodes.DealEntryIn,
                            Type = ins.Direction == AbiCodes.Buy ? AbiCodes.DealTypeBuy : AbiCodes.DealTypeSell, Reason = AbiCodes.DealReasonExpert,
                            Magic = Magic(c), Volume = ins.Volume, Price = ins.Price,
                        }), agent);
                    }
                    else if (ins.Kind == AbiCodes.InstrClose)
                    {
                        if (refuse || !_broker.ContainsKey(ins.PositionTicket))
                        {
                            Expect(agent.ReportResult(new KimiOrderResult { InstructionId = ins.Id, Retcode = 10006, TimeMsc = _now }), agent);
                            continue;
                        }

                        Expect(agent.ReportResult(new KimiOrderResult
                        {
                            InstructionId = ins.Id, Retcode = 10009, PositionTicket = ins.PositionTicket, TimeMsc = _now, Price = ins.Price, Volume = ins.Volume,
                        }), agent);
                        CloseAtBroker(ins.PositionTicket, AbiCodes.DealReasonExpert);
                        Coverage.Closes++;
                    }
                }
            }

            var events = new KimiEvent[256];
            while ((n = agent.PollEvents(events)) > 0)
            {
                for (var i = 0; i < n; i++)
                {
                    var e = events[i];
                    if (e.Kind == AbiCodes.EvtSignal)
                    {
                        _lastSignalConfidence = e.Value;
                    }

                    if (e.Kind != AbiCodes.EvtApproval)
                    {
                        continue;
                    }

                    if (e.Code == AbiCodes.ApprovalAwaiting)
                    {
                        if (e.Value < inputs[c].Min || e.Value >= inputs[c].Auto)
                        {
                            throw Violation($"chart {c} asked approval for confidence {e.Value} outside its band [{inputs[c].Min}, {inputs[c].Auto})");
                        }

                        _awaiting[c][e.Ticket] = e.Value;
                    }
                    else if (e.Code == AbiCodes.ApprovalExpired && _awaiting[c].Remove(e.Ticket))
                    {
                        _decided[c].Add(e.Ticket);
                    }
                }
            }

            return opens;
        }

        private void CloseAtBroker(long ticket, int reason)
        {
            var p = _broker[ticket];
            _broker.Remove(ticket);
            var agent = _agents[p.Chart];
            if (agent is null)
            {
                _staleReservations[p.Chart]++; // nobody watches it: the book keeps it until the chart syncs again
                return;
            }

            Expect(agent.OnTradeTransaction(new KimiDeal
            {
                DealTicket = _nextDeal++, OrderTicket = ticket, PositionTicket = ticket, TimeMsc = _now, Entry = AbiCodes.DealEntryOut,
                Type = p.Dir == Direction.Buy ? AbiCodes.DealTypeSell : AbiCodes.DealTypeBuy, Reason = reason, Magic = Magic(p.Chart),
                Volume = p.Volume, Price = _bid, Profit = 0,
            }), agent);
        }

        private void CheckBook(Op op)
        {
            var book = _host.Account.Book;
            if (book is null)
            {
                return;
            }

            var expected = _broker.Count + _staleReservations.Sum();
            if (book.OpenPositions != expected)
            {
                throw Violation($"after {op}: the book holds {book.OpenPositions} reservations, the broker {_broker.Count} positions (+{_staleReservations.Sum()} closed while detached)");
            }

            if (_broker.Count > MaxPositionsTotal)
            {
                throw Violation($"after {op}: {_broker.Count} positions open, max_positions_total {MaxPositionsTotal}");
            }

            for (var c = 0; c < Charts; c++)
            {
                var mine = _broker.Values.Count(p => p.Chart == c);
                if (mine > inputs[c].MaxPositions)
                {
                    throw Violation($"after {op}: chart {c} holds {mine} positions, its max_positions is {inputs[c].MaxPositions}");
                }
            }

            if (book.OpenRisk > (Equity * MaxTotalRisk) + 1e-6)
            {
                throw Violation($"after {op}: open risk {book.OpenRisk} above {Equity * MaxTotalRisk}");
            }
        }

        private static void Expect(int rc, Agent agent)
        {
            if (rc < 0)
            {
                throw Violation($"a call failed with {rc}: {agent.LastError}");
            }
        }
    }
}
