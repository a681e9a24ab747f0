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
public sealed partial class ChromiumReportTests
{
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
            var profile = Path.Combine(dir.FullName, "profile");
            var psi = new ProcessStartInfo(browser!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", $"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                "--dump-dom", new Uri(files.Report).AbsoluteUri,
            })
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var stderrTask = p.StandardError.ReadToEndAsync(timeout.Token);
            var dom = await p.StandardOutput.ReadToEndAsync(timeout.Token);
            await p.WaitForExitAsync(timeout.Token);
            var stderr = await stderrTask;

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
            // The charts drew into canvases, with the SMC overlay (zones and structure breaks) on the candles.
            Assert.Contains("<canvas", dom, StringComparison.Ordinal);
            Assert.Contains("smc-overlay", dom, StringComparison.Ordinal);
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

    private static string Attr(string tag, string name)
    {
        var m = Regex.Match(tag, name + "=\"([^\"]*)\"");
        Assert.True(m.Success, $"{name} missing in {tag}");
        return m.Groups[1].Value;
    }

    private static string? FindChromium()
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
