using KimiEA.Core.Trading;

namespace KimiEA.Risk.Account;

/// <summary>
/// Open positions (or orders in flight) of all agents: risk money, notional and volume per symbol and direction.
/// Preallocated slots, no allocation after construction. Not thread-safe by itself: <see cref="AccountRiskBook"/>
/// guards it with its lock.
/// </summary>
internal sealed class ExposureLedger
{
    private readonly bool[] _used;
    private readonly int[] _generation;
    private readonly int[] _symbol;
    private readonly Direction[] _direction;
    private readonly double[] _volume;
    private readonly double[] _risk;
    private readonly double[] _notional;
    private readonly int[] _symbolCount;
    private readonly double[] _longVolume;
    private readonly double[] _shortVolume;

    public ExposureLedger(int slots, int symbols)
    {
        _used = new bool[slots];
        _generation = new int[slots];
        _symbol = new int[slots];
        _direction = new Direction[slots];
        _volume = new double[slots];
        _risk = new double[slots];
        _notional = new double[slots];
        _symbolCount = new int[symbols];
        _longVolume = new double[symbols];
        _shortVolume = new double[symbols];
    }

    public int Count { get; private set; }

    public double OpenRisk { get; private set; }

    public double OpenNotional { get; private set; }

    public int CountFor(int symbol) => _symbolCount[symbol];

    public double VolumeFor(int symbol, Direction direction) =>
        direction == Direction.Buy ? _longVolume[symbol] : _shortVolume[symbol];

    /// <summary>Takes a free slot; the caller has checked the limits. Returns default when every slot is used.</summary>
    public Reservation Reserve(int symbol, Direction direction, double volume, double risk, double notional)
    {
        for (var i = 0; i < _used.Length; i++)
        {
            if (_used[i])
            {
                continue;
            }

            _used[i] = true;
            var gen = _generation[i] + 1;
            _generation[i] = gen;
            _symbol[i] = symbol;
            _direction[i] = direction;
            _volume[i] = volume;
            _risk[i] = risk;
            _notional[i] = notional;
            Count++;
            OpenRisk += risk;
            OpenNotional += notional;
            _symbolCount[symbol]++;
            AddVolume(symbol, direction, volume);
            return new Reservation(i, gen);
        }

        return default;
    }

    public bool Release(Reservation r)
    {
        if (!r.IsValid || (uint)r.Slot >= (uint)_used.Length || !_used[r.Slot] || _generation[r.Slot] != r.Generation)
        {
            return false;
        }

        var i = r.Slot;
        _used[i] = false;
        Count--;
        _symbolCount[_symbol[i]]--;
        AddVolume(_symbol[i], _direction[i], -_volume[i]);
        if (Count == 0)
        {
            // sums of doubles drift; an empty book is exactly zero
            OpenRisk = 0;
            OpenNotional = 0;
        }
        else
        {
            OpenRisk -= _risk[i];
            OpenNotional -= _notional[i];
        }

        return true;
    }

    public bool Update(Reservation r, double volume, double risk, double notional)
    {
        if (!TryGet(r, out var symbol, out var direction, out var oldVolume, out var oldRisk))
        {
            return false;
        }

        var i = r.Slot;
        OpenRisk += risk - oldRisk;
        OpenNotional += notional - _notional[i];
        AddVolume(symbol, direction, volume - oldVolume);
        _volume[i] = volume;
        _risk[i] = risk;
        _notional[i] = notional;
        return true;
    }

    public bool TryGet(Reservation r, out int symbol, out Direction direction, out double volume, out double risk)
    {
        if (!r.IsValid || (uint)r.Slot >= (uint)_used.Length || !_used[r.Slot] || _generation[r.Slot] != r.Generation)
        {
            symbol = -1;
            direction = Direction.None;
            volume = risk = 0;
            return false;
        }

        symbol = _symbol[r.Slot];
        direction = _direction[r.Slot];
        volume = _volume[r.Slot];
        risk = _risk[r.Slot];
        return true;
    }

    private void AddVolume(int symbol, Direction direction, double delta)
    {
        if (direction == Direction.Buy)
        {
            _longVolume[symbol] = Math.Max(0, _longVolume[symbol] + delta);
        }
        else
        {
            _shortVolume[symbol] = Math.Max(0, _shortVolume[symbol] + delta);
        }
    }
}
