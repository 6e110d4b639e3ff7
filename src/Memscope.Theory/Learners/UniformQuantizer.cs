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
    /// given θ, averaged over θ. Cell probabilities are exact normal-CDF differences. The integral over θ ∈ [−10, 10]
    /// (mass outside: 1.5e-23) is a composite 8-point Gauss–Legendre rule on panels no wider than ¼·√v/λ: the entropy
    /// varies in θ on that scale when the cells are coarse (Δ ≫ √v), where a fixed Gauss–Hermite rule is badly wrong.
    /// </summary>
    public double ConditionalEntropyBits(double lambda, double v)
    {
        if (!(lambda > 0) || !(v > 0)) throw new ArgumentOutOfRangeException(nameof(v), "λ and v must be > 0");
        const double span = 10;
        double width = Math.Min(0.25, 0.25 * Math.Sqrt(v) / lambda);
        int panels = (int)Math.Min(200_000, Math.Ceiling(2 * span / width));
        double h = 2 * span / panels;
        var (nodes, weights) = GaussLegendre8;
        double sd = Math.Sqrt(v);
        var probs = new double[Levels];
        double total = 0;
        for (int p = 0; p < panels; p++)
        {
            double mid = -span + (p + 0.5) * h;
            double panel = 0;
            for (int i = 0; i < nodes.Length; i++)
            {
                double theta = mid + 0.5 * h * nodes[i];
                CellProbabilities(lambda * theta, sd, probs);
                double ent = 0;
                foreach (double q in probs) if (q > 0) ent -= q * Math.Log2(q);
                panel += weights[i] * ent * Math.Exp(-0.5 * theta * theta);
            }
            total += 0.5 * h * panel;
        }
        return total / Math.Sqrt(2 * Math.PI);
    }

    private static readonly (double[] Nodes, double[] Weights) GaussLegendre8 = Rule8();

    private static (double[], double[]) Rule8()
    {
        var rule = new MathNet.Numerics.Integration.GaussLegendreRule(-1, 1, 8);
        return (rule.Abscissas, rule.Weights);
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
