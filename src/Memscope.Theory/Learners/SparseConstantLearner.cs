using Memscope.Core.Information;
using Memscope.Core.Probability;
using Memscope.Core.Random;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Learners;

/// <summary>
/// FKL App. F.3 for the sparse hypercube: Ŝ = coordinates constant across all n samples, Ŝ^ℓ its first ℓ elements,
/// output (Ŝ^ℓ, X_1 on Ŝ^ℓ), and h(x) = 1{Σ_{j∈Ŝ^ℓ} x_j(X_1)_j ≥ π_n·|Ŝ^ℓ|/2} with π_n = Pr[j ∈ S | j ∈ Ŝ] = ν/r_n,
/// r_n = ν + (1−ν)2^(1−n). Sizing ℓ = ⌈4z*²/π_n²⌉ = Θ(d/4ⁿ) for d ≫ 4ⁿ.
/// Exact memorization (derived here; the paper bounds it by O(ℓ log d)): every scanned coordinate outside S reveals
/// whether it is constant (H2(q) bits, q = 2^(1−n)) and, if kept, its value (1 bit), so
/// mem = (1−ν)(H2(q) + q)·Σ_{j=1}^{d} Pr[Bin(j−1, r_n) ≤ ℓ−1].
/// </summary>
public sealed class SparseConstantLearner(SparseHypercube problem) : TheoryLearner<sbyte>
{
    public override string Name => "sparse-constant";
    public override ClusteringProblem Problem => problem;

    public double Purity(int n) => problem.Nu / problem.ConstantProbability(n);

    public override LearnerPlan Plan(int n, double alpha)
    {
        double pi = Purity(n);
        double z = TargetZ(alpha);
        double want = Math.Ceiling(4 * z * z / (pi * pi));
        int ell = (int)Math.Min(problem.D, want);
        return new LearnerPlan
        {
            N = n, CoordsKept = ell, Threshold = pi / 2, TargetError = alpha / 2,
            Note = want > problem.D ? $"ℓ = {want:G4} > d: capped, target error not reachable" : null,
        };
    }

    public override MemorizationValue Memorization(LearnerPlan plan)
    {
        int n = plan.N, ell = plan.CoordsKept;
        double q = Math.Pow(2, 1 - n), r = problem.ConstantProbability(n);
        double scanned = 0;
        for (int j = 1; j <= problem.D; j++)
        {
            double pStillScanning = BinomialTails.Cdf(ell - 1, j - 1, r);
            scanned += pStillScanning;
            if (pStillScanning < 1e-300) break;
        }
        return new MemorizationValue((1 - problem.Nu) * (InfoMeasures.H2(q) + q) * scanned, 0,
            "exact: (1-ν)(H2(q)+q)·Σ_j Pr[Bin(j-1,r) < ℓ]");
    }

    public override double Fit(LearnerPlan plan, Draw<sbyte> draw, Rng rng, double[]? output)
    {
        int d = problem.D, ell = plan.CoordsKept;
        var w = new sbyte[d];
        var first = draw.Sample(0);
        int kept = 0;
        for (int j = 0; j < d && kept < ell; j++)
        {
            bool constant = true;
            for (int i = 1; i < draw.N && constant; i++) constant = draw.X[i * d + j] == first[j];
            if (constant) { w[j] = first[j]; kept++; }
        }
        Export(w, output);
        return problem.ExactError(draw.Theta, w, plan.Threshold * kept);
    }
}
