using KimiEA.Core.Trading;

namespace KimiEA.Risk.Account;

/// <summary>
/// Open positions (or orders in flight) of all agents: risk money, notional and volume per symbol and direction, and
/// the number held per owner (one owner = one chart's agent identity, magic and symbol). A slot can carry the broker
/// position ticket it stands for, so a position whose chart was detached keeps its slot until it is closed or a chart
/// takes it over again (<see cref="FindTicket"/>). No fixed ceiling: the arrays grow when a reservation, a symbol or an
/// owner needs room (rare; steady-state reserve/release allocate nothing). Not thread-safe by itself:
/// <see cref="AccountRiskBook"/> guards it with its lock.
/// </summary>
internal sealed class ExposureLedger
{
    private bool[] _used;
    private int[] _generation;
    private int[] _symbol;
    private int[] _owner;
    private long[] _ticket;
    private Direction[] _direction;
    private double[] _volume;
    private double[] _risk;
    private double[] _notional;
    private int[] _symbolCount = new int[8];
    private double[] _longVolume = new double[8];
    private double[] _shortVolume = new double[8];
    private int[] _ownerCount = new int[8];

    public ExposureLedger(int initialSlots)
    {
        var n = Math.Max(4, initialSlots);
        _used = new bool[n];
        _generation = new int[n];
        _symbol = new int[n];
        _owner = new int[n];
        _ticket = new long[n];
        _direction = new Direction[n];
        _volume = new double[n];
        _risk = new double[n];
        _notional = new double[n];
    }

    public int Count { get; private set; }

    public double OpenRisk { get; private set; }

    public double OpenNotional { get; private set; }

    public int CountFor(int symbol) => symbol < _symbolCount.Length ? _symbolCount[symbol] : 0;

    public int CountForOwner(int owner) => owner < _ownerCount.Length ? _ownerCount[owner] : 0;

    public double VolumeFor(int symbol, Direction direction) =>
        symbol >= _longVolume.Length ? 0 : direction == Direction.Buy ? _longVolume[symbol] : _shortVolume[symbol];

    /// <summary>Takes a free slot (growing the table when every slot is used); the caller has checked the limits.</summary>
    public Reservation Reserve(int symbol, int owner, long ticket, Direction direction, double volume, double risk, double notional)
    {
        EnsurePerKey(symbol, owner);
        var i = Array.IndexOf(_used, false);
        if (i < 0)
        {
            i = _used.Length;
            Grow(_used.Length * 2);
        }

        _used[i] = true;
        var gen = _generation[i] + 1;
        _generation[i] = gen;
        _symbol[i] = symbol;
        _owner[i] = owner;
        _ticket[i] = ticket;
        _direction[i] = direction;
        _volume[i] = volume;
        _risk[i] = risk;
        _notional[i] = notional;
        Count++;
        OpenRisk += risk;
        OpenNotional += notional;
        _symbolCount[symbol]++;
        _ownerCount[owner]++;
        AddVolume(symbol, direction, volume);
        return new Reservation(i, gen);
    }

    public bool Release(Reservation r)
    {
        if (!IsLive(r))
        {
            return false;
        }

        var i = r.Slot;
        _used[i] = false;
        _ticket[i] = 0;
        Count--;
        _symbolCount[_symbol[i]]--;
        _ownerCount[_owner[i]]--;
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
        if (!IsLive(r))
        {
            return false;
        }

        var i = r.Slot;
        OpenRisk += risk - _risk[i];
        OpenNotional += notional - _notional[i];
        AddVolume(_symbol[i], _direction[i], volume - _volume[i]);
        _volume[i] = volume;
        _risk[i] = risk;
        _notional[i] = notional;
        return true;
    }

    /// <summary>Records which broker position a reservation stands for (0 = an order not yet filled).</summary>
    public bool SetTicket(Reservation r, long ticket)
    {
        if (!IsLive(r))
        {
            return false;
        }

        _ticket[r.Slot] = ticket;
        return true;
    }

    /// <summary>Moves a live reservation to another owner (a re-attached chart taking over its position).</summary>
    public void SetOwner(Reservation r, int owner)
    {
        if (!IsLive(r) || _owner[r.Slot] == owner)
        {
            return;
        }

        EnsurePerKey(_symbol[r.Slot], owner);
        _ownerCount[_owner[r.Slot]]--;
        _owner[r.Slot] = owner;
        _ownerCount[owner]++;
    }

    /// <summary>The live reservation of broker position <paramref name="ticket"/> on <paramref name="symbol"/>, or default.</summary>
    public Reservation FindTicket(int symbol, long ticket)
    {
        if (ticket == 0)
        {
            return default;
        }

        for (var i = 0; i < _used.Length; i++)
        {
            if (_used[i] && _ticket[i] == ticket && _symbol[i] == symbol)
            {
                return new Reservation(i, _generation[i]);
            }
        }

        return default;
    }

    /// <summary>Live reservations of <paramref name="owner"/> that carry a position ticket, appended to <paramref name="into"/>.</summary>
    public void PositionsOf(int owner, List<(Reservation Reservation, long Ticket)> into)
    {
        for (var i = 0; i < _used.Length; i++)
        {
            if (_used[i] && _owner[i] == owner && _ticket[i] != 0)
            {
                into.Add((new Reservation(i, _generation[i]), _ticket[i]));
            }
        }
    }

    public bool TryGetAmounts(Reservation r, out double risk, out double notional)
    {
        var live = IsLive(r);
        risk = live ? _risk[r.Slot] : 0;
        notional = live ? _notional[r.Slot] : 0;
        return live;
    }

    private bool IsLive(Reservation r) =>
        r.IsValid && (uint)r.Slot < (uint)_used.Length && _used[r.Slot] && _generation[r.Slot] == r.Generation;

    private void Grow(int n)
    {
        Array.Resize(ref _used, n);
        Array.Resize(ref _generation, n);
        Array.Resize(ref _symbol, n);
        Array.Resize(ref _owner, n);
        Array.Resize(ref _ticket, n);
        Array.Resize(ref _direction, n);
        Array.Resize(ref _volume, n);
        Array.Resize(ref _risk, n);
        Array.Resize(ref _notional, n);
    }

    private void EnsurePerKey(int symbol, int owner)
    {
        if (symbol >= _symbolCount.Length)
        {
            var n = Math.Max(symbol + 1, _symbolCount.Length * 2);
            Array.Resize(ref _symbolCount, n);
            Array.Resize(ref _longVolume, n);
            Array.Resize(ref _shortVolume, n);
        }

        if (owner >= _ownerCount.Length)
        {
            Array.Resize(ref _ownerCount, Math.Max(owner + 1, _ownerCount.Length * 2));
        }
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
