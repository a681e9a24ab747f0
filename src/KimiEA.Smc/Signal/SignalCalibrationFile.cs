using System.Globalization;
using System.Text;
using System.Text.Json;

namespace KimiEA.Smc.Signal;

/// <summary>One data file a calibration was fitted on.</summary>
/// <param name="Path">The path as it was given to <c>kimi calibrate</c>.</param>
/// <param name="Sha256">SHA-256 of the file's bytes, lower-case hex.</param>
public sealed record CalibrationDataFile(string Path, string Sha256);

/// <summary>What a calibration was fitted on: the data, the window of signal bars and the counts.</summary>
/// <param name="Data">The data file(s).</param>
/// <param name="From">Earliest signal bar time of the fitted intents' window (seconds since 1970, data clock; null = start of data).</param>
/// <param name="To">End (exclusive) of that window (null = end of data).</param>
/// <param name="Bars">Bars the signal ran over.</param>
/// <param name="FirstBarTime">Open time of the first bar.</param>
/// <param name="LastBarTime">Open time of the last bar.</param>
/// <param name="LabelledIntents">Intents in the window whose barriers resolved (the fit's sample).</param>
public sealed record CalibrationProvenance(
    IReadOnlyList<CalibrationDataFile> Data, long? From, long? To, int Bars, long FirstBarTime, long LastBarTime, int LabelledIntents);

/// <summary>
/// A calibration file (docs/signal.md, "Calibration files"): the hit-probability calibration of the SMC signal for one
/// symbol, time frame and set of signal inputs, with what it was fitted on. <c>kimi calibrate --fit --out FILE</c>
/// writes it; the EA (an input naming the file) and <c>kimi backtest --calibration FILE</c> load it, and
/// <see cref="EnsureMatches"/> refuses it for any other inputs. The shipped calibration is such a file, embedded in
/// this assembly (<see cref="ShippedCalibration"/>). JSON, UTF-8; the format is versioned by <see cref="FormatName"/>
/// and <see cref="FormatVersion"/>.
/// </summary>
public sealed record SignalCalibrationFile
{
    /// <summary>The value of the file's <c>format</c> field.</summary>
    public const string FormatName = "kimiea-signal-calibration";

    /// <summary>The value of the file's <c>version</c> field this build reads and writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>Symbol the data was of (e.g. EURUSD).</summary>
    public required string Symbol { get; init; }

    /// <summary>Bar period of the data the signal ran on, seconds (3600 for H1).</summary>
    public required long TimeframeSeconds { get; init; }

    /// <summary>The signal inputs the calibration holds for, as <see cref="InputsOf"/> names and prints them.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Inputs { get; init; }

    /// <summary>What it was fitted on.</summary>
    public required CalibrationProvenance FittedOn { get; init; }

    /// <summary>The fitted confluence weights (the raw score the map reads).</summary>
    public required ConfluenceWeights Weights { get; init; }

    /// <summary>The fitted map and its evidence.</summary>
    public required ConfidenceCalibration Calibration { get; init; }

    /// <summary>The options with this file's weights and map (check <see cref="EnsureMatches"/> first).</summary>
    public SmcSignalOptions ApplyTo(SmcSignalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options with { Weights = Weights, Calibration = Calibration };
    }

