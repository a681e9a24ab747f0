using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KimiEA.Tester.Report;
using Xunit;

namespace KimiEA.Tester.Tests.Report;

/// <summary>
/// The SMC zones must be seen: a screenshot of the real report in headless Chromium, with one known zone placed
/// across the candles, differs from the same report with that zone moved off the chart exactly where the zone lies,
/// in the zone's tint; and the candles inside it keep their own colours (the zone does not hide them). A zone drawn
/// under the chart's opaque canvases (the defect of issue 12) changes no pixel and fails this test.
/// </summary>
[Collection(ChromiumReportTests.Collection)]
public sealed partial class SmcOverlayPixelTests
{
    // lightweight-charts' default candle colours (the report does not change them).
    private static readonly (byte R, byte G, byte B) Up = (0x26, 0xa6, 0x9a);
    private static readonly (byte R, byte G, byte B) Down = (0xef, 0x53, 0x50);

    [Fact]
    public async Task A_known_zone_is_visible_over_the_candle_background_and_leaves_the_candles_visible()
    {
        var browser = ChromiumReportTests.FindChromium();
        Assert.True(browser is not null, "Chromium is required for this test: apt-get install -y chromium (or set KIMI_CHROMIUM).");
        var (result, run) = SampleRun.Execute();
        var dir = Directory.CreateTempSubdirectory("kimi-smc-pixels-");
        try
        {
            var html = File.ReadAllText(ReportFiles.WriteAll(dir.FullName, result, run).Report);
            var bars = result.Charts[0].Bars.ToArray();
            // The known zone: a bearish order block over the second half of the chart, across the middle third of the
            // price range of those bars, so candles cross it.
            var half = bars.Length / 2;
            var hi = bars[half..].Max(b => b.High);
            var lo = bars[half..].Min(b => b.Low);
            var top = lo + ((hi - lo) * 2 / 3);
            var bottom = lo + ((hi - lo) / 3);
            var shown = WithOnlyZone(html, [half, bars.Length - 1, top, bottom, -1, 1]);
            // The same zone far above every price: off the chart, the same counts, nothing else changed.
            var offChart = WithOnlyZone(html, [half, bars.Length - 1, hi * 10, hi * 9, -1, 1]);
            var a = await Screenshot(browser!, dir.FullName, "shown", shown);
            var b = await Screenshot(browser!, dir.FullName, "off", offChart);
            Assert.Equal((a.Width, a.Height), (b.Width, b.Height));

            // The pixels the zone changed, and of them those in the bearish zone's red tint (over white or the grid,
            // red stays highest while green and blue drop).
            var changed = new List<(int X, int Y)>();
            var tinted = new List<(int X, int Y)>();
            for (var y = 0; y < a.Height; y++)
            {
                for (var x = 0; x < a.Width; x++)
                {
                    if (a[x, y] == b[x, y])
                    {
                        continue;
                    }

                    changed.Add((x, y));
                    var (r, g, bl) = a[x, y];
                    if (r > g + 8 && r > bl + 8)
                    {
                        tinted.Add((x, y));
                    }
                }
            }

            Assert.True(changed.Count > 5_000, $"the zone changed {changed.Count} pixels of the screenshot: it is not visible (drawn under the candle canvases?)");
            Assert.True(tinted.Count > changed.Count * 0.6, $"{tinted.Count} of {changed.Count} changed pixels carry the bearish zone's red tint");
            // One filled box: the tinted pixels (without the outlying 1 % on each side, e.g. anti-aliased marker text
            // laid out a pixel apart) fill most of their bounding box, which spans the chart's second half.
            var xs = tinted.Select(p => p.X).Order().ToArray();
            var ys = tinted.Select(p => p.Y).Order().ToArray();
            int minX = xs[xs.Length / 100], maxX = xs[^(1 + (xs.Length / 100))], minY = ys[ys.Length / 100], maxY = ys[^(1 + (ys.Length / 100))];
            var box = (maxX - minX + 1) * (maxY - minY + 1);
            var inBox = tinted.Count(p => p.X >= minX && p.X <= maxX && p.Y >= minY && p.Y <= maxY);
            Assert.True(inBox > box * 0.6, $"{inBox} tinted pixels in their bounding box of {box} ({minX},{minY})–({maxX},{maxY}): not one filled zone");
            Assert.True(maxX - minX > a.Width / 4, $"zone width {maxX - minX} px of a {a.Width} px page");

            // The candles stay visible inside the zone: pixels of their exact colours there, the same in both pictures.
            var candlePixels = 0;
            for (var y = minY; y <= maxY; y++)
            {
                for (var x = minX; x <= maxX; x++)
                {
                    if ((a[x, y] == Up || a[x, y] == Down) && a[x, y] == b[x, y])
                    {
                        candlePixels++;
                    }
                }
            }

            Assert.True(candlePixels > 200, $"{candlePixels} pixels of candle colour inside the zone: the zone hides the candles");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    /// <summary>The report with its first chart's SMC data replaced by one zone, without structure breaks and markers.</summary>
    private static string WithOnlyZone(string html, double[] zone)
    {
        var m = DataScript().Match(html);
        Assert.True(m.Success, "the report has no chart data script");
        var data = JsonNode.Parse(m.Groups[2].Value.Replace("<\\/", "</", StringComparison.Ordinal))!;
        var chart = data["charts"]![0]!;
        chart["zones"] = new JsonArray(new JsonArray([.. zone.Select(v => JsonValue.Create(v))]));
        chart["breaks"] = new JsonArray();
        // No trade or signal markers either: their clustering follows the layout, which is not the subject here.
        chart["signals"] = new JsonArray();
        data["trades"] = new JsonArray();
        var json = data.ToJsonString().Replace("</", "<\\/", StringComparison.Ordinal);
        return string.Concat(html.AsSpan(0, m.Groups[2].Index), json, html.AsSpan(m.Groups[2].Index + m.Groups[2].Length));
    }

    private static async Task<PngImage> Screenshot(string browser, string work, string name, string html)
    {
        var page = Path.Combine(work, name + ".html");
        var png = Path.Combine(work, name + ".png");
        File.WriteAllText(page, html);
        // A page tall enough to hold the candle chart; virtual time lets the charts lay out and paint before the shot.
        var (_, err) = await ChromiumReportTests.Chromium(browser, work, "--hide-scrollbars", "--force-device-scale-factor=1",
            "--window-size=1400,3200", "--virtual-time-budget=5000", $"--screenshot={png}", new Uri(page).AbsoluteUri);
        Assert.True(File.Exists(png), $"no screenshot written:\n{err}");
        return PngImage.Read(png);
    }

    [GeneratedRegex("(<script type=\"application/json\" id=\"kimi-data\">)(.*?)(</script>)", RegexOptions.Singleline)]
    private static partial Regex DataScript();
}
