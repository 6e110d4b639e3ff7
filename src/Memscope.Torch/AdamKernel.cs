using System.Runtime.Intrinsics;

namespace Memscope.Torch;

/// <summary>
/// The element-wise Adam/AdamW update (Kingma &amp; Ba 2015, Alg. 1, with PyTorch's arrangement of the bias
/// corrections; AdamW: Loshchilov &amp; Hutter 2019, Alg. 2) as one SIMD pass over raw float32 memory. For every element:
/// p ← p·decay (decoupled weight decay; 1 for Adam), g ← g + l2·p (L2 penalty; 0 for AdamW), m ← β₁m + (1−β₁)g,
/// v ← β₂v + (1−β₂)g², p ← p − stepSize · m / (√v / √(1−β₂ᵗ) + ε) with stepSize = lr / (1−β₁ᵗ).
/// Element-wise, so the result is the same at every vector width and however the buffer is split.
/// </summary>
internal static class AdamKernel
{
    public static unsafe void Update(float* p, float* g, float* m, float* v, long n,
        float decay, float l2, float beta1, float beta2, float eps, float stepSize, float sqrtBc2)
    {
        float c1 = 1 - beta1, c2 = 1 - beta2;
        long i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vb1 = Vector256.Create(beta1); var vc1 = Vector256.Create(c1); var vb2 = Vector256.Create(beta2); var vc2 = Vector256.Create(c2);
            var vEps = Vector256.Create(eps); var vL2 = Vector256.Create(l2); var vDecay = Vector256.Create(decay);
            var vStep = Vector256.Create(stepSize); var vBc2 = Vector256.Create(sqrtBc2);
            for (; i + 8 <= n; i += 8)
            {
                var pi = Vector256.Load(p + i);
                if (decay != 1) pi *= vDecay;
                var gi = Vector256.Load(g + i);
                if (l2 != 0) gi += vL2 * pi;
                var mi = vb1 * Vector256.Load(m + i) + vc1 * gi;
                var vi = vb2 * Vector256.Load(v + i) + vc2 * (gi * gi);
                mi.Store(m + i); vi.Store(v + i);
                (pi - vStep * (mi / (Vector256.Sqrt(vi) / vBc2 + vEps))).Store(p + i);
            }
        }
        for (; i < n; i++)
        {
            float pi = p[i];
            if (decay != 1) pi *= decay;
            float gi = g[i];
            if (l2 != 0) gi += l2 * pi;
            float mi = beta1 * m[i] + c1 * gi, vi = beta2 * v[i] + c2 * (gi * gi);
            m[i] = mi; v[i] = vi;
            p[i] = pi - stepSize * (mi / (MathF.Sqrt(vi) / sqrtBc2 + eps));
        }
    }
}
