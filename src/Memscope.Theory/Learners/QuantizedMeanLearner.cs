using System.Numerics.Tensors;
using Memscope.Core.Random;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Learners;

/// <summary>
/// FKL App. D.3 "project, average, quantize" for Gaussian clustering: X̂ = mean of X_{1:n} on the first ℓ coordinates,
/// each quantized to k bits, and h(x) = 1{⟨x^[1:ℓ], q_k(X̂^[1:ℓ])⟩ ≥ t} with t = λ²ℓ/2 (the reference's reading
/// t ≍ √d/n; the printed √(d/n) is a typo).
/// Sizing: the quantizer covers ±4 marginal standard deviations with step Δ ≤ √v (v = (1−λ²)/n), and
/// ℓ = ⌈4z*²(λ² + v + Δ²/12)/λ⁴⌉ = Θ(d/n), so that the Gaussian approximation of the error is α/2.
/// mem = ℓ·E_θ[H(q(X̂_1) | θ_1)] exactly (coordinates are independent given θ; composite Gauss–Legendre over θ_1).
/// </summary>
public sealed class QuantizedMeanLearner(GaussianClustering problem, int? bits = null) : TheoryLearner<double>
{
    public override string Name => "quantized-mean";
    public override ClusteringProblem Problem => problem;

    public UniformQuantizer QuantizerFor(int n)
    {
        double l2 = problem.Lambda * problem.Lambda;
        double v = (1 - l2) / n;
        double marginalSd = Math.Sqrt(l2 + v);
        double range = 4 * marginalSd;
        int k = bits ?? Math.Clamp((int)Math.Ceiling(Math.Log2(2 * range / Math.Sqrt(v))), 1, 16);
        return new UniformQuantizer(k, range);
    }

    public override LearnerPlan Plan(int n, double alpha)
    {
        double l2 = problem.Lambda * problem.Lambda;
        double v = (1 - l2) / n;
        var q = QuantizerFor(n);
        double z = TargetZ(alpha);
        double ell = Math.Ceiling(4 * z * z * (l2 + v + q.Step * q.Step / 12) / (l2 * l2));
        int kept = (int)Math.Min(problem.D, ell);
        return new LearnerPlan
        {
            N = n, CoordsKept = kept, Threshold = l2 * kept / 2, TargetError = alpha / 2,
            QuantizerBits = q.Bits, ClipRange = q.Range,
            Note = ell > problem.D ? $"ℓ = {ell:G4} > d: capped, target error not reachable" : null,
        };
    }

    public override MemorizationValue Memorization(LearnerPlan plan)
    {
        double l2 = problem.Lambda * problem.Lambda;
        var q = new UniformQuantizer(plan.QuantizerBits!.Value, plan.ClipRange!.Value);
        double perCoord = q.ConditionalEntropyBits(problem.Lambda, (1 - l2) / plan.N);
        return new MemorizationValue(plan.CoordsKept * perCoord, 0, "exact: ℓ·E_θ H(q(X̂)|θ), composite Gauss-Legendre over θ");
    }

    public override double Fit(LearnerPlan plan, Draw<double> draw, Rng rng, double[]? output)
    {
        int ell = plan.CoordsKept;
        var w = new double[ell];
        for (int i = 0; i < draw.N; i++) TensorPrimitives.Add(w, draw.Sample(i)[..ell], w);
        TensorPrimitives.Multiply(w, 1.0 / draw.N, w);
        new UniformQuantizer(plan.QuantizerBits!.Value, plan.ClipRange!.Value).Quantize(w, w);
        Export(w, output);
        return problem.ExactError(draw.Theta, w, plan.Threshold);
    }
}
