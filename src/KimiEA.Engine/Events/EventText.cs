using System.Globalization;
using KimiEA.Core.Abi;

namespace KimiEA.Engine.Events;

/// <summary>
/// Formats an engine event as one line for the Experts journal (kimi_poll_log): the whole line is formatted on the
/// stack, then as much of it as the caller's buffer holds is copied (kimiea.h: text out is truncated, never dropped).
/// </summary>
public static class EventText
{
    /// <summary>Longest line formatted; a longer one falls back to its short form ("SYMBOL name").</summary>
    private const int LineCapacity = 512;

    /// <summary>Writes the line, truncated to <paramref name="output"/>'s length; returns the characters written.</summary>
    public static int Format(in KimiEvent e, string symbol, Span<char> output)
    {
        Span<char> line = stackalloc char[LineCapacity];
        var n = FormatLine(e, symbol, line);
        var written = Math.Min(n, output.Length);
        line[..written].CopyTo(output);
        return written;
    }

    private static int FormatLine(in KimiEvent e, string symbol, Span<char> output)
    {
        var inv = CultureInfo.InvariantCulture;
        var side = e.Direction switch { AbiCodes.Buy => "BUY", AbiCodes.Sell => "SELL", _ => "-" };
        var name = CodeNames.Of((int)e.Kind, e.Code);
        var ok = e.Kind switch
        {
            AbiCodes.EvtSignal => output.TryWrite(inv, $"{symbol} signal {side} entry {e.Price} SL {e.Sl} TP {e.Tp} confidence {e.Value:0.000} (setup {e.Code})", out var n1) ? n1 : -1,
            AbiCodes.EvtDenied => output.TryWrite(inv, $"{symbol} {side} not traded: {name} (confidence {e.Value:0.000})", out var n2) ? n2 : -1,
            AbiCodes.EvtInstruction => output.TryWrite(inv, $"{symbol} instruction #{e.Ticket} {(e.Code == AbiCodes.InstrOpen ? "OPEN" : "CLOSE")} {side} {e.Volume} lots at {e.Price} SL {e.Sl} TP {e.Tp}", out var n3) ? n3 : -1,
            AbiCodes.EvtResult => output.TryWrite(inv, $"{symbol} instruction #{e.Ticket} result {name} ({e.Code}) price {e.Price} volume {e.Volume}", out var n4) ? n4 : -1,
            AbiCodes.EvtFill => output.TryWrite(inv, $"{symbol} position {e.Ticket} opened {side} {e.Volume} lots at {e.Price} SL {e.Sl} TP {e.Tp}", out var n5) ? n5 : -1,
            AbiCodes.EvtClose => output.TryWrite(inv, $"{symbol} position {e.Ticket} closed ({name}) {e.Volume} lots at {e.Price}, net {e.Value:0.00}", out var n6) ? n6 : -1,
            AbiCodes.EvtBreaker => output.TryWrite(inv, $"daily drawdown breaker -> {name} (equity {e.Value:0.00}, day start {e.Price:0.00})", out var n7) ? n7 : -1,
            AbiCodes.EvtHalt => output.TryWrite(inv, $"{symbol} {(e.Code == 1 ? "HALTED by kill switch" : e.Code == 2 ? "EMERGENCY STOP: closing all positions" : "trading enabled")}", out var n8) ? n8 : -1,
            AbiCodes.EvtReconciled => output.TryWrite(inv, $"{symbol} reconciliation: {name} position {e.Ticket} {side} {e.Volume} lots", out var n9) ? n9 : -1,
            AbiCodes.EvtError => output.TryWrite(inv, $"{symbol} problem: {name} (ref {e.Ticket})", out var n10) ? n10 : -1,
            AbiCodes.EvtApproval when e.Code == AbiCodes.ApprovalAwaiting => output.TryWrite(inv, $"{symbol} {side} intent #{e.Ticket} awaits approval: {e.Volume} lots, entry {e.Price} SL {e.Sl} TP {e.Tp}, confidence {e.Value:0.000}", out var n12) ? n12 : -1,
            AbiCodes.EvtApproval => output.TryWrite(inv, $"{symbol} {side} intent #{e.Ticket} {name}", out var n13) ? n13 : -1,
            _ => output.TryWrite(inv, $"{symbol} event {e.Kind} code {e.Code}", out var n11) ? n11 : -1,
        };
        if (ok >= 0)
        {
            return ok;
        }

        // Longer than a line may be: the short form, itself cut to the line's capacity.
        var shortForm = $"{symbol} {name}".AsSpan();
        var cut = Math.Min(shortForm.Length, output.Length);
        shortForm[..cut].CopyTo(output);
        return cut;
    }
}
