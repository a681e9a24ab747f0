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
        Assert.Equal("5001,live,mt5,EURUSD,7,101,3,BUY,1.1001,101,1.1041,200,TP,0.5,0.62,0.41,1.098,1.104,40,200,1,closed", lines[1]);
        Assert.Equal("5003,\"paper, shadow\",mt5,EURUSD,7,0,0,SELL,1.102,500,,,,0.1,,,1.104,1.1,,,,open", lines[2]);
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
        Assert.Equal("1,BREAKER,10,0,,0,0,0,0,0,0,0,0,0,0,0,10000,0,0,2,,,\"loss \"\"limit\"\"\",AB01", lines[1]);
        Assert.Equal("2,CLOSE,11,7,EURUSD,0,5,9,0,1.1,0.5,0,0,0,0,-3.5,0,0,0,0,EMERGENCY,,,", lines[2]);
    }
}
