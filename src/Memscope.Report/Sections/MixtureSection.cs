using System.Text.Json.Nodes;

namespace Memscope.Report.Sections;

/// <summary>`memscope mixture`: Thm 18 against the singleton-only bound, plot and table from mixture.json.</summary>
public sealed class MixtureSection : IRunSection
{
    public bool Accepts(RunFolder run) => run.Command == "mixture" && run.HasOutput("mixture.json");

    public string Title(RunFolder run)
    {
        var j = run.ReadJson("mixture.json");
        return $"Mixture bound: {Html.Value(j["problem"])}, d = {Html.Value(j["d"])}, k = {Html.Value(j["k"])} clusters, prior {Html.Value(j["prior"])}, advantage {Html.Value(j["advantage"])}";
    }

    public void Render(RunFolder run, ReportPage page)
    {
        var j = run.ReadJson("mixture.json");
        page.Figure(run, "mixture.png",
            "Lower bounds on memorization (bits) against n for a mixture of clusters: Thm 18 (every cluster seen ℓ times, weighted by Lemma 14's τ_ℓ) against the singleton-only bound.",
            [run.Manifest], "mixture.csv", "mixture_counts.csv", "mixture.json");
        var rows = (j["rows"] as JsonArray ?? []).Select((r, i) => (i.ToString(), r!));
        page.JsonTable(run, "mixture.json", "rows", rows,
        [
            ReportColumn.Of("n", "n"), ReportColumn.Of("n / (k ln k)", "nOverKLnK"), ReportColumn.Of("E[singletons]", "expectedSingletons"),
            ReportColumn.Of("E[seen ≥ 2]", "expectedSeenTwicePlus"), ReportColumn.Of("Thm 18 bound (bits)", "thm18BoundBits"),
            ReportColumn.Of("± s.e.", "thm18StdErrorBits"), ReportColumn.Of("singleton-only (bits)", "singletonOnlyBits"),
            ReportColumn.Computed("ratio", r => r["singletonOnlyBits"]?.GetValue<double>() is double s && s > 0 ? Html.Number(r["thm18BoundBits"]!.GetValue<double>() / s) : "∞"),
            ReportColumn.Of("counts", "countsMethod"),
        ], "Expected cluster counts and the two bounds per n");
    }
}
