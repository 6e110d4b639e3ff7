using Memscope.Torch;
using Memscope.Core;
using Memscope.Core.Random;
using Memscope.Core.Statistics;
using Memscope.Influence.Data;
using Memscope.Influence.Training;

namespace Memscope.Influence.Fz;

/// <summary>One arm of the marginal-utility experiment: test accuracy of each replicate and the summary.</summary>
public sealed record UtilityArm(string Name, int Removed, double[] Accuracies)
{
    public double Mean => Accuracies.Average();
    public double StdError => MeanInterval.StandardError(Accuracies);
}

/// <summary>The three arms and the accuracy drops relative to the full training set.</summary>
public sealed record UtilityResult(double Threshold, int HighMemCount, UtilityArm Full, UtilityArm HighMemRemoved, UtilityArm RandomRemoved)
{
    /// <summary>Drop from removing the high-memorization examples, with its standard error (independent arms).</summary>
    public (double Drop, double StdError) HighMemDrop => Drop(HighMemRemoved);
    public (double Drop, double StdError) RandomDrop => Drop(RandomRemoved);

    private (double, double) Drop(UtilityArm arm) =>
        (Full.Mean - arm.Mean, Math.Sqrt(Math.Pow(Full.StdError, 2) + Math.Pow(arm.StdError, 2)));
}

/// <summary>
/// FZ §3 / Fig. 2, marginal utility of memorized examples: train on the full training set, on the set without the
/// examples with mem ≥ threshold, and on the set without the same number of random examples (a fresh random set per
/// replicate), and compare the test-accuracy drops. Each replicate's model and random set come from keyed streams.
/// </summary>
public static class MarginalUtility
{
    public static UtilityResult Run(LabeledDataset train, LabeledDataset test, double[] memorization, double threshold, ModelConfig config,
        int replicates, ulong seed, int threads, IProgress<(int Done, int Total)>? progress = null)
    {
        UsageException.Require(memorization.Length == train.Count, $"{memorization.Length} memorization scores for {train.Count} training examples");
        UsageException.Require(replicates >= 2, $"--replicates must be ≥ 2 (for error bars), got {replicates}");
        var high = Enumerable.Range(0, train.Count).Where(i => memorization[i] >= threshold).ToArray();
        UsageException.Require(high.Length > 0, $"no training example has mem ≥ {threshold}; lower --threshold");
        UsageException.Require(high.Length < train.Count, $"every training example has mem ≥ {threshold}; raise --threshold");
        var highSet = high.ToHashSet();
        var keepWithoutHigh = Enumerable.Range(0, train.Count).Where(i => !highSet.Contains(i)).ToArray();

        int total = 3 * replicates, done = 0;
        double[] TrainArm(string arm, Func<int, int[]> keep)
        {
            var acc = new double[replicates];
            ulong armSeed = StreamKey.Derive(seed, "utility/" + arm, 0);
            Parallel.For(0, replicates, new ParallelOptions { MaxDegreeOfParallelism = threads }, r =>
            {
                var subset = train.Subset(keep(r));
                using var learner = FzLearners.Create(config, subset, test, armSeed);
                var result = learner.Train(r, Enumerable.Repeat(true, subset.Count).ToArray());
                acc[r] = result.Excluded ? double.NaN : result.TestCorrect.Count(c => c) / (double)test.Count;
                progress?.Report((Interlocked.Increment(ref done), total));
            });
            UsageException.Require(acc.All(double.IsFinite), $"a {arm} model's training loss went non-finite; lower --lr");
            return acc;
        }

        var all = Enumerable.Range(0, train.Count).ToArray();
        var full = TrainArm("full", _ => all);
        var withoutHigh = TrainArm("high-mem-removed", _ => keepWithoutHigh);
        var withoutRandom = TrainArm("random-removed", r =>
        {
            var rng = new Rng(seed, "utility/random-set", (ulong)r);
            var perm = (int[])all.Clone();
            for (int i = 0; i < high.Length; i++) { int j = i + rng.NextInt(perm.Length - i); (perm[i], perm[j]) = (perm[j], perm[i]); }
            return perm.Skip(high.Length).OrderBy(i => i).ToArray();
        });
        return new UtilityResult(threshold, high.Length,
            new UtilityArm("full", 0, full), new UtilityArm("high-mem-removed", high.Length, withoutHigh), new UtilityArm("random-removed", high.Length, withoutRandom));
    }
}
