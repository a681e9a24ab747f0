namespace KimiEA.Cli;

/// <summary>How every <c>kimi</c> command words a failure for the user.</summary>
internal static class CliErrors
{
    /// <summary>
    /// The exception's message without the framework's decoration: an <see cref="ArgumentException"/> appends
    /// " (Parameter 'name')" (and "Actual value was …" for out-of-range values), which names a .NET parameter the
    /// user never saw; our messages already name the option, file or field.
    /// </summary>
    public static string Text(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e.Message;
        if (e is ArgumentException { ParamName: { Length: > 0 } name })
        {
            var suffix = $" (Parameter '{name}')";
            var at = message.IndexOf(suffix, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        return message;
    }
}
