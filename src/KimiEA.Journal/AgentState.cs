using KimiEA.Core.Trading;

namespace KimiEA.Journal;

/// <summary>
/// An intent the journal holds with no final outcome yet (no fill, no rejection, not abandoned). Every open intent
/// may have filled — even without an "instruction issued" row the instruction may have been handed out just before a
/// crash — so it is never re-issued: reconciliation resolves it against the broker.
/// </summary>
/// <param name="IntentId">The engine's deterministic intent id.</param>
/// <param name="Time">Time of the intent row.</param>
/// <param name="Direction">Buy or sell.</param>
/// <param name="Entry">Intended entry price.</param>
/// <param name="StopLoss">Stop-loss price.</param>
/// <param name="TakeProfit">Take-profit price.</param>
/// <param name="Volume">Sized volume in lots.</param>
/// <param name="Confidence">Signal confidence.</param>
/// <param name="SetupId">Setup id.</param>
/// <param name="InstructionIssued">The open instruction was handed to the EA.</param>
/// <param name="ResultReceived">An OrderSend result was reported.</param>
/// <param name="LastRetcode">The last reported retcode (0 when none).</param>
/// <param name="Ticket">Order/position ticket from the result (0 when none).</param>
/// <param name="MaxBars">The intent's vertical barrier in bars (0 when the row does not say).</param>
public readonly record struct OpenIntent(long IntentId, long Time, Direction Direction, double Entry, double StopLoss,
    double TakeProfit, double Volume, double Confidence, int SetupId, bool InstructionIssued, bool ResultReceived,
    int LastRetcode, long Ticket, int MaxBars = 0)
{
    /// <summary>The result was a timeout/connection/unknown error: the order may or may not exist at the broker.</summary>
    public bool IsAmbiguous => ResultReceived && OrderRetcodes.IsAmbiguous(LastRetcode);
}

/// <summary>A position the journal believes open.</summary>
/// <param name="Ticket">Position ticket.</param>
/// <param name="IntentId">The intent it came from (0 for a position adopted from the broker).</param>
/// <param name="Direction">Buy or sell.</param>
/// <param name="Volume">Open volume in lots.</param>
/// <param name="EntryPrice">Volume-weighted entry price.</param>
/// <param name="EntryTime">Time of the first fill.</param>
/// <param name="StopLoss">Current stop-loss.</param>
/// <param name="TakeProfit">Current take-profit.</param>
/// <param name="SetupId">Setup id of the intent (0 when unknown).</param>
/// <param name="Confidence">Confidence of the intent (0 when unknown).</param>
/// <param name="MaxBars">The position's own vertical barrier in bars, from its fill row or else its intent row (0 when unknown).</param>
public readonly record struct JournalPosition(long Ticket, long IntentId, Direction Direction, double Volume,
    double EntryPrice, long EntryTime, double StopLoss, double TakeProfit, int SetupId, double Confidence, int MaxBars = 0);

/// <summary>The breaker's state as a breaker row records it in plain columns (<see cref="JournalEvent.BreakerRecord"/>).</summary>
/// <param name="TradingDay">Index of the trading day.</param>
/// <param name="ReferenceEquity">The day's starting equity.</param>
/// <param name="Status">The risk library's status value.</param>
/// <param name="TrippedAtMs">Server time of the trip (0 when not tripped).</param>
/// <param name="TripEquity">Equity at the trip (0 when not tripped).</param>
public readonly record struct JournalBreakerState(long TradingDay, double ReferenceEquity, int Status, long TrippedAtMs, double TripEquity);

/// <summary>Key of the per-setup statistics.</summary>
/// <param name="Symbol">Symbol.</param>
/// <param name="SetupId">Setup id.</param>
public readonly record struct SetupKey(string Symbol, int SetupId);

/// <summary>Closed-trade counts and money of one (symbol, setup), the inputs of Kelly sizing.</summary>
/// <param name="Wins">Closed trades with P&amp;L &gt; 0.</param>
/// <param name="Losses">Closed trades with P&amp;L ≤ 0.</param>
/// <param name="GrossProfit">Sum of winning P&amp;L, account currency.</param>
/// <param name="GrossLoss">Sum of losing P&amp;L as a positive number, account currency.</param>
public readonly record struct SetupStats(int Wins, int Losses, double GrossProfit, double GrossLoss)
{
    /// <summary>Wins + losses.</summary>
    public int Trades => Wins + Losses;
}

/// <summary>What <see cref="TradeJournal.Restore"/> / <see cref="JournalReader.RestoreAgent"/> give back.</summary>
/// <param name="Ledger">The agent's state folded from its rows (and the account-wide rows).</param>
/// <param name="HaltRequested">The external kill switch (<c>kimi halt</c>) is in force.</param>
/// <param name="HaltReason">Reason of the latest external halt, or null.</param>
/// <param name="LastSequence">Highest sequence in the file when it was read.</param>
public sealed record RestoredAgent(AgentLedger Ledger, bool HaltRequested, string? HaltReason, long LastSequence);

/// <summary>MT5 trade server return codes as the journal classifies them (see mt5-notes, "Retcodes").</summary>
public static class OrderRetcodes
{
    /// <summary>TRADE_RETCODE_PLACED.</summary>
    public const int Placed = 10008;
    /// <summary>TRADE_RETCODE_DONE.</summary>
    public const int Done = 10009;
    /// <summary>TRADE_RETCODE_DONE_PARTIAL.</summary>
    public const int DonePartial = 10010;
    /// <summary>TRADE_RETCODE_ERROR.</summary>
    public const int Error = 10011;
    /// <summary>TRADE_RETCODE_TIMEOUT.</summary>
    public const int Timeout = 10012;
    /// <summary>TRADE_RETCODE_CONNECTION.</summary>
    public const int Connection = 10031;

    /// <summary>The request was accepted (the fill arrives as a deal).</summary>
    public static bool IsSuccess(int retcode) => retcode is Placed or Done or DonePartial;

    /// <summary>The order may have executed: only reconciliation can tell.</summary>
    public static bool IsAmbiguous(int retcode) => retcode is Error or Timeout or Connection;

    /// <summary>The request was refused for good: nothing was opened.</summary>
    public static bool IsRejected(int retcode) => !IsSuccess(retcode) && !IsAmbiguous(retcode);
}
