using System.CommandLine;
using System.Reflection;

namespace KimiEA.Cli.Commands;

/// <summary><c>kimi version</c>: prints the tool's version.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var cmd = new Command("version", "Print the version of the kimi tool.");
        cmd.SetAction(_ =>
        {
            var v = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"kimi {v}");
            return 0;
        });
        return cmd;
    }
}
