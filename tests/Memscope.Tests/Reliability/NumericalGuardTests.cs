using System.Text.Json.Nodes;
using Memscope.Core.IO;
using Memscope.Influence.Data;
using Memscope.Influence.Estimators;
using Memscope.Influence.Fz;
using Memscope.Influence.Plans;
using Memscope.Influence.Training;
using Memscope.Tests.Cli;

namespace Memscope.Tests.Reliability;

/// <summary>
/// A NaN or infinite loss or margin stops that model with a recorded reason, the estimators leave it out and report
/// it, and the aggregate equals the one computed without those models: nothing is poisoned.
/// </summary>
[Collection("console")]
public class NumericalGuardTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "memscope-nan-" + Guid.NewGuid().ToString("N"));
    public NumericalGuardTests() => Directory.CreateDirectory(_root);
    public void Dispose() { if (Directory.Exists(_root)) Directory.Delete(_root, true); }

    private static readonly int[] NanLoss = [2, 5], NanTrainMargin = [9], InfTestMargin = [12];
    private static readonly int[] Poisoned = [.. NanLoss, .. NanTrainMargin, .. InfTestMargin];

    /// <summary>knn1 with planted faults: some models report a NaN loss, a NaN train margin or an infinite test margin, and none says it is excluded.</summary>
    private sealed class PoisonedLearner(IFzLearner inner) : IFzLearner
    {
        public string Name => inner.Name;
        public ModelResult Train(int model, bool[] mask)
        {
            var r = inner.Train(model, mask);
            if (NanLoss.Contains(model)) return r with { FinalLoss = double.NaN };
            if (NanTrainMargin.Contains(model)) { var m = (float[])r.TrainMargin.Clone(); m[7] = float.NaN; return r with { TrainMargin = m }; }
            if (InfTestMargin.Contains(model)) { var m = (float[])r.TestMargin.Clone(); m[0] = float.PositiveInfinity; return r with { TestMargin = m }; }
            return r;
        }
        public void Dispose() => inner.Dispose();
    }

    [Fact]
    public void PlantedNaNsAreExcludedReportedAndDoNotPoisonTheScores()
    {
        var train = CsvDataset.Load(RunFolder.WriteCsv(Path.Combine(_root, "train.csv"), 200, 8, 4, seed: 5));
        var test = CsvDataset.Load(RunFolder.WriteCsv(Path.Combine(_root, "test.csv"), 60, 8, 4, seed: 6));
        var plan = new SubsetPlan("fz", 0.7, 16, train.Count, seed: 9);
        var config = new ModelConfig { Learner = "knn1" };
        string poisoned = Path.Combine(_root, "poisoned"), clean = Path.Combine(_root, "clean");
        using (var learner = new PoisonedLearner(FzLearners.Create(config, train, test, plan.Seed)))
        {
            var summary = FzTrainer.Run(poisoned, plan, config, train, test, ShardSpec.All, threads: 2, learner: learner);
            Assert.Equal(Poisoned.Length, summary.Excluded);
        }
        FzTrainer.Run(clean, plan, config, train, test, ShardSpec.All, threads: 2);

        // the reason is recorded per model, and only the mask is kept
        foreach (int m in Poisoned)
        {
            var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(poisoned, "models", $"m{m:D6}", "model.json")))!;
            Assert.True(meta["excluded"]!.GetValue<bool>());
            Assert.Contains("non-finite", meta["excludedReason"]!.GetValue<string>());
            Assert.False(File.Exists(Path.Combine(poisoned, "models", $"m{m:D6}", "train_margin.npy")));
        }

        var (code, _, err) = CliRunner.Run("fz", "scores", poisoned, "--lira-targets", "2");
        Assert.True(code == 0, err);
        Assert.Contains($"({Poisoned.Length} excluded)", err);
        var scores = JsonNode.Parse(File.ReadAllText(Path.Combine(poisoned, "scores.json")))!;
        Assert.Equal(Poisoned.Length, scores["modelsExcluded"]!.GetValue<int>());
        Assert.Equal(16 - Poisoned.Length, scores["modelsUsed"]!.GetValue<int>());
        Assert.Equal(Poisoned.Select(m => m.ToString()).Order(), scores["excludedReasons"]!.AsObject().Select(kv => kv.Key).Order());
        var lira = JsonNode.Parse(File.ReadAllText(Path.Combine(poisoned, "lira.json")))!;
        Assert.Equal(Poisoned.Length, lira["modelsExcluded"]!.GetValue<int>());
        foreach (var v in lira["variants"]!.AsObject()) Assert.True(double.IsFinite(v.Value!["auc"]!.GetValue<double>()), $"LiRA {v.Key} AUC is not finite");

        // the same numbers as the clean run with those models left out
        var run = FzRun.Load(clean);
        var included = run.ModelIndex.Select(m => !Poisoned.Contains(m)).ToArray();
        var expected = MemorizationEstimator.Estimate(run.Outputs, included);
        var got = NpyFile.Read<double>(Path.Combine(poisoned, "mem.npy")).Data;
        Assert.Equal(expected.Memorization.Select(BitConverter.DoubleToInt64Bits), got.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.UndefinedCount, got.Count(double.IsNaN));
        var pairs = new InfluenceEstimator(run.Outputs, included).FindHighInfluencePairs(train.Labels, test.Labels);
        Assert.Equal(pairs.Pairs.Count + 1, File.ReadAllLines(Path.Combine(poisoned, "pairs.csv")).Length);
        var liraClean = Memscope.Influence.Lira.LiraAttack.Run(run.Outputs, new Memscope.Influence.Lira.LiraOptions { Targets = 2 }, included);
        Assert.Equal(liraClean[Memscope.Influence.Lira.LiraVariant.Online].Auc, lira["variants"]!["online"]!["auc"]!.GetValue<double>());
    }

    [Fact]
    public void ADivergingLearningRateExcludesEveryModelAndScoresSaySo()
    {
        string train = RunFolder.WriteCsv(Path.Combine(_root, "train.csv"), 120, 8, 3, seed: 1);
        string test = RunFolder.WriteCsv(Path.Combine(_root, "test.csv"), 30, 8, 3, seed: 2);
        string dir = Path.Combine(_root, "diverged");
        var (code, _, err) = CliRunner.Run("fz", "train", "--train", train, "--test", test, "--learner", "mlp", "--hidden", "16", "--epochs", "2",
            "--lr", "1e30", "--models", "4", "--threads", "2", "--out", dir);
        Assert.True(code == 0, err);
        Assert.Contains("4 excluded by the numerical guard", err);
        Assert.Contains("non-finite training loss", File.ReadAllText(Path.Combine(dir, "models", "m000003", "model.json")));
        var scores = CliRunner.Run("fz", "scores", dir);
        Assert.Equal(2, scores.Code);
        Assert.Contains("every model was excluded", scores.Err);
        Assert.False(File.Exists(Path.Combine(dir, "mem.csv")));
    }
}
