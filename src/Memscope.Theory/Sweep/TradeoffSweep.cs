using Memscope.Core;
using Memscope.Core.Random;
using Memscope.Core.Statistics;
using Memscope.Theory.Bounds;
using Memscope.Theory.Learners;
using Memscope.Theory.Problems;

namespace Memscope.Theory.Sweep;

/// <summary>Settings of a trade-off sweep.</summary>
public sealed record TradeoffSettings
{
    public required double Alpha { get; init; }
    public required int[] NGrid { get; init; }
    /// <summary>Draws of (θ, X_{1:n}) per n; every learner sees the same draws (common random numbers).</summary>
    public int Trials { get; init; } = 200;
    public ulong Seed { get; init; } = 1;
    /// <summary>Worker threads. Results are identical for any value.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    public double Confidence { get; init; } = 0.95;
    public BoundOptions BoundOptions { get; init; } = new();

    public void Validate()
    {
        UsageException.Require(Alpha > 0 && Alpha < 0.5, $"--alpha must be in (0, 1/2), got {Alpha}");
        UsageException.Require(NGrid.Length > 0, "--n is empty; give sample sizes such as 1,2,4,8");
        foreach (int n in NGrid) UsageException.Require(n >= 1, $"--n values must be ≥ 1, got {n}");
        UsageException.Require(Trials >= 2, $"--trials must be ≥ 2 (for a confidence interval), got {Trials}");
        UsageException.Require(Threads >= 1, $"--threads must be ≥ 1, got {Threads}");
        UsageException.Require(Confidence > 0 && Confidence < 1, $"confidence must be in (0, 1), got {Confidence}");
    }
}

/// <summary>One (n, learner) row of the sweep: the bound, the learner's memorization and its measured error.</summary>
public sealed record TradeoffRow
{
    public required int N { get; init; }
    public required MemorizationBound Bound { get; init; }
    public required string Learner { get; init; }
    public required LearnerPlan Plan { get; init; }
    public required MemorizationValue Memorization { get; init; }
    /// <summary>Mean over draws of the exact conditional error, with a Student-t interval.</summary>
    public required Interval Error { get; init; }
    public required int Trials { get; init; }
    /// <summary>Error interval entirely ≤ α.</summary>
    public bool Accurate(double alpha) => Error.Hi <= alpha;
}

/// <summary>Progress of a long computation: work items done out of total.</summary>
public readonly record struct WorkProgress(long Done, long Total, string Stage);

/// <summary>
/// The sample-versus-memorization trade-off (the theory engine's main capability): for each n, the FKL lower bound
/// and, for each learner, its exact memorization and its error. Each draw's error is the exact error of the learned
/// classifier for that θ (normal CDF or Binomial convolution); draws come from streams keyed by (seed, n, trial), so
/// the output is identical at any thread count.
/// </summary>
public static class TradeoffSweep
{
    public static IReadOnlyList<TradeoffRow> Run<T>(ClusteringProblem<T> problem, IReadOnlyList<TheoryLearner<T>> learners,
        TradeoffSettings settings, IProgress<WorkProgress>? progress = null, CancellationToken cancel = default)
    {
        settings.Validate();
        UsageException.Require(learners.Count > 0, "no learners to evaluate");
        int nCount = settings.NGrid.Length, trials = settings.Trials, lCount = learners.Count;
        var plans = new LearnerPlan[nCount, lCount];
        var bounds = new MemorizationBound[nCount];
        for (int a = 0; a < nCount; a++)
        {
            bounds[a] = problem.LowerBound(settings.NGrid[a], settings.Alpha, settings.BoundOptions);
            for (int l = 0; l < lCount; l++) plans[a, l] = learners[l].Plan(settings.NGrid[a], settings.Alpha);
        }

        // Work: one item per (n, learner) memorization plus one per (n, trial) draw.
        long memItems = (long)nCount * lCount, drawItems = (long)nCount * trials, total = memItems + drawItems;
        long done = 0;
        var mems = new MemorizationValue[nCount, lCount];
        var errors = new double[nCount][][];
        for (int a = 0; a < nCount; a++)
        {
            errors[a] = new double[lCount][];
            for (int l = 0; l < lCount; l++) errors[a][l] = new double[trials];
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.Threads, CancellationToken = cancel };
        progress?.Report(new WorkProgress(0, total, "memorization"));
        Parallel.For(0L, memItems, options, item =>
        {
            int a = (int)(item / lCount), l = (int)(item % lCount);
            mems[a, l] = learners[l].Memorization(plans[a, l]);
            progress?.Report(new WorkProgress(Interlocked.Increment(ref done), total, "memorization"));
        });
        Parallel.For(0L, drawItems, options, item =>
        {
            int a = (int)(item / trials), trial = (int)(item % trials);
            int n = settings.NGrid[a];
            var draw = problem.SampleDraw(new Rng(settings.Seed, $"tradeoff/{problem.Name}/draw/n={n}", (ulong)trial), n);
            for (int l = 0; l < lCount; l++)
            {
                var rng = new Rng(settings.Seed, $"tradeoff/{problem.Name}/{learners[l].Name}/n={n}", (ulong)trial);
                errors[a][l][trial] = learners[l].TrialError(plans[a, l], draw, rng);
            }
            progress?.Report(new WorkProgress(Interlocked.Increment(ref done), total, "errors"));
        });

        var rows = new List<TradeoffRow>();
        for (int a = 0; a < nCount; a++)
            for (int l = 0; l < lCount; l++)
                rows.Add(new TradeoffRow
                {
                    N = settings.NGrid[a], Bound = bounds[a], Learner = learners[l].Name, Plan = plans[a, l],
                    Memorization = mems[a, l],
                    Error = MeanInterval.StudentT(errors[a][l], settings.Confidence, 0, 1),
                    Trials = trials,
                });
        return rows;
    }

    /// <summary>
    /// A log-spaced grid of <paramref name="count"/> distinct integers from 1 to <paramref name="max"/> (fewer if the range is too small).
    /// </summary>
    public static int[] LogGrid(int max, int count)
    {
        UsageException.Require(max >= 1 && count >= 1, "grid needs max ≥ 1 and count ≥ 1");
        var set = new SortedSet<int>();
        for (int i = 0; i < count; i++)
            set.Add((int)Math.Round(Math.Pow(max, count == 1 ? 1 : i / (double)(count - 1))));
        int next = 1;
        while (set.Count < Math.Min(count, max)) { set.Add(next); next++; }
        return set.ToArray();
    }
}
