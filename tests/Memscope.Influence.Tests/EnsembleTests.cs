using Memscope.Core;
using Memscope.Influence.Data;
using Memscope.Influence.Fz;
using Memscope.Influence.Plans;
using Memscope.Influence.Storage;
using Memscope.Influence.Training;
using Memscope.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Memscope.Influence.Tests;

/// <summary>
/// The batched logistic ensemble (<c>--ensemble G</c>): a model's stored files are the same bytes for every G, thread
/// count and interruption, and equal to the one-model path's; its gradient equals autograd's.
/// </summary>
public sealed class EnsembleTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "memscope-ensemble-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { if (Directory.Exists(_root)) Directory.Delete(_root, true); }

    public EnsembleTests() => TorchRuntime.EnsureLoaded();

    /// <summary>
    /// Data and batch size per case. "fmnist": 784 features (every batch 64-byte aligned), FZ subsets of 420 = 13·32 + 4
    /// (a short, still batched, last step). "synthetic": 12 features, so batches start at offsets that are not
    /// multiples of 64 bytes, and subsets of 112 = 3·37 + 1: a one-row last batch, which MKL's batched gemm computes
    /// differently from mm (docs/fz.md), here too small (12·4 < 400) for the batched call. "fmnist-onerow": FZ subsets
    /// of 420 = 419 + 1, so the batched call gets a one-row batch, where torch.bmm's slices differ from mm. LiRA mode: subset sizes differ by model, so steps mix batched and per-model work.
    /// </summary>
    private static (LabeledDataset Train, LabeledDataset Test, ModelConfig Config) Case(string data)
    {
        if (data == "synthetic")
        {
            var (train, test) = FzPipelineTests.Synthetic();
            return (train, test, new ModelConfig { Learner = "logistic", Epochs = 2, BatchSize = 37, LearningRate = 0.01 });
        }
        var fullTrain = EmbeddedFashionMnist.LoadTrain();
        var fullTest = EmbeddedFashionMnist.LoadTest();
        return (fullTrain.Subset(Enumerable.Range(0, 600).ToArray()), fullTest.Subset(Enumerable.Range(0, 150).ToArray()),
            new ModelConfig { Learner = "logistic", Epochs = 2, BatchSize = data == "fmnist-onerow" ? 419 : 32, LearningRate = 0.01 });
    }

    [Theory]
    [InlineData("fmnist", "fz")]
    [InlineData("fmnist", "lira")]
    [InlineData("fmnist-onerow", "fz")]
    [InlineData("synthetic", "fz")]
    [InlineData("synthetic", "lira")]
    public void DifferentEnsembleBatchSize_StoredModelsAreByteIdentical(string data, string mode)
    {
        var (train, test, config) = Case(data);
        var plan = new SubsetPlan(mode, 0.7, 10, train.Count, seed: 3);
        using (var probe = new LogisticEnsembleLearner(config, train, test, plan.Seed, 8))
            Assert.True(probe.Batched, $"the batched products are not in use here ({BatchedProducts.Unavailable}); the test would compare the per-model path with itself");

        string single = Path.Combine(_root, "g1");
        FzTrainer.Run(single, plan, config, train, test, ShardSpec.All, threads: 1, ensemble: 1);   // TorchClassifierLearner
        var reference = Snapshot(single);
        Assert.Equal(10 * 6, reference.Count);
        foreach (int g in new[] { 2, 3, 8 })
        {
            string dir = Path.Combine(_root, $"g{g}");
            var summary = FzTrainer.Run(dir, plan, config, train, test, ShardSpec.All, threads: 2, ensemble: g);
            Assert.Equal(10, summary.Trained);
            AssertSameBytes(reference, Snapshot(dir), $"G = {g}");
        }
        // G larger than the models left, one thread: one group of all ten
        string all = Path.Combine(_root, "g16");
        FzTrainer.Run(all, plan, config, train, test, ShardSpec.All, threads: 1, ensemble: 16);
        AssertSameBytes(reference, Snapshot(all), "G = 16");
    }

    [Fact]
    public void EnsembleInterruptedAndResumedWithAnotherGroupSize_IsByteIdentical()
    {
        var (train, test, config) = Case("fmnist");
        var plan = new SubsetPlan("lira", 0.5, 12, train.Count, seed: 9);
        string reference = Path.Combine(_root, "reference");
        FzTrainer.Run(reference, plan, config, train, test, ShardSpec.All, threads: 1, ensemble: 1);

        string resumed = Path.Combine(_root, "resumed");
        using (var cts = new CancellationTokenSource())
        {
            int seen = 0;
            try
            {
                FzTrainer.Run(resumed, plan, config, train, test, ShardSpec.All, threads: 2, ensemble: 3,
                    progress: new SyncProgress(p => { if (++seen >= 4) cts.Cancel(); }), cancel: cts.Token);
            }
            catch (OperationCanceledException) { }
        }
        int partial = new ModelStore(resumed).DoneModels().Count;
        Assert.InRange(partial, 1, 11);
        Directory.CreateDirectory(Path.Combine(resumed, "models", ".tmp-m000011-999999-deadbeef"));   // as left by a killed worker
        // one shard of the rest with G = 8, then everything with G = 5
        FzTrainer.Run(resumed, plan, config, train, test, new ShardSpec(0, 2), threads: 2, ensemble: 8);
        var summary = FzTrainer.Run(resumed, plan, config, train, test, ShardSpec.All, threads: 2, ensemble: 5);
        Assert.True(summary.Skipped >= partial);
        Assert.False(Directory.Exists(Path.Combine(resumed, "models", ".tmp-m000011-999999-deadbeef")));
        AssertSameBytes(Snapshot(reference), Snapshot(resumed), "resumed");

        // shards trained with different G merge into the same bytes
        string a = Path.Combine(_root, "a"), b = Path.Combine(_root, "b"), merged = Path.Combine(_root, "merged");
        FzTrainer.Run(a, plan, config, train, test, new ShardSpec(0, 2), threads: 1, ensemble: 2);
        FzTrainer.Run(b, plan, config, train, test, new ShardSpec(1, 2), threads: 2, ensemble: 8);
        FzMerge.Run([a, b, resumed], merged);
        AssertSameBytes(Snapshot(reference), Snapshot(merged), "merged");
    }

    [Fact]
    public void EnsembleGradientEqualsAutogradAndTheSingleModelPath()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        const int G = 3, Rows = 9, Dim = 20, Classes = 5;
        long stride = 112;   // ≥ C·d + C = 105, a multiple of 16 floats
        var x = randn(G, Rows, Dim);
        var labels = Enumerable.Range(0, G).Select(_ => randint(0, Classes, [Rows]).data<long>().Select(v => (int)v).ToArray()).ToArray();
        var param = zeros(G, stride);
        param.narrow(1, 0, Classes * Dim + Classes).copy_(randn(G, Classes * Dim + Classes).div_(4));
        var grad = full(G, stride, float.NaN);
        double[] logLik;
        using (no_grad()) logLik = LogisticEnsembleLearner.LossAndGradient(x, labels, param, grad, Classes, stride);

        for (int j = 0; j < G; j++)
        {
            var w = param[j].narrow(0, 0, Classes * Dim).view(Classes, Dim);
            var b = param[j].narrow(0, Classes * Dim, Classes);
            var dw = grad[j].narrow(0, 0, Classes * Dim).view(Classes, Dim);
            var db = grad[j].narrow(0, Classes * Dim, Classes);
            var y = tensor(labels[j].Select(v => (long)v).ToArray());

            var wa = w.clone().requires_grad_(true);
            var ba = b.clone().requires_grad_(true);
            var loss = nn.functional.cross_entropy(nn.functional.linear(x[j], wa, ba), y);
            loss.backward();
            Assert.Equal(-loss.item<float>(), (float)logLik[j], 5);
            Assert.True(allclose(dw, wa.grad!, rtol: 1e-4, atol: 1e-6), $"model {j}: dW differs from autograd");
            Assert.True(allclose(db, ba.grad!, rtol: 1e-4, atol: 1e-6), $"model {j}: db differs from autograd");

            // and bit for bit what the one-model learner computes
            var oneHot = nn.functional.one_hot(y, Classes).to_type(ScalarType.Float32);
            var dw1 = zeros(Classes, Dim); var db1 = zeros(Classes);
            double single;
            using (no_grad()) single = TorchClassifierLearner.LossAndGradient(x[j].clone(), oneHot, [w.clone()], [b.clone()], [dw1], [db1]);
            Assert.Equal(single, logLik[j]);
            Assert.Equal(dw1.data<float>().ToArray(), dw.contiguous().data<float>().ToArray());
            Assert.Equal(db1.data<float>().ToArray(), db.contiguous().data<float>().ToArray());
        }
    }

    [Fact]
    public void EnsembleIsRefusedForOtherLearnersAndBadSizes()
    {
        var (train, test) = FzPipelineTests.Synthetic();
        var plan = new SubsetPlan("fz", 0.7, 2, train.Count, seed: 1);
        var e = Assert.Throws<UsageException>(() => FzTrainer.Run(Path.Combine(_root, "mlp"), plan,
            new ModelConfig { Learner = "mlp", Hidden = [8], Epochs = 1 }, train, test, ShardSpec.All, 1, ensemble: 4));
        Assert.Contains("--ensemble 4", e.Message);
        Assert.Contains("logistic", e.Message);
        Assert.Throws<UsageException>(() => FzTrainer.Run(Path.Combine(_root, "zero"), plan,
            new ModelConfig { Learner = "logistic", Epochs = 1 }, train, test, ShardSpec.All, 1, ensemble: 0));
        Assert.False(Directory.Exists(Path.Combine(_root, "mlp")));
    }

    private static Dictionary<string, byte[]> Snapshot(string dir)
    {
        // every .npy file, and the final training loss from model.json (its other fields, e.g. seconds, may differ)
        var store = new ModelStore(dir);
        var plan = FzPlanManifest.Read(dir);
        return store.DoneModels().SelectMany(m => Directory.GetFiles(store.ModelDir(m), "*.npy")
                .Select(f => (Key: $"{m}/{Path.GetFileName(f)}", Bytes: File.ReadAllBytes(f)))
                .Append((Key: $"{m}/finalLoss", Bytes: BitConverter.GetBytes(store.Read(m, plan.TrainCount, plan.TestCount).Result.FinalLoss))))
            .ToDictionary(t => t.Key, t => t.Bytes);
    }

    private static void AssertSameBytes(Dictionary<string, byte[]> a, Dictionary<string, byte[]> b, string what)
    {
        Assert.Equal(a.Keys.OrderBy(k => k), b.Keys.OrderBy(k => k));
        var differ = a.Keys.Where(key => !a[key].AsSpan().SequenceEqual(b[key])).OrderBy(k => k).ToArray();
        Assert.True(differ.Length == 0, $"{what}: {differ.Length} of {a.Count} files differ: {string.Join(", ", differ.Take(12))}");
    }

    private sealed class SyncProgress(Action<TrainProgress> report) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) => report(value);
    }
}
