using Memscope.Core.Random;
using Memscope.Influence.Data;
using Memscope.Influence.Estimators;
using Memscope.Influence.Fz;
using Memscope.Influence.Plans;
using Memscope.Influence.Storage;
using Memscope.Influence.Training;

namespace Memscope.Influence.Tests;

/// <summary>The FZ pipeline end to end on small synthetic data: planted structure, resume, shards and grouping.</summary>
public class FzPipelineTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "memscope-fz-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { if (Directory.Exists(_root)) Directory.Delete(_root, true); }

    private const int Dim = 12, Classes = 4;
    // one flipped label per class, so that no two mislabeled points can lend each other support
    public static readonly int[] Mislabeled = [3, 17, 42, 60];
    public const int DuplicateTrain = 17, DuplicateTest = 7;

    /// <summary>Well-separated Gaussian blobs; a few training labels flipped; test 7 is a near-copy of train 17 with its flipped label.</summary>
    public static (LabeledDataset Train, LabeledDataset Test) Synthetic(int n = 160, int k = 40)
    {
        var rng = new Rng(99, "synthetic", 0);
        var centres = new double[Classes, Dim];
        for (int c = 0; c < Classes; c++) for (int j = 0; j < Dim; j++) centres[c, j] = 3 * rng.NextNormal();
        (float[] X, int[] Y) Make(int count, ulong stream)
        {
            var r = new Rng(99, "synthetic/points", stream);
            var x = new float[count * Dim]; var y = new int[count];
            for (int i = 0; i < count; i++)
            {
                y[i] = i % Classes;
                for (int j = 0; j < Dim; j++) x[i * Dim + j] = (float)(centres[y[i], j] + r.NextNormal());
            }
            return (x, y);
        }
        var (xt, yt) = Make(n, 1);
        foreach (int i in Mislabeled) yt[i] = (yt[i] + 1) % Classes;
        var (xs, ys) = Make(k, 2);
        for (int j = 0; j < Dim; j++) xs[DuplicateTest * Dim + j] = xt[DuplicateTrain * Dim + j] + 0.01f;
        ys[DuplicateTest] = yt[DuplicateTrain];
        var digest = new Dictionary<string, string> { ["synthetic"] = "99" };
        return (new LabeledDataset(xt, yt, Dim, Classes, null, "synthetic:train", digest, "none"),
                new LabeledDataset(xs, ys, Dim, Classes, null, "synthetic:test", digest, "none"));
    }

    private static ModelConfig Mlp => new() { Learner = "mlp", Hidden = [32], Epochs = 30, BatchSize = 32, LearningRate = 0.01 };

    private static Dictionary<string, byte[]> Snapshot(string dir)
    {
        var store = new ModelStore(dir);
        return store.DoneModels().SelectMany(m => Directory.GetFiles(store.ModelDir(m), "*.npy")
            .Select(f => (Key: $"{m}/{Path.GetFileName(f)}", Bytes: File.ReadAllBytes(f)))).ToDictionary(t => t.Key, t => t.Bytes);
    }

    private static void AssertSameBytes(Dictionary<string, byte[]> a, Dictionary<string, byte[]> b)
    {
        Assert.Equal(a.Keys.OrderBy(k => k), b.Keys.OrderBy(k => k));
        foreach (var key in a.Keys) Assert.True(a[key].AsSpan().SequenceEqual(b[key]), $"{key} differs");
    }

    [Fact]
    public void Knn1PlantedStructure_MislabeledAreMemorizedAndTheDuplicatePairIsInfluential()
    {
        var (train, test) = Synthetic();
        var plan = new SubsetPlan("fz", 0.7, 24, train.Count, seed: 5);
        string dir = Path.Combine(_root, "knn");
        FzTrainer.Run(dir, plan, new ModelConfig { Learner = "knn1" }, train, test, ShardSpec.All, threads: 2);
        var run = FzRun.Load(dir);
        var mem = MemorizationEstimator.Estimate(run.Outputs, run.Included);
        foreach (int i in Mislabeled) Assert.True(mem.Memorization[i] > 0.9, $"mislabeled {i}: mem {mem.Memorization[i]} in {mem.InAccuracy[i]} ({mem.InCount[i]}) out {mem.OutAccuracy[i]} ({mem.OutCount[i]})");
        double clean = Enumerable.Range(0, train.Count).Except(Mislabeled).Average(i => mem.Memorization[i]);
        Assert.True(clean < 0.1, $"clean mean mem {clean}");
        var pairs = new InfluenceEstimator(run.Outputs, run.Included).FindHighInfluencePairs(train.Labels, test.Labels);
        Assert.True(pairs.Pairs.Any(p => p.Train == DuplicateTrain && p.Test == DuplicateTest && p.Influence > 0.9),
            string.Join("; ", pairs.Pairs.Select(p => $"{p.Train}->{p.Test} {p.Influence:F2}")) + $" mem41={mem.Memorization[DuplicateTrain]} test7 label {test.Labels[DuplicateTest]} train41 {train.Labels[DuplicateTrain]}");
    }

    [Fact]
    public void MlpPlantedStructure_MislabeledExamplesGetHighMemorization()
    {
        var (train, test) = Synthetic();
        var plan = new SubsetPlan("fz", 0.7, 16, train.Count, seed: 6);
        string dir = Path.Combine(_root, "mlp");
        FzTrainer.Run(dir, plan, Mlp, train, test, ShardSpec.All, threads: 2);
        var run = FzRun.Load(dir);
        var mem = MemorizationEstimator.Estimate(run.Outputs, run.Included);
        double planted = Mislabeled.Average(i => mem.Memorization[i]);
        double clean = Enumerable.Range(0, train.Count).Except(Mislabeled).Average(i => mem.Memorization[i]);
        Assert.True(planted > 0.5 && planted > clean + 0.4, $"mislabeled mean mem {planted}, clean {clean}");
    }

    [Fact]
    public void ResumeShardsAndThreadCountsGiveByteIdenticalModels()
    {
        var (train, test) = Synthetic();
        var plan = new SubsetPlan("fz", 0.7, 9, train.Count, seed: 7);
        string whole = Path.Combine(_root, "whole");
        FzTrainer.Run(whole, plan, Mlp, train, test, ShardSpec.All, threads: 1);
        var reference = Snapshot(whole);
        Assert.Equal(9 * 5, reference.Count);

        // interrupted: cancel after a few models, leave a stale temporary folder from a "killed" process, then resume
        string resumed = Path.Combine(_root, "resumed");
        using (var cts = new CancellationTokenSource())
        {
            int seen = 0;
            try
            {
                FzTrainer.Run(resumed, plan, Mlp, train, test, ShardSpec.All, threads: 2,
                    progress: new SyncProgress(p => { if (++seen >= 3) cts.Cancel(); }), cancel: cts.Token);
            }
            catch (OperationCanceledException) { }
        }
        int partial = new ModelStore(resumed).DoneModels().Count;
        Assert.InRange(partial, 1, 8);
        Directory.CreateDirectory(Path.Combine(resumed, "models", ".tmp-m000008-999999-deadbeef"));
        var summary = FzTrainer.Run(resumed, plan, Mlp, train, test, ShardSpec.All, threads: 2);
        Assert.Equal(partial, summary.Skipped);
        Assert.False(Directory.Exists(Path.Combine(resumed, "models", ".tmp-m000008-999999-deadbeef")));
        AssertSameBytes(reference, Snapshot(resumed));

        // three shards in separate folders, merged
        var shardDirs = Enumerable.Range(0, 3).Select(s => Path.Combine(_root, $"shard{s}")).ToArray();
        for (int s = 0; s < 3; s++) FzTrainer.Run(shardDirs[s], plan, Mlp, train, test, new ShardSpec(s, 3), threads: 1);
        string merged = Path.Combine(_root, "merged");
        var (models, _) = FzMerge.Run(shardDirs, merged);
        Assert.Equal(9, models);
        AssertSameBytes(reference, Snapshot(merged));
    }

    [Fact]
    public void MismatchedPlansAreRefused()
    {
        var (train, test) = Synthetic();
        string a = Path.Combine(_root, "a"), b = Path.Combine(_root, "b");
        FzTrainer.Run(a, new SubsetPlan("fz", 0.7, 2, train.Count, 1), new ModelConfig { Learner = "knn1" }, train, test, ShardSpec.All, 1);
        FzTrainer.Run(b, new SubsetPlan("fz", 0.7, 2, train.Count, 2), new ModelConfig { Learner = "knn1" }, train, test, ShardSpec.All, 1);
        var e = Assert.Throws<Memscope.Core.UsageException>(() => FzMerge.Run([a, b], Path.Combine(_root, "m")));
        Assert.Contains("seed", e.Message);
        var e2 = Assert.Throws<Memscope.Core.UsageException>(() =>
            FzTrainer.Run(a, new SubsetPlan("fz", 0.5, 2, train.Count, 1), new ModelConfig { Learner = "knn1" }, train, test, ShardSpec.All, 1));
        Assert.Contains("subsetFraction", e2.Message);
    }

    [Fact]
    public void SubsetPlansHaveTheRightShape()
    {
        var fz = new SubsetPlan("fz", 0.7, 10, 101, 3);
        for (int m = 0; m < 10; m++) Assert.Equal(70, fz.Mask(m).Count(x => x));
        Assert.Equal(fz.Mask(4), new SubsetPlan("fz", 0.7, 10, 101, 3).Mask(4));
        Assert.NotEqual(fz.Mask(4), fz.Mask(5));
        var lira = new SubsetPlan("lira", 0, 8, 50, 3);
        for (int i = 0; i < 50; i++) Assert.Equal(4, Enumerable.Range(0, 8).Count(m => lira.Mask(m)[i]));
        Assert.Throws<Memscope.Core.UsageException>(() => new SubsetPlan("lira", 0, 7, 50, 3));
        Assert.Throws<Memscope.Core.UsageException>(() => new SubsetPlan("fz", 1.0, 7, 50, 3));
        Assert.Throws<Memscope.Core.UsageException>(() => new SubsetPlan("fz", 0.001, 7, 50, 3));
        Assert.Throws<Memscope.Core.UsageException>(() => ShardSpec.Parse("3/3"));
        Assert.Throws<Memscope.Core.UsageException>(() => ShardSpec.Parse("a/3"));
    }

    private sealed class SyncProgress(Action<TrainProgress> report) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) => report(value);
    }
}
