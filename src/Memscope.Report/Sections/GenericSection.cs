using System.Text.Json;
using System.Text.Json.Nodes;

namespace Memscope.Report.Sections;

/// <summary>
/// Any other run folder (a command the report has no special section for): its PNGs as figures, the scalar fields of
/// its JSON outputs, the first rows of its CSV outputs, and links to every output it lists in run.json.
/// </summary>
public sealed class GenericSection : IRunSection
{
    /// <summary>Outputs larger than this are linked to their source folder instead of copied.</summary>
    public const long MaxCopyBytes = 64L << 20;

    public bool Accepts(RunFolder run) => true;

    public string Title(RunFolder run) => $"memscope {run.Command}";

    /// <summary>The outputs run.json lists; when it lists none, the folder's own PNG, JSON and CSV files.</summary>
    public static IReadOnlyList<string> Files(RunFolder run)
    {
        var listed = run.Outputs;
        if (listed.Count > 0) return listed;
        return Directory.GetFiles(run.Dir).Select(Path.GetFileName).OfType<string>()
            .Where(f => !f.StartsWith('.') && f != Core.IO.RunManifest.FileName && (f.EndsWith(".png") || f.EndsWith(".json") || f.EndsWith(".csv")))
            .Order(StringComparer.Ordinal).ToArray();
    }

    public void Render(RunFolder run, ReportPage page)
    {
        var files = Files(run);
        var small = files.Where(f => new FileInfo(Path.Combine(run.Dir, f)).Length <= MaxCopyBytes).ToArray();
        var data = small.Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".csv", StringComparison.Ordinal)).ToArray();
        var pngs = small.Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).ToArray();
        if (pngs.Length == 0) page.Add($"<p class=\"caption\">{ReportPage.Provenance([run.Manifest])}</p>");
        foreach (var png in pngs)
            page.Figure(run, png, $"{png} written by memscope {run.Command}.", [run.Manifest], data);
        foreach (var f in data)
        {
            if (f.EndsWith(".json", StringComparison.Ordinal))
            {
                JsonNode? node;
                try { node = run.ReadJson(f); }
                catch (Core.UsageException e) { page.Paragraph(e.Message, "note"); continue; }
                if (node is JsonObject o) page.KeyValueTable(run, f, "", o, null, f);
            }
            else page.CsvPreview(run, f, 10);
        }
        var other = small.Except(data).Except(pngs).ToArray();
        var large = files.Except(small).ToArray();
        if (other.Length + large.Length > 0)
            page.Add("<p class=\"files\">other outputs: " + string.Join(", ", other.Select(f => $"<a href=\"{page.Copy(run, f)}\">{Html.Esc(f)}</a>")
                .Concat(large.Select(f => $"{Html.Esc(f)} (too large to copy; in {Html.Esc(run.Dir)})"))) + "</p>");
        page.Add($"<p class=\"files\">{page.DataLinks(run, data)}</p>");
    }
}
