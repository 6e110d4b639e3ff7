using Memscope.Core;
using Memscope.Core.Random;
using Memscope.Theory.Bounds;

namespace Memscope.Theory.Problems;

/// <summary>
/// A binary "cluster vs. null" learning problem P = (P_θ)_{θ∼Ψ} of FKL §2: θ ∼ Ψ, training data X_{1:n} ∼ P_θⁿ
/// (positives only), test point from P_θ (label 1) or the null P_0 (label 0) with probability ½ each.
/// </summary>
public abstract class ClusteringProblem
{
    /// <summary>CLI name: gaussian, boolean or sparse.</summary>
    public abstract string Name { get; }
    /// <summary>Dimension d.</summary>
    public int D { get; }
    /// <summary>The correlation parameter: λ (Gaussian, Boolean) or ν (sparse).</summary>
    public abstract double Parameter { get; }
    /// <summary>Name of <see cref="Parameter"/>: "lambda" or "nu".</summary>
    public abstract string ParameterName { get; }

    protected ClusteringProblem(int d)
    {
        UsageException.Require(d >= 1, $"--d must be ≥ 1, got {d}");
        UsageException.Require(d <= 50_000_000, $"--d {d} is larger than this tool supports (50,000,000)");
        D = d;
    }

    /// <summary>The lower bound on mem_n(A, P) for every learner with error ≤ α.</summary>
    public abstract MemorizationBound LowerBound(int n, double alpha, BoundOptions? options = null);

    /// <summary>Default parameter from the paper's scaling: C·d^(−1/4) for λ, C·d^(−1/2) for ν.</summary>
    public static double ScaledParameter(string problem, int d, double c) => problem switch
    {
        "gaussian" or "boolean" => c * Math.Pow(d, -0.25),
        "sparse" => c * Math.Pow(d, -0.5),
        _ => throw new UsageException($"unknown problem '{problem}'; use gaussian, boolean or sparse"),
    };

    /// <summary>Builds a problem from its CLI name and parameter (λ or ν).</summary>
    public static ClusteringProblem Create(string problem, int d, double parameter) => problem switch
    {
        "gaussian" => new GaussianClustering(d, parameter),
        "boolean" => new BooleanClustering(d, parameter),
        "sparse" => new SparseHypercube(d, parameter),
        _ => throw new UsageException($"unknown problem '{problem}'; use gaussian, boolean or sparse"),
    };

    public override string ToString() => $"{Name}(d={D}, {ParameterName}={Parameter:G6})";
}

/// <summary>One draw of (θ, X_{1:n}) stored row-major: X[i*d + j] is coordinate j of sample i.</summary>
public sealed class Draw<T>(T[] theta, T[] x, int n, int d)
{
    public T[] Theta { get; } = theta;
    public T[] X { get; } = x;
    public int N { get; } = n;
    public int D { get; } = d;
    public ReadOnlySpan<T> Sample(int i) => X.AsSpan(i * D, D);
}

/// <summary>A problem whose draws have element type <typeparamref name="T"/> (double for Gaussian, sbyte for Boolean).</summary>
public abstract class ClusteringProblem<T>(int d) : ClusteringProblem(d)
{
    /// <summary>Samples θ ∼ Ψ.</summary>
    public abstract void SampleTheta(Rng rng, Span<T> theta);

    /// <summary>Samples n positives X_i ∼ P_θ into <paramref name="dest"/> (n·d, row-major).</summary>
    public abstract void SamplePositives(Rng rng, ReadOnlySpan<T> theta, int n, Span<T> dest);

    /// <summary>Samples count points from the null P_0 (row-major).</summary>
    public abstract void SampleNull(Rng rng, int count, Span<T> dest);

    /// <summary>
    /// Samples count points of the test mixture: label 1 and X ∼ P_θ, or label 0 and X ∼ P_0, each with probability ½.
    /// </summary>
    public void SampleTest(Rng rng, ReadOnlySpan<T> theta, int count, Span<T> dest, Span<byte> labels)
    {
        if (dest.Length != count * D || labels.Length != count)
            throw new ArgumentException($"need {count * D} values and {count} labels");
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(rng.NextUInt64() >> 63);
            var row = dest.Slice(i * D, D);
            if (labels[i] == 1) SamplePositives(rng, theta, 1, row);
            else SampleNull(rng, 1, row);
        }
    }

    /// <summary>Samples θ and n positives from one stream.</summary>
    public Draw<T> SampleDraw(Rng rng, int n)
    {
        UsageException.Require(n >= 1, $"n must be ≥ 1, got {n}");
        var theta = new T[D];
        SampleTheta(rng, theta);
        var x = new T[(long)n * D > int.MaxValue ? throw new UsageException($"n·d = {(long)n * D} values do not fit in one array; lower --n or --d") : n * D];
        SamplePositives(rng, theta, n, x);
        return new Draw<T>(theta, x, n, D);
    }
}
