namespace KimiEA.Data;

/// <summary>Entry points that do not yet know whether a file holds bars or ticks.</summary>
public static class MarketDataFile
{
    /// <summary>Detects a file's format from its first non-blank line.</summary>
    /// <exception cref="MarketDataException">The file is empty or its first line matches no known format.</exception>
    public static DataFormat Detect(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var text = new Internal.LineReader(BarReader.OpenFile(path), path);
        var (line, _) = MarketDataReader<Core.Market.MqlRates>.FirstLine(text, path);
        return MarketDataReader<Core.Market.MqlRates>.Detect(line, path);
    }

    /// <summary>Detects whether a file holds bars or ticks.</summary>
    public static RecordKind DetectKind(string path) => Detect(path).Kind();
}
