using Memscope.Theory.Learners;
using Memscope.Theory.Problems;
using Memscope.Theory.Sweep;

namespace Memscope.Tests.Theory;

public class TradeoffSweepTests
{
    private static IReadOnlyList<TradeoffRow> Sweep<T>(ClusteringProblem<T> p, double alpha, int[] ns, int trials, int threads = 2, ulong seed = 5) =>
        TradeoffSweep.Run(p, LearnerCatalog.Create(p, "all"), new TradeoffSettings { Alpha = alpha, NGrid = ns, Trials = trials, Seed = seed, Threads = threads });

    [Fact]
    public void SameSeedGivesIdenticalCsvAtOneAndTwoThreads()
    {
        var g = GaussianClustering.FromC(2000, 3);
        var s1 = new TradeoffSettings { Alpha = 0.05, NGrid = [1, 3, 8], Trials = 24, Seed = 9, Threads = 1 };
        var s2 = s1 with { Threads = 2 };
        string a = TradeoffOutput.ToCsv(g, s1, TradeoffSweep.Run(g, LearnerCatalog.Create(g, "all"), s1)).ToString();
        string b = TradeoffOutput.ToCsv(g, s2, TradeoffSweep.Run(g, LearnerCatalog.Create(g, "all"), s2)).ToString();
        Assert.Equal(a, b);
        var bo = new BooleanClustering(2000, 0.25);
        a = TradeoffOutput.ToCsv(bo, s1, TradeoffSweep.Run(bo, LearnerCatalog.Create(bo, "all"), s1)).ToString();
        b = TradeoffOutput.ToCsv(bo, s2, TradeoffSweep.Run(bo, LearnerCatalog.Create(bo, "all"), s2)).ToString();
        Assert.Equal(a, b);
        var sp = new SparseHypercube(3000, 0.06);
        var s8 = s1 with { Threads = 8 };
        Assert.Equal(TradeoffOutput.ToCsv(sp, s1, TradeoffSweep.Run(sp, LearnerCatalog.Create(sp, "all"), s1)).ToString(),
            TradeoffOutput.ToCsv(sp, s8, TradeoffSweep.Run(sp, LearnerCatalog.Create(sp, "all"), s8)).ToString());
        // and a different seed changes the measured errors
        var s3 = s1 with { Seed = 10 };
        Assert.NotEqual(a, TradeoffOutput.ToCsv(bo, s3, TradeoffSweep.Run(bo, LearnerCatalog.Create(bo, "all"), s3)).ToString());
    }

    [Fact]
    public void LearnersReachErrorAlphaWhereThePaperSaysTheyShould()
    {
        // Thms 10, 12, 13 item 1: one sample suffices once C is large enough; the upper-bound learners keep it for n ≤ √d.
        const double alpha = 0.05;
        var gaussian = Sweep(GaussianClustering.FromC(10_000, 3), alpha, [1, 4, 16], 30);
        Assert.All(gaussian, r => Assert.True(r.Accurate(alpha), $"{r.Learner} n={r.N}: error {r.Error}"));
        var boolean = Sweep(new BooleanClustering(10_000, 0.3), alpha, [1, 4, 16, 200], 30);
        Assert.All(boolean, r => Assert.True(r.Accurate(alpha), $"{r.Learner} n={r.N}: error {r.Error}"));
        var sparse = Sweep(new SparseHypercube(10_000, 0.035), alpha, [1, 2, 4, 6], 30);
        Assert.All(sparse, r => Assert.True(r.Accurate(alpha), $"{r.Learner} n={r.N}: error {r.Error}"));
    }

    [Fact]
    public void LearnersFailTheTargetWhenTheSignalIsTooWeak()
    {
        // The same check must be able to fail: at C = 1 one sample cannot separate the classes to α = 0.05.
        var weak = Sweep(GaussianClustering.FromC(10_000, 1), 0.05, [1], 20);
        Assert.Contains(weak, r => r.Learner == "store-one" && !r.Accurate(0.05));
    }

    [Fact]
    public void SandwichHoldsWhereverALearnerIsAccurate()
    {
        var cases = new (IReadOnlyList<TradeoffRow> Rows, double Alpha)[]
        {
            (Sweep(GaussianClustering.FromC(10_000, 3), 0.05, [1, 2, 5, 12, 40, 100], 30), 0.05),
            (Sweep(new SparseHypercube(10_000, 0.035), 0.05, [1, 2, 3], 30), 0.05),
            (Sweep(new GaussianClustering(3000, 0.5), 0.2, [1, 3, 10], 30), 0.2),
        };
        int checkedRows = 0;
        foreach (var (rows, alpha) in cases)
            foreach (var r in rows.Where(r => r.Accurate(alpha)))
            {
                Assert.True(r.Memorization.Bits >= r.Bound.LowerBoundBits, $"{r.Learner} n={r.N}: mem {r.Memorization.Bits} < bound {r.Bound.LowerBoundBits}");
                if (!r.Bound.Vacuous) checkedRows++;
            }
        Assert.True(checkedRows >= 20, $"only {checkedRows} non-vacuous accurate rows were checked");
    }

    [Fact]
    public void NoisyMeanComesWithinAConstantFactorOfTheBound()
    {
        // The noisy mean at its largest admissible noise is the learner closest to the bound for n ≤ √d/C².
        var rows = Sweep(GaussianClustering.FromC(10_000, 3), 0.05, [1, 4, 10], 20).Where(r => r.Learner == "noisy-mean");
        foreach (var r in rows)
        {
            double ratio = r.Memorization.Bits / r.Bound.LowerBoundBits;
            Assert.InRange(ratio, 1, 5);
        }
    }

    [Fact]
    public void MajorityFullMemorizationVanishesBeyondRootDLogD()
    {
        var b = new BooleanClustering(10_000, 0.3);
        var full = new MajorityVoteLearner(b, full: true);
        double at1 = full.Memorization(full.Plan(1, 0.05)).Bits;
        double at400 = full.Memorization(full.Plan(400, 0.05)).Bits;
        Assert.True(at1 > 5000);
        Assert.True(at400 < 1e-2, $"{at400}");
    }

    [Fact]
    public void LogGridHasDistinctAscendingValues()
    {
        var g = TradeoffSweep.LogGrid(100, 12);
        Assert.Equal(12, g.Length);
        Assert.Equal(1, g[0]);
        Assert.Equal(100, g[^1]);
        Assert.True(g.Zip(g.Skip(1)).All(p => p.First < p.Second));
    }
}
