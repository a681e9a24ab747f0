namespace KimiEA.Risk.Gate;

/// <summary>The market at the moment of the decision.</summary>
/// <param name="Bid">Current bid.</param>
/// <param name="Ask">Current ask.</param>
/// <param name="Atr">Average true range of the signal's time frame, price units (for the price band).</param>
/// <param name="ServerTimeMs">Broker server time, milliseconds (breaker day, rate limiter).</param>
public readonly record struct MarketSnapshot(double Bid, double Ask, double Atr, long ServerTimeMs);
