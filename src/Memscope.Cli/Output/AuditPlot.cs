using Memscope.Core.IO;
using Memscope.Theory.Audit;
using Memscope.Theory.Problems;
using ScottPlot;

namespace Memscope.Cli.Output;

/// <summary>
/// audit.png: log–log bits against n: the attack's certified lower bound (confidence-adjusted, and its point estimate),
/// FKL's lower bound for every learner as accurate as this one, and the exact memorization where it is known.
/// </summary>
public static class AuditPlot
{
    public const string FileName = "audit.png";

    public static string Write(string dir, ClusteringProblem problem, IReadOnlyList<AuditResult> rows)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        void Line(Func<AuditResult, double?> y, string label, Color color, LinePattern pattern, float width)
        {
            var pts = rows.Where(r => y(r) is > 0).ToArray();
            if (pts.Length == 0) return;
            var sc = plot.Add.Scatter(pts.Select(r => Math.Log10(r.N)).ToArray(), pts.Select(r => Math.Log10(y(r)!.Value)).ToArray(), color);
            sc.LegendText = label;
            sc.LinePattern = pattern;
            sc.LineWidth = width;
            sc.MarkerSize = 7;
        }
        string learner = rows[0].Learner;
        Line(r => r.CertifiedBitsLow, $"{learner}: certified by the attack ({rows[0].Confidence:P0} confidence)", palette.GetColor(0), LinePattern.Solid, 2.5f);
        Line(r => r.CertifiedBits, $"{learner}: attack point estimate", palette.GetColor(0), LinePattern.Dotted, 1.5f);
        Line(r => r.ExactBits, $"{learner}: exact memorization", palette.GetColor(2), LinePattern.Solid, 1.5f);
        Line(r => r.TheoryLowerBoundBits, "FKL lower bound at the learner's error (upper CI)", Colors.Black, LinePattern.Dashed, 2f);
        LogAxis.Apply(plot.Axes.Bottom);
        LogAxis.Apply(plot.Axes.Left);
        plot.Title($"audit {learner} on {problem.Name}: d = {problem.D}, {problem.ParameterName} = {problem.Parameter:G4}, {rows[0].ShadowRuns}+{rows[0].HeldOutRuns} runs/n");
        plot.YLabel("memorization (bits)");
        plot.XLabel("n (training samples)");
        plot.ShowLegend(Alignment.UpperRight);
        var vacuous = rows.Where(r => !(r.TheoryLowerBoundBits > 0)).Select(r => r.N).ToArray();
        if (vacuous.Length > 0) plot.Add.Annotation($"FKL bound vacuous (0 bits) at n = {string.Join(", ", vacuous)}", Alignment.LowerLeft);
        AtomicFile.WriteVia(Path.Combine(dir, FileName), tmp => plot.SavePng(tmp, 1000, 650));
        return FileName;
    }
}
