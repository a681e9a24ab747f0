namespace KimiEA.Engine;

/// <summary>
/// A refusal of a call that the host must see as a specific ABI status code (e.g. KIMI_E_CONFIG for a live mode
/// without opt-in). The native layer turns it into that code and the message into the handle's last error.
/// </summary>
public sealed class EngineException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EngineException(int code, string message) : base(message) => Code = code;

    /// <summary>Creates the exception (code KIMI_E_INTERNAL).</summary>
    public EngineException() : this(Core.Abi.AbiCodes.EInternal, "engine error")
    {
    }

    /// <summary>Creates the exception (code KIMI_E_INTERNAL).</summary>
    public EngineException(string message) : this(Core.Abi.AbiCodes.EInternal, message)
    {
    }

    /// <summary>Creates the exception (code KIMI_E_INTERNAL).</summary>
    public EngineException(string message, Exception inner) : base(message, inner) => Code = Core.Abi.AbiCodes.EInternal;

    /// <summary>The ABI status code (&lt; 0).</summary>
    public int Code { get; }
}
