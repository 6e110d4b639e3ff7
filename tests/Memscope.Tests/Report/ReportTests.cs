using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Memscope.Core.IO;
using Memscope.Report;
using Memscope.Tests.Cli;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Memscope.Tests.Report;

/// <summary>
/// `memscope report` over real run folders: discovery, refusals, escaping, and the page itself in headless Chromium
/// (every image loads, no console errors, table cells hold the numbers of the JSON files they name).
/// </summary>
[Collection("console")]
public class ReportTests : IClassFixture<ReportRuns>, IDisposable
{
    private readonly ReportRuns _runs;
    private readonly ITestOutputHelper _log;
    private readonly string _work = Path.Combine(Path.GetTempPath(), "memscope-reportout-" + Guid.NewGuid().ToString("N"));

    public ReportTests(ReportRuns runs, ITestOutputHelper log)
    {
        _runs = runs;
        _log = log;
        Directory.CreateDirectory(_work);
        _log.WriteLine($"input runs made in {runs.Seconds:F1} s");
    }

    public void Dispose() { if (Directory.Exists(_work)) Directory.Delete(_work, true); }

    private static readonly string[] AllCommands = ["tradeoff", "mixture", "fz utility", "fz scores", "facts capacity", "facts plan"];

    private static string[] SectionCommands(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, "<section id=\"[^\"]*\" data-command=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToArray();

    [Fact]
    public void FindsEveryRunBelowAFolderAndAcceptsRunFoldersDirectly()
    {
        string report = Path.Combine(_runs.Out, "report");
        var (code, _, err) = CliRunner.Run("report", _runs.Out, "--out", report);
        Assert.True(code == 0, err);
        Assert.Contains(Path.Combine(report, "index.html"), err);
        var sections = SectionCommands(File.ReadAllText(Path.Combine(report, "index.html")));
        Assert.Equal(AllCommands.Order(), sections.Order());
        Assert.Equal("report", RunManifest.Read(report)["command"]!.GetValue<string>());
        // again, into the same folder inside the input (as demo does): the earlier report is replaced, not reported on
        (code, _, err) = CliRunner.Run("report", _runs.Out, "--out", report);
        Assert.True(code == 0, err);
        Assert.Equal(AllCommands.Order(), SectionCommands(File.ReadAllText(Path.Combine(report, "index.html"))).Order());
        Assert.Empty(Directory.GetDirectories(_runs.Out, ".report*"));

        string two = Path.Combine(_work, "two");
        (code, _, err) = CliRunner.Run("report", Path.Combine(_runs.Out, "tradeoff-gaussian"), Path.Combine(_runs.Out, "mixture"), "--out", two);
        Assert.True(code == 0, err);
        Assert.Equal(["tradeoff", "mixture"], SectionCommands(File.ReadAllText(Path.Combine(two, "index.html"))));
        Assert.True(File.Exists(Path.Combine(two, "runs", "tradeoff-gaussian", "tradeoff.png")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(_runs.Out, "mixture", "mixture.json")), File.ReadAllBytes(Path.Combine(two, "runs", "mixture", "mixture.json")));
    }

    [Fact]
    public void BadInputGivesOneLineAndWritesNothing()
    {
        string notReport = Path.Combine(_work, "mine");
        Directory.CreateDirectory(notReport);
        File.WriteAllText(Path.Combine(notReport, "notes.txt"), "keep me");
        var cases = new (string[] Args, string Message, string Out)[]
        {
            (["report", _runs.Out, "--out", notReport], "is not a memscope report", notReport),
            (["report", Path.Combine(_work, "missing"), "--out", Path.Combine(_work, "r1")], "no such folder", Path.Combine(_work, "r1")),
            (["report", notReport, "--out", Path.Combine(_work, "r2")], "no run.json", Path.Combine(_work, "r2")),
        };
        foreach (var (args, message, outDir) in cases)
        {
            var (code, _, err) = CliRunner.Run(args);
            Assert.Equal(2, code);
            Assert.Single(err.Trim().Split('\n'));
            Assert.Contains(message, err);
        }
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(notReport).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(_work, "r1")));
        Assert.False(Directory.Exists(Path.Combine(_work, "r2")));
        Assert.Empty(Directory.GetDirectories(_work, ".*"));
    }

    [Fact]
    public void TextFromRunFoldersIsHtmlEscaped()
    {
        // a real run folder under a hostile name: the path is shown in the page and must stay text
        string hostile = Path.Combine(_work, "in", "x<img src=q onerror=alert(1)>&y");
        ReportRuns.CopyDir(Path.Combine(_runs.Out, "plan"), hostile);
        string report = Path.Combine(_work, "esc");
        var (code, _, err) = CliRunner.Run("report", Path.Combine(_work, "in"), "--out", report);
        Assert.True(code == 0, err);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.DoesNotContain("<img src=q", html);
        Assert.Contains("x&lt;img src=q onerror=alert(1)&gt;&amp;y", html);
    }

    [Fact]
    public void AnUnknownCommandGetsTheGenericSectionAndUnreadableResultsANote()
    {
        string broken = Path.Combine(_work, "in", "broken");
        ReportRuns.CopyDir(Path.Combine(_runs.Out, "tradeoff-gaussian"), broken);
        File.WriteAllText(Path.Combine(broken, "tradeoff.json"), "{\"rows\": [");
        string report = Path.Combine(_work, "generic");
        var (code, _, err) = CliRunner.Run("report", _runs.Unknown, Path.Combine(_work, "in"), "--out", report);
        Assert.True(code == 0, err);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.Equal(["tradeoff", "not-yet-known"], SectionCommands(html));
        string unknown = html[html.IndexOf("data-command=\"not-yet-known\"", StringComparison.Ordinal)..];
        Assert.Matches("<img src=\"runs/[^\"/]*unknown/tradeoff.png\"", unknown);
        Assert.Matches("data-source=\"runs/[^\"/]*unknown/tradeoff.json\"", unknown);
        Assert.Matches("first rows of <a href=\"runs/[^\"/]*unknown/tradeoff.csv\">", unknown);
        string brokenSection = html[html.IndexOf("data-command=\"tradeoff\"", StringComparison.Ordinal)..html.IndexOf("data-command=\"not-yet-known\"", StringComparison.Ordinal)];
        Assert.Contains("Could not read this run", brokenSection);
        Assert.Contains("tradeoff.json: not valid JSON", brokenSection);
        Assert.Matches("<img src=\"runs/[^\"/]*broken/tradeoff.png\"", brokenSection);
    }

    [ChromiumFact]
    public async Task EveryImageLoadsNoConsoleErrorsAndTablesHoldTheJsonNumbers()
    {
        string chromium = HeadlessBrowser.Find()
            ?? throw new InvalidOperationException($"{ChromiumFactAttribute.RequiredVariable}=required but no chromium was found: apt-get install chromium (or set {HeadlessBrowser.EnvironmentVariable})");
        string report = Path.Combine(_work, "report");
        var (code, _, err) = CliRunner.Run("report", _runs.Out, _runs.Unknown, "--out", report, "--screenshot");
        Assert.True(code == 0, err);
        string index = Path.Combine(report, "index.html");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add("console: " + m.Text); };
        page.PageError += (_, e) => errors.Add("page: " + e);
        page.RequestFailed += (_, r) => errors.Add($"request failed: {r.Url} {r.Failure}");
        await page.GotoAsync(new Uri(index).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        var dom = await Dom(page);

        // every image loads
        var images = dom.GetProperty("images").EnumerateArray().ToArray();
        Assert.True(images.Length >= 10, $"expected the 10+ figures of the seven runs, found {images.Length}");
        foreach (var img in images)
            Assert.True(img.GetProperty("width").GetInt32() > 0, $"image {img.GetProperty("src")} did not load (naturalWidth 0)");
        Assert.Empty(errors);

        // every figure says what was run and links to its data and run.json
        foreach (var f in dom.GetProperty("figures").EnumerateArray())
        {
            string caption = f.GetProperty("caption").GetString()!;
            Assert.Contains("memscope ", caption);
            Assert.Matches(@"seed \d+", caption);
            Assert.Contains("code " + CodeVersion.Current, caption);
            var links = f.GetProperty("links").EnumerateArray().Select(l => l.GetString()!).ToArray();
            Assert.Contains(links, l => l.EndsWith("/run.json"));
            Assert.Contains(links, l => l.EndsWith(".csv") || l.EndsWith(".json") && !l.EndsWith("/run.json"));
        }
        // every local link resolves to a file beside index.html
        foreach (var href in dom.GetProperty("links").EnumerateArray().Select(l => l.GetString()!).Where(h => !h.StartsWith('#')))
            Assert.True(File.Exists(Path.Combine(report, Uri.UnescapeDataString(href))), $"broken link {href}");

        // tables hold the numbers of the JSON files they name
        var checkedCells = new Dictionary<string, int>();
        foreach (var t in dom.GetProperty("tables").EnumerateArray())
        {
            string source = Uri.UnescapeDataString(t.GetProperty("source").GetString()!);
            string file = Path.Combine(report, source);
            var json = JsonNode.Parse(File.ReadAllText(file))!;
            AssertCopyMatchesRunJson(file);
            string rowsPath = t.GetProperty("rows").GetString()!;
            var rowsNode = rowsPath == "" ? json : json[rowsPath]!;
            int n = 0;
            foreach (var cell in t.GetProperty("cells").EnumerateArray())
            {
                string row = cell.GetProperty("row").GetString()!, key = cell.GetProperty("key").GetString()!, text = cell.GetProperty("text").GetString()!;
                var rowNode = row == "" ? rowsNode : rowsNode is JsonArray a ? a[int.Parse(row, CultureInfo.InvariantCulture)]! : rowsNode[row]!;
                AssertCell(rowNode[key], text, $"{source} {rowsPath}[{row}].{key}");
                n++;
            }
            string name = Path.GetFileName(source) + (rowsPath == "" ? "" : "/" + rowsPath);
            checkedCells[name] = checkedCells.GetValueOrDefault(name) + n;
        }
        _log.WriteLine(string.Join(", ", checkedCells.Select(kv => $"{kv.Key}: {kv.Value} cells")));
        var tradeoffRows = JsonNode.Parse(File.ReadAllText(Path.Combine(_runs.Out, "tradeoff-gaussian", "tradeoff.json")))!["rows"]!.AsArray().Count;
        Assert.Equal(tradeoffRows * 10, checkedCells["tradeoff.json/rows"]);
        Assert.Equal(3 * 8, checkedCells["mixture.json/rows"]);
        foreach (var name in new[] { "scores.json", "lira.json/variants", "utility.json", "results.json", "results.json/summary", "tradeoff.json" })
            Assert.True(checkedCells.GetValueOrDefault(name) > 0, $"no cells checked from {name}");

        // the screenshot that demo keeps: a PNG of the first screen
        var png = File.ReadAllBytes(Path.Combine(report, "screenshot.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(1280, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));

        // the checks can fail: a missing figure shows as naturalWidth 0 and a console error
        var victim = images[1].GetProperty("src").GetString()!;
        File.Delete(Path.Combine(report, Uri.UnescapeDataString(victim)));
        errors.Clear();
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Load });
        dom = await Dom(page);
        Assert.Equal(0, dom.GetProperty("images").EnumerateArray().Single(i => i.GetProperty("src").GetString() == victim).GetProperty("width").GetInt32());
        Assert.NotEmpty(errors);
    }

    private static async Task<JsonElement> Dom(IPage page) => await page.EvaluateAsync<JsonElement>("""
        () => ({
          images: Array.from(document.images).map(i => ({ src: i.getAttribute('src'), width: i.naturalWidth })),
          figures: Array.from(document.querySelectorAll('figure')).map(f => ({
            caption: f.querySelector('figcaption').innerText,
            links: Array.from(f.querySelectorAll('figcaption a')).map(a => a.getAttribute('href')) })),
          links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
          tables: Array.from(document.querySelectorAll('table[data-source]')).map(t => ({
            source: t.dataset.source, rows: t.dataset.rows,
            cells: Array.from(t.querySelectorAll('td[data-key]')).map(td => ({ row: td.closest('tr').dataset.row, key: td.dataset.key, text: td.textContent })) })),
        })
        """);

    /// <summary>The copied data file is byte-identical to the one the command wrote (its SHA-256 in the copied run.json).</summary>
    private static void AssertCopyMatchesRunJson(string file)
    {
        string dir = Path.GetDirectoryName(file)!, name = Path.GetFileName(file);
        if (name == RunManifest.FileName) return;
        var outputs = RunManifest.Read(dir)["outputs"]!.AsObject();
        if (outputs[name] is JsonNode sha)
            Assert.Equal(sha.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))));
    }

    private static void AssertCell(JsonNode? expected, string text, string where)
    {
        switch (expected)
        {
            case null: Assert.True(text == "—", $"{where}: null shown as '{text}'"); break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                double e = v.GetValue<double>();
                Assert.True(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double shown), $"{where}: '{text}' is not a number");
                Assert.True(Math.Abs(shown - e) <= 1e-4 * Math.Abs(e), $"{where}: shows {text}, the JSON has {e}");
                break;
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                Assert.True(text == (v.GetValue<bool>() ? "yes" : "no"), $"{where}: {v} shown as '{text}'"); break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                Assert.True(text == v.GetValue<string>(), $"{where}: '{v}' shown as '{text}'"); break;
            default: Assert.Fail($"{where}: unexpected JSON {expected.ToJsonString()}"); break;
        }
    }
}
