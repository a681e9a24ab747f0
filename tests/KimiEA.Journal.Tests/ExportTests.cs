using KimiEA.Core.Trading;
using Xunit;

namespace KimiEA.Journal.Tests;

public sealed class ExportTests
{
    [Fact]
    public void TradesCsv_HasTheHeaderAndOneLinePerTrade_WithQuotingAndEmptyCells()
    {
        var closed = new TradeRow(5001, "live", "mt5", "EURUSD", 7, 101, 3, "BUY", 1.1001, 101, 1.1041, 200, "TP", 0.5, 0.62,
            1.098, 1.104, 40, 200, true, "closed", HitProbability: 0.41);
        var open = new TradeRow(5003, "paper, shadow", "mt5", "EURUSD", 7, 0, 0, "SELL", 1.102, 500, null, null, null, 0.1, null,
            1.104, 1.1, null, null, null, "open");
        using var w = new StringWriter();
        JournalExport.WriteTradesCsv([closed, open], w);
        var lines = w.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(JournalExport.TradesHeader, lines[0]);
        // Times 101 and 200 are below 10^11, so seconds: 00:01:41 and 00:03:20 on 1970-01-01. No digits given: 10
        // significant digits; money with 2 decimals; pips with 1.
        Assert.Equal("5001,live,mt5,EURUSD,7,101,3,BUY,1.1001,1970-01-01T00:01:41.000Z,1.1041,1970-01-01T00:03:20.000Z,TP,0.5,0.62,0.41,1.098,1.104,40.0,200.00,1,closed", lines[1]);
        Assert.Equal("5003,\"paper, shadow\",mt5,EURUSD,7,0,0,SELL,1.102,1970-01-01T00:08:20.000Z,,,,0.1,,,1.104,1.1,,,,open", lines[2]);
        Assert.Equal(22, lines[0].Split(',').Length);
    }

    [Fact]
    public void EventsCsv_NamesKindsAndReasons_HexBlobs_QuotesText()
    {
        JournalRecord[] rows =
        [
            new(1, JournalEvent.BreakerTransition(10, 2, [0xAB, 0x01], 10_000, "loss \"limit\"")),
            new(2, JournalEvent.Close(11, 7, "EURUSD", 5, 9, 1.1, 0.5, -3.5, ExitReason.Emergency)),
        ];
        using var w = new StringWriter();
        JournalExport.WriteEventsCsv(rows, w);
        var lines = w.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(JournalExport.EventsHeader, lines[0]);
        Assert.Equal("1,BREAKER,1970-01-01T00:00:10.000Z,0,,0,0,0,0,0,0,0,0,0,0,0.00,10000.00,0,0,2,,,\"loss \"\"limit\"\"\",AB01", lines[1]);
        Assert.Equal("2,CLOSE,1970-01-01T00:00:11.000Z,7,EURUSD,0,5,9,0,1.1,0.5,0,0,0,0,-3.50,0.00,0,0,0,EMERGENCY,,,", lines[2]);
    }

    [Fact]
    public void Engine_rows_read_as_dates_prices_in_the_symbol_digits_and_money_in_cents()
    {
        // What the engine writes: MT5 milliseconds, prices and money with binary noise.
        var msc = 1_399_448_700_250L; // 2014-05-07 07:45:00.250 UTC
        var trade = new TradeRow(7, "live", "mt5", "EURUSD", 1, 2, 0, "BUY", 1.1 + 0.0000000000000001, msc, 0.1 + 0.2 + 1.0, msc + 3_600_000, "TP",
            0.1 + 0.2, 0.6180339887, 1.0986999999999998, 1.10310000000001, 39.999999999, 12.345000000001, true, "closed", 0.4142135);
        var events = new JournalRecord[] { new(1, JournalEvent.Close(msc, 7, "XAUUSD", 5, 9, 1_234.5699999999, 0.1 + 0.2, -0.004, ExitReason.TakeProfit)) };
        int? Digits(string s) => s switch { "EURUSD" => 5, "XAUUSD" => 2, _ => null };
        using var w = new StringWriter();
        JournalExport.WriteTradesCsv([trade], w, Digits);
        Assert.Equal("7,live,mt5,EURUSD,1,2,0,BUY,1.10000,2014-05-07T07:45:00.250Z,1.30000,2014-05-07T08:45:00.250Z,TP,0.3,0.618034,0.414214,1.09870,1.10310,40.0,12.35,1,closed",
            w.ToString().Split(Environment.NewLine)[1]);
        using var e = new StringWriter();
        JournalExport.WriteEventsCsv(events, e, Digits);
        // −0.004 rounds to zero cents: written 0.00, not -0.00.
        Assert.Equal("1,CLOSE,2014-05-07T07:45:00.250Z,7,XAUUSD,0,5,9,0,1234.57,0.3,0.00,0.00,0,0,0.00,0.00,0,0,0,TP,,,", e.ToString().Split(Environment.NewLine)[1]);
    }

    [Theory]
    [InlineData(1.1000000000000001, "1.1")]
    [InlineData(65_000.00000000001, "65000")]
    [InlineData(0.000012345678912, "0.00001234567891")]
    [InlineData(149.999999999999, "150")]
    [InlineData(0.0, "0")]
    public void A_price_of_an_unknown_symbol_keeps_ten_significant_digits(double price, string expected) =>
        Assert.Equal(expected, JournalExport.Price(price, null));

    [Theory]
    [InlineData(1_399_448_700_250L, "2014-05-07T07:45:00.250Z")] // milliseconds (the engine)
    [InlineData(1_399_448_700L, "2014-05-07T07:45:00.000Z")]     // seconds (older or foreign rows)
    [InlineData(long.MaxValue, "9223372036854775807")]            // no date holds it: the number
    public void Times_are_iso_utc_whether_stored_in_seconds_or_milliseconds(long time, string expected) =>
        Assert.Equal(expected, JournalExport.Time(time));
}
