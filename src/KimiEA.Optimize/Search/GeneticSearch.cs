namespace KimiEA.Optimize.Search;

/// <summary>
/// A seeded genetic search over the grid of a <see cref="SearchSpace"/>, for grids too large to try: an individual is
/// a position in each input's range (so every trial is a grid combination, stored and resumed like the grid's).
/// Generation 0 is <see cref="Population"/> random combinations; each next generation breeds children from the best
/// <see cref="Population"/> trials so far (tournaments of two, uniform crossover, each gene mutated with probability
/// 1/genes by ±1–3 steps or, one time in four, to a random position). Combinations already tried, or breaking a
/// constraint, are not proposed again. Everything random comes from one SplitMix64 stream seeded by the user, and the
/// scores decide the rest: the same seed and the same results give the same trials.
/// </summary>
public sealed class GeneticSearch
{
    private readonly SearchSpace _space;
    private readonly HashSet<long> _proposed = [];
    private readonly List<long> _order = [];
    private ulong _state;
    private int _generation;

    /// <summary>A search of <paramref name="space"/> seeded by <paramref name="seed"/>.</summary>
    public GeneticSearch(SearchSpace space, ulong seed, int population)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        if (population < 2)
        {
            throw new ArgumentException($"The population must be at least 2, got {population}.", nameof(population));
        }

        Population = population;
        _state = seed;
    }

    /// <summary>Individuals per generation.</summary>
    public int Population { get; }

    /// <summary>Every proposed grid index, in the order proposed.</summary>
    public IReadOnlyList<long> Proposed => _order;

    /// <summary>
    /// The next generation's grid indices (new ones only; empty when nothing new can be found), given the score of
    /// every trial proposed so far (higher is better; −∞ for a trial that is not ranked).
    /// </summary>
    public IReadOnlyList<long> Next(IReadOnlyDictionary<long, double> scores, long budget)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var room = (int)Math.Min(Population, Math.Max(0, budget - _order.Count));
        var batch = new List<long>();
        if (room == 0)
        {
            return batch;
        }

        var genes = _space.Parameters.Count;
        var parents = _generation == 0 ? [] : _order.OrderByDescending(i => scores.GetValueOrDefault(i, double.NegativeInfinity)).ThenBy(i => i).Take(Population).ToList();
        for (var attempt = 0; batch.Count < room && attempt < room * 50; attempt++)
        {
            var child = new long[genes];
            if (parents.Count < 2)
            {
                for (var g = 0; g < genes; g++)
                {
                    child[g] = Below(_space.Sizes[g]);
                }
            }
            else
            {
                var a = Positions(Tournament(parents, scores));
                var b = Positions(Tournament(parents, scores));
                for (var g = 0; g < genes; g++)
                {
                    child[g] = (Next64() & 1) == 0 ? a[g] : b[g];
                    if (Below(genes) == 0)
                    {
                        child[g] = Below(4) == 0
                            ? Below(_space.Sizes[g])
                            : Math.Clamp(child[g] + ((Below(2) == 0 ? -1 : 1) * (1 + Below(3))), 0, _space.Sizes[g] - 1);
                    }
                }
            }

            var index = _space.IndexOf(child);
            if (_proposed.Contains(index) || !_space.Admits(_space.Combination(index)))
            {
                continue;
            }

            _proposed.Add(index);
            _order.Add(index);
            batch.Add(index);
        }

        _generation++;
        return batch;
    }

    private long Tournament(List<long> parents, IReadOnlyDictionary<long, double> scores)
    {
        var x = parents[(int)Below(parents.Count)];
        var y = parents[(int)Below(parents.Count)];
        var sx = scores.GetValueOrDefault(x, double.NegativeInfinity);
        var sy = scores.GetValueOrDefault(y, double.NegativeInfinity);
        return sx > sy || (sx == sy && x < y) ? x : y;
    }

    private long[] Positions(long index)
    {
        var p = new long[_space.Parameters.Count];
        for (var g = p.Length - 1; g >= 0; g--)
        {
            p[g] = index % _space.Sizes[g];
            index /= _space.Sizes[g];
        }

        return p;
    }

    /// <summary>SplitMix64 (Steele, Lea &amp; Flood 2014): the same stream on every machine and runtime.</summary>
    private ulong Next64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) (n ≥ 1), by rejection so no value is favoured.</summary>
    private long Below(long n)
    {
        var limit = ulong.MaxValue - (ulong.MaxValue % (ulong)n);
        ulong r;
        do
        {
            r = Next64();
        }
        while (r >= limit);
        return (long)(r % (ulong)n);
    }
}
