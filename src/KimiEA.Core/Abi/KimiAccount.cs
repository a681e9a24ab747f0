using System.Runtime.InteropServices;

namespace KimiEA.Core.Abi;

/// <summary>Account facts from AccountInfo* (C: <c>KimiAccount</c>).</summary>
/// <remarks>Mirror of include/kimiea.h: only 8-byte fields, so the layout is the same under every packing.</remarks>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public partial struct KimiAccount
{
    /// <summary>ACCOUNT_LOGIN</summary>
    public long Login;
    /// <summary>ACCOUNT_TRADE_MODE: 0 demo, 1 contest, 2 real</summary>
    public long TradeMode;
    /// <summary>ACCOUNT_MARGIN_MODE: 0 netting, 1 exchange, 2 hedging</summary>
    public long MarginMode;
    /// <summary>ACCOUNT_LEVERAGE</summary>
    public long Leverage;
    /// <summary>balance</summary>
    public double Balance;
    /// <summary>equity</summary>
    public double Equity;
    /// <summary>margin</summary>
    public double Margin;
    /// <summary>free_margin</summary>
    public double FreeMargin;

    /// <summary>sizeof(KimiAccount) in bytes.</summary>
    public const int Size = 64;
}
