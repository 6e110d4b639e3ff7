using Memscope.Torch;
using System.Diagnostics;
using Memscope.Core;
using Memscope.Core.IO;
using Memscope.Influence.Data;
using Memscope.Influence.Plans;
using Memscope.Influence.Storage;
using Memscope.Influence.Training;

namespace Memscope.Influence.Fz;

/// <summary>Progress of training: models finished out of those this shard owns.</summary>
public readonly record struct TrainProgress(int Done, int Total, int Skipped);

/// <summary>
/// Summary of one <see cref="FzTrainer.Run"/>: models owned by the shard, already finished, trained here, excluded by
/// the numerical guard, and left to (or finished meanwhile by) another live worker on the same folder.
/// </summary>
/// <param name="ModelSeconds">From the first model's start to the last model's results written: <c>Seconds</c> without
/// the learner's setup (loading LibTorch, copying the data into tensors).</param>
public sealed record TrainSummary(int Owned, int Skipped, int Trained, int Excluded, double Seconds, int LeftToOthers = 0, double ModelSeconds = 0);

/// <summary>
/// Trains the models of one shard into a run folder (FZ §2 / LiRA §4 subsets): writes plan.json on first use, checks
/// it on every later use, skips models already finished (resume), and writes each model atomically. Models run in
/// parallel across <c>threads</c>, each with its own keyed streams, so the output does not depend on threads, shard
/// layout or interruption. A second worker on the same folder and shard is refused with a clear message (the shard
/// lock); workers on overlapping shards share the work through per-model claims (<see cref="ModelStore.TryClaim"/>).
/// Both are OS file locks that die with their process, so a killed worker never blocks the resume.
/// With <c>ensemble</c> G &gt; 1 (logistic only) each worker claims up to G unfinished models at a time and trains them
/// together (<see cref="IFzGroupLearner"/>); every model is still claimed, written and resumed on its own, and its
/// files are the same bytes as with G = 1.
/// </summary>
public static class FzTrainer
{
    public static TrainSummary Run(string outDir, SubsetPlan plan, ModelConfig config, LabeledDataset train, LabeledDataset test,
        ShardSpec shard, int threads, string device = "cpu", IProgress<TrainProgress>? progress = null, CancellationToken cancel = default,
        IFzLearner? learner = null, int ensemble = 1)
    {
        config.Validate();
        FzLearners.CheckEnsemble(config, ensemble);
        UsageException.Require(threads >= 1, $"--threads must be ≥ 1, got {threads}");
        UsageException.Require(train.Dim == test.Dim, $"train has {train.Dim} features but test has {test.Dim}; use matching data sets");
        UsageException.Require(plan.TrainCount == train.Count, "the subset plan does not match the training set size");
        UsageException.Require(test.Classes <= train.Classes,
            $"test labels go up to {test.Classes - 1} but training labels only to {train.Classes - 1}; use test data with the training set's classes");
        if (config.Learner != "knn1") TorchRuntime.Device(device); // a bad --device fails before anything is written
        var manifest = FzPlanManifest.Create(plan, config, train, test, device);
        Directory.CreateDirectory(outDir);
        using var shardLock = LockShard(outDir, shard);
        if (FzPlanManifest.Exists(outDir)) FzPlanManifest.Read(outDir).RequireSame(manifest, $"{outDir}: this command");
        else manifest.Write(outDir);

        var store = new ModelStore(outDir);
        store.CleanStaleTemporaries();
        var owned = shard.ModelsOf(plan.Models).ToArray();
        var todo = owned.Where(m => !store.IsDone(m)).ToArray();
        int skipped = owned.Length - todo.Length, done = 0, excluded = 0, trained = 0, busy = 0;
        progress?.Report(new TrainProgress(skipped, owned.Length, skipped));
        var sw = Stopwatch.StartNew();
        var modelClock = new Stopwatch();
        if (todo.Length > 0)
        {
            IFzLearner? own = learner is null ? FzLearners.Create(config, train, test, plan.Seed, device, ensemble) : null;
            var model = learner ?? own!;
            modelClock.Start();
            try
            {
                if (model is IFzGroupLearner group && group.GroupSize > 1)
                {
                    // each worker claims up to G unfinished models (fewer near the end, so that all threads get work) and trains them together
                    int cursor = -1;
                    Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel }, _ =>
                    {
                        var claims = new List<(int Model, FileLock Claim)>(group.GroupSize);
                        while (!cancel.IsCancellationRequested)
                        {
                            int left = todo.Length - 1 - Volatile.Read(ref cursor);
                            int want = Math.Clamp((left + threads - 1) / threads, 1, group.GroupSize);
                            claims.Clear();
                            while (claims.Count < want)
                            {
                                int i = Interlocked.Increment(ref cursor);
                                if (i >= todo.Length) break;
                                int m = todo[i];
                                var claim = store.TryClaim(m);
                                if (claim is null) { Interlocked.Increment(ref busy); continue; }   // a live worker is on it
                                if (store.IsDone(m))   // recheck under the claim: another worker finished it meanwhile
                                {
                                    Interlocked.Increment(ref busy);
                                    claim.ReleaseAndDelete();
                                    progress?.Report(new TrainProgress(skipped + Interlocked.Increment(ref done), owned.Length, skipped));
                                    continue;
                                }
                                claims.Add((m, claim));
                            }
                            if (claims.Count == 0) break;
                            try
                            {
                                foreach (var (m, _) in claims) store.RemoveTemporaries(m);   // left by a killed worker; nobody else may write m now
                                var models = claims.Select(c => c.Model).ToArray();
                                var masks = models.Select(plan.Mask).ToArray();
                                var t = Stopwatch.StartNew();
                                var results = group.TrainGroup(models, masks);
                                double seconds = t.Elapsed.TotalSeconds / models.Length;
                                for (int j = 0; j < models.Length; j++)
                                {
                                    var result = ModelGuard.Check(results[j]);
                                    store.Write(masks[j], result, seconds);
                                    Interlocked.Increment(ref trained);
                                    if (result.Excluded) Interlocked.Increment(ref excluded);
                                    claims[j].Claim.ReleaseAndDelete();
                                    progress?.Report(new TrainProgress(skipped + Interlocked.Increment(ref done), owned.Length, skipped));
                                }
                            }
                            finally { foreach (var (_, c) in claims) c.Dispose(); }
                        }
                        cancel.ThrowIfCancellationRequested();
                    });
                }
                else Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel }, m =>
                {
                    using var claim = store.TryClaim(m);
                    if (claim is null) { Interlocked.Increment(ref busy); return; }   // a live worker is on it
                    if (store.IsDone(m)) Interlocked.Increment(ref busy);   // recheck under the claim: another worker finished it meanwhile
                    else
                    {
                        store.RemoveTemporaries(m);   // left by a killed worker; nobody else may write m now
                        var mask = plan.Mask(m);
                        var t = Stopwatch.StartNew();
                        var result = ModelGuard.Check(model.Train(m, mask));
                        store.Write(mask, result, t.Elapsed.TotalSeconds);
                        Interlocked.Increment(ref trained);
                        if (result.Excluded) Interlocked.Increment(ref excluded);
                    }
                    claim.ReleaseAndDelete();
                    progress?.Report(new TrainProgress(skipped + Interlocked.Increment(ref done), owned.Length, skipped));
                });
            }
            finally { modelClock.Stop(); own?.Dispose(); }
        }
        return new TrainSummary(owned.Length, skipped, trained, excluded, sw.Elapsed.TotalSeconds, busy, modelClock.Elapsed.TotalSeconds);
    }

    /// <summary>File name of the lock one worker holds on a shard of a run folder.</summary>
    public static string ShardLockName(ShardSpec shard) => $".lock-shard-{shard.Index}-of-{shard.Count}";

    /// <summary>Takes the shard lock, or refuses with a message naming the worker that holds it.</summary>
    private static FileLock LockShard(string outDir, ShardSpec shard)
    {
        string path = Path.Combine(outDir, ShardLockName(shard));
        var held = FileLock.TryAcquire(path);
        if (held is null)
        {
            string who;
            try { who = File.ReadAllText(path + ".owner").Trim(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { who = "another process"; }
            throw new UsageException($"{outDir}: shard {shard} is already being trained by {who}; " +
                "wait for it to finish (rerunning then resumes), or give this worker another --shard or --out");
        }
        AtomicFile.WriteAllText(path + ".owner",
            $"`memscope fz train` (pid {Environment.ProcessId} on {Environment.MachineName}, started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z)\n");
        return held;
    }
}
