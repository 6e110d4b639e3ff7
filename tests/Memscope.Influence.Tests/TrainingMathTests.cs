using System.Runtime.Intrinsics.X86;
using Memscope.Influence.Training;
using Memscope.Torch;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Memscope.Influence.Tests;

/// <summary>The hand-written backward pass and the fused Adam against TorchSharp's autograd and torch.optim.Adam.</summary>
public sealed class TrainingMathTests
{
    public TrainingMathTests() => TorchRuntime.EnsureLoaded();

    [Theory]
    [InlineData(new[] { 20, 5 })]             // logistic
    [InlineData(new[] { 20, 16, 5 })]         // one hidden layer
    [InlineData(new[] { 20, 16, 12, 5 })]     // two hidden layers
    public void HandWrittenGradientEqualsAutograd(int[] dims)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        int rows = 9, layers = dims.Length - 1;
        var x = randn(rows, dims[0]);
        var labels = randint(0, dims[^1], [rows]);
        var oneHot = nn.functional.one_hot(labels, dims[^1]).to_type(ScalarType.Float32);
        var w = Enumerable.Range(0, layers).Select(l => randn(dims[l + 1], dims[l]).div_(4)).ToArray();
        var b = Enumerable.Range(0, layers).Select(l => randn(dims[l + 1]).div_(4)).ToArray();
        var dw = w.Select(t => zeros_like(t)).ToArray();
        var db = b.Select(t => zeros_like(t)).ToArray();
        float logLik;
        using (no_grad()) logLik = (float)TorchClassifierLearner.LossAndGradient(x, oneHot, w, b, dw, db);

        var wa = w.Select(t => t.clone().requires_grad_(true)).ToArray();
        var ba = b.Select(t => t.clone().requires_grad_(true)).ToArray();
        var a = x;
        for (int l = 0; l < layers; l++)
        {
            a = nn.functional.linear(a, wa[l], ba[l]);
            if (l + 1 < layers) a = nn.functional.relu(a);
        }
        var loss = nn.functional.cross_entropy(a, labels);
        loss.backward();
        Assert.Equal(-loss.item<float>(), logLik, 5);
        for (int l = 0; l < layers; l++)
        {
            Assert.True(allclose(dw[l], wa[l].grad!, rtol: 1e-4, atol: 1e-6), $"dW[{l}] differs from autograd");
            Assert.True(allclose(db[l], ba[l].grad!, rtol: 1e-4, atol: 1e-6), $"db[{l}] differs from autograd: {string.Join(",", db[l].data<float>().ToArray().Take(4))} vs {string.Join(",", ba[l].grad!.data<float>().ToArray().Take(4))}");
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void FusedAdamEqualsTorchAdam(double weightDecay)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        const int N = 1037;   // not a multiple of the vector width: the scalar tail runs too
        var start = randn(N);
        var flat = start.clone(); var grad = zeros(N);
        var reference = new TorchSharp.Modules.Parameter(start.clone());
        var opt = optim.Adam([reference], 1e-2, weight_decay: weightDecay);
        using var fused = new FusedAdam(flat, grad, 1e-2, weightDecay);
        for (int step = 0; step < 25; step++)
        {
            var g = randn(N).mul_(step % 3 == 0 ? 10 : 0.1);
            grad.copy_(g);
            fused.Step();
            opt.zero_grad();
            reference.grad = g.clone();
            opt.step();
        }
        using (no_grad())
        {
            var maxDiff = (flat - reference).abs().max().item<float>();
            Assert.True(maxDiff < 1e-5f, $"fused Adam drifted {maxDiff} from torch.optim.Adam after 25 steps");
            Assert.True((flat - start).abs().max().item<float>() > 0.1f, "the parameters did not move");
        }
    }

    [Fact]
    public void MklVendorOverrideIsOnWhereItApplies()
    {
        var status = TorchRuntime.MklVendorOverride;
        bool applies = OperatingSystem.IsLinux() && MklVendorShim.CpuVendor() == "AuthenticAMD" && Avx512F.IsSupported
            && Environment.GetEnvironmentVariable(MklVendorShim.EnvironmentVariable) is null
            && File.Exists(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", MklVendorShim.FileName));
        if (applies) Assert.True(status == "on" || status == "off (LibTorch was loaded before the shim)", status);
        else Assert.StartsWith("off (", status);
    }
}

public class TorchThreadTests
{
    /// <summary>Runs <paramref name="work"/> on a fresh thread and returns OpenMP's and MKL's thread counts there afterwards.</summary>
    private static (int OpenMp, int Mkl) ThreadsAfter(Action work)
    {
        (int, int) seen = (-2, -2);
        Exception? error = null;
        var t = new Thread(() =>
        {
            try { work(); seen = TorchThreads.OnThisThread(); }
            catch (Exception e) { error = e; }
        });
        t.Start(); t.Join();
        if (error is not null) throw new Xunit.Sdk.XunitException($"work failed on the fresh thread: {error}");
        return seen;
    }

    [Fact]
    public void TheSettingReachesEveryThreadThatAsks()
    {
        TorchThreads.UseOnePerModel();
        Assert.Equal((1, 1), TorchThreads.OnThisThread());
        Assert.Equal((1, 1), ThreadsAfter(TorchThreads.UseOnePerModel));
    }

    [Theory]
    [InlineData("logistic", 1)]
    [InlineData("logistic", 4)]
    [InlineData("mlp", 1)]
    [InlineData("knn1", 1)]
    public void EveryLearnerTrainsWithOneIntraOpThreadOnItsOwnThread(string learner, int ensemble)
    {
        // built on this thread, trained on a fresh one: the thread that trains must use one LibTorch thread
        var train = Memscope.Influence.Data.EmbeddedFashionMnist.LoadTrain().Subset(Enumerable.Range(0, 200).ToArray());
        var test = Memscope.Influence.Data.EmbeddedFashionMnist.LoadTest().Subset(Enumerable.Range(0, 50).ToArray());
        var config = new ModelConfig { Learner = learner, Epochs = 1, Hidden = [16] };
        using var model = FzLearners.Create(config, train, test, 7, ensemble: ensemble);
        var mask = Enumerable.Range(0, train.Count).Select(i => i % 3 != 0).ToArray();
        Assert.Equal((1, 1), ThreadsAfter(() => model.Train(0, mask)));
    }
}
