using CsCheck;
using Memscope.Core;
using Memscope.Core.Information;
using Memscope.Theory.Sdpi;

namespace Memscope.Tests.Theory;

/// <summary>SDPI constants against closed forms (Polyanskiy–Wu ch. 33) and the η_KL ≥ ρ_m² property.</summary>
public class SdpiTests
{
    private static JointDistribution Bsc(double p, double q0 = 0.5) =>
        JointDistribution.FromChannel(new[,] { { 1 - p, p }, { p, 1 - p } }, [q0, 1 - q0]);

    private static JointDistribution Bec(double eps) =>
        JointDistribution.FromChannel(new[,] { { 1 - eps, eps, 0 }, { 0, eps, 1 - eps } }, [0.5, 0.5]);

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.25)]
    [InlineData(0.4)]
    public void BscWithUniformInputHasEtaOneMinusTwoPSquared(double p)
    {
        var s = ContractionCoefficients.Compute(Bsc(p));
        double want = (1 - 2 * p) * (1 - 2 * p);
        Assert.Equal(1 - 2 * p, s.MaximalCorrelation, 10);
        Assert.Equal(want, s.ChiSquareContraction, 10);
        Assert.Equal(want, s.EtaKL, 5);
        Assert.True(s.AchievedInLimit);
        // the FKL reference sanity check: for M = B, 1 − H2(p) = I(A;B) ≤ η·H(A) = (1−2p)²
        Assert.True(1 - InfoMeasures.H2(p) <= s.EtaKL + 1e-9);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void ErasureChannelHasEtaOneMinusEpsilon(double eps)
    {
        var s = ContractionCoefficients.Compute(Bec(eps));
        Assert.Equal(1 - eps, s.EtaKL, 6);
        Assert.Equal(Math.Sqrt(1 - eps), s.MaximalCorrelation, 8);
    }

    [Fact]
    public void IdentityHasEtaOneAndIndependenceZero()
    {
        var id = ContractionCoefficients.Compute(new JointDistribution(new[,] { { 0.2, 0, 0 }, { 0, 0.3, 0 }, { 0, 0, 0.5 } }));
        Assert.Equal(1, id.MaximalCorrelation, 8);
        Assert.Equal(1, id.EtaKL, 6);
        var pa = new[] { 0.2, 0.3, 0.5 }; var pb = new[] { 0.6, 0.4 };
        var m = new double[3, 2];
        for (int a = 0; a < 3; a++) for (int b = 0; b < 2; b++) m[a, b] = pa[a] * pb[b];
        var ind = ContractionCoefficients.Compute(new JointDistribution(m));
        Assert.Equal(0, ind.MaximalCorrelation, 8);
        Assert.Equal(0, ind.EtaKL, 8);
    }

    [Fact]
    public void ZChannelEtaExceedsChiSquareAndMatchesBruteForce()
    {
        // Z-channel with non-uniform input: η_KL > ρ_m² strictly; compare with a brute-force grid over Q
        var joint = JointDistribution.FromChannel(new[,] { { 1, 0 }, { 0.3, 0.7 } }, [0.3, 0.7]);
        var s = ContractionCoefficients.Compute(joint);
        double brute = 0;
        for (int i = 1; i < 100_000; i++)
        {
            double q = i / 100_000.0;
            if (Math.Abs(q - 0.3) < 1e-3) continue; // 0/0 at Q = P_A
            double qb0 = q + (1 - q) * 0.3;
            double r = ContractionCoefficients.KLBits([qb0, 1 - qb0], joint.MarginalB) / ContractionCoefficients.KLBits([q, 1 - q], joint.MarginalA);
            brute = Math.Max(brute, r);
        }
        Assert.True(s.EtaKL >= brute - 1e-9, $"search {s.EtaKL} < brute force {brute}");
        Assert.True(s.EtaKL <= brute + 1e-4, $"search {s.EtaKL} ≫ brute force {brute}");
        Assert.True(s.EtaKL > s.ChiSquareContraction + 1e-3);
        Assert.False(s.AchievedInLimit);
    }

    [Fact]
    public void ProductChannelTensorizes()
    {
        var product = JointDistribution.Product(Bsc(0.1), Bsc(0.2));
        var s = ContractionCoefficients.Compute(product);
        Assert.Equal(0.8, s.MaximalCorrelation, 8);
        Assert.Equal(0.64, s.EtaKL, 4);
        var (eta, rho) = ContractionCoefficients.Product([ContractionCoefficients.Compute(Bsc(0.1)), ContractionCoefficients.Compute(Bsc(0.2))]);
        Assert.Equal(s.EtaKL, eta, 4);
        Assert.Equal(s.MaximalCorrelation, rho, 8);
    }

    [Fact]
    public void EtaKLIsAtLeastChiSquareAndAtMostOneOnRandomJoints()
    {
        Gen.Int[2, 4].Select(Gen.Int[2, 4]).SelectMany((ra, cb) => Gen.Double[0.01, 1].Array[ra * cb].Select(v => (ra, cb, v)))
            .Sample(t =>
            {
                var m = new double[t.ra, t.cb];
                double sum = t.v.Sum();
                for (int a = 0; a < t.ra; a++) for (int b = 0; b < t.cb; b++) m[a, b] = t.v[a * t.cb + b] / sum;
                var s = ContractionCoefficients.Compute(new JointDistribution(m), starts: 8);
                return s.EtaKL >= s.ChiSquareContraction * (1 - 1e-4) - 1e-12 && s.EtaKL <= 1 + 1e-9 && s.MaximalCorrelation <= 1 + 1e-9;
            }, iter: 60);
    }

    [Theory]
    [InlineData("0.5,-0.1\n0.3,0.3", "negative")]
    [InlineData("0.5,0.2\n0.3,0.3", "sum to")]
    [InlineData("0.5,0.2\n0.3", "has 1 entries")]
    [InlineData("\n\n", "no numbers")]
    [InlineData("0.5,abc\n0.2,0.3", "not a number")]
    public void BadMatricesAreRejectedWithOneLine(string text, string fragment)
    {
        var e = Assert.Throws<UsageException>(() => new JointDistribution(JointDistribution.ParseMatrix(text, "x.csv"), "x.csv"));
        Assert.Contains(fragment, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void NormalizeDividesBySum()
    {
        var j = new JointDistribution(new[,] { { 2.0, 1 }, { 1, 2 } }, normalize: true);
        Assert.Equal(1.0 / 3, j.P[0, 0], 12);
    }
}
