using System.Globalization;

namespace Memscope.Tests.Reliability;

/// <summary>
/// One small FZ run made once for the reliability tests: CSV data (1,500 train, 300 test, 24 features, 4 classes),
/// 60 knn1 models trained by an uninterrupted `memscope fz train` child process, then `fz scores`. Tests compare
/// their interrupted, concurrent or disk-full runs with it byte for byte.
/// </summary>
public sealed class ReferenceRun : IDisposable
{
    public const int TrainCount = 1500, TestCount = 300, Models = 60;
    public static readonly string[] ScoreFiles = ["mem.csv", "pairs.csv", "lira.json", "scores.json", "mem.npy", "mem_stderr.npy"];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "memscope-rel-" + Guid.NewGuid().ToString("N"));
    public string Train { get; }
    public string Test { get; }
    public string Dir { get; }
    public double TrainSeconds { get; }
    public SortedDictionary<string, string> ModelDigests { get; }
    public Dictionary<string, byte[]> Scores { get; }

    public ReferenceRun()
    {
        Directory.CreateDirectory(Root);
        Train = RunFolder.WriteCsv(Path.Combine(Root, "train.csv"), TrainCount, 24, 4, seed: 11);
        Test = RunFolder.WriteCsv(Path.Combine(Root, "test.csv"), TestCount, 24, 4, seed: 12);
        Dir = Path.Combine(Root, "reference");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var r = MemscopeProcess.Run(TrainArgs(Dir));
        TrainSeconds = sw.Elapsed.TotalSeconds;
        if (r.Code != 0) throw new InvalidOperationException($"reference fz train failed ({r.Code}): {r.Err}");
        r = MemscopeProcess.Run(ScoresArgs(Dir));
        if (r.Code != 0) throw new InvalidOperationException($"reference fz scores failed ({r.Code}): {r.Err}");
        ModelDigests = RunFolder.ModelDigests(Dir);
        if (ModelDigests.Count != 5 * Models) throw new InvalidOperationException($"reference has {ModelDigests.Count} arrays");
        Scores = ScoreFiles.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(Dir, f)));
    }

    public string[] TrainArgs(string outDir, string shard = "0/1", int threads = 2) =>
        ["fz", "train", "--train", Train, "--test", Test, "--learner", "knn1", "--models", Models.ToString(CultureInfo.InvariantCulture),
         "--seed", "3", "--threads", threads.ToString(CultureInfo.InvariantCulture), "--shard", shard, "--out", outDir];

    public static string[] ScoresArgs(string dir) => ["fz", "scores", dir, "--lira-targets", "2"];

    /// <summary>Asserts that <paramref name="dir"/> holds exactly the reference models and (if scored) the reference scores.</summary>
    public void AssertSameAsReference(string dir, bool scores)
    {
        var digests = RunFolder.ModelDigests(dir);
        Assert.Equal(ModelDigests.Keys, digests.Keys);
        foreach (var (k, v) in ModelDigests) Assert.True(v == digests[k], $"{k} differs from the uninterrupted run");
        if (!scores) return;
        foreach (var (f, bytes) in Scores)
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, f))), $"{f} differs from the uninterrupted run");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition("reference-run")]
public sealed class ReferenceRunCollection : ICollectionFixture<ReferenceRun>;
