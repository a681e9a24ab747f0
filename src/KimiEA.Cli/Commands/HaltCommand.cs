using System.CommandLine;
using KimiEA.Journal;

namespace KimiEA.Cli.Commands;

/// <summary>
/// <c>kimi halt --db FILE [--reason TEXT]</c> and <c>kimi resume --db FILE</c>: the kill switch from outside the
/// terminal. Writes a control row into the journal; the running engine's journal writer sees it within its poll
/// interval and every agent stops opening trades on its next tick or timer event.
/// </summary>
internal static class HaltCommand
{
    public static Command CreateHalt()
    {
        var db = JournalCommand.DbOption();
        var reason = new Option<string?>("--reason") { Description = "Why trading is halted (shown by the EA and by `kimi journal status`)." };
        var cmd = new Command("halt", "Kill switch: tell every agent writing this journal to stop opening trades.");
        cmd.Options.Add(db);
        cmd.Options.Add(reason);
        cmd.SetAction(parse => Write(parse.GetValue(db)!, halt: true, parse.GetValue(reason)));
        return cmd;
    }

    public static Command CreateResume()
    {
        var db = JournalCommand.DbOption();
        var reason = new Option<string?>("--reason") { Description = "Optional note recorded with the resume." };
        var cmd = new Command("resume", "Lift a halt set with `kimi halt`.");
        cmd.Options.Add(db);
        cmd.Options.Add(reason);
        cmd.SetAction(parse => Write(parse.GetValue(db)!, halt: false, parse.GetValue(reason)));
        return cmd;
    }

    private static int Write(string db, bool halt, string? reason)
    {
        // The CLI is not part of the engine: stamping the control row with this machine's UTC clock is fine here.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        try
        {
            // A FIFO or a folder is refused before SQLite opens it (a FIFO would block the open forever).
            KimiEA.Data.InputFile.CheckExistingRegular(db);
            if (halt)
                JournalControl.RequestHalt(db, reason, now);
            else
                JournalControl.RequestResume(db, reason, now);
            Console.WriteLine(halt
                ? $"halt requested for {db}: agents stop opening trades on their next tick or timer event"
                : $"resume requested for {db}");
            return 0;
        }
        catch (Exception ex) when (ex is JournalException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"kimi {(halt ? "halt" : "resume")}: {ex.Message}");
            return 1;
        }
    }
}
