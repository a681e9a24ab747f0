using KimiEA.Core.Trading;
using KimiEA.Risk.Account;
using KimiEA.Risk.Money;
using KimiEA.Risk.Sizing;

namespace KimiEA.Risk.Gate;

/// <summary>
/// The one call per intent: sizes it and runs every pre-trade rule, reserving the exposure atomically when it is
/// approved. Allocation-free. The chart's own <see cref="AgentPolicy"/> decides mode, thresholds and sizing; the shared
/// <see cref="AccountRiskBook"/> enforces only the account-wide limits. Order of the rules (the first failing one is
/// the reason): emergency stop, mode, intent well-formed, confidence ≥ min, barriers on the correct side, quote,
/// stops level, price band, symbol spec, sizing (equity, edge, minimum volume, risk cap), margin; then confidence
/// &lt; auto-execute and not approved by the trader → awaits approval; simulation → record only (breaker still
/// applies); otherwise the account-level rules under the shared lock (breaker, positions overall and of this chart,
/// netting, volume limit, open risk, leverage, rate) and the reservation.
/// </summary>
public static class PreTradeGate
{
    /// <summary>Sizes and gates one intent.</summary>
    /// <param name="intent">The signal's intent after <see cref="TradeWorthiness.Assess"/> (its confidence and hit probability include the agent's closed trades).</param>
    /// <param name="market">Bid, ask, ATR and server time now.</param>
    /// <param name="spec">The symbol's spec.</param>
    /// <param name="account">Account facts (equity, free margin, demo/real, netting/hedging).</param>
    /// <param name="symbolId">Id from <see cref="AccountRiskBook.RegisterSymbol"/>.</param>
    /// <param name="ownerId">The chart's id from <see cref="AccountRiskBook.RegisterOwner"/>.</param>
    /// <param name="policy">The chart's own decision settings.</param>
    /// <param name="book">The process-wide account risk state (the account limits).</param>
    /// <param name="approvedByTrader">True when the trader approved this intent from the approval band: the
    /// auto-execute threshold is then satisfied (every other rule still applies).</param>
    /// <returns>Approved (volume, risk money, reservation), awaiting approval, record-only, or denied with a reason.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="symbolId"/> was not registered, or the equity is not finite (programming errors, not refusals).</exception>
    public static TradeDecision Decide(
        in TradeIntent intent,
        in MarketSnapshot market,
        in SymbolSpec spec,
        in AccountFacts account,
        int symbolId,
        int ownerId,
        AgentPolicy policy,
        AccountRiskBook book,
        bool approvedByTrader = false)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(policy);
        book.CheckSymbol(symbolId);
        var config = policy;

        if (book.IsEmergencyStopped)
        {
            return TradeDecision.Deny(DenyReason.EmergencyStop);
        }

        var reason = ModeRules.Check(config, account);
        if (reason == DenyReason.None) reason = IntentRules.WellFormed(intent);
        if (reason == DenyReason.None && intent.Confidence < config.MinConfidence) reason = DenyReason.ConfidenceBelowMinimum;
        if (reason == DenyReason.None) reason = IntentRules.BarriersOnCorrectSide(intent);
        if (reason == DenyReason.None) reason = IntentRules.Quote(market.Bid, market.Ask);
        if (reason == DenyReason.None) reason = IntentRules.StopsLevel(intent.Direction, intent.StopLoss, intent.TakeProfit, market.Bid, market.Ask, spec);
        var price = intent.Direction == Direction.Buy ? market.Ask : market.Bid;
        if (reason == DenyReason.None) reason = IntentRules.PriceBand(intent.Entry, price, market.Atr, config.PriceBandAtr);
        if (reason == DenyReason.None && !SymbolSpecRules.IsUsable(spec)) reason = DenyReason.InvalidSymbolSpec;
        if (reason != DenyReason.None)
        {
            return TradeDecision.Deny(reason);
        }

        // Risk and payoff are measured from the price the order will actually fill at, not the signal bar's close.
        var stopDistance = Math.Abs(price - intent.StopLoss);
        var payoff = Math.Abs(intent.TakeProfit - price) / stopDistance;
        var size = PositionSizer.Size(spec, account.Equity, stopDistance, payoff, intent.HitProbability, config);
        if (!size.HasVolume)
        {
            return new TradeDecision { Outcome = DecisionOutcome.Denied, Reason = size.Reason, WinProbability = size.WinProbability, RiskFraction = size.RiskFraction };
        }

        var decision = new TradeDecision
        {
            Outcome = DecisionOutcome.Approved,
            Volume = size.Volume,
            RiskMoney = size.RiskMoney,
            WinProbability = size.WinProbability,
            RiskFraction = size.RiskFraction,
        };

        if (MoneyMath.Margin(spec, size.Volume) > account.FreeMargin)
        {
            return decision with { Outcome = DecisionOutcome.Denied, Reason = DenyReason.InsufficientMargin };
        }

        if (intent.Confidence < config.AutoExecuteConfidence && !approvedByTrader)
        {
            return decision with { Outcome = DecisionOutcome.AwaitsApproval };
        }

        if (config.Mode == TradingMode.Simulation)
        {
            var status = book.OnEquity(account.Equity, market.ServerTimeMs);
            return status == BreakerStatus.Active
                ? decision with { Outcome = DecisionOutcome.RecordOnly }
                : decision with { Outcome = DecisionOutcome.Denied, Reason = DenyReason.BreakerTripped };
        }

        reason = book.TryReserve(
            symbolId,
            ownerId,
            config.MaxPositions,
            intent.Direction,
            account.IsHedging,
            spec.VolumeLimit,
            size.Volume,
            size.RiskMoney,
            MoneyMath.Notional(spec, size.Volume),
            account.Equity,
            market.ServerTimeMs,
            out var reservation);
        return reason == DenyReason.None
            ? decision with { Reservation = reservation }
            : decision with { Outcome = DecisionOutcome.Denied, Reason = reason };
    }
}
