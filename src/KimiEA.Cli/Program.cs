using System.CommandLine;
using KimiEA.Cli.Commands;

// `kimi`: the KimiEA command-line tool. Each subcommand lives in its own file under Commands/ and is registered here.
var root = new RootCommand("KimiEA: Smart Money Concepts engine, backtester and journal tools for the KimiEA MetaTrader 5 Expert Advisor.");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(BacktestCommand.Create());
root.Subcommands.Add(OptimizeCommand.Create());
root.Subcommands.Add(SmcCommand.Create());
root.Subcommands.Add(CalibrateCommand.Create());
root.Subcommands.Add(JournalCommand.Create());
root.Subcommands.Add(HaltCommand.CreateHalt());
root.Subcommands.Add(HaltCommand.CreateResume());

// A value the parser cannot read (a word for a number, an unknown option) is bad input like any other: exit code 2 and
// the parser's message naming the option, without the whole help text in front of it.
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var e in parse.Errors)
    {
        Console.Error.WriteLine($"error: {e.Message}");
    }

    Console.Error.WriteLine("(add --help to the command to list its options)");
    return 2;
}

return await parse.InvokeAsync().ConfigureAwait(false);
