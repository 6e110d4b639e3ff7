using Memscope.Core;
using Memscope.Core.Information;
using Memscope.Core.Probability;
using Memscope.Core.Random;
using Memscope.Theory.Bounds;

namespace Memscope.Theory.Problems;

/// <summary>
/// Sparse Boolean hypercube P_sB (Brown et al.'s cluster; FKL §4.3, Thm 13): θ = (S, y) with each j ∈ S independently
/// with probability ν and y_j uniform ±1; positives have X_j = y_j on S and uniform bits elsewhere; null U({±1}^d).
/// θ is stored as one sbyte per coordinate: 0 for j ∉ S, y_j for j ∈ S. Default ν = C·d^(−1/2).
/// </summary>
public sealed class SparseHypercube : ClusteringProblem<sbyte>
{
    public double Nu { get; }
    public override string Name => "sparse";
    public override double Parameter => Nu;
    public override string ParameterName => "nu";

    public SparseHypercube(int d, double nu) : base(d)
    {
        UsageException.Require(nu > 0 && nu < 1, $"ν must be in (0, 1), got {nu}; with --C, ν = C·d^(-1/2), so lower --C");
        Nu = nu;
    }

    public override void SampleTheta(Rng rng, Span<sbyte> theta)
    {
        ulong threshold = (ulong)Math.Round(Nu * (1UL << 53));
        for (int j = 0; j < theta.Length; j++)
        {
            bool inS = (rng.NextUInt64() >> 11) < threshold;
            theta[j] = inS ? (sbyte)((int)(rng.NextUInt64() >> 63) * 2 - 1) : (sbyte)0;
        }
    }

    public override void SamplePositives(Rng rng, ReadOnlySpan<sbyte> theta, int n, Span<sbyte> dest)
    {
        rng.FillUniformSigns(dest[..(n * D)]);
        for (int i = 0; i < n; i++)
        {
            var row = dest.Slice(i * D, D);
            for (int j = 0; j < D; j++) if (theta[j] != 0) row[j] = theta[j];
        }
    }

    public override void SampleNull(Rng rng, int count, Span<sbyte> dest) => rng.FillUniformSigns(dest[..(count * D)]);

    /// <summary>
    /// Exact error of h(x) = 1{⟨w, x⟩ ≥ t}, w ∈ {−1, 0, +1}^d. On supp(w) ∩ S a positive's product w_j x_j is the
    /// constant w_j y_j; elsewhere it is a uniform sign. So ⟨w, x⟩ = (agree − disagree) + 2·Bin(r, ½) − r for positives
    /// and 2·Bin(m, ½) − m for nulls.
    /// </summary>
    public double ExactError(ReadOnlySpan<sbyte> theta, ReadOnlySpan<sbyte> w, double t)
    {
        int m = 0, agree = 0, disagree = 0;
        for (int j = 0; j < w.Length; j++)
        {
            if (w[j] == 0) continue;
            m++;
            if (theta[j] == 0) continue;
            if (w[j] == theta[j]) agree++; else disagree++;
        }
        if (m == 0) return 0.5;
        int r = m - agree - disagree;
        // positive: agree − disagree + 2K − r ≥ t ⇔ K ≥ ceil((t − agree + disagree + r)/2)
        int kPos = (int)Math.Ceiling((t - agree + disagree + r) / 2.0);
        double fn = BinomialTails.Cdf(kPos - 1, r, 0.5);
        int kNull = (int)Math.Ceiling((t + m) / 2.0);
        double fp = BinomialTails.Sf(kNull, m, 0.5);
        return 0.5 * (fn + fp);
    }

    /// <summary>Pr[j ∈ S or X_{1:n,j} constant] = ν + (1−ν)·2^(1−n): the chance that coordinate j is constant across n samples.</summary>
    public double ConstantProbability(int n) => Nu + (1 - Nu) * Math.Pow(2, 1 - n);

    /// <summary>ξ_n = ν/(2ν + (1−ν)·2^(2−n)) (FKL App. F.2): Pr[Z_j = X_j] = ½ + ξ_n for the dominating variable.</summary>
    public double Xi(int n) => Nu / (2 * Nu + (1 - Nu) * Math.Pow(2, 2 - n));

    /// <summary>H(θ) = d·(H2(ν) + ν) bits.</summary>
    public double ThetaEntropyBits => D * (InfoMeasures.H2(Nu) + Nu);

    /// <summary>
    /// FKL Thm 13 with the exact BSC constant: ρ_n = (2ξ_n)² = ν²/(ν + (1−ν)2^(1−n))², and mem_n ≥ C_α/ρ_n − H(θ)
    /// (the data-generation SDPI is replaced by I(A; θ) ≤ H(θ), so τ is not used and reported as NaN).
    /// </summary>
    public override MemorizationBound LowerBound(int n, double alpha, BoundOptions? options = null)
    {
        UsageException.Require(n >= 1, $"n must be ≥ 1, got {n}");
        double cAlpha = InfoMeasures.CAlpha(alpha);
        double xi = Xi(n);
        double rho = 4 * xi * xi;
        double raw = cAlpha / rho - ThetaEntropyBits;
        return new MemorizationBound
        {
            Rho = rho,
            Tau = double.NaN,
            CAlphaBits = cAlpha,
            RawBits = raw,
            NegBits = ThetaEntropyBits,
            Method = "FKL Thm 13 (exact BSC ρ_n = (2ξ_n)², bound C_α/ρ_n − H(θ))",
            Note = raw > 0 ? null : $"vacuous: C_α/ρ_n = {cAlpha / rho:G5} ≤ H(θ) = {ThetaEntropyBits:G5}",
            Constants = new SdpiConstants(rho, double.NaN, 0, 0) { Xi = xi },
        };
    }
}
