using KimiEA.Core.Abi;
using KimiEA.Engine.Agents;
using Xunit;

namespace KimiEA.Engine.Tests;

/// <summary>Modes are checked against the account when the EA attaches (OnInit), so a refusal is seen at once.</summary>
public sealed class AgentModeTests
{
    private static KimiAccount Account(long login, long tradeMode) => new()
    {
        Login = login, TradeMode = tradeMode, MarginMode = 2, Leverage = 30, Balance = 10_000, Equity = 10_000, FreeMargin = 10_000,
    };

    private static Agent Create(long mode, long optIn, KimiAccount account, string? allowList)
    {
        var config = KimiConfig.Defaults(1, 900);
        config.Mode = mode;
        config.LiveOptIn = optIn;
        return Agent.Create(new AgentHost().Account, config, "EURUSD", AgentFixture.Spec, account, null, allowList);
    }

    [Fact]
    public void Paper_mode_on_a_real_account_is_refused_at_create()
    {
        var e = Assert.Throws<EngineException>(() => Create(AbiCodes.ModePaper, 0, Account(5, 2), null));
        Assert.Equal(AbiCodes.EConfig, e.Code);
        Assert.Contains("demo", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Live_mode_needs_the_opt_in_and_the_account_in_the_allow_list()
    {
        Assert.Contains("opt-in", Assert.Throws<EngineException>(() => Create(AbiCodes.ModeLive, 0, Account(5, 2), "5")).Message, StringComparison.Ordinal);
        Assert.Contains("allow-list", Assert.Throws<EngineException>(() => Create(AbiCodes.ModeLive, 1, Account(5, 2), "6, 7")).Message, StringComparison.Ordinal);
        Assert.NotNull(Create(AbiCodes.ModeLive, 1, Account(5, 2), "6; 5"));
    }

    [Fact]
    public void A_malformed_allow_list_entry_is_named()
    {
        var e = Assert.Throws<EngineException>(() => Create(AbiCodes.ModeLive, 1, Account(5, 2), "5, 12a"));
        Assert.Contains("'12a'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulation_mode_runs_on_any_account()
    {
        Assert.NotNull(Create(AbiCodes.ModeSimulation, 0, Account(5, 2), null));
    }
}
