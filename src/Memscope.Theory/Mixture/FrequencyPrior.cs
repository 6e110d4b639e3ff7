using Memscope.Core;
using Memscope.Core.Random;

namespace Memscope.Theory.Mixture;

/// <summary>
/// The product prior Π_p^k of FKL App. B (after Feldman 2020): p_1..p_k i.i.d. from p on [0, 1], π_i = p_i/Σp.
/// "uniform" is p ≡ 1 (π_i = 1/k). "powerlaw" with exponent β &gt; 0 draws p_i = U_i^β, U_i uniform, which has density
/// ∝ x^(1/β − 1) on [0, 1]: larger β gives a heavier long tail of rare clusters.
/// </summary>
public sealed record FrequencyPrior(string Kind, double Beta)
{
    public static FrequencyPrior Uniform { get; } = new("uniform", 0);
    public static FrequencyPrior PowerLaw(double beta)
    {
        UsageException.Require(beta > 0 && double.IsFinite(beta), $"--power must be a positive number, got {beta}");
        return new FrequencyPrior("powerlaw", beta);
    }

    public bool IsUniform => Kind == "uniform";

    /// <summary>Draws π ∈ Δ([k]).</summary>
    public void Sample(Rng rng, Span<double> pi)
    {
        if (IsUniform) { pi.Fill(1.0 / pi.Length); return; }
        double sum = 0;
        for (int i = 0; i < pi.Length; i++) { pi[i] = Math.Pow(rng.NextDoubleNonZero(), Beta); sum += pi[i]; }
        for (int i = 0; i < pi.Length; i++) pi[i] /= sum;
    }

    public override string ToString() => IsUniform ? "uniform" : $"powerlaw(β={Beta:G4})";
}
