using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KimiEA.Core.Market;
using Xunit;

namespace KimiEA.Native.Tests;

/// <summary>
/// MqlRates and MqlTick must be byte-identical to MQL5's structs (packed to 1 byte, 60 bytes each; offsets from
/// shared/mt5-notes.md §1.3), or every bar and tick crossing the ABI is garbage.
/// </summary>
public sealed class MqlStructLayoutTests
{
    [Fact]
    public void MqlRates_is_60_bytes_packed()
    {
        Assert.Equal(60, Unsafe.SizeOf<MqlRates>());
        Assert.Equal(60, Marshal.SizeOf<MqlRates>());
        Assert.Equal(MqlRates.Size, Unsafe.SizeOf<MqlRates>());
    }

    [Theory]
    [InlineData(nameof(MqlRates.Time), 0)]
    [InlineData(nameof(MqlRates.Open), 8)]
    [InlineData(nameof(MqlRates.High), 16)]
    [InlineData(nameof(MqlRates.Low), 24)]
    [InlineData(nameof(MqlRates.Close), 32)]
    [InlineData(nameof(MqlRates.TickVolume), 40)]
    [InlineData(nameof(MqlRates.Spread), 48)]
    [InlineData(nameof(MqlRates.RealVolume), 52)]
    public void MqlRates_field_offsets_match_mql5(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<MqlRates>(field));

    [Fact]
    public void MqlTick_is_60_bytes_packed()
    {
        Assert.Equal(60, Unsafe.SizeOf<MqlTick>());
        Assert.Equal(60, Marshal.SizeOf<MqlTick>());
        Assert.Equal(MqlTick.Size, Unsafe.SizeOf<MqlTick>());
    }

    [Theory]
    [InlineData(nameof(MqlTick.Time), 0)]
    [InlineData(nameof(MqlTick.Bid), 8)]
    [InlineData(nameof(MqlTick.Ask), 16)]
    [InlineData(nameof(MqlTick.Last), 24)]
    [InlineData(nameof(MqlTick.Volume), 32)]
    [InlineData(nameof(MqlTick.TimeMsc), 40)]
    [InlineData(nameof(MqlTick.Flags), 48)]
    [InlineData(nameof(MqlTick.VolumeReal), 52)]
    public void MqlTick_field_offsets_match_mql5(string field, int offset) =>
        Assert.Equal(offset, (int)Marshal.OffsetOf<MqlTick>(field));

    [Fact]
    public unsafe void MqlRates_bytes_round_trip_through_a_raw_buffer()
    {
        var bar = new MqlRates(1_700_000_000, 1.1, 1.2, 1.0, 1.15, 42, 7, 99);
        var bytes = new byte[60];
        fixed (byte* p = bytes)
        {
            *(MqlRates*)p = bar;
            Assert.Equal(1_700_000_000L, BitConverter.ToInt64(bytes, 0));
            Assert.Equal(1.15, BitConverter.ToDouble(bytes, 32));
            Assert.Equal(7, BitConverter.ToInt32(bytes, 48));
            Assert.Equal(99L, BitConverter.ToInt64(bytes, 52));
        }
    }
}
