using System.Diagnostics;
using System.Globalization;
using System.Text;
using Memscope.Cli;

namespace Memscope.Tests.Cli;

/// <summary>The `fz` and `data` commands: bad input gives one line, exit 2 and no output; a small run end to end.</summary>
[Collection("console")]
public class FzCliTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "memscope-fzcli-" + Guid.NewGuid().ToString("N"));
    public FzCliTests() => Directory.CreateDirectory(_root);
    public void Dispose() { if (Directory.Exists(_root)) Directory.Delete(_root, true); }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    /// <summary>Two Gaussian blobs in 6 dimensions as CSV (label column first).</summary>
    private string Csv(string name, int rows, int seed, bool badWidth = false, bool nonNumeric = false)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder("label,f0,f1,f2,f3,f4,f5\n");
        for (int i = 0; i < rows; i++)
        {
            int y = i % 2;
            var f = Enumerable.Range(0, 6).Select(_ => (y * 3 + rng.NextDouble()).ToString("R", CultureInfo.InvariantCulture)).ToList();
            if (badWidth && i == 5) f.RemoveAt(0);
            if (nonNumeric && i == 3) f[2] = "abc";
            sb.Append(y).Append(',').AppendJoin(',', f).Append('\n');
        }
        string path = Path.Combine(_root, name);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private void AssertUsageError((int Code, string Out, string Err) r, string contains, string outDir)
    {
        Assert.Equal(2, r.Code);
        Assert.Single(r.Err.Trim().Split('\n'));
        Assert.Contains(contains, r.Err);
        Assert.False(Directory.Exists(outDir), "no output folder may be left behind");
    }

    [Fact]
    public void BadInputsGiveOneLineExitTwoAndNoOutput()
    {
        string train = Csv("train.csv", 40, 1), test = Csv("test.csv", 10, 2), outDir = Path.Combine(_root, "out");
        AssertUsageError(Run("fz", "train", "--train", train, "--test", test, "--learner", "knn1", "--models", "4", "--subset-fraction", "1.5", "--out", outDir), "--subset-fraction", outDir);
        AssertUsageError(Run("fz", "train", "--train", train, "--test", test, "--learner", "knn1", "--models", "4", "--shard", "4/4", "--out", outDir), "--shard", outDir);
        AssertUsageError(Run("fz", "train", "--train", Csv("w.csv", 20, 3, badWidth: true), "--test", test, "--learner", "knn1", "--models", "4", "--out", outDir), "w.csv", outDir);
        AssertUsageError(Run("fz", "train", "--train", Csv("n.csv", 20, 3, nonNumeric: true), "--test", test, "--learner", "knn1", "--models", "4", "--out", outDir), "n.csv", outDir);
        string idx = Path.Combine(_root, "train-images-idx3-ubyte.gz");
        File.WriteAllBytes(idx, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]);
        AssertUsageError(Run("fz", "train", "--train", idx, "--test", test, "--learner", "knn1", "--models", "4", "--out", outDir), "train-images-idx3-ubyte.gz", outDir);
        AssertUsageError(Run("fz", "train", "--train", train, "--test", test, "--learner", "forest", "--models", "4", "--out", outDir), "--learner", outDir);
        AssertUsageError(Run("fz", "scores", Path.Combine(_root, "nothing")), "plan.json", Path.Combine(_root, "nothing"));
    }

    [Fact]
    public void TrainScoresAndMergeOnCsvData()
    {
        string train = Csv("train.csv", 60, 1), test = Csv("test.csv", 20, 2);
        string a = Path.Combine(_root, "a"), b = Path.Combine(_root, "b"), other = Path.Combine(_root, "other");
        string[] common = ["fz", "train", "--train", train, "--test", test, "--learner", "knn1", "--models", "8", "--seed", "4"];
        Assert.Equal(0, Run([.. common, "--shard", "0/2", "--out", a]).Code);
        Assert.Equal(0, Run([.. common, "--shard", "1/2", "--out", b]).Code);
        Assert.Equal(0, Run(["fz", "train", "--train", train, "--test", test, "--learner", "knn1", "--models", "8", "--seed", "5", "--out", other]).Code);
        string merged = Path.Combine(_root, "merged");
        var bad = Run("fz", "merge", a, other, "--out", merged);
        AssertUsageError(bad, "seed", merged);
        Assert.Equal(0, Run("fz", "merge", a, b, "--out", merged).Code);
        var (code, _, err) = Run("fz", "scores", merged, "--lira-targets", "2");
        Assert.True(code == 0, err);
        Assert.StartsWith("index,label,mem,stderr,n_in,n_out", File.ReadLines(Path.Combine(merged, "mem.csv")).First());
        Assert.StartsWith("train_index,test_index,mem,infl", File.ReadLines(Path.Combine(merged, "pairs.csv")).First());
        Assert.Equal(61, File.ReadLines(Path.Combine(merged, "mem.csv")).Count());
        Assert.True(File.Exists(Path.Combine(merged, "lira.json")));
        Assert.True(File.Exists(Path.Combine(merged, "mem_hist.png")));
        Assert.True(File.Exists(Path.Combine(merged, "run.json")));
    }

    [Fact]
    public void SlurmArrayExampleRunsShardsThatMergeIntoTheSingleRun()
    {
        string repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "Memscope.sln"))) repo = Path.GetDirectoryName(repo)!;
        string dll = Path.Combine(AppContext.BaseDirectory, "memscope.dll");
        string train = Csv("train.csv", 60, 1), test = Csv("test.csv", 20, 2);
        string run = Path.Combine(_root, "slurm");
        for (int shard = 0; shard < 3; shard++)
        {
            var psi = new ProcessStartInfo("bash", [Path.Combine(repo, "deploy", "slurm-array.sh")]) { RedirectStandardError = true, RedirectStandardOutput = true };
            psi.Environment["MEMSCOPE"] = $"dotnet {dll}";
            psi.Environment["RUN"] = run;
            psi.Environment["TRAIN"] = train;
            psi.Environment["TEST"] = test;
            psi.Environment["MODELS"] = "6";
            psi.Environment["SLURM_ARRAY_TASK_COUNT"] = "3";
            psi.Environment["SLURM_ARRAY_TASK_ID"] = shard.ToString(CultureInfo.InvariantCulture);
            psi.Environment["SLURM_CPUS_PER_TASK"] = "1";
            using var p = Process.Start(psi)!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, err);
        }
        Assert.Equal(0, Run("fz", "merge", Path.Combine(run, "shard-0"), Path.Combine(run, "shard-1"), Path.Combine(run, "shard-2"), "--out", Path.Combine(run, "merged")).Code);
        // the same models trained in one go (the script's fixed settings: mlp, seed 1, f = 0.7)
        string single = Path.Combine(_root, "single");
        Assert.Equal(0, Run("fz", "train", "--train", train, "--test", test, "--learner", "mlp", "--models", "6", "--subset-fraction", "0.7", "--seed", "1", "--out", single).Code);
        foreach (var file in Directory.GetFiles(Path.Combine(single, "models"), "*.npy", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(single, file);
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(run, "merged", rel)));
        }
    }
}
