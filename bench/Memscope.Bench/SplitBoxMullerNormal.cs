using System.Numerics.Tensors;
using Memscope.Core.Random;

namespace Memscope.Bench;

/// <summary>
/// Prototype (bench only): <see cref="Rng.FillNormal(Span{double})"/>'s block-wise Box–Muller with one change:
/// <c>TensorPrimitives.Sin</c> and <c>TensorPrimitives.Cos</c> instead of <c>TensorPrimitives.SinCos</c>, which in
/// System.Numerics.Tensors 10.0.0 is not vectorized for double (about the cost of scalar Math.SinCos per element) while
/// Sin and Cos are. Same uniforms, same formula; values agree with Rng.FillNormal to rounding of sin/cos.
/// </summary>
public sealed class SplitBoxMullerNormal
{
    private const int Block = 512;
    private readonly double[] _scratch = new double[4 * Block];

    /// <summary>Fills with i.i.d. N(0, 1) drawn from <paramref name="rng"/>, in Rng.FillNormal's order.</summary>
    public void Fill(Rng rng, Span<double> dest)
    {
        Span<double> u1 = _scratch.AsSpan(0, Block);
        Span<double> u2 = _scratch.AsSpan(Block, Block);
        Span<double> sin = _scratch.AsSpan(2 * Block, Block);
        Span<double> cos = _scratch.AsSpan(3 * Block, Block);
        int pos = 0;
        while (pos < dest.Length)
        {
            int pairs = Math.Min(Block, (dest.Length - pos + 1) / 2);
            var a = u1[..pairs];
            var b = u2[..pairs];
            for (int i = 0; i < pairs; i++)
            {
                a[i] = ((rng.NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));
                b[i] = (rng.NextUInt64() >> 11) * (2.0 * Math.PI / (1UL << 53));
            }
            TensorPrimitives.Log(a, a);
            TensorPrimitives.Multiply(a, -2.0, a);
            TensorPrimitives.Sqrt(a, a);
            var s = sin[..pairs];
            var c = cos[..pairs];
            TensorPrimitives.Sin(b, s);
            TensorPrimitives.Cos(b, c);
            int full = Math.Min(pairs, (dest.Length - pos) / 2);
            TensorPrimitives.Multiply(a[..full], c[..full], dest.Slice(pos, full));
            TensorPrimitives.Multiply(a[..full], s[..full], dest.Slice(pos + full, full));
            pos += 2 * full;
            if (full < pairs) // odd tail: one value left
            {
                dest[pos] = a[full] * c[full];
                pos++;
            }
        }
    }
}
