using MathNet.Numerics.Integration;
using Memscope.Core.Probability;
using Memscope.Theory.Learners;
using Memscope.Theory.Problems;

namespace Memscope.Tests.Theory;

/// <summary>Exact memorization against brute-force enumeration of every θ and every training set on small d and n.</summary>
public class BruteForceMemorizationTests
{
    // H(A | θ) averaged over θ, by enumerating all θ ∈ {±1}^d and all data sets in {±1}^{n×d}.
    private static double EnumerateMajority(int d, int n, int t, double lambda)
    {
        double pAgree = (1 + lambda) / 2, total = 0;
        int thetas = 1 << d, sets = 1 << (n * d);
        for (int th = 0; th < thetas; th++)
        {
            var theta = Enumerable.Range(0, d).Select(j => (sbyte)(((th >> j) & 1) == 1 ? 1 : -1)).ToArray();
            var dist = new Dictionary<string, double>();
            for (int s = 0; s < sets; s++)
            {
                var x = new sbyte[n * d];
                double prob = 1;
                for (int b = 0; b < n * d; b++)
                {
                    x[b] = (sbyte)(((s >> b) & 1) == 1 ? 1 : -1);
                    prob *= x[b] == theta[b % d] ? pAgree : 1 - pAgree;
                }
                var w = new sbyte[t];
                MajorityVoteLearner.Vote(new Draw<sbyte>(theta, x, n, d), t, w);
                string key = string.Join(",", w);
                dist[key] = dist.GetValueOrDefault(key) + prob;
            }
            total += dist.Values.Where(p => p > 0).Sum(p => -p * Math.Log2(p)) / thetas;
        }
        return total;
    }

    [Theory]
    [InlineData(2, 1, 2, 0.3)]
    [InlineData(2, 2, 2, 0.3)]
    [InlineData(2, 3, 2, 0.5)]
    [InlineData(3, 4, 3, 0.2)]
    [InlineData(3, 3, 2, 0.7)]
    public void MajorityVoteMatchesEnumeration(int d, int n, int t, double lambda)
    {
        var learner = new MajorityVoteLearner(new BooleanClustering(d, lambda), full: t == d);
        var plan = new LearnerPlan { N = n, CoordsKept = t, Threshold = 0, TargetError = 0.1 };
        Assert.Equal(EnumerateMajority(d, n, t, lambda), learner.Memorization(plan).Bits, 12);
    }

    [Fact]
    public void QuantizedMeanMatchesNestedIntegration()
    {
        // d = ℓ = 2, n = 2, k = 2 bits. Brute force: for θ on a trapezoid grid, the joint law of the two quantized
        // coordinates (16 outcomes) from ∫ φ(x₁)·Pr[(x₁ + X₂)/2 ∈ cell] dx₁ (no use of the mean's law, no Gauss–Hermite,
        // no per-coordinate additivity), then its entropy averaged over θ ∈ R².
        double lambda = 0.6; int n = 2;
        var g = new GaussianClustering(2, lambda);
        var learner = new QuantizedMeanLearner(g, bits: 2);
        var plan = learner.Plan(n, 0.05) with { CoordsKept = 2 };
        var q = new UniformQuantizer(plan.QuantizerBits!.Value, plan.ClipRange!.Value);
        double s = Math.Sqrt(1 - lambda * lambda);

        double[] CellProbs(double theta)
        {
            var probs = new double[q.Levels];
            for (int j = 0; j < q.Levels; j++)
            {
                double lo = j == 0 ? double.NegativeInfinity : -q.Range + j * q.Step;
                double hi = j == q.Levels - 1 ? double.PositiveInfinity : -q.Range + (j + 1) * q.Step;
                // x₁ = λθ + s·u; X₂ ∈ (2lo − x₁, 2hi − x₁)
                probs[j] = GaussLegendreRule.Integrate(u =>
                {
                    double x1 = lambda * theta + s * u;
                    double a = (2 * lo - x1 - lambda * theta) / s, b = (2 * hi - x1 - lambda * theta) / s;
                    double pr = (double.IsPositiveInfinity(b) ? 1 : NormalTails.Cdf(b)) - (double.IsNegativeInfinity(a) ? 0 : NormalTails.Cdf(a));
                    return Math.Exp(-u * u / 2) / Math.Sqrt(2 * Math.PI) * pr;
                }, -12, 12, 256);
            }
            return probs;
        }

        const int grid = 241; const double span = 8;
        double h = 2 * span / (grid - 1);
        var per = new double[grid][];
        var wts = new double[grid];
        for (int i = 0; i < grid; i++)
        {
            double th = -span + i * h;
            per[i] = CellProbs(th);
            wts[i] = (i == 0 || i == grid - 1 ? 0.5 : 1) * h * Math.Exp(-th * th / 2) / Math.Sqrt(2 * Math.PI);
        }
        double brute = 0;
        for (int i1 = 0; i1 < grid; i1++)
            for (int i2 = 0; i2 < grid; i2++)
            {
                double hJoint = 0;
                foreach (double a in per[i1]) foreach (double b in per[i2]) { double p = a * b; if (p > 0) hJoint -= p * Math.Log2(p); }
                brute += wts[i1] * wts[i2] * hJoint;
            }
        Assert.Equal(brute, learner.Memorization(plan).Bits, 6);
    }

