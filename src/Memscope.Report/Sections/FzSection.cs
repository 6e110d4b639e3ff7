using System.Text.Json.Nodes;

namespace Memscope.Report.Sections;

/// <summary>
/// An FZ run folder (`fz train`, `fz merge`, `fz scores` share it; plan.json marks it): the scores summary, the
/// memorization histogram, the galleries of top-memorized examples and high-influence pairs, and the LiRA ROC.
/// </summary>
public sealed class FzSection : IRunSection
{
    public bool Accepts(RunFolder run) => run.Command.StartsWith("fz ", StringComparison.Ordinal) && run.Command != "fz utility"
        && File.Exists(Path.Combine(run.Dir, "plan.json"));

    public string Title(RunFolder run)
    {
        var plan = run.ReadJson("plan.json");
        var model = plan["model"];
        return $"Memorization and influence (Feldman–Zhang): {Html.Value(plan["models"])} {Html.Value(model?["learner"])} models, mode {Html.Value(plan["mode"])}";
    }

    /// <summary>The last manifest of each command run in the folder (train, merge, scores), in the order they ran.</summary>
    public static IReadOnlyList<JsonObject> Commands(RunFolder run)
    {
        if (run.History.Count == 0) return [run.Manifest];
        return run.History.GroupBy(m => m["command"]?.GetValue<string>() ?? "").Select(g => g.Last())
            .OrderBy(m => m["startedUtc"]?.GetValue<string>() ?? "", StringComparer.Ordinal).ToArray();
    }

    public void Render(RunFolder run, ReportPage page)
    {
        var made = Commands(run);
        if (!File.Exists(Path.Combine(run.Dir, "scores.json")))
        {
            page.Paragraph($"No scores in this folder yet: run `memscope fz scores {run.Dir}` (then `memscope report` again).", "note");
            page.Add($"<p class=\"caption\">{ReportPage.Provenance(made)} {page.DataLinks(run, ["plan.json"])}</p>");
            return;
        }
        var scores = run.ReadJson("scores.json").AsObject();
        page.KeyValueTable(run, "scores.json", "", scores, null, "Summary of the scores");
        page.Figure(run, "mem_hist.png", "Histogram of FZ memorization mem(i) = P[correct | i in subset] − P[correct | i out] over the training examples (FZ eq. 1), with the high-memorization threshold.",
            made, "mem.csv", "scores.json");
        page.Figure(run, "top_memorized.png", "Gallery: the training examples with the highest estimated memorization (± standard error).", made, "mem.csv");
        page.Figure(run, "pairs.png", "Gallery: high-influence pairs — a training example (left) and the test example it influences (right) (FZ eq. 2).", made, "pairs.csv");
        if (File.Exists(Path.Combine(run.Dir, "lira.json")))
        {
            page.Figure(run, "lira_roc.png", "LiRA membership inference from the same models: ROC on log–log axes for each variant.", made, "lira.json");
            var lira = run.ReadJson("lira.json");
            if (lira["variants"] is JsonObject variants)
                page.JsonTable(run, "lira.json", "variants", variants.Select(kv => (kv.Key, kv.Value!)),
                [
                    ReportColumn.RowId("variant"), ReportColumn.Of("AUC", "auc"),
                    ReportColumn.Of("TPR at 0.1% FPR", "tprAt0.1%Fpr"), ReportColumn.Of("TPR at 1% FPR", "tprAt1%Fpr"),
                ], "LiRA per variant");
        }
    }
}
