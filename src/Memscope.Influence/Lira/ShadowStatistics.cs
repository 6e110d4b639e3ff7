using Memscope.Core;
using Memscope.Influence.Estimators;

namespace Memscope.Influence.Lira;

/// <summary>
/// Per-example Gaussian fits of the shadow models' margins φ, split by membership (LiRA §IV): μ_in, σ_in over the
/// shadows that had the example IN and μ_out, σ_out over those that had it OUT, plus the pooled spreads of the
/// fixed-variance variant. σ is always the sample standard deviation (n − 1 denominator) about the sample mean; μ is
/// the mean or the median (<see cref="LiraCenter"/>). Spreads are floored at <see cref="StdFloor"/>.
/// </summary>
public sealed class ShadowStatistics
{
    /// <summary>
    /// Smallest σ used in a score. Margins are float32 logits, whose resolution near |φ| ≈ 10 is about 1e-6, so a
    /// smaller fitted spread is rounding, and a zero spread would make the log densities infinite.
    /// </summary>
    public const double StdFloor = 1e-6;

    private ShadowStatistics(int count)
    {
        InCount = new int[count];
        OutCount = new int[count];
        CenterIn = new double[count];
        CenterOut = new double[count];
        StdIn = new double[count];
        StdOut = new double[count];
        Usable = new bool[count];
    }

    /// <summary>Shadows that had example i IN.</summary>
    public int[] InCount { get; }

    /// <summary>Shadows that had example i OUT.</summary>
    public int[] OutCount { get; }

    /// <summary>μ_in(i).</summary>
    public double[] CenterIn { get; }

    /// <summary>μ_out(i).</summary>
    public double[] CenterOut { get; }

    /// <summary>σ_in(i) (floored).</summary>
    public double[] StdIn { get; }

    /// <summary>σ_out(i) (floored).</summary>
    public double[] StdOut { get; }

    /// <summary>Whether example i has enough IN and OUT shadows to be scored.</summary>
    public bool[] Usable { get; }

    /// <summary>Examples without enough IN or OUT shadows.</summary>
    public int SkippedCount { get; private set; }

    /// <summary>
    /// Fixed-variance σ_in: sqrt(Σ_i Σ_{IN shadows} (φ − φ̄_in(i))² / Σ_i (n_in(i) − 1)) over the usable examples, i.e.
    /// pooled from the IN deviations only.
    /// </summary>
    public double PooledStdIn { get; private set; }

    /// <summary>Fixed-variance σ_out, pooled in the same way from the OUT deviations only.</summary>
    public double PooledStdOut { get; private set; }

    /// <summary>Fits every training example from the margins of <paramref name="shadows"/> (model indices).</summary>
    public static ShadowStatistics Fit(ModelOutputs outputs, int[] shadows, LiraCenter center, int minPerSide)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(shadows);
        ArgumentOutOfRangeException.ThrowIfLessThan(minPerSide, 2); // a sample σ needs two values
        UsageException.Require(outputs.TrainMargin is not null, "LiRA needs train margins, and the model outputs have none");
        var margin = outputs.TrainMargin!;
        int n = outputs.TrainCount;
        var s = new ShadowStatistics(n);
        foreach (int m in shadows)
        {
            var row = margin.AsSpan(m * n, n);
            for (int i = 0; i < n; i++)
                UsageException.Require(float.IsFinite(row[i]),
                    $"model {m} has margin {row[i]} on training example {i}; exclude that model");
        }

        var ins = new double[shadows.Length];
        var outs = new double[shadows.Length];
        double ssIn = 0, ssOut = 0;
        long dofIn = 0, dofOut = 0;
        for (int i = 0; i < n; i++)
        {
            int a = 0, b = 0;
            foreach (int m in shadows)
            {
                double phi = margin[m * n + i];
                if (outputs.Mask[m * n + i]) ins[a++] = phi;
                else outs[b++] = phi;
            }
            s.InCount[i] = a;
            s.OutCount[i] = b;
            if (a < minPerSide || b < minPerSide)
            {
                s.CenterIn[i] = s.CenterOut[i] = s.StdIn[i] = s.StdOut[i] = double.NaN;
                s.SkippedCount++;
                continue;
            }
            s.Usable[i] = true;
            (s.CenterIn[i], s.StdIn[i], double sqIn) = Fit(ins.AsSpan(0, a), center);
            (s.CenterOut[i], s.StdOut[i], double sqOut) = Fit(outs.AsSpan(0, b), center);
            ssIn += sqIn;
            ssOut += sqOut;
            dofIn += a - 1;
            dofOut += b - 1;
        }
        s.PooledStdIn = dofIn > 0 ? Math.Max(StdFloor, Math.Sqrt(ssIn / dofIn)) : double.NaN;
        s.PooledStdOut = dofOut > 0 ? Math.Max(StdFloor, Math.Sqrt(ssOut / dofOut)) : double.NaN;
        return s;
    }

    /// <summary>Centre, floored sample σ, and the sum of squared deviations about the mean.</summary>
    private static (double Center, double Std, double SumSq) Fit(Span<double> x, LiraCenter center)
    {
        double mean = 0;
        foreach (double v in x) mean += v;
        mean /= x.Length;
        double ss = 0;
        foreach (double v in x) ss += (v - mean) * (v - mean);
        double std = Math.Max(StdFloor, Math.Sqrt(ss / (x.Length - 1)));
        if (center == LiraCenter.Mean) return (mean, std, ss);
        x.Sort();
        int h = x.Length / 2;
        double median = x.Length % 2 == 1 ? x[h] : 0.5 * (x[h - 1] + x[h]);
        return (median, std, ss);
    }
}
