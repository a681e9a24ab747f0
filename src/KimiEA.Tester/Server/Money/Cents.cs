namespace KimiEA.Tester.Server.Money;

/// <summary>Money in cents of the account currency, as the server books every deal (MT5 rounds each deal's money to the cent).</summary>
public static class Cents
{
    /// <summary>Rounds an amount to whole cents, half away from zero.</summary>
    public static long Of(double money) => (long)Math.Round(money * 100, MidpointRounding.AwayFromZero);
}
