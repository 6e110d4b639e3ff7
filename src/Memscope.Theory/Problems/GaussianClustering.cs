using System.Numerics.Tensors;
using Memscope.Core;
using Memscope.Core.Probability;
using Memscope.Core.Random;
using Memscope.Theory.Bounds;

namespace Memscope.Theory.Problems;

/// <summary>
/// Gaussian clustering P_G (FKL §4.1, Thm 10): θ ∼ N(0, I_d), P_θ = N(λθ, (1−λ²)I_d), null P_0 = N(0, I_d).
/// Default scaling λ = C·d^(−1/4), so that one sample separates the classes.
/// </summary>
public sealed class GaussianClustering : ClusteringProblem<double>
{
    public double Lambda { get; }
    public override string Name => "gaussian";
    public override double Parameter => Lambda;
    public override string ParameterName => "lambda";

    public GaussianClustering(int d, double lambda) : base(d)
    {
        UsageException.Require(lambda > 0 && lambda < 1, $"λ must be in (0, 1), got {lambda}; with --C, λ = C·d^(-1/4), so lower --C");
        Lambda = lambda;
    }

    public static GaussianClustering FromC(int d, double c) => new(d, ScaledParameter("gaussian", d, c));

    public override void SampleTheta(Rng rng, Span<double> theta) => rng.FillNormal(theta);

    public override void SamplePositives(Rng rng, ReadOnlySpan<double> theta, int n, Span<double> dest)
    {
        double s = Math.Sqrt(1 - Lambda * Lambda);
        rng.FillNormal(dest);
        for (int i = 0; i < n; i++)
        {
            var row = dest.Slice(i * D, D);
            // x = λθ + √(1−λ²)·z
            TensorPrimitives.Multiply(row, s, row);
            TensorPrimitives.MultiplyAdd(theta, Lambda, row, row);
        }
    }

    public override void SampleNull(Rng rng, int count, Span<double> dest) => rng.FillNormal(dest[..(count * D)]);

    /// <summary>
    /// Exact error of h(x) = 1{⟨w, x⟩ ≥ t} on the test mixture for this θ: ⟨w, X⟩ ∼ N(λ⟨w,θ⟩, (1−λ²)‖w‖²) for
    /// positives and N(0, ‖w‖²) for nulls, so err = ½·Φ((t − λ⟨w,θ⟩)/(√(1−λ²)‖w‖)) + ½·(1 − Φ(t/‖w‖)).
    /// </summary>
    public double ExactError(ReadOnlySpan<double> theta, ReadOnlySpan<double> w, double t)
    {
        double wt = TensorPrimitives.Dot(w, theta[..w.Length]);
        double ww = TensorPrimitives.Dot(w, w);
        return ExactError(wt, ww, t);
    }

    /// <summary>Exact error from the sufficient statistics ⟨w,θ⟩ and ‖w‖².</summary>
    public double ExactError(double wDotTheta, double wNormSquared, double t)
    {
        if (wNormSquared == 0) return 0.5; // constant classifier
        double norm = Math.Sqrt(wNormSquared);
        double fn = NormalTails.Cdf((t - Lambda * wDotTheta) / (Math.Sqrt(1 - Lambda * Lambda) * norm));
        double fp = NormalTails.Sf(t / norm);
        return 0.5 * (fn + fp);
    }

    /// <summary>Exact SDPI constants (FKL Thm 10, App. D.2): ρ_n = λ⁴n/(1+(n−1)λ²), τ_n = λ²n/(1+(n−1)λ²), ε = δ = 0.</summary>
    public SdpiConstants Sdpi(int n)
    {
        UsageException.Require(n >= 1, $"n must be ≥ 1, got {n}");
        double l2 = Lambda * Lambda, denom = 1 + (n - 1) * l2;
        return new SdpiConstants(Rho: l2 * l2 * n / denom, Tau: l2 * n / denom, Epsilon: 0, Delta: 0);
    }

    /// <summary>FKL Thm 10: mem_n ≥ ((1−λ²)/(λ⁴n))·C_α, exact (no negligible term).</summary>
    public override MemorizationBound LowerBound(int n, double alpha, BoundOptions? options = null)
    {
        var c = Sdpi(n);
        return Theorem7.Bound(c, alpha, log2ModelSize: double.PositiveInfinity, method: "FKL Thm 10 (exact SDPI, Thm 7 with ε=δ=0)");
    }
}
