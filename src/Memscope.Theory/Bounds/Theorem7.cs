using Memscope.Core;
using Memscope.Core.Information;

namespace Memscope.Theory.Bounds;

/// <summary>
/// FKL Thm 7 (arXiv Thm 3.7): if (θ, X_{1:n}) satisfy (τ_n, ε_n)-SDPI and (X, X_{1:n}) satisfy (ρ_n, δ_n)-SDPI, then
/// every learner with error ≤ α has
///   mem_n ≥ ((1−τ_n)/ρ_n)·C_α − neg_n,
///   neg_n = 8δ_n·((1−τ_n)/ρ_n)·log2(|ℳ|/δ_n) + 8ε_n·log2(|ℳ|/ε_n),
/// with δ·log(|ℳ|/δ) read as 0 when δ = 0 (Remark 6). All logs are base 2 (bits).
/// </summary>
public static class Theorem7
{
    /// <summary>The generic calculator: (τ, ε, ρ, δ, log2|ℳ|, α) → bound in bits.</summary>
    public static MemorizationBound Bound(SdpiConstants c, double alpha, double log2ModelSize, string method = "FKL Thm 7")
    {
        UsageException.Require(alpha > 0 && alpha < 0.5, $"α must be in (0, 1/2), got {alpha}");
        UsageException.Require(c.Rho > 0 && c.Rho <= 1, $"ρ must be in (0, 1], got {c.Rho}");
        UsageException.Require(c.Tau >= 0 && c.Tau <= 1, $"τ must be in [0, 1], got {c.Tau}");
        UsageException.Require(c.Epsilon >= 0 && c.Epsilon <= 1, $"ε must be in [0, 1], got {c.Epsilon}");
        UsageException.Require(c.Delta >= 0 && c.Delta <= 1, $"δ must be in [0, 1], got {c.Delta}");
        UsageException.Require(log2ModelSize > 0, $"log2|M| must be > 0, got {log2ModelSize}");
        UsageException.Require(!double.IsPositiveInfinity(log2ModelSize) || (c.Delta == 0 && c.Epsilon == 0),
            "an approximate SDPI (δ > 0 or ε > 0) needs a finite model size |M|; pass --model-bits");
        double cAlpha = InfoMeasures.CAlpha(alpha);
        double factor = (1 - c.Tau) / c.Rho;
        double neg = 8 * c.Delta * factor * SlackLog(c.Delta, log2ModelSize) + 8 * c.Epsilon * SlackLog(c.Epsilon, log2ModelSize);
        double raw = factor * cAlpha - neg;
        return new MemorizationBound
        {
            Rho = c.Rho,
            Tau = c.Tau,
            CAlphaBits = cAlpha,
            RawBits = raw,
            NegBits = neg,
            Method = method,
            Constants = c,
            Note = raw > 0 ? null : "vacuous: ((1-τ)/ρ)·C_α ≤ neg_n",
        };
    }

    // log2(|M|/s) = log2|M| + log2(1/s); the product s·log(|M|/s) is 0 at s = 0 (FKL Remark 6).
    private static double SlackLog(double s, double log2M) => s == 0 ? 0 : log2M - Math.Log2(s);
}
