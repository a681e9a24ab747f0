using KimiEA.Core.Time;

namespace KimiEA.Core.Abi;

public partial struct KimiConfig
{
    /// <summary>
    /// The broker server's clock of these inputs (<see cref="ServerTimeZone"/> and <see cref="ServerUtcOffsetMinutes"/>):
    /// the zone of every time the EA passes (bar and tick times, TimeTradeServer), which sessions and kill zones convert
    /// to UTC. The one mapping of the two fields; the engine validates them first (KIMI_E_CONFIG naming the field).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown rule or an offset beyond ±14 h.</exception>
    public readonly MarketTimeZone ServerClock => MarketTimeZone.Create(
        (TimeZoneKind)Math.Clamp(ServerTimeZone, -1, int.MaxValue),
        (int)Math.Clamp(ServerUtcOffsetMinutes, -1_000_000, 1_000_000) * 60);
}
