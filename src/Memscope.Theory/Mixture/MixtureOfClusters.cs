using Memscope.Core;
using Memscope.Core.Information;
using Memscope.Core.Numerics;
using Memscope.Core.Probability;
using Memscope.Core.Random;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Mixture;

/// <summary>Expected number of clusters seen exactly ℓ times, E|I_n^{#ℓ}|, for ℓ = 0..n, with standard errors (0 when exact).</summary>
public sealed record ClusterCounts(int K, int N, double[] Expected, double[] StdError, double[] PosteriorFrequency, string Method)
{
    /// <summary>Monte Carlo only: the exact counts given each draw of π (draws × (n+1)); null for the exact uniform prior.</summary>
    public double[][]? PerDraw { get; init; }
}

/// <summary>One row of the mixture bound: Thm 18 and the singleton-only bound at sample size n.</summary>
public sealed record MixtureBoundRow(int N, double NOverKLogK, double ExpectedSingletons, double ExpectedSeenTwiceOrMore,
    double Theorem18Bits, double Theorem18StdError, double SingletonOnlyBits, double PerClusterBitsAtOne, string CountsMethod);

/// <summary>
/// Mixtures of clusters (FKL App. B / arXiv §5): k clusters θ_1..θ_k ∼ Ψ, frequencies π ∼ Π, n samples with cluster IDs.
/// Lemma 14 gives the posterior frequency τ_ℓ of a cluster seen ℓ times; Thm 18 gives
///   mem_n(A) ≥ Σ_ℓ E[(|I^{#ℓ}| − 2·errn_ℓ)]·c_P·mem_ℓ(P),
/// which for a learner with per-cluster advantage a = 1 − 2e on every seen cluster reads
///   mem_n(A) ≥ a-weighted Σ_{ℓ≥1} E|I^{#ℓ}|·LB_ℓ(e),
/// where LB_ℓ(e) is the single-cluster Thm 7 bound at ℓ samples and error e (it carries the (1−2e) factor of Assumption 17
/// inside C_e, so c_P = 1). The singleton-only bound in the style of Brown et al. keeps only ℓ = 1.
/// </summary>
public sealed class MixtureOfClusters
{
    public ClusteringProblem Problem { get; }
    public int K { get; }
    public FrequencyPrior Prior { get; }

    public MixtureOfClusters(ClusteringProblem problem, int k, FrequencyPrior prior)
    {
        UsageException.Require(k >= 1, $"--k must be ≥ 1, got {k}");
        Problem = problem; K = k; Prior = prior;
    }

    /// <summary>
    /// E|I_n^{#ℓ}| for ℓ = 0..n. Uniform prior: exactly k·Pr[Bin(n, 1/k) = ℓ]. Power-law prior: Monte Carlo over
    /// <paramref name="draws"/> draws of π (each exact given π: Σ_u Pr[Bin(n, π_u) = ℓ]), with standard errors.
    /// Also returns Lemma 14's posterior frequency τ_ℓ.
    /// </summary>
    public ClusterCounts Counts(int n, ulong seed = 1, int draws = 64)
    {
        UsageException.Require(n >= 1, $"n must be ≥ 1, got {n}");
        var expected = new double[n + 1];
        var se = new double[n + 1];
        var tauL = new double[n + 1];
        if (Prior.IsUniform)
        {
            var w = new BinomialPmfWindow(n, 1.0 / K);
            for (int l = 0; l <= n; l++) { expected[l] = K * w.Pmf(l); tauL[l] = 1.0 / K; }
            return new ClusterCounts(K, n, expected, se, tauL, "exact: k·Pr[Bin(n,1/k)=ℓ]");
        }
        UsageException.Require(draws >= 2, "--mc-draws must be ≥ 2");
        var sum = new double[n + 1];
        var sumSq = new double[n + 1];
        var pi = new double[K];
        var allDraws = new double[draws][];
        // Lemma 14 numerator/denominator as log-sum-exp over all sampled frequencies.
        var logNum = new double[n + 1];
        var logDen = new double[n + 1];
        Array.Fill(logNum, double.NegativeInfinity);
        Array.Fill(logDen, double.NegativeInfinity);
        for (int t = 0; t < draws; t++)
        {
            Prior.Sample(new Rng(seed, "mixture/prior", (ulong)t), pi);
            var perDraw = allDraws[t] = new double[n + 1];
            foreach (double p in pi)
            {
                var w = new BinomialPmfWindow(n, p);
                for (int l = w.Lo; l <= w.Hi; l++) perDraw[l] += w.Pmf(l);
                double lp = Math.Log(p), lq = LogSpace.Log1p(-p);
                for (int l = 0; l <= n; l++)
                {
                    double baseTerm = l * lp + (n - l) * lq;
                    logDen[l] = LogSpace.Add(logDen[l], baseTerm);
                    logNum[l] = LogSpace.Add(logNum[l], baseTerm + lp);
                }
            }
            for (int l = 0; l <= n; l++) { sum[l] += perDraw[l]; sumSq[l] += perDraw[l] * perDraw[l]; }
        }
        for (int l = 0; l <= n; l++)
        {
            expected[l] = sum[l] / draws;
            double var = Math.Max(0, (sumSq[l] - draws * expected[l] * expected[l]) / (draws - 1));
            se[l] = Math.Sqrt(var / draws);
            tauL[l] = Math.Exp(logNum[l] - logDen[l]);
        }
        return new ClusterCounts(K, n, expected, se, tauL, $"monte-carlo: {draws} draws of π, exact given π") { PerDraw = allDraws };
    }

    /// <summary>The single-cluster Thm 7 bound LB_ℓ(e) in bits (0 when vacuous).</summary>
    public double PerClusterBound(int ell, double clusterError) => Problem.LowerBound(ell, clusterError).LowerBoundBits;

    /// <summary>Thm 18 and the singleton-only bound at sample size n for per-cluster advantage a = 1 − 2e.</summary>
    public MixtureBoundRow Bound(int n, double advantage, ulong seed = 1, int draws = 64)
    {
        UsageException.Require(advantage > 0 && advantage < 1, $"--advantage must be in (0, 1), got {advantage}");
        double e = (1 - advantage) / 2;
        var counts = Counts(n, seed, draws);
        var lb = new double[n + 1];
        double total = 0, seenTwice = 0;
        // LB_ℓ decreases in ℓ and E|I^{#ℓ}| is negligible far from n/k; skip ℓ with no mass.
        for (int l = 1; l <= n; l++)
        {
            bool mass = counts.Expected[l] >= 1e-12 || counts.StdError[l] > 0;
            lb[l] = mass ? PerClusterBound(l, e) : 0;
            total += counts.Expected[l] * lb[l];
            if (l >= 2) seenTwice += counts.Expected[l];
        }
        double se = 0;
        if (counts.PerDraw is { Length: > 1 } perDraw)
        {
            // the standard error of the mean of the per-draw bounds (the ℓ terms are correlated within a draw)
            var totals = perDraw.Select(c => c.Select((x, l) => x * lb[l]).Sum()).ToArray();
            se = Memscope.Core.Statistics.MeanInterval.StandardError(totals);
        }
        double lb1 = PerClusterBound(1, e);
        double kLogK = K * Math.Log(Math.Max(K, 2));
        return new MixtureBoundRow(n, n / kLogK, counts.Expected[1], seenTwice, total, se,
            counts.Expected[1] * lb1, lb1, counts.Method);
    }
}
