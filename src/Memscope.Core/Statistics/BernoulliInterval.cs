using MathNet.Numerics.Distributions;

namespace Memscope.Core.Statistics;

/// <summary>A two-sided confidence interval [Lo, Hi] around an estimate.</summary>
public readonly record struct Interval(double Estimate, double Lo, double Hi);

/// <summary>Confidence intervals for a Bernoulli rate from k successes in n trials.</summary>
public static class BernoulliInterval
{
    /// <summary>Wilson score interval (Wilson 1927) at confidence 1 − a.</summary>
    public static Interval Wilson(long k, long n, double confidence = 0.95)
    {
        Check(k, n, confidence);
        double z = Normal.InvCDF(0, 1, 1 - (1 - confidence) / 2);
        double phat = k / (double)n;
        double z2 = z * z;
        double denom = 1 + z2 / n;
        double centre = (phat + z2 / (2.0 * n)) / denom;
        double half = z * Math.Sqrt(phat * (1 - phat) / n + z2 / (4.0 * n * n)) / denom;
        return new Interval(phat, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>Clopper–Pearson exact interval from Beta quantiles; never narrower than the nominal coverage.</summary>
    public static Interval ClopperPearson(long k, long n, double confidence = 0.95)
    {
        Check(k, n, confidence);
        double a = 1 - confidence;
        double lo = k == 0 ? 0 : Beta.InvCDF(k, n - k + 1, a / 2);
        double hi = k == n ? 1 : Beta.InvCDF(k + 1, n - k, 1 - a / 2);
        return new Interval(k / (double)n, lo, hi);
    }

    private static void Check(long k, long n, double confidence)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), "need at least one trial");
        if (k < 0 || k > n) throw new ArgumentOutOfRangeException(nameof(k), $"successes must be in [0, {n}], got {k}");
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), "confidence must be in (0, 1)");
    }
}
