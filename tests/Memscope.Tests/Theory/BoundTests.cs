using CsCheck;
using Memscope.Core.Information;
using Memscope.Theory.Bounds;
using Memscope.Theory.Learners;
using Memscope.Theory.Problems;

namespace Memscope.Tests.Theory;

public class BoundTests
{
    [Fact]
    public void GaussianBoundIsTheorem10ClosedForm()
    {
        var g = new GaussianClustering(10_000, 0.3);
        foreach (int n in new[] { 1, 2, 7, 100, 5000 })
        {
            var b = g.LowerBound(n, 0.05);
            double expected = (1 - 0.09) / (0.0081 * n) * InfoMeasures.CAlpha(0.05);
            Assert.Equal(expected, b.LowerBoundBits, 9);
            Assert.Equal(0.0081 * n / (1 + (n - 1) * 0.09), b.Rho, 14);
            Assert.Equal(0.09 * n / (1 + (n - 1) * 0.09), b.Tau, 14);
            Assert.Equal(0, b.NegBits);
        }
    }

    [Fact]
    public void Theorem7ReportsVacuousBoundsAsZeroWithAFlag()
    {
        var c = new SdpiConstants(Rho: 0.5, Tau: 0.2, Epsilon: 0.1, Delta: 0.1);
        var b = Theorem7.Bound(c, 0.3, log2ModelSize: 1000);
        Assert.True(b.RawBits < 0);
        Assert.True(b.Vacuous);
        Assert.Equal(0, b.LowerBoundBits);
        Assert.NotNull(b.Note);
        // neg_n by hand: 8δ·((1−τ)/ρ)·log2(|M|/δ) + 8ε·log2(|M|/ε)
        double neg = 8 * 0.1 * 1.6 * (1000 + Math.Log2(10)) + 8 * 0.1 * (1000 + Math.Log2(10));
        Assert.Equal(neg, b.NegBits, 9);
    }

    [Fact]
    public void NoisyMeanSatisfiesTheorem7AndTheSdpisOverARandomGrid() =>
        // FKL Thm 7 first form: mem_n ≥ ((1−τ_n)/ρ_n)·I(A; X), and the two SDPIs I(A;X) ≤ ρ_n·I(A;X_{1:n}),
        // I(A;θ) ≤ τ_n·I(A;X_{1:n}), checked on the noisy-mean closed forms (per coordinate) over random (λ, n, s²).
        Gen.Select(Gen.Double[0.01, 0.99], Gen.Int[1, 5000], Gen.Double[-8, 6]).Sample((lambda, n, log10s2) =>
        {
            double s2 = Math.Pow(10, log10s2);
            var g = new GaussianClustering(1, lambda);
            var c = g.Sdpi(n);
            var (mem, iax, iat, iaxn) = NoisyMeanLearner.PerCoordinate(lambda, n, s2);
            double rhs = (1 - c.Tau) / c.Rho * iax;
            const double tol = 1e-9;
            return rhs <= mem * (1 + tol) + 1e-12 && iax <= c.Rho * iaxn * (1 + tol) + 1e-15 && iat <= c.Tau * iaxn * (1 + tol) + 1e-15;
        }, iter: 20_000);

    [Fact]
    public void NoisyMeanInformationRatiosApproachRhoAndTauForLargeNoise()
    {
        double lambda = 0.4; int n = 9;
        var c = new GaussianClustering(1, lambda).Sdpi(n);
        var (_, iax, iat, iaxn) = NoisyMeanLearner.PerCoordinate(lambda, n, 1e7);
        Assert.Equal(c.Rho, iax / iaxn, 5);
        Assert.Equal(c.Tau, iat / iaxn, 5);
    }

    [Fact]
    public void BooleanBoundIsTheRigorousInstanceWhereLemma21Applies()
    {
        // d = 5·10⁷, λ = 0.01: Lemma 21 applies (λ < 1/10, n < 1/(10λ²) = 1000) and ξ² < 1.
        var b = new BooleanClustering(50_000_000, 0.01);
        var bound = b.LowerBound(1, 0.05);
        Assert.False(bound.Vacuous, bound.Note);
        double log2M = 64.0 * 50_000_000;
        double delta = Math.Pow(InfoMeasures.CAlpha(0.05) / (50_000_000 * log2M), 2);
        double xi2 = 8 * Math.Log(50_000_000 / delta) * 1e-4;
        Assert.Equal(xi2, bound.Tau, 12);
        Assert.Equal(1e-4 * xi2, bound.Rho, 14);
        double main = (1 - xi2) / (1e-4 * xi2) * InfoMeasures.CAlpha(0.05);
        // neg_n by hand with ε_n = δ_n = δ·d: 8δ_n·((1−τ)/ρ)·log2(|M|/δ_n) + 8ε_n·log2(|M|/ε_n)
        double slack = delta * 50_000_000;
        double neg = 8 * slack * ((1 - xi2) / (1e-4 * xi2)) * (log2M - Math.Log2(slack)) + 8 * slack * (log2M - Math.Log2(slack));
        Assert.Equal(neg, bound.NegBits, 9);
        Assert.Equal(main - neg, bound.LowerBoundBits, 6);
        // The rigorous bound pays the log(d/δ) factor: far below the Ω̃ rate, which is reported separately.
        Assert.True(bound.RateBits > 100 * bound.LowerBoundBits);
    }

    [Fact]
    public void BooleanBoundIsFlaggedVacuousOutsideLemma21()
    {
        var bound = new BooleanClustering(10_000, 0.3).LowerBound(1, 0.05);
        Assert.True(bound.Vacuous);
        Assert.Equal(0, bound.LowerBoundBits);
        Assert.Contains("Lemma 21", bound.Note);
        Assert.Equal((1 - 0.09) / 0.0081 * InfoMeasures.CAlpha(0.05), bound.RateBits!.Value, 9);
    }

    [Fact]
    public void SparseRhoIsTheExactBscConstant()
    {
        var s = new SparseHypercube(10_000, 0.035);
        Assert.Equal(0.035 * 0.035, s.LowerBound(1, 0.05).Rho, 15); // n = 1: ρ = ν²
        foreach (int n in new[] { 2, 3, 6 })
        {
            double r = 0.035 + 0.965 * Math.Pow(2, 1 - n);
            Assert.Equal(0.035 * 0.035 / (r * r), s.LowerBound(n, 0.05).Rho, 14);
            // ξ_n = [ν + (1−ν)2^{−n}]/[ν + (1−ν)2^{1−n}] − ½
            Assert.Equal((0.035 + 0.965 * Math.Pow(2, -n)) / r - 0.5, s.Xi(n), 14);
        }
        var b1 = s.LowerBound(1, 0.05);
        Assert.Equal(InfoMeasures.CAlpha(0.05) / (0.035 * 0.035) - 10_000 * (InfoMeasures.H2(0.035) + 0.035), b1.LowerBoundBits, 8);
        Assert.True(s.LowerBound(4, 0.05).Vacuous);
        Assert.Equal(0, s.LowerBound(4, 0.05).LowerBoundBits);
    }
}
