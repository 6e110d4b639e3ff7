using Memscope.Core;
using Memscope.Torch;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Memscope.Influence.Tests;

/// <summary>
/// These tests run LibTorch's native code: they pass only when libLibTorchSharp.so in this project's output loads
/// (on Debian 12 that needs build/TorchSharpGlibcxxFix.targets, which this project gets only through its reference
/// to Memscope.Influence via Directory.Build.targets).
/// </summary>
public sealed class TorchRuntimeTests
{
    [Fact]
    public void LogisticRegressionTrainsWithAutograd()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = torch.NewDisposeScope();
        var device = TorchRuntime.Device("cpu");

        const int n = 400, d = 5;
        var (xs, ys) = SeparableData(n, d, seed: 12345);
        var x = torch.tensor(xs, [n, d], device: device);
        var y = torch.tensor(ys, [n], device: device);

        torch.manual_seed(7);
        var model = Linear(d, 1).to(device);
        var optimizer = torch.optim.SGD(model.parameters(), 0.5);

        var losses = new List<float>();
        for (int step = 0; step < 40; step++)
        {
            optimizer.zero_grad();
            var logits = model.forward(x).squeeze(1);
            var loss = functional.binary_cross_entropy_with_logits(logits, y);
            loss.backward();
            if (step == 0) AssertGradientIsAnalytic(model, xs, ys, n, d);
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        float accuracy;
        using (torch.no_grad())
        {
            var predicted = model.forward(x).squeeze(1).gt(0);
            accuracy = predicted.eq(y.gt(0.5)).to_type(torch.float32).mean().item<float>();
        }

        Assert.True(losses[^1] < 0.5f * losses[0], $"loss went from {losses[0]} to {losses[^1]}");
        for (int i = 1; i < losses.Count; i++)
            Assert.True(losses[i] <= losses[i - 1] + 1e-4f, $"loss rose at step {i}: {losses[i - 1]} -> {losses[i]}");
        Assert.True(accuracy > 0.9f, $"training accuracy {accuracy}");
    }

    [Fact]
    public void EnsureLoadedIsRepeatable()
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.EnsureLoaded();
        Assert.Equal("cpu", TorchRuntime.Backend);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData(" CPU ")]
    public void CpuDeviceIsCpu(string name) => Assert.Equal(DeviceType.CPU, TorchRuntime.Device(name).type);

    [Fact]
    public void AutoFallsBackToCpuWithoutCuda()
    {
        var expected = torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU;
        Assert.Equal(expected, TorchRuntime.Device("auto").type);
    }

    [Theory]
    [InlineData("cuda")]
    [InlineData("cuda:0")]
    public void CudaWithoutCudaIsAUsageError(string name)
    {
        TorchRuntime.EnsureLoaded();
        if (torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, TorchRuntime.Device(name).type);
            return;
        }
        var e = Assert.Throws<UsageException>(() => TorchRuntime.Device(name));
        Assert.Contains("CUDA is not available", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("tpu:0")]
    [InlineData("")]
    public void UnknownDeviceIsAUsageError(string name)
    {
        var e = Assert.Throws<UsageException>(() => TorchRuntime.Device(name));
        Assert.Contains("is not known: use cpu, cuda, cuda:N or auto", e.Message);
    }

    [Theory]
    [InlineData("cuda:x")]
    [InlineData("cuda:99")]
    public void BadCudaIndexIsAUsageError(string name) =>
        Assert.Throws<UsageException>(() => TorchRuntime.Device(name));

    /// <summary>Points from N(0, I) in d dimensions, labelled by a fixed hyperplane, with a margin of 0.3 kept clear.</summary>
    private static (float[] X, float[] Y) SeparableData(int n, int d, int seed)
    {
        var rng = new Random(seed);
        var w = new double[d];
        for (int j = 0; j < d; j++) w[j] = Gaussian(rng);
        var norm = Math.Sqrt(w.Sum(v => v * v));
        var xs = new float[n * d];
        var ys = new float[n];
        for (int i = 0; i < n;)
        {
            var point = new double[d];
            double margin = 0;
            for (int j = 0; j < d; j++)
            {
                point[j] = Gaussian(rng);
                margin += w[j] * point[j] / norm;
            }
            if (Math.Abs(margin) < 0.3) continue;
            for (int j = 0; j < d; j++) xs[i * d + j] = (float)point[j];
            ys[i] = margin > 0 ? 1f : 0f;
            i++;
        }
        return (xs, ys);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Autograd's gradient of the mean logistic loss equals Xᵀ(σ(Xw + b) − y)/n computed here in doubles.</summary>
    private static void AssertGradientIsAnalytic(TorchSharp.Modules.Linear model, float[] xs, float[] ys, int n, int d)
    {
        var w = model.weight!.data<float>().ToArray();
        var b = model.bias!.data<float>()[0];
        var gw = model.weight!.grad!.data<float>().ToArray();
        var gb = model.bias!.grad!.data<float>()[0];
        var expectedW = new double[d];
        double expectedB = 0;
        for (int i = 0; i < n; i++)
        {
            double z = b;
            for (int j = 0; j < d; j++) z += w[j] * xs[i * d + j];
            var r = (1 / (1 + Math.Exp(-z)) - ys[i]) / n;
            for (int j = 0; j < d; j++) expectedW[j] += r * xs[i * d + j];
            expectedB += r;
        }
        for (int j = 0; j < d; j++) Assert.Equal(expectedW[j], gw[j], 1e-5);
        Assert.Equal(expectedB, gb, 1e-5);
    }
}
