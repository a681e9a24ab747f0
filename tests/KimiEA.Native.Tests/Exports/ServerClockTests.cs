using KimiEA.Core.Abi;
using Xunit;
using static KimiEA.Native.Tests.Exports.NativeAccount;

namespace KimiEA.Native.Tests.Exports;

/// <summary>
/// Issue 14, "broker time", through the C exports: the server clock (server_time_zone, server_utc_offset_minutes) is
/// an account-wide input. kimi_create accepts the EA's default (New York close, 120) and any fixed offset within
/// ±14 h, refuses an unknown rule or an impossible combination naming the field, and refuses a chart whose server
/// clock differs from the clock of the charts attached (one terminal reads one server time).
/// </summary>
[Collection(NativeAccountGroup.Name)]
public sealed unsafe class ServerClockTests
{
    [Fact]
    public void Create_refuses_an_unknown_rule_and_impossible_offsets_naming_the_field()
    {
        var spec = Spec;
        var account = Account();
        (string Field, long Zone, long Offset)[] bad =
        [
            ("config.server_time_zone = 1", 1, 120),                // US daylight saving exists in Core, not as a broker clock of the ABI
            ("config.server_time_zone = 7", 7, 120),
            ("config.server_time_zone = -1", -1, 0),
            ("config.server_utc_offset_minutes = 180", AbiCodes.TzNewYorkClose, 180), // New York close is UTC+2 in winter, always
            ("config.server_utc_offset_minutes = 0", AbiCodes.TzNewYorkClose, 0),
            ("config.server_utc_offset_minutes = 841", AbiCodes.TzFixed, 841),       // beyond +14 h
            ("config.server_utc_offset_minutes = -900", AbiCodes.TzFixed, -900),
        ];
        fixed (char* sym = "SCA")
        {
            foreach (var (field, zone, offset) in bad)
            {
                var cfg = Config(211);
                cfg.ServerTimeZone = zone;
                cfg.ServerUtcOffsetMinutes = offset;
                Assert.Equal(AbiCodes.EConfig, Lib.Create(&cfg, sym, &spec, &account, null, null, null));
                Assert.Contains(field, Lib.ReadLastError(0), StringComparison.Ordinal);
            }
        }

        // the limits of the range and the EA's default are accepted
        (long Zone, long Offset)[] good = [(AbiCodes.TzNewYorkClose, 120), (AbiCodes.TzFixed, 840), (AbiCodes.TzFixed, -840), (AbiCodes.TzFixed, 0)];
        foreach (var (zone, offset) in good)
        {
            var cfg = Config(212);
            cfg.ServerTimeZone = zone;
            cfg.ServerUtcOffsetMinutes = offset;
            var h = Create(cfg, "SCB");
            Assert.Equal(AbiCodes.Ok, Lib.Destroy(h, 1));
        }
    }

    [Fact]
    public void A_chart_with_another_server_clock_is_refused_while_a_chart_is_attached()
    {
        var defaults = Config(213);
        Assert.Equal(AbiCodes.TzNewYorkClose, defaults.ServerTimeZone); // the EA's default: most MT5 brokers
        Assert.Equal(120, defaults.ServerUtcOffsetMinutes);
        var first = Create(defaults, "SCC");
        try
        {
            var other = Config(214);
            other.ServerTimeZone = AbiCodes.TzFixed; // UTC+2 all year: an hour off the first chart's clock in US summer
            var spec = Spec;
            var account = Account();
            fixed (char* sym = "SCD")
            {
                Assert.Equal(AbiCodes.EConfig, Lib.Create(&other, sym, &spec, &account, null, null, null));
            }

            var error = Lib.ReadLastError(0);
            Assert.Contains("server_time_zone and server_utc_offset_minutes", error, StringComparison.Ordinal);
            Assert.Contains("UTC+02:00 on this chart but ny-close is in force", error, StringComparison.Ordinal);

            // the same clock is accepted
            var same = Create(Config(215), "SCE");
            Assert.Equal(AbiCodes.Ok, Lib.Destroy(same, 1));
        }
        finally
        {
            Assert.Equal(AbiCodes.Ok, Lib.Destroy(first, 1));
        }
    }
}
