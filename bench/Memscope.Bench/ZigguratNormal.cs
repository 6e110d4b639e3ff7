using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Memscope.Core.Probability;
using Memscope.Core.Random;

namespace Memscope.Bench;

/// <summary>
/// Prototype (bench only, not used by Memscope): N(0, 1) by the 256-layer ziggurat of Marsaglia and Tsang (2000),
/// laid out as NumPy's <c>random_standard_normal</c>: one 64-bit draw gives the layer (8 bits), the sign (1 bit) and a
/// 52-bit abscissa; about 99% of values are accepted on the fast path with one multiply and one compare. The base
/// layer's tail beyond r uses Marsaglia's exponential method; wedges are accepted by comparing with exp(−x²/2).
/// Draws come from <see cref="Rng.NextUInt64"/>, so this is what a ziggurat <c>Rng.FillNormal</c> would cost without
/// any change to the generator. Tables are built at start-up from r, with v = r·f(r) + ∫_r^∞ f, f(x) = exp(−x²/2).
/// </summary>
public static class ZigguratNormal
{
    private const int Layers = 256;
    /// <summary>Right edge of the base layer for 256 layers (as in NumPy's ziggurat_nor_r).</summary>
    public const double R = 3.6541528853610088;
    private const double InvR = 1 / R;
    private const double TwoPow52 = 4503599627370496.0;

    // W[i]: x_i / 2^52 (abscissa per unit of the 52-bit draw); K[i]: acceptance bound x_{i-1}/x_i · 2^52 on the draw;
    // F[i] = f(x_i). Layer 0 is the base (width v/f(r) so that the strip plus the tail has area v), layer 255 the top.
    private static readonly double[] W = new double[Layers];
    private static readonly ulong[] K = new ulong[Layers];
    private static readonly double[] F = new double[Layers];

    static ZigguratNormal()
    {
        double fr = Math.Exp(-0.5 * R * R);
        double v = R * fr + Math.Sqrt(2 * Math.PI) * NormalTails.Sf(R);
        double q = v / fr;
        double dn = R, tn = R;
        K[0] = (ulong)(R / q * TwoPow52);
        K[1] = 0;
        W[0] = q / TwoPow52;
        W[Layers - 1] = R / TwoPow52;
        F[0] = 1;
        F[Layers - 1] = fr;
        for (int i = Layers - 2; i >= 1; i--)
        {
            dn = Math.Sqrt(-2 * Math.Log(v / dn + Math.Exp(-0.5 * dn * dn)));
            K[i + 1] = (ulong)(dn / tn * TwoPow52);
            tn = dn;
            F[i] = Math.Exp(-0.5 * dn * dn);
            W[i] = dn / TwoPow52;
        }
    }

    /// <summary>Fills with i.i.d. N(0, 1).</summary>
    public static void Fill(Rng rng, Span<double> dest)
    {
        ref double w = ref MemoryMarshal.GetArrayDataReference(W);
        ref ulong k = ref MemoryMarshal.GetArrayDataReference(K);
        for (int i = 0; i < dest.Length; i++)
        {
            ulong r = rng.NextUInt64();
            int idx = (int)(r & 0xFF);
            ulong rabs = (r >> 9) & 0x000F_FFFF_FFFF_FFFFUL;
            double x = rabs * Unsafe.Add(ref w, idx);
            if ((r & 0x100) != 0) x = -x;
            dest[i] = rabs < Unsafe.Add(ref k, idx) ? x : Slow(rng, idx, rabs, x);
        }
    }

    /// <summary>One N(0, 1).</summary>
    public static double Next(Rng rng)
    {
        ulong r = rng.NextUInt64();
        int idx = (int)(r & 0xFF);
        ulong rabs = (r >> 9) & 0x000F_FFFF_FFFF_FFFFUL;
        double x = rabs * W[idx];
        if ((r & 0x100) != 0) x = -x;
        return rabs < K[idx] ? x : Slow(rng, idx, rabs, x);
    }

    /// <summary>The ~1% of draws outside the inner rectangles: the base layer's tail, or a wedge test.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Slow(Rng rng, int idx, ulong rabs, double x)
    {
        while (true)
        {
            if (idx == 0)
            {
                // Tail beyond r (Marsaglia 1964): x = −ln(U₁)/r, accept if −2·ln(U₂) > x².
                while (true)
                {
                    double xx = -InvR * Math.Log(rng.NextDoubleNonZero());
                    double yy = -Math.Log(rng.NextDoubleNonZero());
                    if (yy + yy > xx * xx) return x < 0 ? -(R + xx) : R + xx;
                }
            }
            if ((F[idx - 1] - F[idx]) * rng.NextDouble() + F[idx] < Math.Exp(-0.5 * x * x)) return x;
            // Rejected: a fresh draw, through the fast path again.
            ulong r = rng.NextUInt64();
            idx = (int)(r & 0xFF);
            rabs = (r >> 9) & 0x000F_FFFF_FFFF_FFFFUL;
            x = rabs * W[idx];
            if ((r & 0x100) != 0) x = -x;
            if (rabs < K[idx]) return x;
        }
    }
}
