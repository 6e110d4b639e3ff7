using System.Text.Json.Nodes;

namespace Memscope.Report.Sections;

/// <summary>`memscope facts capacity|skew|prune`: K vs M with the capacity line, K over steps per arm, recall by rank.</summary>
public sealed class FactsSection : IRunSection
{
    private static readonly string[] HeaderKeys =
        ["experiment", "preset", "seed", "parameters", "hBits", "kStar", "kStarAtM", "capacityBits", "bitsPerParameter", "keep", "keepSource"];

    public bool Accepts(RunFolder run) => run.Command.StartsWith("facts ", StringComparison.Ordinal) && run.HasOutput("results.json");

    public string Title(RunFolder run)
    {
        var j = run.ReadJson("results.json");
        string what = Html.Value(j["experiment"]) switch
        {
            "capacity" => "capacity calibration K(M)",
            "skew" => "Zipf-skewed frequencies at equal compute",
            "prune" => "training-data pruning arms at equal compute",
            var e => e,
        };
        return $"Fact memorization: {what} ({Html.Value(j["preset"])} preset, {Html.Value(j["parameters"])} parameters)";
    }

    public void Render(RunFolder run, ReportPage page)
    {
        var j = run.ReadJson("results.json").AsObject();
        page.KeyValueTable(run, "results.json", "", j, HeaderKeys, "Experiment");
        page.Figure(run, "k_vs_m.png", "K, the number of facts recalled exactly, against M, the number of distinct facts trained on (equal steps), with the capacity line K* and K = M.",
            [run.Manifest], "results.csv", "results.json");
        page.Figure(run, "k_over_steps.png", "K over training steps, one colour per arm (or per M).", [run.Manifest], "results.csv", "results.json");
        page.Figure(run, "accuracy_by_rank.png", "Exact recall by frequency rank (bins of doubling width).", [run.Manifest], "results.csv", "results.json");
        if (j["summary"] is JsonArray summary)
            page.JsonTable(run, "results.json", "summary", summary.Select((r, i) => (i.ToString(), r!)),
            [
                ReportColumn.Of("arm", "arm"), ReportColumn.Of("α", "alpha"), ReportColumn.Of("M", "M"), ReportColumn.Of("runs", "runs"),
                ReportColumn.Of("K mean", "kMean"), ReportColumn.Of("K sd", "kSd"), ReportColumn.Of("K min", "kMin"), ReportColumn.Of("K max", "kMax"),
                ReportColumn.Of("freq-weighted accuracy", "freqWeightedAccuracyMean"), ReportColumn.Of("loss (bits)", "lossBitsMean"),
            ], "K per arm (mean over seeds)");
    }
}
