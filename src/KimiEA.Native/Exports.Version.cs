using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KimiEA.Native;

/// <summary>Exports that need no handle.</summary>
public static unsafe partial class Exports
{
    /// <summary><c>int kimi_abi_version(void)</c>: the ABI version this library implements.</summary>
    [UnmanagedCallersOnly(EntryPoint = "kimi_abi_version", CallConvs = [typeof(CallConvCdecl)])]
    public static int AbiVersion() => AbiInfo.Version;
}
