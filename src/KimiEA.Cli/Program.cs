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
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
