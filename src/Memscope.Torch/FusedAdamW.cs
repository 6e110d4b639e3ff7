using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Memscope.Torch;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019, decoupled weight decay, with torch.optim.AdamW's arrangement) over a model's
/// parameter tensors, one fused pass per tensor and step: p ← p·(1 − lr·wd), m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε). The learning rate is given per step (warm-up, decay schedules).
/// On the CPU each tensor is one SIMD loop over its memory (<see cref="AdamKernel"/>); on other devices the same formula
/// runs as tensor operations. Replaces TorchSharp's optim.AdamW, whose operator chain costs a dozen native calls per
/// tensor and which intermittently failed a c10 assertion (Scalar.h toFloat in addcmul_) in long runs.
/// </summary>
public sealed class FusedAdamW : IDisposable
{
    private readonly Parameter[] _params;
    private readonly Tensor[] _m, _v;
    private readonly float _beta1, _beta2, _eps, _weightDecay;
    private int _t;

    public FusedAdamW(IEnumerable<Parameter> parameters, double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        _params = parameters.ToArray();
        foreach (var p in _params)
            if (p.dtype != ScalarType.Float32 || !p.is_contiguous())
                throw new ArgumentException("FusedAdamW needs contiguous float32 parameters");
        _m = _params.Select(p => (Tensor)zeros_like(p)).ToArray();
        _v = _params.Select(p => (Tensor)zeros_like(p)).ToArray();
        _weightDecay = (float)weightDecay; _beta1 = (float)beta1; _beta2 = (float)beta2; _eps = (float)eps;
    }

    /// <summary>Steps taken so far.</summary>
    public int Steps => _t;

    /// <summary>Sets every parameter's gradient to zero (allocating it on first use).</summary>
    public void ZeroGrad()
    {
        using var _ = no_grad();
        foreach (var p in _params)
        {
            using var g = p.grad;
            g?.zero_();
        }
    }

    /// <summary>One update at learning rate <paramref name="lr"/>; parameters without a gradient are left alone.</summary>
    public void Step(double lr)
    {
        _t++;
        float rate = (float)lr;
        float bc1 = 1 - MathF.Pow(_beta1, _t), bc2 = 1 - MathF.Pow(_beta2, _t);
        float stepSize = rate / bc1, sqrtBc2 = MathF.Sqrt(bc2), decay = 1 - rate * _weightDecay;
        using var _ = no_grad();
        for (int k = 0; k < _params.Length; k++)
        {
            using var g = _params[k].grad;
            if (g is null) continue;
            if (_params[k].device_type == DeviceType.CPU) StepCpu(_params[k], g, _m[k], _v[k], decay, stepSize, sqrtBc2);
            else
            {
                using var scope = NewDisposeScope();
                var p = _params[k];
                p.mul_(decay);
                _m[k].mul_(_beta1).add_(g, 1 - _beta1);
                _v[k].mul_(_beta2).addcmul_(g, g, 1 - _beta2);
                p.addcdiv_(_m[k], _v[k].sqrt().div_(sqrtBc2).add_(_eps), -stepSize);
            }
        }
    }

    private unsafe void StepCpu(Tensor p, Tensor g, Tensor m, Tensor v, float decay, float stepSize, float sqrtBc2)
    {
        if (!g.is_contiguous() || g.dtype != ScalarType.Float32 || g.numel() != p.numel())
            throw new InvalidOperationException("FusedAdamW needs contiguous float32 gradients shaped like their parameters");
        AdamKernel.Update((float*)TensorMemory.Address(p), (float*)TensorMemory.Address(g),
            (float*)TensorMemory.Address(m), (float*)TensorMemory.Address(v), p.numel(),
            decay, l2: 0, _beta1, _beta2, _eps, stepSize, sqrtBc2);
    }

    public void Dispose()
    {
        foreach (var t in _m) t.Dispose();
        foreach (var t in _v) t.Dispose();
    }
}
