using System.Diagnostics;
using System.Text.RegularExpressions;
using KimiEA.Tester.Report;
using Xunit;

namespace KimiEA.Tester.Tests.Report;

/// <summary>
/// Opens report.html in real headless Chromium (no network) and checks that its scripts ran without a console
/// message or error and that every chart received data (the page writes data-ready / data-candles / data-curve
/// attributes that --dump-dom shows).
/// </summary>
[Collection(Collection)]
public sealed partial class ChromiumReportTests
{
    /// <summary>The Chromium tests run one at a time: two browsers laying out at once on a busy machine paint at different moments.</summary>
    public const string Collection = "chromium";

    [Fact]
    public async Task Report_LoadsInHeadlessChromium_WithChartsAndNoConsoleErrors()
    {
        var browser = FindChromium();
        Assert.True(browser is not null, "Chromium is required for this test: apt-get install -y chromium (or set KIMI_CHROMIUM).");
        var (result, run) = SampleRun.Execute();
        var dir = Directory.CreateTempSubdirectory("kimi-chromium-");
        try
        {
            var files = ReportFiles.WriteAll(dir.FullName, result, run);
            var (dom, stderr) = await Chromium(browser!, dir.FullName, "--dump-dom", new Uri(files.Report).AbsoluteUri);
            var console = stderr.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToArray();
            Assert.True(console.Length == 0, "console output from the report:\n" + string.Join("\n", console));
            var body = BodyTag().Match(dom);
            Assert.True(body.Success, "no <body> in the dumped DOM:\n" + dom[..Math.Min(dom.Length, 2000)]);
            var tag = body.Value;
            Assert.DoesNotContain("data-error", tag, StringComparison.Ordinal);
            Assert.Contains("data-ready=\"1\"", tag, StringComparison.Ordinal);
            var candles = int.Parse(Attr(tag, "data-candles"), System.Globalization.CultureInfo.InvariantCulture);
            var curve = int.Parse(Attr(tag, "data-curve"), System.Globalization.CultureInfo.InvariantCulture);
            var markers = int.Parse(Attr(tag, "data-markers"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(result.Charts[0].Bars.Count, candles);
            Assert.True(curve > 10, $"equity curve points: {curve}");
            // Every trade has an entry and an exit marker on the chart (all lie inside the shown bars here).
            Assert.True(markers >= 2 * result.Trades.Count, $"markers {markers} for {result.Trades.Count} trades");
            // The charts drew into canvases, with the SMC layer (zones and structure breaks) attached to the candles
            // (SmcOverlayPixelTests checks that the zones are seen).
            Assert.Contains("<canvas", dom, StringComparison.Ordinal);
            var zones = int.Parse(Attr(tag, "data-zones"), System.Globalization.CultureInfo.InvariantCulture);
            var breaks = int.Parse(Attr(tag, "data-breaks"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(zones > 0, $"SMC zones drawn: {zones}");
            Assert.True(breaks > 0, $"structure breaks drawn: {breaks}");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task Markers_on_more_than_ten_thousand_bars_are_clustered_so_they_stay_apart()
    {
        var browser = FindChromium();
        Assert.True(browser is not null, "Chromium is required for this test: apt-get install -y chromium (or set KIMI_CHROMIUM).");
        // The whole EURUSD M1 sample on an M1 chart: 15,000+ bars and a trade every 8 bars, thousands of entry and
        // exit markers.
        var (result, run) = SampleRun.Execute(m1Bars: int.MaxValue, timeframeSeconds: 60);
        Assert.True(result.Charts[0].Bars.Count > 10_000, $"{result.Charts[0].Bars.Count} bars");
        var dir = Directory.CreateTempSubdirectory("kimi-chromium-markers-");
        try
        {
            var files = ReportFiles.WriteAll(dir.FullName, result, run);
            var (dom, stderr) = await Chromium(browser!, dir.FullName, "--window-size=1400,1000", "--virtual-time-budget=5000", "--dump-dom", new Uri(files.Report).AbsoluteUri);
            var tag = BodyTag().Match(dom).Value;
            Assert.True(tag.Contains("data-ready=\"1\"", StringComparison.Ordinal), $"{tag}\n{stderr}");
            var events = int.Parse(Attr(tag, "data-markers"), System.Globalization.CultureInfo.InvariantCulture);
            var shown = int.Parse(Attr(tag, "data-marker-groups"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(events >= 2 * result.Trades.Count, $"{events} events for {result.Trades.Count} trades");
            // At most one marker per 48 px on each side of the bars of a chart under 1400 px wide.
            Assert.InRange(shown, 2, 2 * ((1400 / 48) + 1));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task Hovering_the_candles_lists_the_events_of_the_markers_there_with_readable_times()
    {
        var browser = FindChromium();
        Assert.True(browser is not null, "Chromium is required for this test: apt-get install -y chromium (or set KIMI_CHROMIUM).");
        var (result, run) = SampleRun.Execute();
        var dir = Directory.CreateTempSubdirectory("kimi-chromium-hover-");
        try
        {
            // The report plus a test script that moves the mouse across the middle of the first candle chart, 7 px
            // at a time, until the hover box shows, and copies its text into the body's attributes.
            const string Hover = """
                <script>
                setTimeout(function () {
                  var box = document.getElementById("candles-0"), cvs = box.querySelectorAll("canvas"), target = cvs[1] || cvs[0];
                  var r = target.getBoundingClientRect(), x = 5;
                  function step() {
                    var tip = box.querySelector(".tip");
                    if (tip && tip.style.display === "block") { document.body.setAttribute("data-tip", Array.prototype.map.call(tip.children, function (d) { return d.textContent; }).join("\n")); return; }
                    if (x >= r.width - 5) { document.body.setAttribute("data-tip", "none"); return; }
                    var o = { clientX: r.left + x, clientY: r.top + r.height / 2, bubbles: true };
                    target.dispatchEvent(new MouseEvent("mouseenter", o));
                    target.dispatchEvent(new MouseEvent("mousemove", o));
                    x += 7;
                    setTimeout(step, 20);
                  }
                  step();
                }, 1000);
                </script></body>
                """;
            var page = Path.Combine(dir.FullName, "hover.html");
            File.WriteAllText(page, File.ReadAllText(ReportFiles.WriteAll(dir.FullName, result, run).Report).Replace("</body>", Hover, StringComparison.Ordinal));
            var (dom, stderr) = await Chromium(browser!, dir.FullName, "--window-size=1400,3000", "--virtual-time-budget=60000", "--dump-dom", new Uri(page).AbsoluteUri);
            var tip = System.Net.WebUtility.HtmlDecode(Attr(BodyTag().Match(dom).Value, "data-tip"));
            Assert.True(tip != "none", "no hover box appeared anywhere across the chart\n" + stderr);
            // Every line: a readable time, then a trade (#ticket ...) or a signal.
            var lines = tip.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(lines);
            Assert.All(lines, l => Assert.Matches(@"^(\d{4}-\d\d-\d\d \d\d:\d\d  (#\d+ |signal )|… and \d+ more)", l));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"#\d+ (buy|sell) 0\.5 lots at \d\.\d{5}$") || Regex.IsMatch(l, @"#\d+ (SL|TP|END) at \d\.\d{5}, P&L -?\d+\.\d\d, MFE"));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    /// <summary>Runs headless Chromium (no network, a throw-away profile under <paramref name="work"/>) with <paramref name="args"/>.</summary>
    internal static async Task<(string Out, string Err)> Chromium(string browser, string work, params string[] args)
    {
        var psi = new ProcessStartInfo(browser);
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", $"--user-data-dir={Path.Combine(work, "profile")}", "--enable-logging=stderr", "--v=0",
        }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        var (_, output, err) = await TestProcess.Run(psi, TimeSpan.FromMinutes(2));
        return (output, err);
    }

    private static string Attr(string tag, string name)
    {
        var m = Regex.Match(tag, name + "=\"([^\"]*)\"");
        Assert.True(m.Success, $"{name} missing in {tag}");
        return m.Groups[1].Value;
    }

    internal static string? FindChromium()
    {
        if (Environment.GetEnvironmentVariable("KIMI_CHROMIUM") is { Length: > 0 } env)
        {
            return env;
        }

        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome", "google-chrome-stable" })
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                var full = Path.Combine(dir, name);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }

        return null;
    }

    [GeneratedRegex("<body[^>]*>")]
    private static partial Regex BodyTag();
}
