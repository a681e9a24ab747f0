namespace KimiEA.Core.Trading;

/// <summary>Trade direction. The numeric values are part of the C ABI (+1 buy, −1 sell).</summary>
public enum Direction
{
    /// <summary>Short.</summary>
    Sell = -1,
    /// <summary>No direction.</summary>
    None = 0,
    /// <summary>Long.</summary>
    Buy = 1,
}
