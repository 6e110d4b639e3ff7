using System.Text.Json.Nodes;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Influence.Fz;
using Memscope.Influence.Lira;
using ScottPlot;

namespace Memscope.Cli.Output;

/// <summary>lira.json and lira_roc.png for <c>fz scores</c>: every LiRA variant's AUC and TPR at 0.1% / 1% FPR.</summary>
public static class FzLiraOutput
{
    public const string JsonName = "lira.json";
    public const string RocPng = "lira_roc.png";

    /// <summary>Runs LiRA when the run has enough models (targets + at least 4 shadows); returns the JSON file name or null.</summary>
    public static string? Write(string dir, FzRun run, int targets, JsonObject summary)
    {
        UsageException.Require(targets >= 1, $"--lira-targets must be ≥ 1, got {targets}");
        int included = run.Included.Count(x => x);
        if (included < targets + 4)
        {
            summary["lira"] = $"skipped: {included} usable models; LiRA needs --lira-targets ({targets}) plus at least 4 shadows";
            return null;
        }
        var result = LiraAttack.Run(run.Outputs, new LiraOptions { Targets = targets }, run.Included);
        var variants = new JsonObject();
        foreach (var m in result.Metrics)
            variants[m.Variant.ToName()] = new JsonObject
            {
                ["auc"] = m.Auc,
                ["tprAt0.1%Fpr"] = m.TprAtFpr0_1Percent,
                ["tprAt1%Fpr"] = m.TprAtFpr1Percent,
            };
        var json = new JsonObject
        {
            ["mode"] = run.Plan.Mode,
            ["note"] = run.Plan.Mode == "lira" ? null : "fz-mode subsets: each example is IN for ~f of the shadows, so the IN/OUT fits are unbalanced; --mode lira balances them",
            ["targetModels"] = new JsonArray(result.TargetModels.Select(t => (JsonNode?)run.ModelIndex[t]).ToArray()),
            ["shadowModels"] = result.ShadowModels.Length,
            ["modelsExcluded"] = result.ModelsExcluded,
            ["pairs"] = result.Pairs,
            ["members"] = result.Members,
            ["skippedExamples"] = result.SkippedExamples,
            ["pooledStdIn"] = result.PooledStdIn,
            ["pooledStdOut"] = result.PooledStdOut,
            ["default"] = LiraVariants.DefaultOffline.ToName(),
            ["variants"] = variants,
        };
        AtomicFile.WriteAllText(Path.Combine(dir, JsonName), json.ToJsonString(Json.Indented) + "\n");
        summary["liraAuc"] = result[LiraVariant.Online].Auc;

        var plt = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int c = 0;
        double floor = 1.0 / Math.Max(2, result.NonMembers);
        foreach (var m in result.Metrics)
        {
            var pts = m.RocFpr.Zip(m.RocTpr).Where(p => p.First > 0 && p.Second > 0).ToArray();
            if (pts.Length == 0) continue;
            var s = plt.Add.Scatter(pts.Select(p => Math.Log10(Math.Max(p.First, floor))).ToArray(), pts.Select(p => Math.Log10(p.Second)).ToArray(), palette.GetColor(c++));
            s.LegendText = $"{m.Variant.ToName()} (AUC {m.Auc:F3}, TPR@0.1% {m.TprAtFpr0_1Percent:P1})";
            s.MarkerSize = 0;
        }
        var diag = plt.Add.Line(Math.Log10(floor), Math.Log10(floor), 0, 0);
        diag.LineColor = Colors.Gray;
        diag.LinePattern = LinePattern.Dashed;
        LogAxis.Apply(plt.Axes.Bottom);
        LogAxis.Apply(plt.Axes.Left);
        plt.Title($"LiRA ROC: {result.TargetModels.Length} target model(s), {result.ShadowModels.Length} shadows, {result.Pairs} pairs");
        plt.XLabel("false positive rate");
        plt.YLabel("true positive rate");
        plt.ShowLegend(Alignment.LowerRight);
        AtomicFile.WriteVia(Path.Combine(dir, RocPng), tmp => plt.SavePng(tmp, 900, 650));
        return JsonName;
    }
}
