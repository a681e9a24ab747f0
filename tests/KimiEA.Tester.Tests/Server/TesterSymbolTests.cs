using KimiEA.Tester.Server;
using Xunit;

namespace KimiEA.Tester.Tests.Server;

/// <summary>
/// <see cref="TesterSymbol.Normalize"/> takes a fast path for every replayed price; it must give bit for bit what the
/// MT5-style definition gives — round to the tick size, then to the digits — or backtests would change with it.
/// </summary>
public sealed class TesterSymbolTests
{
    private static double Reference(double price, double tickSize, int digits) =>
        Math.Round(Math.Round(price / tickSize) * tickSize, digits);

    public static TheoryData<string, int, double, double, double> Symbols() => new()
    {
        // name, digits, tick size, lowest and highest price tried
        { "EURUSD", 5, 0.00001, 0.5, 2.0 },
        { "USDJPY", 3, 0.001, 70, 160 },
        { "XAUUSD", 2, 0.01, 900, 3000 },
        { "US500", 2, 0.25, 1000, 7000 },
        { "ODD", 5, 0.00005, 0.5, 2.0 },
        { "COARSE", 2, 0.001, 10, 20 }, // tick finer than the digits: the general formula
        { "INDEX", 0, 1, 10_000, 40_000 },
    };

    [Theory]
    [MemberData(nameof(Symbols))]
    public void Normalize_equals_the_definition_bit_for_bit(string name, int digits, double tickSize, double low, double high)
    {
        var symbol = SymbolTable.Get("EURUSD") with { Name = name, Digits = digits, Point = Math.Pow(10, -digits), TickSize = tickSize };
        var random = new Random(20_141_122);
        for (var i = 0; i < 200_000; i++)
        {
            var price = low + (random.NextDouble() * (high - low));
            var expected = Reference(price, tickSize, digits);
            var actual = symbol.Normalize(price);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
                $"{name}: Normalize({price:R}) = {actual:R}, the definition gives {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Symbols))]
    public void AddPoints_equals_normalizing_the_sum_for_prices_on_the_grid(string name, int digits, double tickSize, double low, double high)
    {
        var point = Math.Pow(10, -digits);
        var symbol = SymbolTable.Get("EURUSD") with { Name = name, Digits = digits, Point = point, TickSize = tickSize };
        var random = new Random(20_141_123);
        for (var i = 0; i < 100_000; i++)
        {
            var price = Reference(low + (random.NextDouble() * (high - low)), tickSize, digits);
            var points = random.Next(0, 500);
            var expected = Reference(price + (points * point), tickSize, digits);
            var actual = symbol.AddPoints(price, points);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
                $"{name}: AddPoints({price:R}, {points}) = {actual:R}, normalizing the sum gives {expected:R}");
        }
    }

    [Fact]
    public void A_with_copy_normalizes_with_its_own_tick_size()
    {
        var eurusd = SymbolTable.Get("EURUSD");
        var coarse = eurusd with { TickSize = 0.0005 };
        Assert.Equal(1.10012, eurusd.Normalize(1.100123), 10);
        Assert.Equal(1.1000, coarse.Normalize(1.100123), 10);
        Assert.True(double.IsNaN(eurusd.Normalize(double.NaN)));
    }
}
