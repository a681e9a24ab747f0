using System.Runtime.InteropServices;

namespace KimiEA.Core.Abi;

/// <summary>Symbol facts from SymbolInfo*/OrderCalcProfit/OrderCalcMargin (C: <c>KimiSymbolSpec</c>).</summary>
/// <remarks>Mirror of include/kimiea.h: only 8-byte fields, so the layout is the same under every packing.</remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public partial struct KimiSymbolSpec
{
    /// <summary>SYMBOL_DIGITS</summary>
    public long Digits;
    /// <summary>SYMBOL_TRADE_STOPS_LEVEL</summary>
    public long StopsLevelPoints;
    /// <summary>SYMBOL_TRADE_FREEZE_LEVEL</summary>
    public long FreezeLevelPoints;
    /// <summary>ORDER_FILLING_* the EA chose (informational)</summary>
    public long FillingMode;
    /// <summary>SYMBOL_POINT</summary>
    public double Point;
    /// <summary>SYMBOL_TRADE_TICK_SIZE</summary>
    public double TickSize;
    /// <summary>SYMBOL_TRADE_TICK_VALUE_PROFIT</summary>
    public double TickValueProfit;
    /// <summary>SYMBOL_TRADE_TICK_VALUE_LOSS</summary>
    public double TickValueLoss;
    /// <summary>SYMBOL_TRADE_CONTRACT_SIZE</summary>
    public double ContractSize;
    /// <summary>SYMBOL_VOLUME_MIN</summary>
    public double VolumeMin;
    /// <summary>SYMBOL_VOLUME_STEP</summary>
    public double VolumeStep;
    /// <summary>SYMBOL_VOLUME_MAX</summary>
    public double VolumeMax;
    /// <summary>SYMBOL_VOLUME_LIMIT (0 = none)</summary>
    public double VolumeLimit;
    /// <summary>OrderCalcMargin for 1.0 lot</summary>
    public double MarginPerLot;
    /// <summary>value of 1 lot in account currency</summary>
    public double NotionalPerLot;

    /// <summary>sizeof(KimiSymbolSpec) in bytes.</summary>
    public const int Size = 120;
}
