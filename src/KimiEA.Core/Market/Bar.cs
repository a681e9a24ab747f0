namespace KimiEA.Core.Market;

/// <summary>
/// A closed OHLCV bar as the SMC engine and the indicators see it.
/// </summary>
/// <param name="Time">Bar open time, seconds since 1970 in the data's own clock (server time for MT5, UTC for the shipped samples).</param>
/// <param name="Open">Open price.</param>
/// <param name="High">High price.</param>
/// <param name="Low">Low price.</param>
/// <param name="Close">Close price.</param>
/// <param name="Volume">The volume the detectors use (order-block volume). Which MT5 volume feeds it is the caller's choice, see <see cref="FromRates"/>.</param>
public readonly record struct Bar(long Time, double Open, double High, double Low, double Close, double Volume)
{
    /// <summary>Converts an MT5 bar: real volume when the feed has it, tick volume otherwise.</summary>
    public static Bar FromRates(in MqlRates r) =>
        new(r.Time, r.Open, r.High, r.Low, r.Close, r.RealVolume > 0 ? r.RealVolume : r.TickVolume);

    /// <summary>Bar open time as a UTC-kind <see cref="DateTime"/> (the clock is whatever <see cref="Time"/> is in).</summary>
    public DateTime OpenDateTime => DateTime.UnixEpoch.AddSeconds(Time);
}
