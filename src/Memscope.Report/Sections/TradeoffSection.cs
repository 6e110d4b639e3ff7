using System.Text.Json.Nodes;

namespace Memscope.Report.Sections;

/// <summary>`memscope tradeoff`: the log–log plot (bound, learners, errors) and the table from tradeoff.json.</summary>
public sealed class TradeoffSection : IRunSection
{
    public bool Accepts(RunFolder run) => run.Command == "tradeoff" && run.HasOutput("tradeoff.json");

    public string Title(RunFolder run)
    {
        var j = run.ReadJson("tradeoff.json");
        string param = j["lambda"] is JsonNode l ? $"λ = {Html.Value(l)}" : j["nu"] is JsonNode nu ? $"ν = {Html.Value(nu)}" : "";
        return $"Trade-off: {Html.Value(j["problem"])} clustering, d = {Html.Value(j["d"])}, {param}, α = {Html.Value(j["alpha"])}";
    }

    public void Render(RunFolder run, ReportPage page)
    {
        var j = run.ReadJson("tradeoff.json");
        page.Figure(run, "tradeoff.png",
            $"Top: memorization in bits against n (log–log) — the lower bound (FKL Thm 7) and each learner's exact memorization (hollow markers: error interval not ≤ α). " +
            $"Bottom: each learner's error with its {Html.Value(j["confidence"])} interval against the α line. {Html.Value(j["trials"])} draws of (θ, X₁:ₙ) per n.",
            [run.Manifest], "tradeoff.csv", "tradeoff.json");
        var rows = (j["rows"] as JsonArray ?? []).Select((r, i) => (i.ToString(), r!));
        page.JsonTable(run, "tradeoff.json", "rows", rows,
        [
            ReportColumn.Of("n", "n"), ReportColumn.Of("learner", "learner"), ReportColumn.Of("lower bound (bits)", "lowerBoundBits"),
            ReportColumn.Of("bound vacuous", "boundVacuous"), ReportColumn.Of("learner mem (bits)", "learnerMemBits"),
            ReportColumn.Of("coords kept", "coordsKept"), ReportColumn.Of("error", "error"), ReportColumn.Of("error lo", "errorLo"),
            ReportColumn.Of("error hi", "errorHi"), ReportColumn.Of("≤ α", "accurate"),
        ], "Bound, memorization and error per n and learner");
    }
}
