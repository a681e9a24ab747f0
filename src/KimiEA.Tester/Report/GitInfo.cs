namespace KimiEA.Tester.Report;

/// <summary>Reads the commit of a git checkout without running git (HEAD, loose refs, packed-refs).</summary>
public static class GitInfo
{
    /// <summary>The commit checked out in the repository containing <paramref name="startDirectory"/> (searched upwards), or "unknown".</summary>
    public static string ReadCommit(string startDirectory)
    {
        try
        {
            for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
            {
                var git = Path.Combine(dir.FullName, ".git");
                if (Directory.Exists(git))
                {
                    return ResolveHead(git) ?? "unknown";
                }
            }
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }

        return "unknown";
    }

    private static string? ResolveHead(string git)
    {
        var head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
        if (!head.StartsWith("ref: ", StringComparison.Ordinal))
        {
            return IsSha(head) ? head : null;
        }

        var reference = head[5..].Trim();
        var loose = Path.Combine(git, reference.Replace('/', Path.DirectorySeparatorChar));
        if (File.Exists(loose))
        {
            var sha = File.ReadAllText(loose).Trim();
            return IsSha(sha) ? sha : null;
        }

        var packed = Path.Combine(git, "packed-refs");
        if (File.Exists(packed))
        {
            foreach (var line in File.ReadLines(packed))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && parts[1].Trim() == reference && IsSha(parts[0]))
                {
                    return parts[0];
                }
            }
        }

        return null;
    }

    private static bool IsSha(string s) => s.Length == 40 && s.All(Uri.IsHexDigit);
}
