using Memscope.Core;
using Memscope.Core.Information;
using Memscope.Core.Probability;
using Memscope.Core.Random;
using Memscope.Theory.Bounds;

namespace Memscope.Theory.Problems;

/// <summary>
/// Boolean clustering P_B (FKL §4.2, Thm 12): θ ∼ U({±1}^d), each coordinate of a positive equals θ_j with
/// probability (1+λ)/2 independently (a BSC with crossover (1−λ)/2), null U({±1}^d). Default λ = C·d^(−1/4).
/// </summary>
public sealed class BooleanClustering : ClusteringProblem<sbyte>
{
    public double Lambda { get; }
    public override string Name => "boolean";
    public override double Parameter => Lambda;
    public override string ParameterName => "lambda";

    public BooleanClustering(int d, double lambda) : base(d)
    {
        UsageException.Require(lambda > 0 && lambda < 1, $"λ must be in (0, 1), got {lambda}; with --C, λ = C·d^(-1/4), so lower --C");
        Lambda = lambda;
    }

    public override void SampleTheta(Rng rng, Span<sbyte> theta) => rng.FillUniformSigns(theta);

    public override void SamplePositives(Rng rng, ReadOnlySpan<sbyte> theta, int n, Span<sbyte> dest)
    {
        double pAgree = (1 + Lambda) / 2;
        rng.FillSigns(dest[..(n * D)], pAgree);
        for (int i = 0; i < n; i++)
        {
            var row = dest.Slice(i * D, D);
            for (int j = 0; j < D; j++) row[j] = (sbyte)(row[j] * theta[j]);
        }
    }

    public override void SampleNull(Rng rng, int count, Span<sbyte> dest) => rng.FillUniformSigns(dest[..(count * D)]);

    /// <summary>
    /// Exact error of h(x) = 1{⟨w, x⟩ ≥ t} for w ∈ {−1, 0, +1}^d. With m = |supp w| and a = #{j: w_j = θ_j},
    /// the agreement count of a positive is Bin(a, (1+λ)/2) + Bin(m−a, (1−λ)/2) and of a null Bin(m, ½);
    /// ⟨w, x⟩ = 2K − m. The false-negative side is a convolution of the two Binomials (exact, O(m)).
    /// </summary>
    public double ExactError(ReadOnlySpan<sbyte> theta, ReadOnlySpan<sbyte> w, double t)
    {
        int m = 0, a = 0;
        for (int j = 0; j < w.Length; j++)
        {
            if (w[j] == 0) continue;
            m++;
            if (w[j] == theta[j]) a++;
        }
        return ExactError(a, m, t);
    }

    /// <summary>Exact error from the support size m and the number a of support coordinates where w agrees with θ.</summary>
    public double ExactError(int a, int m, double t)
    {
        if (m == 0) return 0.5;
        // h = 1 ⇔ 2K − m ≥ t ⇔ K ≥ kMin
        int kMin = (int)Math.Ceiling((t + m) / 2.0);
        double p = (1 + Lambda) / 2;
        double fn = BinomialSum.Cdf(kMin - 1, 0, a, p, m - a, 1 - p);
        double fp = BinomialTails.Sf(kMin, m, 0.5);
        return 0.5 * (fn + fp);
    }

    /// <summary>
    /// The paper's choice of the per-coordinate TV slack (FKL App. E.2): δ = min{(C_α/(d·log|ℳ|))², 1/2}.
    /// </summary>
    public double PaperDelta(double alpha, double log2ModelSize)
    {
        double x = InfoMeasures.CAlpha(alpha) / (D * log2ModelSize);
        return Math.Min(x * x, 0.5);
    }

    /// <summary>
    /// SDPI constants of FKL Thm 12 (Lemma 21 applied per coordinate): ξ = √(8n·ln(d/δ))·λ, τ_n = ξ², ρ_n = λ²ξ²,
    /// with TV slack ε_n = δ_n = δ·d for the whole data set.
    /// </summary>
    public SdpiConstants Sdpi(int n, double delta)
    {
        UsageException.Require(n >= 1, $"n must be ≥ 1, got {n}");
        UsageException.Require(delta > 0 && delta < 1, $"δ must be in (0, 1), got {delta}");
        double xi = Math.Sqrt(8 * n * Math.Log(D / delta)) * Lambda;
        double slack = Math.Min(1, delta * D);
        return new SdpiConstants(Rho: Lambda * Lambda * xi * xi, Tau: xi * xi, Epsilon: slack, Delta: slack) { Xi = xi };
    }

    /// <summary>
    /// The rigorous Thm 7 instance of FKL Thm 12: ((1−ξ²)/(λ²ξ²))·C_α − neg_n with the paper's δ and |ℳ|.
    /// Lemma 21 needs λ &lt; 1/10 and n &lt; 1/(10λ²); where that fails, or ξ ≥ 1, the bound is vacuous (0, flagged).
    /// The Ω̃ rate (1−λ²n)/(λ⁴n)·C_α is reported beside it, labelled as a rate.
    /// </summary>
    public override MemorizationBound LowerBound(int n, double alpha, BoundOptions? options = null)
    {
        UsageException.Require(alpha > 0 && alpha < 0.5, $"α must be in (0, 1/2), got {alpha}");
        double log2M = options?.Log2ModelSize ?? 64.0 * D;
        double cAlpha = InfoMeasures.CAlpha(alpha);
        double l2 = Lambda * Lambda;
        double rate = (1 - l2 * n) / (l2 * l2 * n) * cAlpha;
        double delta = PaperDelta(alpha, log2M);
        var c = Sdpi(n, delta);
        string method = "FKL Thm 12 (Lemma 21 approximate SDPI, Thm 7 with the paper's δ)";
        string? why = null;
        if (!(Lambda < 0.1)) why = $"Lemma 21 needs λ < 1/10 (λ = {Lambda:G4})";
        else if (!(n < 1 / (10 * l2))) why = $"Lemma 21 needs n < 1/(10λ²) = {1 / (10 * l2):G4}";
        else if (!(c.Tau < 1)) why = $"ξ² = {c.Tau:G4} ≥ 1 (needs d ≫ (8n·ln(d/δ)·C²)²)";
        if (why is not null)
        {
            return new MemorizationBound
            {
                Rho = Math.Min(1, c.Rho), Tau = Math.Min(1, c.Tau), CAlphaBits = cAlpha, RawBits = 0,
                Method = method, Note = "vacuous: " + why, RateBits = Math.Max(0, rate), Constants = c,
            };
        }
        var b = Theorem7.Bound(c, alpha, log2M, method);
        return b with { RateBits = Math.Max(0, rate) };
    }
}
