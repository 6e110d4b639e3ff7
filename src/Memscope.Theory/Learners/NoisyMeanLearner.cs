using Memscope.Core.Numerics;
using System.Numerics.Tensors;
using Memscope.Core.Information;
using Memscope.Core.Random;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Learners;

/// <summary>
/// Baseline for Gaussian clustering: A = X̂ + N(0, s²I_d) and h(x) = 1{⟨x, A⟩ ≥ λ²d/2}.
/// Closed form (FKL ref. §7): with v = (1−λ²)/n, mem = d·½·log2((v + s²)/s²) bits.
/// By default s² is the largest noise whose Gaussian-approximate error is α/2: s² = λ⁴d/(4z*²) − λ² − v.
/// </summary>
public sealed class NoisyMeanLearner(GaussianClustering problem, double? noiseVariance = null) : TheoryLearner<double>
{
    public override string Name => "noisy-mean";
    public override ClusteringProblem Problem => problem;

    public override LearnerPlan Plan(int n, double alpha)
    {
        double l2 = problem.Lambda * problem.Lambda;
        double v = (1 - l2) / n;
        double z = TargetZ(alpha);
        string? note = null;
        double s2;
        if (noiseVariance is double given) s2 = given;
        else
        {
            s2 = l2 * l2 * problem.D / (4 * z * z) - l2 - v;
            if (s2 <= 0.01 * v)
            {
                note = "even the noiseless mean misses the target error; noise set to v/100";
                s2 = 0.01 * v;
            }
        }
        return new LearnerPlan
        {
            N = n, CoordsKept = problem.D, Threshold = l2 * problem.D / 2, TargetError = alpha / 2,
            NoiseVariance = s2, Note = note,
        };
    }

    /// <summary>The closed forms of the noisy mean, per coordinate, in bits (ref. §7).</summary>
    public static (double MemPerCoord, double IAX, double IATheta, double IAXn) PerCoordinate(double lambda, int n, double s2)
    {
        double l2 = lambda * lambda, v = (1 - l2) / n, va = l2 + v + s2;
        // log1p forms: the arguments are tiny when s² ≫ λ², and 1 − x would cancel.
        return (
            MemPerCoord: InfoMeasures.NatsToBits(0.5 * LogSpace.Log1p(v / s2)),
            IAX: InfoMeasures.NatsToBits(-0.5 * LogSpace.Log1p(-l2 * l2 / va)),
            IATheta: InfoMeasures.NatsToBits(0.5 * LogSpace.Log1p(l2 / (v + s2))),
            IAXn: InfoMeasures.NatsToBits(0.5 * LogSpace.Log1p((l2 + v) / s2)));
    }

    public override MemorizationValue Memorization(LearnerPlan plan) =>
        new(problem.D * PerCoordinate(problem.Lambda, plan.N, plan.NoiseVariance!.Value).MemPerCoord, 0,
            "exact: closed form d·½·log2((v+s²)/s²)");

    public override double Fit(LearnerPlan plan, Draw<double> draw, Rng rng, double[]? output)
    {
        int d = problem.D;
        var w = new double[d];
        rng.FillNormal(w, 0, Math.Sqrt(plan.NoiseVariance!.Value));
        var mean = new double[d];
        for (int i = 0; i < draw.N; i++) TensorPrimitives.Add(mean, draw.Sample(i), mean);
        TensorPrimitives.MultiplyAdd(mean, 1.0 / draw.N, w, w);
        Export(w, output);
        return problem.ExactError(draw.Theta, w, plan.Threshold);
    }
}