    [Theory]
    [InlineData(3, 2, 1, 0.3)]
    [InlineData(3, 2, 2, 0.5)]
    [InlineData(4, 2, 2, 0.2)]
    [InlineData(3, 3, 1, 0.4)]
    [InlineData(3, 1, 2, 0.3)]
    public void SparseConstantMatchesEnumeration(int d, int n, int ell, double nu)
    {
        var p = new SparseHypercube(d, nu);
        var learner = new SparseConstantLearner(p);
        var plan = new LearnerPlan { N = n, CoordsKept = ell, Threshold = 0.5, TargetError = 0.1 };
        double brute = 0;
        // θ: each coordinate is 0 (∉ S, prob 1−ν), +1 or −1 (∈ S, prob ν/2 each)
        int thetas = (int)Math.Pow(3, d), sets = 1 << (n * d);
        for (int th = 0; th < thetas; th++)
        {
            var theta = new sbyte[d];
            double pTheta = 1;
            for (int j = 0, c = th; j < d; j++, c /= 3)
            {
                theta[j] = (sbyte)(c % 3 - 1);
                pTheta *= theta[j] == 0 ? 1 - nu : nu / 2;
            }
            var dist = new Dictionary<string, double>();
            for (int s = 0; s < sets; s++)
            {
                var x = new sbyte[n * d];
                bool consistent = true;
                for (int b = 0; b < n * d; b++)
                {
                    x[b] = (sbyte)(((s >> b) & 1) == 1 ? 1 : -1);
                    if (theta[b % d] != 0 && x[b] != theta[b % d]) consistent = false;
                }
                if (!consistent) continue;
                int free = Enumerable.Range(0, n * d).Count(b => theta[b % d] == 0);
                double prob = Math.Pow(0.5, free);
                // learner output: indices and values of the first ℓ constant coordinates
                var kept = new List<string>();
                for (int j = 0; j < d && kept.Count < ell; j++)
                    if (Enumerable.Range(1, n - 1).All(i => x[i * d + j] == x[j])) kept.Add($"{j}:{x[j]}");
                string key = string.Join(",", kept);
                dist[key] = dist.GetValueOrDefault(key) + prob;
            }
            brute += pTheta * dist.Values.Sum(q => -q * Math.Log2(q));
        }
        Assert.Equal(brute, learner.Memorization(plan).Bits, 11);
    }

    [Theory]
    [InlineData(0.3, 1000, 4)]
    [InlineData(0.3, 10_000, 4)]
    [InlineData(0.3, 100_000, 4)]
    [InlineData(0.6, 1, 3)]
    public void QuantizerEntropyMatchesADenseTrapezoidEvenForCoarseCells(double lambda, int n, int bits)
    {
        // Coarse cells (Δ ≫ √v) make H(q(Y)|θ) change on a θ-scale of √v/λ; a 400k-point trapezoid resolves it.
        double v = (1 - lambda * lambda) / n;
        var q = new UniformQuantizer(bits, 4 * Math.Sqrt(lambda * lambda + v));
        const int points = 400_001; const double span = 10;
        double h = 2 * span / (points - 1), sum = 0;
        var probs = new double[q.Levels];
        for (int i = 0; i < points; i++)
        {
            double th = -span + i * h;
            q.CellProbabilities(lambda * th, Math.Sqrt(v), probs);
            double ent = 0;
            foreach (double p in probs) if (p > 0) ent -= p * Math.Log2(p);
            sum += (i == 0 || i == points - 1 ? 0.5 : 1) * h * ent * Math.Exp(-th * th / 2) / Math.Sqrt(2 * Math.PI);
        }
        Assert.Equal(sum, q.ConditionalEntropyBits(lambda, v), 7);
    }
}
