using MathNet.Numerics;
using Memscope.Core.Numerics;

namespace Memscope.Core.Probability;

/// <summary>
/// Exact Binomial(n, p) probabilities in log space (natural log). Tails are summed term by term from the
/// boundary outward, so values far below double precision (e.g. log P = −2000) are accurate; the log-binomial
/// coefficient comes from MathNet's BinomialLn (relative error ≈ 1e-8 in log P at n ≈ 5·10⁷, ≈ 1e-13 at n ≤ 10⁴).
/// </summary>
public static class BinomialTails
{
    /// <summary>log Pr[X = k] for X ~ Bin(n, p).</summary>
    public static double LogPmf(long k, long n, double p)
    {
        Check(n, p);
        if (k < 0 || k > n) return double.NegativeInfinity;
        if (p == 0) return k == 0 ? 0 : double.NegativeInfinity;
        if (p == 1) return k == n ? 0 : double.NegativeInfinity;
        return SpecialFunctions.BinomialLn((int)n, (int)k) + k * Math.Log(p) + (n - k) * LogSpace.Log1p(-p);
    }

    /// <summary>log Pr[X ≤ k].</summary>
    public static double LogCdf(long k, long n, double p)
    {
        Check(n, p);
        if (k < 0) return double.NegativeInfinity;
        if (k >= n) return 0;
        if (k <= n * p) return SumDown(k, n, p);
        return LogSpace.Log1mExp(Math.Min(0, SumUp(k + 1, n, p)));
    }

    /// <summary>log Pr[X ≥ k].</summary>
    public static double LogSf(long k, long n, double p)
    {
        Check(n, p);
        if (k <= 0) return 0;
        if (k > n) return double.NegativeInfinity;
        if (k >= n * p) return SumUp(k, n, p);
        return LogSpace.Log1mExp(Math.Min(0, SumDown(k - 1, n, p)));
    }

    /// <summary>Pr[X ≤ k] (linear scale).</summary>
    public static double Cdf(long k, long n, double p) => Math.Exp(LogCdf(k, n, p));

    /// <summary>Pr[X ≥ k] (linear scale).</summary>
    public static double Sf(long k, long n, double p) => Math.Exp(LogSf(k, n, p));

    // Σ_{j ≤ k} pmf(j) for k at or below the mean: terms shrink geometrically going down.
    private static double SumDown(long k, long n, double p)
    {
        double logTerm = LogPmf(k, n, p);
        if (double.IsNegativeInfinity(logTerm)) return logTerm;
        double logRatioBase = Math.Log((1 - p) / p);
        double sum = 1.0; // relative to the first term
        double rel = 1.0;
        for (long j = k; j > 0; j--)
        {
            // pmf(j−1)/pmf(j) = j(1−p) / ((n−j+1)p)
            rel *= j / (double)(n - j + 1) * Math.Exp(logRatioBase);
            sum += rel;
            if (rel < 1e-18 * sum) break;
        }
        return logTerm + Math.Log(sum);
    }

    // Σ_{j ≥ k} pmf(j) for k at or above the mean: terms shrink geometrically going up.
    private static double SumUp(long k, long n, double p)
    {
        double logTerm = LogPmf(k, n, p);
        if (double.IsNegativeInfinity(logTerm)) return logTerm;
        double ratioBase = p / (1 - p);
        double sum = 1.0, rel = 1.0;
        for (long j = k; j < n; j++)
        {
            // pmf(j+1)/pmf(j) = (n−j)p / ((j+1)(1−p))
            rel *= (n - j) / (double)(j + 1) * ratioBase;
            sum += rel;
            if (rel < 1e-18 * sum) break;
        }
        return logTerm + Math.Log(sum);
    }

    private static void Check(long n, double p)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), $"n must be ≥ 0, got {n}");
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), $"p must be in [0, 1], got {p}");
    }
}
