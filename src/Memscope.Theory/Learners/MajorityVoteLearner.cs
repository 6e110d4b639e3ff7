using Memscope.Core.Information;
using Memscope.Core.Numerics;
using Memscope.Core.Probability;
using Memscope.Core.Random;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Learners;

/// <summary>
/// FKL App. E.3 majority vote for Boolean clustering: θ̂_j = sign(Σ_i X_ij) (a tie takes X_1j), h(x) = 1{⟨θ̂^[1:t], x^[1:t]⟩ ≥ thr}.
/// Truncated ("majority", n ≲ √d): t = ⌈4z*²/μ²⌉ ≤ d with μ = λ(1−2γ_n), so memorization is ≤ t = O(d/n) bits.
/// Full ("majority-full", n ≳ √d log d): t = d. Threshold thr = μt/2, half the positive mean.
/// γ_n = Pr[θ̂_j ≠ θ_j] = Pr[Bin(n, (1+λ)/2) &lt; n/2] + ½·Pr[= n/2] exactly, and since θ̂ is deterministic with
/// coordinates independent given θ, mem = t·H2(γ_n), computed from log γ_n (accurate for tiny γ_n, where 1 − γ_n rounds to 1).
/// </summary>
public sealed class MajorityVoteLearner(BooleanClustering problem, bool full) : TheoryLearner<sbyte>
{
    public bool Full { get; } = full;
    public override string Name => Full ? "majority-full" : "majority";
    public override ClusteringProblem Problem => problem;

    /// <summary>log γ_n, the natural log of the per-coordinate error of the majority vote.</summary>
    public static double LogCoordinateError(int n, double lambda)
    {
        double p = (1 + lambda) / 2;
        double logBelow = BinomialTails.LogCdf((n - 1) / 2, n, p); // K < n/2
        if (n % 2 == 1) return logBelow;
        double logTie = BinomialTails.LogPmf(n / 2, n, p) + Math.Log(0.5);
        return LogSpace.Add(logBelow, logTie);
    }

    public override LearnerPlan Plan(int n, double alpha)
    {
        double gamma = Math.Exp(LogCoordinateError(n, problem.Lambda));
        double mu = problem.Lambda * (1 - 2 * gamma);
        double z = TargetZ(alpha);
        double want = Math.Ceiling(4 * z * z / (mu * mu));
        int t = Full ? problem.D : (int)Math.Min(problem.D, want);
        return new LearnerPlan
        {
            N = n, CoordsKept = t, Threshold = mu * t / 2, TargetError = alpha / 2,
            Note = want > problem.D ? $"t = {want:G4} > d: capped, target error not reachable" : null,
        };
    }

    public override MemorizationValue Memorization(LearnerPlan plan) =>
        new(plan.CoordsKept * InfoMeasures.H2FromLog(LogCoordinateError(plan.N, problem.Lambda)), 0,
            "exact: t·H2(γ_n), Binomial tail in log space");

    public override double Fit(LearnerPlan plan, Draw<sbyte> draw, Rng rng, double[]? output)
    {
        int t = plan.CoordsKept;
        var w = new sbyte[t];
        Vote(draw, t, w);
        Export(w, output);
        return problem.ExactError(draw.Theta.AsSpan(0, t), w, plan.Threshold);
    }

    /// <summary>Coordinate-wise majority of the first t coordinates; ties take the first sample's bit.</summary>
    public static void Vote(Draw<sbyte> draw, int t, Span<sbyte> dest)
    {
        var sums = new int[t];
        for (int i = 0; i < draw.N; i++)
        {
            var row = draw.Sample(i);
            for (int j = 0; j < t; j++) sums[j] += row[j];
        }
        var first = draw.Sample(0);
        for (int j = 0; j < t; j++) dest[j] = sums[j] > 0 ? (sbyte)1 : sums[j] < 0 ? (sbyte)-1 : first[j];
    }
}
