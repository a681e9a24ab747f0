using KimiEA.Core.Abi;
using KimiEA.Risk.Gate;
using Xunit;

namespace KimiEA.Engine.Tests;

/// <summary>
/// Issue 10: one chart's far-future timer must not rate-limit another chart. Two agents of one account (one
/// <see cref="AgentHost"/>, as in one terminal) with an order rate limit of 2 per minute; scripted intents make the
/// order times exact. The export-level time rules are tested through the C ABI in KimiEA.Native.Tests.
/// </summary>
public sealed class AccountClockTests
{
    private const long Day = 86_400_000;

    private static void Limits(KimiConfigBuilder b)
    {
        b.Config.MaxOrdersPerMinute = 2;
        b.Config.MaxPositions = 5;
    }

    [Fact]
    public void A_far_future_timer_on_chart_a_does_not_rate_limit_chart_b()
    {
        var host = new AgentHost();
        var a = new AgentFixture(host, configure: Limits);
        var b = new AgentFixture(host, configure: c => { Limits(c); c.Config.Magic = AgentFixture.Magic + 1; });
        a.WarmUp();
        b.WarmUp();
        a.Tick(1.0999, 1.1000);
        b.Tick(1.0999, 1.1000);

        // Chart A's timer three days ahead (a plausible server clock over a weekend): accepted, not market time.
        Assert.True(a.Agent.OnTimer(a.NowMsc + (3 * Day), a.Account) >= 0, a.Agent.LastError);

        // Chart A sends two orders now: the account's two order slots of this minute are used, at the market's time.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(1, AgentFixture.Instructions(a.Agent.InjectIntent(AgentFixture.BuyIntent())));
            var ins = a.Poll();
            Assert.Single(ins);
            Assert.True(a.Fill(ins[0], 7001 + i, 1.1000) >= 0);
        }

        // Within that minute chart B is limited: the limit itself holds.
        Assert.Equal(0, AgentFixture.Instructions(b.Agent.InjectIntent(AgentFixture.BuyIntent())));
        Assert.Contains(b.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == (int)DenyReason.RateLimited);

        // 61 s of market time later chart B may order again (the old library had stamped A's orders three days ahead,
        // and B stayed rate-limited for three days).
        for (var s = 0; s < 61; s++)
        {
            a.Tick(1.0999, 1.1000);
            b.Tick(1.0999, 1.1000);
        }

        Assert.Equal(1, AgentFixture.Instructions(b.Agent.InjectIntent(AgentFixture.BuyIntent())));
        Assert.DoesNotContain(b.Events(), e => e.Kind == AbiCodes.EvtDenied && e.Code == (int)DenyReason.RateLimited);
    }
}
