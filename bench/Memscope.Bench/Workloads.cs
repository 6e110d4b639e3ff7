using Memscope.Theory.Problems;

namespace Memscope.Bench;

/// <summary>
/// The sizes and problem parameters the benchmarks use: d = 10⁴ and the CLI's defaults (memscope tradeoff/demo),
/// λ = 3·d^(−1/4) for the Gaussian and Boolean problems, ν = 3.5·d^(−1/2) for the sparse one, α = 0.05, seed 1.
/// </summary>
public static class Workloads
{
    public const int D = 10_000;
    public const double Alpha = 0.05;
    public const ulong Seed = 1;
    public const double BernoulliP = 0.65;

    public static GaussianClustering Gaussian() => new(D, ClusteringProblem.ScaledParameter("gaussian", D, 3.0));
    public static BooleanClustering Boolean() => new(D, ClusteringProblem.ScaledParameter("boolean", D, 3.0));
    public static SparseHypercube Sparse() => new(D, ClusteringProblem.ScaledParameter("sparse", D, 3.5));
}
