using Memscope.Core.IO;
using Memscope.Theory.Problems;
using Memscope.Theory.Sweep;
using ScottPlot;

namespace Memscope.Cli.Output;

/// <summary>
/// tradeoff.png: top, log–log memorization (bits) against n for the lower bound and each learner (hollow markers where
/// the learner's error interval is not ≤ α); bottom, each learner's error with its interval and the α line.
/// </summary>
public static class TradeoffPlot
{
    public const string FileName = "tradeoff.png";

    public static string Write(string dir, ClusteringProblem problem, TradeoffSettings s, IReadOnlyList<TradeoffRow> rows)
    {
        var mp = new Multiplot();
        mp.AddPlots(2);
        var top = mp.GetPlot(0);
        var bottom = mp.GetPlot(1);
        var palette = new ScottPlot.Palettes.Category10();
        var ns = rows.Select(r => r.N).Distinct().OrderBy(n => n).ToArray();

        var boundRows = ns.Select(n => rows.First(r => r.N == n).Bound).ToArray();
        var bx = new List<double>(); var by = new List<double>();
        for (int i = 0; i < ns.Length; i++)
            if (!boundRows[i].Vacuous) { bx.Add(Math.Log10(ns[i])); by.Add(Math.Log10(boundRows[i].LowerBoundBits)); }
        if (bx.Count > 0)
        {
            var sc = top.Add.Scatter(bx.ToArray(), by.ToArray(), Colors.Black);
            sc.LegendText = "lower bound (FKL)";
            sc.LineWidth = 2.5f;
            sc.MarkerSize = 6;
        }
        if (boundRows.Any(b => b.RateBits is > 0))
        {
            var rx = new List<double>(); var ry = new List<double>();
            for (int i = 0; i < ns.Length; i++)
                if (boundRows[i].RateBits is double rb && rb > 0) { rx.Add(Math.Log10(ns[i])); ry.Add(Math.Log10(rb)); }
            var rs = top.Add.Scatter(rx.ToArray(), ry.ToArray(), Colors.Gray);
            rs.LegendText = "rate (constants dropped; not a bound)";
            rs.LinePattern = LinePattern.Dashed;
            rs.MarkerSize = 0;
        }
        int ci = 0;
        foreach (var learner in rows.Select(r => r.Learner).Distinct())
        {
            var color = palette.GetColor(ci++);
            var lr = rows.Where(r => r.Learner == learner).OrderBy(r => r.N).ToArray();
            var pts = lr.Where(r => r.Memorization.Bits > 0).ToArray();
            if (pts.Length > 0)
            {
                var sc = top.Add.Scatter(pts.Select(r => Math.Log10(r.N)).ToArray(), pts.Select(r => Math.Log10(r.Memorization.Bits)).ToArray(), color);
                sc.LegendText = learner;
                sc.MarkerSize = 7;
                var bad = pts.Where(r => !r.Accurate(s.Alpha)).ToArray();
                if (bad.Length > 0)
                {
                    var m = top.Add.Markers(bad.Select(r => Math.Log10(r.N)).ToArray(), bad.Select(r => Math.Log10(r.Memorization.Bits)).ToArray(), MarkerShape.OpenCircle, 14, Colors.Red);
                }
            }
            var ex = lr.Select(r => Math.Log10(r.N)).ToArray();
            var ey = lr.Select(r => r.Error.Estimate).ToArray();
            var err = bottom.Add.ErrorBar(ex, ey, lr.Select(r => r.Error.Hi - r.Error.Estimate).ToArray());
            err.Color = color;
            var el = bottom.Add.Scatter(ex, ey, color);
            el.LegendText = learner;
        }
        var alphaLine = bottom.Add.HorizontalLine(s.Alpha, 1.5f, Colors.Red, LinePattern.Dotted);
        alphaLine.LegendText = $"α = {s.Alpha}";

        foreach (var p in new[] { top, bottom }) LogAxis.Apply(p.Axes.Bottom);
        LogAxis.Apply(top.Axes.Left);
        top.Title($"{problem.Name}: d = {problem.D}, {problem.ParameterName} = {problem.Parameter:G4}, α = {s.Alpha}, {s.Trials} draws/n (seed {s.Seed})");
        top.YLabel("memorization (bits)");
        top.ShowLegend(Alignment.UpperRight);
        var notes = new List<string>();
        if (bx.Count == 0) notes.Add("FKL lower bound vacuous at every n here (0 bits; see bound_note)");
        else if (bx.Count < ns.Length) notes.Add($"FKL lower bound vacuous at {ns.Length - bx.Count} of {ns.Length} n (not drawn)");
        if (rows.Any(r => !r.Accurate(s.Alpha))) notes.Add("red ring: error interval not ≤ α");
        if (notes.Count > 0) top.Add.Annotation(string.Join("\n", notes), Alignment.LowerLeft);
        bottom.YLabel("test error (exact per draw, 95% CI)");
        bottom.XLabel("n (training samples)");
        bottom.ShowLegend(Alignment.UpperRight);
        bottom.Axes.SetLimitsY(0, Math.Max(s.Alpha * 1.6, rows.Max(r => r.Error.Hi) * 1.1));

        AtomicFile.WriteVia(Path.Combine(dir, FileName), tmp => mp.SavePng(tmp, 1000, 1100));
        return FileName;
    }
}
