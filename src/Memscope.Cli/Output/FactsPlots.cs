using System.Text.Json.Nodes;
using Memscope.Core.IO;
using Memscope.Facts.Experiments;
using ScottPlot;

namespace Memscope.Cli.Output;

/// <summary>The fact-experiment PNGs: K vs M with the capacity line; K over training steps per arm; accuracy by frequency rank.</summary>
public static class FactsPlots
{
    public static IReadOnlyList<string> Write(string dir, string experiment, IReadOnlyList<FactRunRecord> runs, JsonObject results)
    {
        var files = new List<string>();
        var palette = new ScottPlot.Palettes.Category10();
        if (experiment == "capacity")
        {
            var plt = new Plot();
            var ordered = runs.OrderBy(r => r.M).ToArray();
            var s = plt.Add.Scatter(ordered.Select(r => (double)r.M).ToArray(), ordered.Select(r => (double)r.K).ToArray());
            s.LegendText = "K(M): facts recalled exactly";
            var diag = plt.Add.Line(0, 0, ordered.Max(r => r.M), ordered.Max(r => r.M));
            diag.LinePattern = LinePattern.Dotted; diag.LineColor = Colors.Gray; diag.LegendText = "K = M";
            var cap = plt.Add.HorizontalLine(results["kStar"]!.GetValue<int>(), 1.5f, Colors.Red, LinePattern.Dashed);
            cap.LegendText = $"capacity K* = {results["kStar"]} ({results["bitsPerParameter"]!.GetValue<double>():F2} bits/param)";
            plt.Axes.SetLimitsY(0, Math.Max(ordered.Max(r => r.K), results["kStar"]!.GetValue<int>()) * 1.3);
            plt.Title($"Capacity calibration: {results["parameters"]} parameters, uniform over M facts, equal steps");
            plt.XLabel("M (distinct facts trained on)");
            plt.YLabel("K (facts recalled exactly)");
            plt.ShowLegend(Alignment.UpperLeft);
            AtomicFile.WriteVia(Path.Combine(dir, "k_vs_m.png"), tmp => plt.SavePng(tmp, 900, 600));
            files.Add("k_vs_m.png");
        }
        if (runs.Any(r => r.Trajectory.Count > 0))
        {
            var plt = new Plot();
            int c = 0;
            foreach (var g in runs.GroupBy(Label).OrderBy(g => g.Key))
            {
                var color = palette.GetColor(c++);
                bool first = true;
                foreach (var r in g)
                {
                    var sc = plt.Add.Scatter(r.Trajectory.Select(p => (double)p.Step).ToArray(), r.Trajectory.Select(p => (double)p.K).ToArray(), color);
                    sc.MarkerSize = 3;
                    if (first) { sc.LegendText = g.Key; first = false; }
                }
            }
            plt.Title($"K over training steps ({experiment})");
            plt.XLabel("training step");
            plt.YLabel("K (facts recalled exactly)");
            plt.ShowLegend(Alignment.UpperLeft);
            AtomicFile.WriteVia(Path.Combine(dir, "k_over_steps.png"), tmp => plt.SavePng(tmp, 900, 600));
            files.Add("k_over_steps.png");
        }
        var ranked = runs.Where(r => r.AccuracyByRankBin is not null).ToArray();
        if (ranked.Length > 0)
        {
            var plt = new Plot();
            int c = 0;
            foreach (var g in ranked.GroupBy(Label).OrderBy(g => g.Key))
            {
                int bins = g.Max(r => r.AccuracyByRankBin!.Length);
                var mean = Enumerable.Range(0, bins).Select(b => g.Select(r => b < r.AccuracyByRankBin!.Length ? r.AccuracyByRankBin[b] : double.NaN)
                    .Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()).ToArray();
                var xs = Enumerable.Range(0, bins).Select(b => (double)b).ToArray();
                var sc = plt.Add.Scatter(xs, mean, palette.GetColor(c++));
                sc.LegendText = g.Key;
            }
            plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true, LabelFormatter = v => $"{Math.Pow(2, v):N0}" };
            plt.Title("Exact recall by frequency rank (bins of doubling width; rank 1 = most frequent)");
            plt.XLabel("frequency rank (bin start)");
            plt.YLabel("fraction of facts recalled exactly");
            plt.Axes.SetLimitsY(0, 1.05);
            plt.ShowLegend(Alignment.UpperRight);
            AtomicFile.WriteVia(Path.Combine(dir, "accuracy_by_rank.png"), tmp => plt.SavePng(tmp, 900, 600));
            files.Add("accuracy_by_rank.png");
        }
        return files;
    }

    private static string Label(FactRunRecord r) => r.Experiment switch
    {
        "capacity" => $"M = {r.M}",
        "skew-fixed" => $"α = {r.Alpha:G3}, n = {r.DatasetSize}",
        "skew" => $"α = {r.Alpha:G3}",
        _ => $"{r.Arm} (α = {r.Alpha:G3})",
    };
}
