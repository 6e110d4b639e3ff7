using MathNet.Numerics.Distributions;

namespace Memscope.Core.Statistics;

/// <summary>Confidence intervals for the mean of i.i.d. draws.</summary>
public static class MeanInterval
{
    /// <summary>
    /// Student-t interval mean ± t_{T−1}·s/√T for T draws, clipped to [lo, hi] (the known range of the values,
    /// e.g. [0, 1] for error rates). Summation is in index order, so the result does not depend on threading.
    /// </summary>
    public static Interval StudentT(ReadOnlySpan<double> values, double confidence = 0.95, double lo = double.NegativeInfinity, double hi = double.PositiveInfinity)
    {
        int t = values.Length;
        if (t == 0) throw new ArgumentException("need at least one value", nameof(values));
        double mean = 0;
        for (int i = 0; i < t; i++) mean += values[i];
        mean /= t;
        if (t == 1) return new Interval(mean, lo, hi);
        double ss = 0;
        for (int i = 0; i < t; i++) ss += (values[i] - mean) * (values[i] - mean);
        double se = Math.Sqrt(ss / (t - 1) / t);
        double q = StudentT_Quantile(1 - (1 - confidence) / 2, t - 1);
        return new Interval(mean, Math.Max(lo, mean - q * se), Math.Min(hi, mean + q * se));
    }

    /// <summary>Standard error s/√T of the mean.</summary>
    public static double StandardError(ReadOnlySpan<double> values)
    {
        int t = values.Length;
        if (t < 2) return double.NaN;
        double mean = 0;
        for (int i = 0; i < t; i++) mean += values[i];
        mean /= t;
        double ss = 0;
        for (int i = 0; i < t; i++) ss += (values[i] - mean) * (values[i] - mean);
        return Math.Sqrt(ss / (t - 1) / t);
    }

    private static double StudentT_Quantile(double p, int dof) => MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, dof, p);
}
