using Memscope.Core.Information;
using Memscope.Core.Random;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Learners;

/// <summary>
/// Baseline: store one training sample and use the linear rule h(x) = 1{⟨x, X_1⟩ ≥ t} (FKL Thms 10–13, item 1).
/// Gaussian data are quantized to k bits per coordinate (cells of width ≤ √(1−λ²) over ±4) so that memorization is
/// finite: mem = d·E_θ H(q(X_1)|θ) by quadrature. Boolean: mem = H(X_1|θ) = d·H2((1−λ)/2). Sparse: mem = E[d − |S|] = d(1−ν).
/// Threshold: half the positive mean, λ²d/2 (Gaussian, Boolean) or νd/2 (sparse).
/// </summary>
public sealed class StoreOneGaussianLearner(GaussianClustering problem, int? bits = null) : TheoryLearner<double>
{
    public override string Name => "store-one";
    public override ClusteringProblem Problem => problem;

    private UniformQuantizer Quantizer()
    {
        double s = Math.Sqrt(1 - problem.Lambda * problem.Lambda);
        int k = bits ?? Math.Clamp((int)Math.Ceiling(Math.Log2(8 / s)), 1, 16);
        return new UniformQuantizer(k, 4);
    }

    public override LearnerPlan Plan(int n, double alpha)
    {
        var q = Quantizer();
        double l2 = problem.Lambda * problem.Lambda;
        return new LearnerPlan
        {
            N = n, CoordsKept = problem.D, Threshold = l2 * problem.D / 2, TargetError = alpha / 2,
            QuantizerBits = q.Bits, ClipRange = q.Range,
        };
    }

    public override MemorizationValue Memorization(LearnerPlan plan)
    {
        var q = new UniformQuantizer(plan.QuantizerBits!.Value, plan.ClipRange!.Value);
        double l2 = problem.Lambda * problem.Lambda;
        return new MemorizationValue(problem.D * q.ConditionalEntropyBits(problem.Lambda, 1 - l2), 0,
            "exact: d·E_θ H(q(X_1)|θ), composite Gauss-Legendre over θ");
    }

    public override double Fit(LearnerPlan plan, Draw<double> draw, Rng rng, double[]? output)
    {
        var w = new double[problem.D];
        new UniformQuantizer(plan.QuantizerBits!.Value, plan.ClipRange!.Value).Quantize(draw.Sample(0), w);
        Export(w, output);
        return problem.ExactError(draw.Theta, w, plan.Threshold);
    }
}

/// <summary>Store-one for the Boolean problems (see <see cref="StoreOneGaussianLearner"/>).</summary>
public sealed class StoreOneSignLearner : TheoryLearner<sbyte>
{
    private readonly ClusteringProblem<sbyte> _problem;

    public StoreOneSignLearner(ClusteringProblem<sbyte> problem)
    {
        if (problem is not (BooleanClustering or SparseHypercube)) throw new ArgumentException("store-one on ±1 data needs the boolean or sparse problem");
        _problem = problem;
    }

    public override string Name => "store-one";
    public override ClusteringProblem Problem => _problem;

    public override LearnerPlan Plan(int n, double alpha)
    {
        double signal = _problem is BooleanClustering b ? b.Lambda * b.Lambda : ((SparseHypercube)_problem).Nu;
        return new LearnerPlan { N = n, CoordsKept = _problem.D, Threshold = signal * _problem.D / 2, TargetError = alpha / 2 };
    }

    public override MemorizationValue Memorization(LearnerPlan plan) => _problem switch
    {
        BooleanClustering b => new(b.D * InfoMeasures.H2((1 - b.Lambda) / 2), 0, "exact: d·H2((1-λ)/2)"),
        SparseHypercube s => new(s.D * (1 - s.Nu), 0, "exact: E[d - |S|] = d(1-ν)"),
        _ => throw new InvalidOperationException(),
    };

    public override double Fit(LearnerPlan plan, Draw<sbyte> draw, Rng rng, double[]? output)
    {
        Export(draw.Sample(0), output);
        return Error(plan, draw);
    }

    private double Error(LearnerPlan plan, Draw<sbyte> draw) => _problem switch
    {
        BooleanClustering b => b.ExactError(draw.Theta, draw.Sample(0), plan.Threshold),
        SparseHypercube s => s.ExactError(draw.Theta, draw.Sample(0), plan.Threshold),
        _ => throw new InvalidOperationException(),
    };
}
