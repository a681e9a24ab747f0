using KimiEA.Core.Market;
using KimiEA.Core.Trading;

namespace KimiEA.Risk.Barriers;

/// <summary>
/// The three barriers of one position. Stop and take-profit are sent to the broker as the position's own SL/TP
/// (protection survives a terminal crash); the vertical barrier — a number of closed bars after entry and/or a
/// number of seconds — is enforced by the engine through <see cref="OnBarClosed"/> and <see cref="IsExpiredAt"/>.
/// A mutable struct held by its position; no allocation.
/// </summary>
public struct TripleBarrier
{
    private long _lastBarTime;

    /// <summary>Creates the barriers of a position opened at <paramref name="entryTime"/> (server seconds).</summary>
    /// <param name="direction">Position direction.</param>
    /// <param name="stopLoss">Stop price, normalised to the tick size.</param>
    /// <param name="takeProfit">Take-profit price, normalised to the tick size.</param>
    /// <param name="entryTime">Server time of the fill, seconds.</param>
    /// <param name="maxBars">Closed bars after entry at which the position times out (0 = no bar limit).</param>
    /// <param name="maxSeconds">Seconds after entry at which the position times out (0 = no time limit).</param>
    /// <exception cref="ArgumentOutOfRangeException">No direction, or a negative limit.</exception>
    public TripleBarrier(Direction direction, double stopLoss, double takeProfit, long entryTime, int maxBars, long maxSeconds)
    {
        if (direction is not (Direction.Buy or Direction.Sell))
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, "a position must be a buy or a sell.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxBars);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSeconds);
        Direction = direction;
        StopLoss = stopLoss;
        TakeProfit = takeProfit;
        EntryTime = entryTime;
        MaxBars = maxBars;
        MaxSeconds = maxSeconds;
        _lastBarTime = entryTime;
    }

    /// <summary>Position direction.</summary>
    public Direction Direction { get; }
    /// <summary>Stop price.</summary>
    public double StopLoss { get; private set; }
    /// <summary>Take-profit price.</summary>
    public double TakeProfit { get; private set; }
    /// <summary>Entry time, server seconds.</summary>
    public long EntryTime { get; }
    /// <summary>Bar limit (0 = none).</summary>
    public int MaxBars { get; }
    /// <summary>Time limit in seconds (0 = none).</summary>
    public long MaxSeconds { get; }
    /// <summary>Closed bars counted since entry.</summary>
    public int BarsHeld { get; private set; }

    /// <summary>Moves the horizontal barriers (after the broker confirmed a modify).</summary>
    public void MoveBarriers(double stopLoss, double takeProfit)
    {
        StopLoss = stopLoss;
        TakeProfit = takeProfit;
    }

    /// <summary>
    /// Counts a closed bar (by its open time, server seconds; only bars opening at or after the entry count, each
    /// once) and returns true when the vertical barrier is reached by bars or by time at the bar's close.
    /// </summary>
    /// <param name="barOpenTime">Open time of the closed bar.</param>
    /// <param name="barCloseTime">Close time of the bar (open time + period).</param>
    public bool OnBarClosed(long barOpenTime, long barCloseTime)
    {
        if (barOpenTime >= _lastBarTime && (BarsHeld == 0 || barOpenTime > _lastBarTime))
        {
            BarsHeld++;
            _lastBarTime = barOpenTime;
        }

        return (MaxBars > 0 && BarsHeld >= MaxBars) || IsExpiredAt(barCloseTime);
    }

    /// <summary>True when the time limit has passed at <paramref name="serverTime"/> (seconds).</summary>
    public readonly bool IsExpiredAt(long serverTime) => MaxSeconds > 0 && serverTime - EntryTime >= MaxSeconds;

    /// <summary>
    /// Backtester/paper step for one closed bar: horizontal barriers first through the shared
    /// <paramref name="resolver"/>, then the vertical barrier (exit at the bar's close, <see cref="ExitReason.Timeout"/>).
    /// </summary>
    public BarExit OnBar(in Bar bar, long barCloseTime, double spread, SameBarResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        var exit = resolver.Resolve(Direction, StopLoss, TakeProfit, bar, spread);
        var timedOut = OnBarClosed(bar.Time, barCloseTime);
        if (exit.IsExit)
        {
            return exit;
        }

        return timedOut ? new BarExit(ExitReason.Timeout, Direction == Direction.Sell ? bar.Close + spread : bar.Close, false) : BarExit.None;
    }
}
