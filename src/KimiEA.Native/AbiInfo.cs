namespace KimiEA.Native;

/// <summary>The ABI version of include/kimiea.h. Bump it on every incompatible change of an export or struct.</summary>
public static class AbiInfo
{
    /// <summary>KIMI_ABI_VERSION in include/kimiea.h and KIMI_ABI_VERSION in mql5/Include/KimiEA/KimiEA.mqh.</summary>
    public const int Version = 1;
}
