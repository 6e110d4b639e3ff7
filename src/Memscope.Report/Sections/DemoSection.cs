using System.Text.Json.Nodes;

namespace Memscope.Report.Sections;

/// <summary>The run.json that `memscope demo` leaves above its step folders: what ran and how long each step took.</summary>
public sealed class DemoSection : IRunSection
{
    public bool Accepts(RunFolder run) => run.Command == "demo";

    public string Title(RunFolder run) => "The demo run";

    public void Render(RunFolder run, ReportPage page)
    {
        page.Add($"<p class=\"caption\">{ReportPage.Provenance([run.Manifest])}</p>");
        if (run.Manifest["timingsSeconds"] is JsonObject t)
            page.KeyValueTable(run, Core.IO.RunManifest.FileName, "timingsSeconds", t, null, "Wall time of each step (seconds)");
    }
}
