using Memscope.Core.Random;
using Memscope.Theory.Audit;
using Memscope.Theory.Learners;
using Memscope.Theory.Problems;
using Xunit.Abstractions;

namespace Memscope.Tests.Theory;

/// <summary>Invariants of the shadow-attack certificate (memscope audit).</summary>
public class AuditTests(ITestOutputHelper log)
{
    private AuditResult Audit(ClusteringProblem p, string learner, int n, int runs = 60, LearnerSettings? ls = null, ulong seed = 1)
    {
        var s = new AuditSettings { N = n, Runs = runs, Seed = seed, Threads = 2 };
        var r = ShadowAudit.Run(p, AuditLearners.Create(p, learner, n, s.Alpha, ls), s);
        log.WriteLine($"{p} {learner} n={n}: certified {r.CertifiedBits:G5} (low {r.CertifiedBitsLow:G5}), exact {r.ExactBits:G5}, theory {r.TheoryLowerBoundBits:G5}, err {r.LearnerError.Estimate:G3}, {r.Seconds:F1}s");
        foreach (var g in r.Groups) log.WriteLine($"   {g.Name}: cells {g.CellsPerRun:G5} base {g.Baseline:G5} est {g.Estimate:G6} up {g.Upper:G6} ({g.Estimator}) bits {g.Bits:G5}/{g.BitsLow:G5}");
        return r;
    }

    public static TheoryData<string, double, string, int> Cases => new()
    {
        { "gaussian", 0.6, "noisy-mean", 1 }, { "gaussian", 0.6, "noisy-mean", 8 },
        { "gaussian", 0.6, "quantized-mean", 1 }, { "gaussian", 0.6, "quantized-mean", 8 },
        { "gaussian", 0.6, "store-one", 1 }, { "gaussian", 0.6, "store-one", 4 },
        { "boolean", 0.6, "majority", 1 }, { "boolean", 0.6, "majority", 5 },
        { "boolean", 0.6, "majority-full", 3 }, { "boolean", 0.6, "store-one", 4 },
        { "sparse", 0.2, "sparse-constant", 2 }, { "sparse", 0.2, "store-one", 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CertificateNeverExceedsExactMemorization(string problem, double parameter, string learner, int n)
    {
        var p = ClusteringProblem.Create(problem, 400, parameter);
        var r = Audit(p, learner, n);
        Assert.NotNull(r.ExactBits);
        Assert.True(r.CertifiedBitsLow <= r.ExactBits!.Value * (1 + 1e-9), $"certified {r.CertifiedBitsLow} > exact {r.ExactBits}");
        Assert.True(r.CertifiedBitsLow <= r.CertifiedBits + 1e-12);
        Assert.True(r.CertifiedBitsLow >= 0);
    }

    /// <summary>
    /// Noisy mean A = X̂ + N(0, s²I): the best linear attack is the Gaussian posterior mean, so each term of the certificate
    /// is attained: Σ_i I(A; X_i | θ) = d·n·(−½·log2(1 − r/n)) with r = v/(v + s²), v = (1−λ²)/n. That is exact mem at
    /// n = 1 and loses only the chain-rule gap Σ_i I(A;X_i|θ) ≤ I(A;X_1:n|θ) for n > 1.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(16)]
    public void NoisyMeanCertificateComesCloseToExact(int n)
    {
        var p = new GaussianClustering(400, 0.6);
        var r = Audit(p, "noisy-mean", n, runs: 200);
        var plan = new NoisyMeanLearner(p).Plan(n, 0.05);
        double v = (1 - 0.36) / n, s2 = plan.NoiseVariance!.Value, rr = v / (v + s2);
        double attainable = 400 * n * -0.5 * Math.Log2(1 - rr / n);
        log.WriteLine($"n={n}: exact {r.ExactBits:G5}, attainable by Σ_i {attainable:G5} ({attainable / r.ExactBits:P1} of exact), certified {r.CertifiedBits:G5} ({r.CertifiedBits / r.ExactBits:P1}), low {r.CertifiedBitsLow:G5} ({r.CertifiedBitsLow / r.ExactBits:P1})");
        Assert.InRange(r.CertifiedBits / attainable, 0.8, 1.25); // the point estimate, not yet confidence-adjusted
        Assert.InRange(r.CertifiedBitsLow / r.ExactBits!.Value, 0.7, 1.0);
    }

    /// <summary>A user learner through the public interface (double path, sampled error): the same noisy mean.</summary>
    private sealed class UserNoisyMean(double s2) : ILearner
    {
        public string Name => "user-noisy-mean";
        public LearnerOutput Train(AuditTrainingSet data, Rng rng)
        {
            int d = data.D;
            var w = new double[d];
            rng.FillNormal(w, 0, Math.Sqrt(s2));
            for (int i = 0; i < data.N; i++) for (int j = 0; j < d; j++) w[j] += data.X[i * d + j] / data.N;
            double lambda = data.Problem.Parameter, t = lambda * lambda * d / 2;
            return new LearnerOutput
            {
                Features = w,
                Classify = (x, count) => Enumerable.Range(0, count).Select(c =>
                {
                    double dot = 0;
                    for (int j = 0; j < d; j++) dot += x[c * d + j] * w[j];
                    return dot >= t;
                }).ToArray(),
            };
        }
    }

    [Fact]
    public void UserLearnerThroughTheInterfaceGetsTheSameCertificate()
    {
        var p = new GaussianClustering(400, 0.6);
        var plan = new NoisyMeanLearner(p).Plan(2, 0.05);
        var s = new AuditSettings { N = 2, Runs = 100, Threads = 2, TestPoints = 400 };
        var user = ShadowAudit.Run(p, new UserNoisyMean(plan.NoiseVariance!.Value), s);
        var builtIn = ShadowAudit.Run(p, AuditLearners.Create(p, "noisy-mean", 2, 0.05), s);
        double exact = builtIn.ExactBits!.Value;
        log.WriteLine($"user {user.CertifiedBits:G5}/{user.CertifiedBitsLow:G5} err {user.LearnerError.Estimate:G3}; built-in {builtIn.CertifiedBits:G5}/{builtIn.CertifiedBitsLow:G5} err {builtIn.LearnerError.Estimate:G3}; exact {exact:G5}");
        Assert.Null(user.ExactBits);
        Assert.False(user.ErrorExact);
        Assert.InRange(user.CertifiedBitsLow, 0.6 * exact, exact);
        Assert.InRange(user.LearnerError.Estimate, builtIn.LearnerError.Estimate - 0.02, builtIn.LearnerError.Estimate + 0.02);
    }
}
