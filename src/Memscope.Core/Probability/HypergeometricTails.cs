using MathNet.Numerics;
using Memscope.Core.Numerics;

namespace Memscope.Core.Probability;

/// <summary>
/// Exact hypergeometric probabilities in log space: X = number of successes in <c>draws</c> draws without
/// replacement from a population of <c>population</c> items of which <c>successes</c> are successes.
/// </summary>
public static class HypergeometricTails
{
    /// <summary>log Pr[X = k].</summary>
    public static double LogPmf(int k, int population, int successes, int draws)
    {
        Check(population, successes, draws);
        int lo = Math.Max(0, draws - (population - successes)), hi = Math.Min(draws, successes);
        if (k < lo || k > hi) return double.NegativeInfinity;
        return SpecialFunctions.BinomialLn(successes, k)
             + SpecialFunctions.BinomialLn(population - successes, draws - k)
             - SpecialFunctions.BinomialLn(population, draws);
    }

    /// <summary>log Pr[X ≤ k].</summary>
    public static double LogCdf(int k, int population, int successes, int draws)
    {
        Check(population, successes, draws);
        int lo = Math.Max(0, draws - (population - successes)), hi = Math.Min(draws, successes);
        if (k < lo) return double.NegativeInfinity;
        if (k >= hi) return 0;
        double mean = draws * (double)successes / population;
        if (k <= mean) return SumRange(k, lo, -1, population, successes, draws);
        return LogSpace.Log1mExp(Math.Min(0, SumRange(k + 1, hi, +1, population, successes, draws)));
    }

    /// <summary>log Pr[X ≥ k].</summary>
    public static double LogSf(int k, int population, int successes, int draws)
    {
        Check(population, successes, draws);
        int lo = Math.Max(0, draws - (population - successes)), hi = Math.Min(draws, successes);
        if (k <= lo) return 0;
        if (k > hi) return double.NegativeInfinity;
        double mean = draws * (double)successes / population;
        if (k >= mean) return SumRange(k, hi, +1, population, successes, draws);
        return LogSpace.Log1mExp(Math.Min(0, SumRange(k - 1, lo, -1, population, successes, draws)));
    }

    // Sum of pmf from `start` towards `end` (inclusive) stepping by `step`, away from the mode.
    private static double SumRange(int start, int end, int step, int N, int K, int n)
    {
        double logFirst = LogPmf(start, N, K, n);
        if (double.IsNegativeInfinity(logFirst)) return logFirst;
        double sum = 1, rel = 1;
        for (int k = start; k != end; k += step)
        {
            // pmf(k+1)/pmf(k) = (K−k)(n−k) / ((k+1)(N−K−n+k+1))
            double ratio = step > 0
                ? (K - k) * (double)(n - k) / ((k + 1) * (double)(N - K - n + k + 1))
                : k * (double)(N - K - n + k) / ((K - k + 1) * (double)(n - k + 1));
            rel *= ratio;
            sum += rel;
            if (rel < 1e-18 * sum) break;
        }
        return logFirst + Math.Log(sum);
    }

    private static void Check(int N, int K, int n)
    {
        if (N < 0 || K < 0 || n < 0 || K > N || n > N)
            throw new ArgumentOutOfRangeException(nameof(N), $"need 0 ≤ successes ≤ population and 0 ≤ draws ≤ population; got population={N}, successes={K}, draws={n}");
    }
}
