using Memscope.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Memscope.Facts.Tests;

public class FusedAdamWTests
{
    [Fact]
    public void FusedAdamWEqualsTorchAdamWWithAScheduledRate()
    {
        TorchThreads.UseOnePerModel();
        using var scope = NewDisposeScope();
        manual_seed(5);
        // several tensors of awkward sizes (scalar tails) and shapes, as a model's parameter list
        long[][] shapes = [[37, 11], [1037], [3], [8, 8]];
        var starts = shapes.Select(s => randn(s)).ToArray();
        var fusedParams = starts.Select(s => new Parameter(s.clone())).ToArray();
        var refParams = starts.Select(s => new Parameter(s.clone())).ToArray();
        const double peak = 3e-3, wd = 0.1;
        var opt = optim.AdamW(refParams, peak, 0.9, 0.95, 1e-8, wd);
        using var fused = new FusedAdamW(fusedParams, wd, 0.9, 0.95, 1e-8);
        for (int step = 0; step < 30; step++)
        {
            double lr = peak * (step < 10 ? (step + 1) / 10.0 : 0.5 + 0.5 * Math.Cos(step / 10.0));
            var grads = shapes.Select(s => randn(s).add_(1).mul_(step % 4 == 0 ? 10 : 0.1)).ToArray();   // a drift, so every tensor moves
            fused.ZeroGrad();
            for (int k = 0; k < shapes.Length; k++)
            {
                // a gradient as backward leaves it: accumulated into the (zeroed) .grad
                var loss = (fusedParams[k] * grads[k]).sum();
                loss.backward();
                refParams[k].grad = grads[k].clone();
            }
            fused.Step(lr);
            foreach (var g in opt.ParamGroups) g.LearningRate = lr;
            opt.step();
        }
        Assert.Equal(30, fused.Steps);
        using (no_grad())
            for (int k = 0; k < shapes.Length; k++)
            {
                var maxDiff = (fusedParams[k] - refParams[k]).abs().max().item<float>();
                Assert.True(maxDiff < 2e-6f, $"tensor {k}: fused AdamW drifted {maxDiff} from torch.optim.AdamW after 30 steps");
                Assert.True((fusedParams[k] - starts[k]).abs().max().item<float>() > 0.01f, $"tensor {k} did not move: {(fusedParams[k] - starts[k]).abs().max().item<float>()}, ref {(refParams[k] - starts[k]).abs().max().item<float>()}");
            }
    }

    [Fact]
    public void WeightDecayIsDecoupled()
    {
        // with a zero gradient Adam's step is 0, so only the decoupled decay p ← p·(1 − lr·wd) acts
        using var scope = NewDisposeScope();
        var p = new Parameter(full(16, 2.0f));
        using var opt = new FusedAdamW([p], weightDecay: 0.5);
        p.grad = zeros(16);
        opt.Step(0.1);
        using (no_grad())
            Assert.Equal(2.0f * (1 - 0.1f * 0.5f), p[0].item<float>(), 6);
    }
}
