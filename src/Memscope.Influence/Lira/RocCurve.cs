using Memscope.Core;

namespace Memscope.Influence.Lira;

/// <summary>
/// The ROC curve of a score that should be larger for positives (members), with the exact AUC and TPR at a fixed
/// FPR, as used to evaluate LiRA (Carlini et al. 2022 report TPR at 0.1% FPR). Vertices: (0, 0), then one point
/// after each group of tied scores from the highest down, ending at (1, 1); a group holding both classes moves
/// diagonally, which is the tie-correct curve.
/// </summary>
public sealed class RocCurve
{
    private readonly long[] fpCount;

    private RocCurve(long[] fp, long[] tp, long positives, long negatives, double auc)
    {
        fpCount = fp;
        Positives = positives;
        Negatives = negatives;
        Auc = auc;
        Fpr = Array.ConvertAll(fp, c => c / (double)negatives);
        Tpr = Array.ConvertAll(tp, c => c / (double)positives);
    }

    /// <summary>False-positive rate at each vertex, nondecreasing from 0 to 1.</summary>
    public double[] Fpr { get; }

    /// <summary>True-positive rate at each vertex, nondecreasing from 0 to 1.</summary>
    public double[] Tpr { get; }

    /// <summary>Number of positives (members).</summary>
    public long Positives { get; }

    /// <summary>Number of negatives (non-members).</summary>
    public long Negatives { get; }

    /// <summary>
    /// Exact area under the curve by the Mann–Whitney formula: AUC = (#{s⁺ &gt; s⁻} + ½·#{s⁺ = s⁻}) / (P·N) over all
    /// positive–negative pairs, which equals the trapezoid area of the tie-correct curve.
    /// </summary>
    public double Auc { get; }

    /// <summary>Builds the curve; every score must be a number, and both classes must occur.</summary>
    public static RocCurve Compute(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positive)
    {
        if (scores.Length != positive.Length)
            throw new ArgumentException($"{scores.Length} scores but {positive.Length} labels");
        int count = scores.Length;
        var keys = new double[count];
        var labels = new bool[count];
        long p = 0;
        for (int q = 0; q < count; q++)
        {
            UsageException.Require(!double.IsNaN(scores[q]), $"score {q} is NaN; a ROC curve needs a number for every example");
            keys[q] = scores[q];
            labels[q] = positive[q];
            if (positive[q]) p++;
        }
        long n = count - p;
        UsageException.Require(p > 0 && n > 0, $"a ROC curve needs members and non-members; got {p} members and {n} non-members");
        Array.Sort(keys, labels);

        // Walk the tie groups from the highest score down for the vertices, and count for the Mann–Whitney U
        // (twice U, in integers: a group of p_g positives and n_g negatives with `below` negatives under it adds
        // p_g·(2·below + n_g)).
        var fp = new List<long> { 0 };
        var tp = new List<long> { 0 };
        long fpRun = 0, tpRun = 0, negBelow = n;
        decimal twiceU = 0;
        for (int hi = count - 1; hi >= 0;)
        {
            int lo = hi;
            while (lo > 0 && keys[lo - 1] == keys[hi]) lo--;
            long pg = 0, ng = 0;
            for (int q = lo; q <= hi; q++)
                if (labels[q]) pg++; else ng++;
            negBelow -= ng;
            twiceU += (decimal)pg * (2 * negBelow + ng);
            fpRun += ng;
            tpRun += pg;
            fp.Add(fpRun);
            tp.Add(tpRun);
            hi = lo - 1;
        }
        double auc = (double)(twiceU / (2m * p * n));
        return new RocCurve(fp.ToArray(), tp.ToArray(), p, n, auc);
    }

    /// <summary>
    /// Largest TPR among vertices with FPR ≤ <paramref name="maxFpr"/> (e.g. 0.001 for "TPR at 0.1% FPR"): the best
    /// detection rate of a threshold that flags at most maxFpr·N non-members.
    /// </summary>
    public double TprAtFpr(double maxFpr)
    {
        UsageException.Require(maxFpr >= 0 && maxFpr <= 1, $"an FPR must be in [0, 1], got {maxFpr}");
        return Tpr[LastAtMost(AllowedFalsePositives(maxFpr))];
    }

    /// <summary>
    /// At most <paramref name="maxPoints"/> vertices for plotting (all of them if there are that few). Kept: the
    /// first and last vertex, and for each of ~(maxPoints − 3)/2 FPR levels — three quarters spaced geometrically
    /// from 1/N to 1, so every small false-positive count at the low-FPR end is present, one quarter spaced linearly
    /// — both ends of the vertical run at that level, so the staircase is exact where it is sampled.
    /// </summary>
    public (double[] Fpr, double[] Tpr) Downsample(int maxPoints = 2000)
    {
        UsageException.Require(maxPoints >= 16, $"keep at least 16 ROC points, got {maxPoints}");
        int v = Fpr.Length;
        if (v <= maxPoints) return ((double[])Fpr.Clone(), (double[])Tpr.Clone());
        var keep = new SortedSet<int> { 0, v - 1, LastAtMost(0) };
        int levels = (maxPoints - 3) / 2;
        int geometric = levels * 3 / 4, linear = levels - geometric;
        var counts = new List<long>(levels);
        for (int g = 0; g < geometric; g++)
            counts.Add((long)Math.Floor(Math.Pow(Negatives, g / (double)Math.Max(1, geometric - 1)) + 1e-9));
        for (int g = 1; g <= linear; g++)
            counts.Add((long)Math.Floor(Negatives * (double)g / linear + 1e-9));
        foreach (long c in counts)
        {
            int last = LastAtMost(c);
            keep.Add(last);
            keep.Add(FirstAtLeast(fpCount[last]));
        }
        var fpr = new double[keep.Count];
        var tpr = new double[keep.Count];
        int o = 0;
        foreach (int q in keep)
        {
            fpr[o] = Fpr[q];
            tpr[o++] = Tpr[q];
        }
        return (fpr, tpr);
    }

    private long AllowedFalsePositives(double maxFpr) => (long)Math.Floor(maxFpr * Negatives * (1 + 1e-12));

    /// <summary>Last vertex with at most <paramref name="fp"/> false positives (vertex 0 has none).</summary>
    private int LastAtMost(long fp)
    {
        int lo = 0, hi = fpCount.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (fpCount[mid] <= fp) lo = mid; else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>First vertex with at least <paramref name="fp"/> false positives.</summary>
    private int FirstAtLeast(long fp)
    {
        int lo = 0, hi = fpCount.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (fpCount[mid] >= fp) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
