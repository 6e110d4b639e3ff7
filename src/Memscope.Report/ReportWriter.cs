using System.Text;
using System.Text.Json.Nodes;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Report.Sections;

namespace Memscope.Report;

/// <summary>What <see cref="ReportWriter.Write"/> produced.</summary>
public sealed record ReportResult(string IndexPath, int Runs, IReadOnlyList<string> Skipped);

/// <summary>
/// <c>memscope report DIR… --out REPORT_DIR</c>: one static index.html over every run folder found in or below the
/// given folders, with the figures and data files copied beside it (no server, no CDN, no script). The folder is built
/// under a temporary name and renamed into place, so a failed report leaves the previous one (or nothing).
/// </summary>
public static class ReportWriter
{
    public const string IndexName = "index.html";

    /// <summary>Sections in the order the report shows them; the first that accepts a run shows it.</summary>
    private static readonly IRunSection[] Sections =
        [new TradeoffSection(), new MixtureSection(), new FzSection(), new FzUtilitySection(), new FactsSection(), new DemoSection(), new GenericSection()];

    public static ReportResult Write(IReadOnlyList<string> inputs, string outDir, IEnumerable<string> commandLine)
    {
        UsageException.Require(inputs.Count > 0, "give at least one folder: memscope report DIR… --out REPORT_DIR");
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir));
        RequireReplaceable(target);
        var manifest = new RunManifest("report", commandLine);
        manifest.SetOption("inputs", inputs.Select(Path.GetFullPath).ToArray());
        var dirs = RunDiscovery.Find(inputs, exclude: target);
        var runs = new List<RunFolder>();
        var skipped = new List<string>();
        foreach (var d in dirs)
        {
            try
            {
                var r = RunFolder.Load(d);
                if (r.Command != "report") runs.Add(r);
            }
            catch (UsageException e) { skipped.Add(e.Message); }
        }
        UsageException.Require(runs.Count > 0, $"no readable run folder in {string.Join(", ", inputs)}" + (skipped.Count > 0 ? $": {skipped[0]}" : ""));
        var ordered = runs.Select(r => (Run: r, Section: Sections.First(s => SafeAccepts(s, r))))
            .OrderBy(x => Array.IndexOf(Sections, x.Section)).ThenBy(x => x.Run.Dir, StringComparer.Ordinal).ToList();

        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            var page = new ReportPage(staging);
            page.AssignSlugs(ordered.Select(x => x.Run).ToArray());
            var toc = new StringBuilder();
            manifest.Time("render", () =>
            {
                foreach (var (run, section) in ordered)
                {
                    string slug = page.Slug(run);
                    string title;
                    try { title = section.Title(run); }
                    catch (Exception e) when (e is UsageException or InvalidOperationException or NullReferenceException or FormatException)
                    { title = $"memscope {run.Command}"; }
                    toc.Append($"<li><a href=\"#run-{slug}\">{Html.Esc(title)}</a> <span class=\"cmd\">{Html.Esc(run.Command)} · {Html.Esc(slug)}</span></li>");
                    page.Add($"<section id=\"run-{slug}\" data-command=\"{Html.Esc(run.Command)}\"><h2>{Html.Esc(title)}</h2>");
                    page.Add($"<p class=\"path\">{Html.Esc(run.Dir)}</p>");
                    RenderSafely(section, run, page);
                    page.Add("</section>");
                }
                return 0;
            });
            var html = Page(ordered.Select(x => x.Run).ToArray(), toc.ToString(), page.Body.ToString(), skipped);
            AtomicFile.WriteAllText(Path.Combine(staging, IndexName), html);
            manifest.Write(staging, page.Files.Select(f => f.Replace('/', Path.DirectorySeparatorChar)).Append(IndexName));
            Replace(staging, target);
        }
        catch
        {
            try { if (Directory.Exists(staging)) Directory.Delete(staging, true); } catch { /* best effort */ }
            throw;
        }
        return new ReportResult(Path.Combine(target, IndexName), runs.Count, skipped);
    }

    private static bool SafeAccepts(IRunSection s, RunFolder r)
    {
        try { return s.Accepts(r); }
        catch (Exception e) when (e is UsageException or InvalidOperationException) { return false; }
    }

    /// <summary>A section whose files do not parse shows a note and the generic view instead of stopping the report.</summary>
    private static void RenderSafely(IRunSection section, RunFolder run, ReportPage page)
    {
        int mark = page.Body.Length;
        try { section.Render(run, page); }
        catch (Exception e) when (section is not GenericSection && e is UsageException or InvalidOperationException or NullReferenceException or FormatException or KeyNotFoundException)
        {
            page.Body.Length = mark;
            page.Paragraph($"Could not read this run's results ({e.Message}); showing its files instead.", "note");
            new GenericSection().Render(run, page);
        }
    }

    /// <summary>REPORT_DIR may be new, empty, or an earlier report (its run.json says command "report"); nothing else is overwritten.</summary>
    private static void RequireReplaceable(string target)
    {
        UsageException.Require(!File.Exists(target), $"--out {target} is a file; give a folder for the report");
        if (!Directory.Exists(target) || !Directory.EnumerateFileSystemEntries(target).Any()) return;
        bool isReport = false;
        try { isReport = RunManifest.Read(target)["command"]?.GetValue<string>() == "report"; }
        catch (UsageException) { }
        UsageException.Require(isReport, $"--out {target} exists and is not a memscope report; choose a new or empty folder");
    }

    private static void Replace(string staging, string target)
    {
        if (!Directory.Exists(target)) { Directory.Move(staging, target); return; }
        string old = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.old-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.Move(target, old);
        Directory.Move(staging, target);
        try { Directory.Delete(old, true); } catch (IOException) { /* an open file on some systems: harmless leftover */ }
    }

    private static string Page(IReadOnlyList<RunFolder> runs, string toc, string body, IReadOnlyList<string> skipped)
    {
        var versions = runs.Select(r => r.CodeVersion ?? "unknown").Distinct().ToArray();
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<link rel=\"icon\" href=\"data:,\"><title>Memscope report</title><style>").Append(ReportStyle.Css).Append("</style></head><body>\n");
        sb.Append("<header><h1>Memscope report</h1>");
        sb.Append($"<p class=\"lead\">{runs.Count} run folder{(runs.Count == 1 ? "" : "s")} · written {Html.Esc(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm"))} UTC by memscope {Html.Esc(CodeVersion.Current)}")
          .Append($" · runs made by {Html.Esc(string.Join(", ", versions))}</p>");
        sb.Append("<p class=\"lead\">Every figure says which command made it (seed, sizes, code version from its run.json) and links to the CSV/JSON it came from; tables show the numbers of those JSON files. All information quantities are in bits.</p>");
        if (skipped.Count > 0)
            sb.Append("<p class=\"note\">Skipped: ").Append(string.Join("; ", skipped.Select(Html.Esc))).Append("</p>");
        sb.Append("<nav><ol>").Append(toc).Append("</ol></nav></header>\n<main>\n").Append(body).Append("</main></body></html>\n");
        return sb.ToString();
    }
}
