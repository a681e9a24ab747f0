using System.Globalization;
using KimiEA.Core.Abi;
using KimiEA.Optimize.Inputs;

namespace KimiEA.Optimize.Search;

/// <summary>
/// The inputs a search varies (the Y lines of a .set file) over the fixed values of the others, and the constraints
/// a combination must meet. The complete grid is never materialised: <see cref="Combination"/> maps a grid index to
/// its values (mixed radix, the last optimised input varying fastest), so memory does not grow with the count.
/// </summary>
public sealed class SearchSpace
{
    private readonly Expression[] _constraints;

    /// <summary>The space of a .set file with constraints over EA input names (e.g. <c>InpMinConfidence&lt;=InpAutoConfidence</c>).</summary>
    /// <exception cref="ExpressionException">A constraint does not parse or names an unknown input.</exception>
    /// <exception cref="ArgumentException">The file optimises nothing.</exception>
    public SearchSpace(SetFile set, IReadOnlyList<string>? constraints = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        Set = set;
        Parameters = set.Optimized;
        if (Parameters.Count == 0)
        {
            throw new ArgumentException($"{set.Source} optimises no input: mark at least one line's last field Y (InpName=value||start||step||stop||Y).");
        }

        Sizes = [.. Parameters.Select(p => p.RangeCount)];
        long count = 1;
        foreach (var s in Sizes)
        {
            count = s > 0 && count > long.MaxValue / s ? long.MaxValue : count * s;
        }

        GridCount = count;
        var known = string.Join(", ", EaInputs.All.Where(i => i.IsEngineInput).Select(i => i.Name));
        _constraints = [.. (constraints ?? []).Select(c => Expression.Parse(c, SlotOf, known))];
        Constraints = [.. _constraints.Select(c => c.Text)];
    }

    /// <summary>The .set file (fixed values, ranges).</summary>
    public SetFile Set { get; }

    /// <summary>The optimised inputs in file order.</summary>
    public IReadOnlyList<SetEntry> Parameters { get; }

    /// <summary>Values per optimised input.</summary>
    public IReadOnlyList<long> Sizes { get; }

    /// <summary>Combinations of the complete grid (long.MaxValue when it overflows).</summary>
    public long GridCount { get; }

    /// <summary>The constraints as written.</summary>
    public IReadOnlyList<string> Constraints { get; }

    /// <summary>The values of grid combination <paramref name="index"/> (0 ≤ index &lt; <see cref="GridCount"/>).</summary>
    public decimal[] Combination(long index)
    {
        if (index < 0 || index >= GridCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The grid has {GridCount} combinations.");
        }

        var values = new decimal[Parameters.Count];
        for (var i = Parameters.Count - 1; i >= 0; i--)
        {
            values[i] = Parameters[i].At(index % Sizes[i]);
            index /= Sizes[i];
        }

        return values;
    }

    /// <summary>The grid index of the values given as positions in each input's range.</summary>
    public long IndexOf(IReadOnlyList<long> positions)
    {
        long index = 0;
        for (var i = 0; i < Parameters.Count; i++)
        {
            index = (index * Sizes[i]) + positions[i];
        }

        return index;
    }

    /// <summary>True when the combination meets every constraint.</summary>
    public bool Admits(decimal[] values)
    {
        if (_constraints.Length == 0)
        {
            return true;
        }

        var slots = Slots(values);
        return _constraints.All(c => c.Evaluate(slots) != 0);
    }

    /// <summary>The chart config of a combination: the EA defaults, the .set file's values, then these values (as the EA's BuildConfig).</summary>
    public KimiConfig Apply(KimiConfig config, decimal[] values)
    {
        config = Set.Apply(config);
        for (var i = 0; i < Parameters.Count; i++)
        {
            Parameters[i].Input.Apply!(ref config, (double)values[i]);
        }

        return config;
    }

    /// <summary>The .set file of a combination: the file with these values (ranges and flags kept).</summary>
    public SetFile ToSetFile(decimal[] values) =>
        Set.WithValues(Enumerable.Range(0, Parameters.Count).ToDictionary(i => Parameters[i].Input.Name, i => values[i], StringComparer.Ordinal));

    /// <summary>The values as the .set file writes them, for tables.</summary>
    public string Format(int parameter, decimal value) => SetFile.FormatValue(Parameters[parameter].Input.Kind, value);

    /// <summary>The message for a grid too large to try: how many combinations, and the seeded search to use instead.</summary>
    public string TooManyMessage(long limit) => string.Create(CultureInfo.InvariantCulture,
        $"The complete grid has {(GridCount == long.MaxValue ? "more than 9.2e18" : GridCount.ToString("#,0", CultureInfo.InvariantCulture))} combinations ({string.Join(" × ", Sizes)}), more than --max-grid {limit:#,0}. Use the seeded search: --search genetic --passes N --seed S (or narrow the ranges).");

    private int? SlotOf(string name)
    {
        var input = EaInputs.Find(name);
        return input is null || !input.IsEngineInput ? null : EaInputs.All.ToList().IndexOf(input);
    }

    private double[] Slots(decimal[] values)
    {
        // every EA input: the file's value (or the EA default), overridden by the combination
        var slots = new double[EaInputs.All.Count];
        for (var i = 0; i < slots.Length; i++)
        {
            var input = EaInputs.All[i];
            var entry = Set.Entries.FirstOrDefault(e => e.Input == input);
            slots[i] = entry is not null ? (double)entry.Value
                : input.Kind == EaInputKind.Boolean ? (input.Default == "true" ? 1 : 0)
                : double.TryParse(input.Default, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
        }

        for (var i = 0; i < Parameters.Count; i++)
        {
            slots[EaInputs.All.ToList().IndexOf(Parameters[i].Input)] = (double)values[i];
        }

        return slots;
    }
}