    /// <summary>
    /// The signal inputs a calibration depends on, in a fixed order with invariant text values: every option that
    /// changes which intents the signal emits or their barriers (the weights and the map are the file's own).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> InputsOf(SmcSignalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = options.Structure;
        return
        [
            new("swing_length", Num(s.SwingLength)),
            new("range_percent", Num(s.RangePercent)),
            new("close_break", Bool(s.CloseBreak)),
            new("close_mitigation", Bool(s.CloseMitigation)),
            new("join_consecutive_fvg", Bool(s.JoinConsecutiveFvg)),
            new("max_holding_bars", Num(options.MaxHoldingBars)),
            new("min_reward_risk", Num(options.MinRewardRisk)),
            new("max_reward_risk", Num(options.MaxRewardRisk)),
            new("atr_period", Num(options.AtrPeriod)),
            new("stop_buffer_atr", Num(options.StopBufferAtr)),
            new("min_stop_atr", Num(options.MinStopAtr)),
            new("max_stop_atr", Num(options.MaxStopAtr)),
            new("htf_ema_period", Num(options.HtfEmaPeriod)),
            new("htf_bias_source", options.HtfBiasSource.ToString()),
            new("htf_swing_length", options.HtfStructure is { } h ? Num(h.SwingLength) : "chart's"),
            new("require_htf_bias", Bool(options.RequireHtfBias)),
            new("require_confirmed_break", Bool(options.RequireConfirmedBreak)),
            new("max_zone_age_bars", Num(options.MaxZoneAgeBars)),
            new("displacement_atr", Num(options.DisplacementAtr)),
            new("sweep_lookback_bars", Num(options.SweepLookbackBars)),
            new("setup_id", Num(options.SetupId)),
        ];
    }

    /// <summary>
    /// Throws when the file was fitted for other inputs (or, when given, another symbol or time frame), naming each
    /// difference with the value in the file and the value in force.
    /// </summary>
    /// <param name="options">The signal options in force.</param>
    /// <param name="symbol">The chart's symbol, or null not to check it.</param>
    /// <param name="timeframeSeconds">The chart's period in seconds, or null not to check it.</param>
    /// <param name="source">Where the file came from, for the message.</param>
    /// <exception cref="ArgumentException">Something differs; the message lists every difference.</exception>
    public void EnsureMatches(SmcSignalOptions options, string? symbol = null, long? timeframeSeconds = null, string? source = null)
    {
        var problems = new List<string>();
        if (symbol is not null && !string.Equals(symbol, Symbol, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"symbol: {Symbol} in the file, {symbol} in force");
        }

        if (timeframeSeconds is { } tf && tf != TimeframeSeconds)
        {
            problems.Add($"timeframe_seconds: {TimeframeSeconds} in the file, {tf} in force");
        }

        var file = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in Inputs)
        {
            file[kv.Key] = kv.Value;
        }

        foreach (var kv in InputsOf(options))
        {
            if (!file.TryGetValue(kv.Key, out var v))
            {
                problems.Add($"{kv.Key}: missing from the file, {kv.Value} in force");
            }
            else if (v != kv.Value)
            {
                problems.Add($"{kv.Key}: {v} in the file, {kv.Value} in force");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"calibration {source ?? "file"} was fitted for other settings ({problems.Count} differ): {string.Join("; ", problems)}.");
        }
    }

    /// <summary>Reads and validates a calibration file.</summary>
    /// <exception cref="ArgumentException">The file is missing, not JSON, of another format or version, or a field is missing or invalid; the message names the file and the field.</exception>
    public static SignalCalibrationFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"calibration file '{path}' cannot be read: {e.Message}", nameof(path), e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses the text of a calibration file.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="source">Its name, for messages.</param>
    /// <exception cref="ArgumentException">As <see cref="Load"/>.</exception>
    public static SignalCalibrationFile Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var format = Str(root, "format", source);
            if (format != FormatName)
            {
                throw Bad(source, "format", $"is '{format}', expected '{FormatName}'");
            }

            var version = Int(root, "version", source);
            if (version != FormatVersion)
            {
                throw Bad(source, "version", $"is {version}; this build reads version {FormatVersion}");
            }

            var inputs = new List<KeyValuePair<string, string>>();
            foreach (var p in Obj(root, "inputs", source).EnumerateObject())
            {
                inputs.Add(new(p.Name, p.Value.ValueKind switch
                {
                    JsonValueKind.Number => Num(p.Value.GetDouble()),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.String => p.Value.GetString()!,
                    _ => throw Bad(source, "inputs." + p.Name, "must be a number, a boolean or a string"),
                }));
            }

            var fitted = Obj(root, "fitted_on", source);
            var data = new List<CalibrationDataFile>();
            foreach (var d in Arr(fitted, "data", source).EnumerateArray())
            {
                data.Add(new CalibrationDataFile(Str(d, "path", source), Str(d, "sha256", source)));
            }

            var provenance = new CalibrationProvenance(
                data, OptTime(fitted, "from", source), OptTime(fitted, "to", source), Int(fitted, "bars", source),
                Time(fitted, "first_bar", source), Time(fitted, "last_bar", source), Int(fitted, "labelled_intents", source));

            var weightsElement = Obj(root, "weights", source);
            var w = new double[ConfluenceWeights.FactorCount];
            for (var bit = 0; bit < w.Length; bit++)
            {
                w[bit] = Dbl(weightsElement, FactorName(bit), source);
            }

            var weights = ConfluenceWeights.FromBitOrder(w);
            try
            {
                weights.Validate();
            }
            catch (ArgumentException e)
            {
                throw Bad(source, "weights", e.Message);
            }

            var knots = new List<double>();
            var probs = new List<double>();
            var trials = new List<int>();
            foreach (var k in Arr(root, "knots", source).EnumerateArray())
            {
                knots.Add(Dbl(k, "score", source));
                probs.Add(Dbl(k, "hit_probability", source));
                trials.Add(Int(k, "trials", source));
            }

            ConfidenceCalibration calibration;
            try
            {
                calibration = new ConfidenceCalibration([.. knots], [.. probs], [.. trials], Dbl(root, "prior_strength", source));
            }
            catch (ArgumentException e)
            {
                throw Bad(source, "knots", e.Message);
            }

            var timeframe = Int(root, "timeframe_seconds", source);
            if (timeframe <= 0)
            {
                throw Bad(source, "timeframe_seconds", $"must be positive, got {timeframe}");
            }

            return new SignalCalibrationFile
            {
                Symbol = Str(root, "symbol", source),
                TimeframeSeconds = timeframe,
                Inputs = inputs,
                FittedOn = provenance,
                Weights = weights,
                Calibration = calibration,
            };
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"calibration file '{source}' is not valid JSON (line {e.LineNumber + 1}): {e.Message}", nameof(json), e);
        }
    }

    /// <summary>Writes the file as indented UTF-8 JSON (the format <see cref="Parse"/> reads).</summary>
    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", FormatVersion);
            w.WriteString("symbol", Symbol);
            w.WriteNumber("timeframe_seconds", TimeframeSeconds);
            w.WriteStartObject("inputs");
            foreach (var kv in Inputs)
            {
                if (kv.Value is "true" or "false")
                {
                    w.WriteBoolean(kv.Key, kv.Value == "true");
                }
                else if (double.TryParse(kv.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && Num(d) == kv.Value)
                {
                    w.WriteNumber(kv.Key, d);
                }
                else
                {
                    w.WriteString(kv.Key, kv.Value);
                }
            }

            w.WriteEndObject();
            w.WriteStartObject("fitted_on");
            w.WriteStartArray("data");
            foreach (var d in FittedOn.Data)
            {
                w.WriteStartObject();
                w.WriteString("path", d.Path);
                w.WriteString("sha256", d.Sha256);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteTime(w, "from", FittedOn.From);
            WriteTime(w, "to", FittedOn.To);
            w.WriteNumber("bars", FittedOn.Bars);
            WriteTime(w, "first_bar", FittedOn.FirstBarTime);
            WriteTime(w, "last_bar", FittedOn.LastBarTime);
            w.WriteNumber("labelled_intents", FittedOn.LabelledIntents);
            w.WriteEndObject();
            Span<double> weights = stackalloc double[ConfluenceWeights.FactorCount];
            Weights.Fill(weights);
            w.WriteStartObject("weights");
            for (var bit = 0; bit < weights.Length; bit++)
            {
                w.WriteNumber(FactorName(bit), weights[bit]);
            }

            w.WriteEndObject();
            w.WriteNumber("prior_strength", Calibration.PriorStrength);
            w.WriteStartArray("knots");
            for (var i = 0; i < Calibration.Knots.Length; i++)
            {
                w.WriteStartObject();
                w.WriteNumber("score", Calibration.Knots[i]);
                w.WriteNumber("hit_probability", Calibration.Probabilities[i]);
                w.WriteNumber("trials", Calibration.Trials[i]);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static string FactorName(int bit) => ((SignalFactor)(1u << bit)).ToString();

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Bool(bool v) => v ? "true" : "false";

    private static void WriteTime(Utf8JsonWriter w, string name, long? t)
    {
        if (t is { } s)
        {
            w.WriteString(name, DateTime.UnixEpoch.AddSeconds(s).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static ArgumentException Bad(string source, string field, string problem) =>
        new($"calibration file '{source}': field '{field}' {problem}.");

    private static JsonElement Get(JsonElement e, string name, string source) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : throw Bad(source, name, "is missing");

    private static JsonElement Obj(JsonElement e, string name, string source)
    {
        var v = Get(e, name, source);
        return v.ValueKind == JsonValueKind.Object ? v : throw Bad(source, name, "must be an object");
    }

    private static JsonElement Arr(JsonElement e, string name, string source)
    {
        var v = Get(e, name, source);
        return v.ValueKind == JsonValueKind.Array ? v : throw Bad(source, name, "must be an array");
    }

    private static string Str(JsonElement e, string name, string source)
    {
        var v = Get(e, name, source);
        return v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : throw Bad(source, name, "must be a non-empty string");
    }

    private static double Dbl(JsonElement e, string name, string source)
    {
        var v = Get(e, name, source);
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw Bad(source, name, "must be a finite number");
    }

    private static int Int(JsonElement e, string name, string source)
    {
        var v = Get(e, name, source);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= 0 ? i : throw Bad(source, name, "must be a whole number ≥ 0");
    }

    private static long Time(JsonElement e, string name, string source) =>
        OptTime(e, name, source) ?? throw Bad(source, name, "must be a UTC time (yyyy-MM-ddTHH:mm:ssZ)");

    private static long? OptTime(JsonElement e, string name, string source)
    {
        var v = Get(e, name, source);
        if (v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.String &&
            DateTime.TryParseExact(v.GetString(), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
        {
            return (long)(dt - DateTime.UnixEpoch).TotalSeconds;
        }

        throw Bad(source, name, "must be null or a UTC time (yyyy-MM-ddTHH:mm:ssZ)");
    }
}

/// <summary>The calibration shipped with the signal: <c>ShippedCalibration.json</c>, embedded in this assembly.</summary>
public static class ShippedCalibration
{
    /// <summary>The embedded resource's name.</summary>
    public const string ResourceName = "KimiEA.Smc.Signal.ShippedCalibration.json";

    private static readonly Lazy<SignalCalibrationFile> Shipped = new(Read);

    /// <summary>The shipped calibration file.</summary>
    public static SignalCalibrationFile File => Shipped.Value;

    /// <summary>The shipped fit.</summary>
    public static ConfidenceCalibration Value => Shipped.Value.Calibration;

    private static SignalCalibrationFile Read()
    {
        using var stream = typeof(ShippedCalibration).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly lacks its embedded {ResourceName}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return SignalCalibrationFile.Parse(reader.ReadToEnd(), ResourceName);
    }
}
