using CsCheck;
using MathNet.Numerics;
using Memscope.Core.Numerics;
using Memscope.Core.Probability;
using Memscope.Core.Statistics;

namespace Memscope.Tests.Core;

public class TailsTests
{
    // Direct summation of exact pmfs with BigInteger-free log-binomials: the brute-force reference.
    private static double BruteCdf(int k, int n, double p)
    {
        double s = 0;
        for (int j = 0; j <= Math.Min(k, n); j++) s += Math.Exp(SpecialFunctions.BinomialLn(n, j) + j * Math.Log(p) + (n - j) * Math.Log(1 - p));
        return s;
    }

    [Fact]
    public void BinomialTailsMatchDirectSummation() =>
        Gen.Select(Gen.Int[0, 300], Gen.Double[0.01, 0.99], Gen.Int[0, 1000]).Sample((n, p, kr) =>
        {
            int k = kr % (n + 1);
            double cdf = BinomialTails.Cdf(k, n, p), brute = BruteCdf(k, n, p);
            double sf = BinomialTails.Sf(k + 1, n, p);
            return Math.Abs(cdf - brute) <= 1e-12 + 1e-10 * brute && Math.Abs(cdf + sf - 1) <= 1e-12;
        });

    [Fact]
    public void BinomialLogTailIsExactFarBelowDoublePrecision()
    {
        // Pr[Bin(10000, 1/2) ≥ 9000]: the sum is dominated by its first terms; compare with log-sum-exp of 50 pmfs.
        double expected = double.NegativeInfinity;
        for (int k = 9000; k < 9050; k++) expected = LogSpace.Add(expected, BinomialTails.LogPmf(k, 10000, 0.5));
        double got = BinomialTails.LogSf(9000, 10000, 0.5);
        Assert.InRange(got, expected - 1e-9, expected + 1e-9);
        Assert.True(got < -3000); // e^-3000 underflows a double: only the log form holds it
        Assert.Equal(0, BinomialTails.LogCdf(10000, 10000, 0.3));
        Assert.Equal(double.NegativeInfinity, BinomialTails.LogCdf(-1, 10, 0.3));
    }

    [Theory]
    // references: 40-digit mpmath sums of binomial(n, j)·p^j·(1−p)^(n−j)
    [InlineData(400, 1000, 0.5, -22.71525923980674627)]
    [InlineData(4900, 10000, 0.5, -3.759612530917067789)]
    [InlineData(100, 10000, 0.02, -33.73739137830625793)]
    [InlineData(20, 10000, 0.02, -137.9085395216512991)]
    public void BinomialLogCdfMatchesHighPrecision(int k, int n, double p, double expected) =>
        Assert.True(Math.Abs(BinomialTails.LogCdf(k, n, p) - expected) <= 1e-9 * Math.Abs(expected),
            $"{BinomialTails.LogCdf(k, n, p)} vs {expected}");

    [Fact]
    public void HypergeometricMatchesMathNet() =>
        Gen.Select(Gen.Int[1, 200], Gen.Int[0, 200], Gen.Int[0, 200], Gen.Int[0, 200]).Sample((N, Kr, nr, kr) =>
        {
            int K = Kr % (N + 1), n = nr % (N + 1), k = kr % (n + 1);
            double reference = MathNet.Numerics.Distributions.Hypergeometric.CDF(N, K, n, k);
            double got = Math.Exp(HypergeometricTails.LogCdf(k, N, K, n));
            double sf = Math.Exp(HypergeometricTails.LogSf(k + 1, N, K, n));
            return Math.Abs(got - reference) <= 1e-9 && Math.Abs(got + sf - 1) <= 1e-9;
        });

    [Fact]
    public void BinomialSumMatchesFullConvolution() =>
        Gen.Select(Gen.Int[0, 60], Gen.Int[0, 60], Gen.Double[0.05, 0.95], Gen.Double[0.05, 0.95], Gen.Int[-10, 130]).Sample((n1, n2, p1, p2, s) =>
        {
            var conv = new double[n1 + n2 + 1];
            for (int a = 0; a <= n1; a++)
                for (int b = 0; b <= n2; b++)
                    conv[a + b] += Math.Exp(BinomialTails.LogPmf(a, n1, p1) + BinomialTails.LogPmf(b, n2, p2));
            double sfRef = 0, cdfRef = 0;
            for (int j = 0; j < conv.Length; j++) { if (j >= s) sfRef += conv[j]; if (j <= s) cdfRef += conv[j]; }
            return Math.Abs(BinomialSum.Sf(s, 0, n1, p1, n2, p2) - sfRef) <= 1e-12
                && Math.Abs(BinomialSum.Cdf(s + 3, 3, n1, p1, n2, p2) - cdfRef) <= 1e-12;
        });

    [Fact]
    public void GaussHermiteIntegratesNormalMoments()
    {
        var rule = GaussHermite.Rule(40);
        Assert.Equal(1, rule.ExpectStandardNormal(_ => 1), 13);
        Assert.Equal(1, rule.ExpectStandardNormal(z => z * z), 12);
        Assert.Equal(3, rule.ExpectStandardNormal(z => Math.Pow(z, 4)), 11);
        Assert.Equal(15, rule.ExpectStandardNormal(z => Math.Pow(z, 6)), 10);
        Assert.Equal(Math.Exp(-0.5), rule.ExpectStandardNormal(Math.Cos), 12);
    }

    [Fact]
    public void BernoulliIntervalsMatchKnownValues()
    {
        var w = BernoulliInterval.Wilson(5, 10);
        Assert.Equal(0.2366, w.Lo, 4);
        Assert.Equal(0.7634, w.Hi, 4);
        var cp = BernoulliInterval.ClopperPearson(0, 10);
        Assert.Equal(0, cp.Lo);
        Assert.Equal(1 - Math.Pow(0.025, 0.1), cp.Hi, 9);
        var cp2 = BernoulliInterval.ClopperPearson(3, 10);
        Assert.Equal(0.0667, cp2.Lo, 4);
        Assert.Equal(0.6525, cp2.Hi, 4);
    }

    [Fact]
    public void StudentTIntervalCoversTheMean()
    {
        var i = MeanInterval.StudentT([1.0, 2.0, 3.0, 4.0]);
        // mean 2.5, s = 1.2910, se = 0.6455, t_{0.975,3} = 3.1824
        Assert.Equal(2.5, i.Estimate, 12);
        Assert.Equal(2.5 - 3.182446305 * 0.645497224, i.Lo, 6);
    }
}
