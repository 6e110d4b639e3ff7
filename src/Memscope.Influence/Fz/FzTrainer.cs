using Memscope.Torch;
using System.Diagnostics;
using Memscope.Core;
using Memscope.Influence.Data;
using Memscope.Influence.Plans;
using Memscope.Influence.Storage;
using Memscope.Influence.Training;

namespace Memscope.Influence.Fz;

/// <summary>Progress of training: models finished out of those this shard owns.</summary>
public readonly record struct TrainProgress(int Done, int Total, int Skipped);

/// <summary>Summary of one <see cref="FzTrainer.Run"/>.</summary>
public sealed record TrainSummary(int Owned, int Skipped, int Trained, int Excluded, double Seconds);

/// <summary>
/// Trains the models of one shard into a run folder (FZ §2 / LiRA §4 subsets): writes plan.json on first use, checks
/// it on every later use, skips models already finished (resume), and writes each model atomically. Models run in
/// parallel across <c>threads</c>, each with its own keyed streams, so the output does not depend on threads, shard
/// layout or interruption.
/// </summary>
public static class FzTrainer
{
    public static TrainSummary Run(string outDir, SubsetPlan plan, ModelConfig config, LabeledDataset train, LabeledDataset test,
        ShardSpec shard, int threads, string device = "cpu", IProgress<TrainProgress>? progress = null, CancellationToken cancel = default)
    {
        config.Validate();
        UsageException.Require(threads >= 1, $"--threads must be ≥ 1, got {threads}");
        UsageException.Require(train.Dim == test.Dim, $"train has {train.Dim} features but test has {test.Dim}; use matching data sets");
        UsageException.Require(plan.TrainCount == train.Count, "the subset plan does not match the training set size");
        UsageException.Require(test.Classes <= train.Classes,
            $"test labels go up to {test.Classes - 1} but training labels only to {train.Classes - 1}; use test data with the training set's classes");
        if (config.Learner != "knn1") TorchRuntime.Device(device); // a bad --device fails before anything is written
        var manifest = FzPlanManifest.Create(plan, config, train, test, device);
        Directory.CreateDirectory(outDir);
        if (FzPlanManifest.Exists(outDir)) FzPlanManifest.Read(outDir).RequireSame(manifest, $"{outDir}: this command");
        else manifest.Write(outDir);

        var store = new ModelStore(outDir);
        store.CleanStaleTemporaries();
        var owned = shard.ModelsOf(plan.Models).ToArray();
        var todo = owned.Where(m => !store.IsDone(m)).ToArray();
        int skipped = owned.Length - todo.Length, done = 0, excluded = 0;
        progress?.Report(new TrainProgress(skipped, owned.Length, skipped));
        var sw = Stopwatch.StartNew();
        if (todo.Length > 0)
        {
            if (config.Learner != "knn1") TorchThreads.UseOnePerModel();
            using var learner = FzLearners.Create(config, train, test, plan.Seed, device);
            Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel }, m =>
            {
                var mask = plan.Mask(m);
                var t = Stopwatch.StartNew();
                var result = learner.Train(m, mask);
                store.Write(mask, result, t.Elapsed.TotalSeconds);
                if (result.Excluded) Interlocked.Increment(ref excluded);
                progress?.Report(new TrainProgress(skipped + Interlocked.Increment(ref done), owned.Length, skipped));
            });
        }
        return new TrainSummary(owned.Length, skipped, todo.Length, excluded, sw.Elapsed.TotalSeconds);
    }
}
