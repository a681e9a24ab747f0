using KimiEA.Core.Time;
using System.Globalization;

namespace KimiEA.Smc.Time;

/// <summary>
/// A trading session or kill zone: an inclusive wall-clock window <c>Start ≤ t ≤ End</c> (minute resolution) in a
/// time zone. When Start ≥ End the window runs overnight (active if t ≥ Start or t ≤ End), as in the reference.
/// </summary>
/// <param name="Name">Display name.</param>
/// <param name="StartMinute">Window start, minutes after local midnight (0…1439).</param>
/// <param name="EndMinute">Window end, inclusive, minutes after local midnight (0…1439).</param>
/// <param name="Zone">The clock the window is written in. The presets use UTC like the reference; use <see cref="InZone"/> for an exchange's local time with its daylight saving.</param>
public readonly record struct SessionWindow(string Name, int StartMinute, int EndMinute, MarketTimeZone Zone)
{
    /// <summary>Sydney 21:00–06:00 UTC.</summary>
    public static SessionWindow Sydney => Utc("Sydney", 21, 0, 6, 0);

    /// <summary>Tokyo 00:00–09:00 UTC.</summary>
    public static SessionWindow Tokyo => Utc("Tokyo", 0, 0, 9, 0);

    /// <summary>London 07:00–16:00 UTC.</summary>
    public static SessionWindow London => Utc("London", 7, 0, 16, 0);

    /// <summary>New York 13:00–22:00 UTC.</summary>
    public static SessionWindow NewYork => Utc("New York", 13, 0, 22, 0);

    /// <summary>Asian kill zone 00:00–04:00 UTC.</summary>
    public static SessionWindow AsianKillZone => Utc("Asian kill zone", 0, 0, 4, 0);

    /// <summary>London open kill zone 06:00–09:00 UTC.</summary>
    public static SessionWindow LondonOpenKillZone => Utc("London open kill zone", 6, 0, 9, 0);

    /// <summary>New York kill zone 11:00–14:00 UTC.</summary>
    public static SessionWindow NewYorkKillZone => Utc("New York kill zone", 11, 0, 14, 0);

    /// <summary>London close kill zone 14:00–16:00 UTC (the reference spells it "london close kill zone").</summary>
    public static SessionWindow LondonCloseKillZone => Utc("london close kill zone", 14, 0, 16, 0);

    /// <summary>Sydney 07:00–16:00 Australia/Sydney (AEST/AEDT): the reference's window in local winter time, following DST.</summary>
    public static SessionWindow SydneyLocal => new("Sydney", 7 * 60, 16 * 60, MarketTimeZone.Sydney);

    /// <summary>Tokyo 09:00–18:00 Asia/Tokyo (no DST; identical to <see cref="Tokyo"/>).</summary>
    public static SessionWindow TokyoLocal => new("Tokyo", 9 * 60, 18 * 60, MarketTimeZone.Tokyo);

    /// <summary>London 08:00–17:00 Europe/London: the reference's window in British summer time, following DST.</summary>
    public static SessionWindow LondonLocal => new("London", 8 * 60, 17 * 60, MarketTimeZone.London);

    /// <summary>New York 08:00–17:00 America/New_York: the reference's window in US winter time, following DST.</summary>
    public static SessionWindow NewYorkLocal => new("New York", 8 * 60, 17 * 60, MarketTimeZone.NewYork);

    /// <summary>
    /// The four main sessions in their exchange's own time zone, so they move with that exchange's daylight saving
    /// (the reference's fixed UTC windows are right for only part of the year).
    /// </summary>
    public static IReadOnlyList<SessionWindow> ExchangeLocalPresets { get; } = [SydneyLocal, TokyoLocal, LondonLocal, NewYorkLocal];

    /// <summary>The exchange-local variant of a main session (Sydney, Tokyo/Asia, London, NewYork), by name.</summary>
    /// <exception cref="FormatException">The name is not one of the four main sessions.</exception>
    public static SessionWindow ParseExchangeLocal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = Normalize(name);
        key = key == "ASIA" ? "TOKYO" : key;
        foreach (var p in ExchangeLocalPresets)
        {
            if (Normalize(p.Name) == key)
            {
                return p;
            }
        }

        throw new FormatException(
            $"Session '{name}' has no exchange-local definition: use one of {string.Join(", ", ExchangeLocalPresets.Select(p => p.Name))} (or Asia), or give the zone explicitly.");
    }

    /// <summary>The reference's preset sessions, in its order.</summary>
    public static IReadOnlyList<SessionWindow> Presets { get; } =
        [Sydney, Tokyo, London, NewYork, AsianKillZone, LondonOpenKillZone, NewYorkKillZone, LondonCloseKillZone];

    /// <summary>A custom window from "HH:MM" strings.</summary>
    /// <exception cref="FormatException">A time is not HH:MM with HH ≤ 23 and MM ≤ 59; the message names it.</exception>
    public static SessionWindow Custom(string start, string end, MarketTimeZone zone) =>
        new("Custom", ParseHhMm(start, nameof(start)), ParseHhMm(end, nameof(end)), zone);

    /// <summary>
    /// A preset or custom session by name, case-insensitive, spaces/underscores/hyphens ignored: Sydney, Tokyo (alias
    /// Asia), London, NewYork, AsianKillZone, LondonOpenKillZone, NewYorkKillZone, LondonCloseKillZone, or Custom
    /// (which needs <paramref name="start"/> and <paramref name="end"/>).
    /// </summary>
    /// <exception cref="FormatException">Unknown name or bad/missing custom times; the message says which.</exception>
    public static SessionWindow Parse(string name, string? start = null, string? end = null, MarketTimeZone? zone = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = Normalize(name);
        if (key == "CUSTOM")
        {
            if (string.IsNullOrWhiteSpace(start) || string.IsNullOrWhiteSpace(end))
            {
                throw new FormatException("Session 'Custom' needs both a start and an end time (HH:MM).");
            }

            return Custom(start, end, zone ?? MarketTimeZone.Utc);
        }

        if (key == "ASIA")
        {
            key = "TOKYO";
        }

        foreach (var p in Presets)
        {
            if (Normalize(p.Name) == key)
            {
                if (start is not null || end is not null)
                {
                    throw new FormatException($"Start and end times are only allowed with session 'Custom', not '{name}'.");
                }

                return zone is { } z ? p.InZone(z) : p;
            }
        }

        throw new FormatException(
            $"Unknown session '{name}': use one of {string.Join(", ", Presets.Select(p => p.Name))}, Asia (= Tokyo) or Custom.");
    }

    /// <summary>The same wall-clock window read in another zone (e.g. London 08:00–17:00 in Europe/London).</summary>
    public SessionWindow InZone(MarketTimeZone zone) => this with { Zone = zone };

    /// <summary>The same window with other wall-clock times.</summary>
    public SessionWindow WithTimes(string start, string end) =>
        this with { StartMinute = ParseHhMm(start, nameof(start)), EndMinute = ParseHhMm(end, nameof(end)) };

    /// <summary>True when a local minute-of-day lies in the window (both ends inclusive).</summary>
    public bool Contains(int localMinuteOfDay) =>
        StartMinute < EndMinute
            ? localMinuteOfDay >= StartMinute && localMinuteOfDay <= EndMinute
            : localMinuteOfDay >= StartMinute || localMinuteOfDay <= EndMinute;

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"{Name} {StartMinute / 60:00}:{StartMinute % 60:00}-{EndMinute / 60:00}:{EndMinute % 60:00} {Zone.Name}");

    private static SessionWindow Utc(string name, int sh, int sm, int eh, int em) => new(name, (sh * 60) + sm, (eh * 60) + em, MarketTimeZone.Utc);

    private static string Normalize(string s) =>
        s.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal)
         .Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    private static int ParseHhMm(string text, string what)
    {
        if (text is { Length: 5 } && text[2] == ':'
            && int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            && int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && h <= 23 && m <= 59)
        {
            return (h * 60) + m;
        }

        throw new FormatException($"Session {what} time '{text}' is not HH:MM (00:00 to 23:59).");
    }
}
