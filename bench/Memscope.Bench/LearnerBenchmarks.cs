using BenchmarkDotNet.Attributes;
using Memscope.Core.Random;
using Memscope.Theory.Learners;
using Memscope.Theory.Problems;

namespace Memscope.Bench;

/// <summary>
/// One trial of the trade-off sweep per call: sample a draw (θ, X_{1:n}) with <c>SampleDraw</c>, then fit the learner
/// and compute its exact error with <c>TrialError</c> — streams keyed as in TradeoffSweep, a new trial index per call.
/// d = 10⁴, α = 0.05, problem parameters from <see cref="Workloads"/>.
/// </summary>
public class LearnerBenchmarks
{
    private GaussianClustering _gaussian = null!;
    private BooleanClustering _boolean = null!;
    private SparseHypercube _sparse = null!;
    private QuantizedMeanLearner _quantizedMean = null!;
    private MajorityVoteLearner _majority = null!;
    private SparseConstantLearner _sparseConstant = null!;
    private LearnerPlan _quantizedMeanPlan = null!, _majorityPlan = null!, _sparseConstantPlan = null!;
    private ulong _trial;

    [GlobalSetup]
    public void Setup()
    {
        _gaussian = Workloads.Gaussian();
        _boolean = Workloads.Boolean();
        _sparse = Workloads.Sparse();
        _quantizedMean = new QuantizedMeanLearner(_gaussian);
        _majority = new MajorityVoteLearner(_boolean, full: false);
        _sparseConstant = new SparseConstantLearner(_sparse);
        _quantizedMeanPlan = _quantizedMean.Plan(16, Workloads.Alpha);
        _majorityPlan = _majority.Plan(16, Workloads.Alpha);
        _sparseConstantPlan = _sparseConstant.Plan(4, Workloads.Alpha);
    }

    [Benchmark(Description = "quantized-mean d=1e4 n=16")]
    public double QuantizedMean() => Trial(_gaussian, _quantizedMean, _quantizedMeanPlan);

    [Benchmark(Description = "majority d=1e4 n=16")]
    public double Majority() => Trial(_boolean, _majority, _majorityPlan);

    [Benchmark(Description = "sparse-constant d=1e4 n=4")]
    public double SparseConstant() => Trial(_sparse, _sparseConstant, _sparseConstantPlan);

    private double Trial<T>(ClusteringProblem<T> problem, TheoryLearner<T> learner, LearnerPlan plan)
    {
        ulong trial = _trial++;
        int n = plan.N;
        var draw = problem.SampleDraw(new Rng(Workloads.Seed, $"tradeoff/{problem.Name}/draw/n={n}", trial), n);
        var rng = new Rng(Workloads.Seed, $"tradeoff/{problem.Name}/{learner.Name}/n={n}", trial);
        return learner.TrialError(plan, draw, rng);
    }
}
