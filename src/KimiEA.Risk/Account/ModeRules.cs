using KimiEA.Core.Trading;
using KimiEA.Risk.Gate;

namespace KimiEA.Risk.Account;

/// <summary>Whether a chart's configured mode may act on this account.</summary>
public static class ModeRules
{
    /// <summary>
    /// Simulation: always allowed (nothing is sent). Paper: only on a demo account. Live: only with the explicit
    /// opt-in and the account number in the allow-list.
    /// </summary>
    public static DenyReason Check(AgentPolicy config, in AccountFacts account)
    {
        ArgumentNullException.ThrowIfNull(config);
        switch (config.Mode)
        {
            case TradingMode.Simulation:
                return DenyReason.None;
            case TradingMode.Paper:
                return account.TradeMode == AccountTradeMode.Demo ? DenyReason.None : DenyReason.PaperRequiresDemo;
            default:
                if (!config.LiveOptIn)
                {
                    return DenyReason.LiveNotOptedIn;
                }

                var list = config.LiveAccountAllowList;
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] == account.Login)
                    {
                        return DenyReason.None;
                    }
                }

                return DenyReason.AccountNotAllowed;
        }
    }
}
