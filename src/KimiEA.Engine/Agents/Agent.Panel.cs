using KimiEA.Core.Abi;
using KimiEA.Core.Trading;
using KimiEA.Journal;

namespace KimiEA.Engine.Agents;

/// <summary>
/// The trader's buttons on the chart (the EA's panel): close this chart's positions, and halt / resume new trades for
/// every chart writing this journal. Each click becomes a journal row: a MANUAL_CLOSE row (then the CLOSE instructions,
/// exit reason MANUAL) and the control row <c>kimi halt</c> / <c>kimi resume</c> write from outside the terminal.
/// </summary>
public sealed partial class Agent
{
    /// <summary>kimi_close_positions: a CLOSE (reason MANUAL) for every position this chart's agent owns.</summary>
    public int ClosePositions()
    {
        using (_gate.Hold())
        {
            // The click is journaled whether or not a position is open: every panel action leaves a row.
            JournalAppend(JournalEvent.ManualClose(_nowMsc, _config.Magic, _symbol, _positions.Count));
            CloseAll(ExitReason.Manual);
            return Pending();
        }
    }

    /// <summary>
    /// kimi_request_halt: writes a halt (or resume) into this chart's journal, where every agent writing it - every
    /// chart of the terminal - reads it within the journal's control poll, as it reads <c>kimi halt</c>. Stamped
    /// with this agent's server time, never the wall clock.
    /// </summary>
    public int RequestHalt(bool halt, string? reason)
    {
        using (_gate.Hold())
        {
            if (_journal is null)
            {
                return FailLocked(AbiCodes.EJournal, "kimi_request_halt: this chart runs without a journal; the account-wide halt lives in the journal (set the journal path).");
            }

            var text = string.IsNullOrWhiteSpace(reason) ? (halt ? "halted from the chart panel" : "resumed from the chart panel") : reason;
            try
            {
                if (halt)
                {
                    JournalControl.RequestHalt(_journal.Path, text, _nowMsc / 1000);
                }
                else
                {
                    JournalControl.RequestResume(_journal.Path, text, _nowMsc / 1000);
                }
            }
            catch (JournalException e)
            {
                return FailLocked(AbiCodes.EJournal, "kimi_request_halt: " + e.Message);
            }

            return Pending();
        }
    }
}
