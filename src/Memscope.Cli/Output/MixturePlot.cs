using Memscope.Core.IO;
using Memscope.Theory.Mixture;
using Memscope.Theory.Problems;
using ScottPlot;

namespace Memscope.Cli.Output;

/// <summary>mixture.png: Thm 18 bound and the singleton-only bound (log bits) against n, with the n = k·ln k line.</summary>
public static class MixturePlot
{
    public const string FileName = "mixture.png";

    public static string Write(string dir, ClusteringProblem p, int k, FrequencyPrior prior, double advantage, IReadOnlyList<MixtureBoundRow> rows)
    {
        var plt = new Plot();
        double[] x = rows.Select(r => Math.Log10(r.N)).ToArray();
        Add(plt, rows.Where(r => r.Theorem18Bits > 0), r => r.Theorem18Bits, "Thm 18 (all clusters)", Colors.Black);
        Add(plt, rows.Where(r => r.SingletonOnlyBits > 0), r => r.SingletonOnlyBits, "singletons only (Brown et al. style)", Colors.OrangeRed);
        var v = plt.Add.VerticalLine(Math.Log10(k * Math.Log(k)), 1.5f, Colors.Gray, LinePattern.Dashed);
        v.LegendText = "n = k·ln k";
        LogAxis.Apply(plt.Axes.Bottom);
        LogAxis.Apply(plt.Axes.Left);
        plt.Title($"{p.Name}, d = {p.D}, {p.ParameterName} = {p.Parameter:G4}; k = {k}, {prior}, advantage {advantage}");
        plt.XLabel("n (training samples)");
        plt.YLabel("memorization lower bound (bits)");
        plt.ShowLegend(Alignment.LowerLeft);
        AtomicFile.WriteVia(Path.Combine(dir, FileName), tmp => plt.SavePng(tmp, 900, 600));
        return FileName;
    }

    private static void Add(Plot plt, IEnumerable<MixtureBoundRow> rows, Func<MixtureBoundRow, double> y, string label, Color color)
    {
        var r = rows.ToArray();
        if (r.Length == 0) return;
        var s = plt.Add.Scatter(r.Select(q => Math.Log10(q.N)).ToArray(), r.Select(q => Math.Log10(y(q))).ToArray(), color);
        s.LegendText = label;
        s.MarkerSize = 6;
    }
}
