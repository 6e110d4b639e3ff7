using Memscope.Core.Numerics;
using Memscope.Core.Probability;

namespace Memscope.Theory.Learners;

/// <summary>
/// A k-bit uniform quantizer on [−B, B]: 2^k cells of width Δ = 2B/2^k, outer cells extended to ±∞, each value mapped
/// to its cell's midpoint. Quantization makes a learner's output finite, so its memorization is finite.
/// </summary>
public sealed class UniformQuantizer
{
    public int Bits { get; }
    public double Range { get; }
    public int Levels { get; }
    public double Step { get; }

    public UniformQuantizer(int bits, double range)
    {
        if (bits < 1 || bits > 16) throw new ArgumentOutOfRangeException(nameof(bits), $"quantizer bits must be in [1, 16], got {bits}");
        if (!(range > 0)) throw new ArgumentOutOfRangeException(nameof(range), "quantizer range must be > 0");
        Bits = bits; Range = range; Levels = 1 << bits; Step = 2 * range / Levels;
    }

    public int Index(double x) => Math.Clamp((int)Math.Floor((x + Range) / Step), 0, Levels - 1);
    public double Value(int index) => -Range + (index + 0.5) * Step;
    public double Quantize(double x) => Value(Index(x));

    public void Quantize(ReadOnlySpan<double> x, Span<double> dest)
    {
        for (int i = 0; i < x.Length; i++) dest[i] = Quantize(x[i]);
    }

    /// <summary>
    /// E_θ[H(q(Y) | θ)] in bits for Y = λθ + √v·Z, θ, Z ∼ N(0, 1) independent: the entropy of one quantized coordinate
    /// given θ, averaged over θ by Gauss–Hermite quadrature; cell probabilities are exact normal CDF differences.
    /// </summary>
    public double ConditionalEntropyBits(double lambda, double v, int nodes = 96)
    {
        var rule = GaussHermite.Rule(nodes);
        double sd = Math.Sqrt(v);
        var probs = new double[Levels];
        return rule.ExpectStandardNormal(theta =>
        {
            CellProbabilities(lambda * theta, sd, probs);
            double h = 0;
            foreach (double p in probs) if (p > 0) h -= p * Math.Log2(p);
            return h;
        });
    }

    /// <summary>Pr[q(Y) = cell j] for Y ∼ N(mean, sd²).</summary>
    public void CellProbabilities(double mean, double sd, Span<double> dest)
    {
        // Upper tail Sf((b − mean)/sd) is accurate on the right, lower tail Cdf on the left; use the smaller side.
        double prevSf = 1, prevCdf = 0;
        for (int j = 0; j < Levels; j++)
        {
            double sfHi, cdfHi;
            if (j == Levels - 1) { sfHi = 0; cdfHi = 1; }
            else
            {
                double z = (-Range + (j + 1) * Step - mean) / sd;
                sfHi = NormalTails.Sf(z);
                cdfHi = NormalTails.Cdf(z);
            }
            dest[j] = Math.Max(0, cdfHi <= 0.5 ? cdfHi - prevCdf : prevSf - sfHi);
            prevSf = sfHi; prevCdf = cdfHi;
        }
    }
}
