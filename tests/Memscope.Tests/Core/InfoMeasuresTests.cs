using CsCheck;
using Memscope.Core.Information;

namespace Memscope.Tests.Core;

public class InfoMeasuresTests
{
    [Fact]
    public void KnownValues()
    {
        Assert.Equal(1.0, InfoMeasures.H2(0.5), 15);
        Assert.Equal(0, InfoMeasures.H2(0));
        Assert.Equal(0.468995593589281, InfoMeasures.H2(0.1), 12); // −0.1·log2 0.1 − 0.9·log2 0.9
        Assert.Equal(1.0 / 3, InfoMeasures.CAlpha(1.0 / 3), 14);  // (1/3)·log2 2
        Assert.Equal(0.98 * Math.Log2(99), InfoMeasures.CAlpha(0.01), 13);
        Assert.Equal(0.5, InfoMeasures.GaussianChannelMI(1, 1), 15);
        Assert.Equal(2.0, InfoMeasures.Entropy([0.25, 0.25, 0.25, 0.25]), 15);
        Assert.Equal(1.0, InfoMeasures.KL([1, 0], [0.5, 0.5]), 15);
        Assert.Equal(double.PositiveInfinity, InfoMeasures.KL([0.5, 0.5], [1, 0]));
    }

    [Fact]
    public void CAlphaIsTheBinaryKLOfTheAccuracyGap() =>
        Gen.Double[1e-6, 0.499999].Sample(a =>
            Math.Abs(InfoMeasures.CAlpha(a) - InfoMeasures.BinaryKL(1 - a, a)) <= 1e-9 * Math.Max(1, InfoMeasures.CAlpha(a)));

    [Fact]
    public void H2FromLogMatchesH2AndSurvivesUnderflow()
    {
        Gen.Double[1e-12, 1].Sample(p => Math.Abs(InfoMeasures.H2FromLog(Math.Log(p)) - InfoMeasures.H2(p)) <= 1e-12 + 1e-9 * InfoMeasures.H2(p));
        // p = e^-700 (≈ 1e-304, near the bottom of double range): compare with the series
        // H2 = [−p ln p − (1−p) ln(1−p)]/ln 2 = p·(−ln p + 1 − p/2 − …)/ln 2, evaluated in log form.
        double logH = Math.Log(InfoMeasures.H2FromLog(-700));
        Assert.Equal(-700 + Math.Log(701) - Math.Log(Math.Log(2)), logH, 9);
        // mid-range p where 1 − p is exact: the direct formula
        double pMid = 1e-9;
        Assert.Equal(-(pMid * Math.Log2(pMid) + (1 - pMid) * Math.Log2(1 - pMid)), InfoMeasures.H2FromLog(Math.Log(pMid)), 14);
    }

    [Fact]
    public void BscSdpiSanity_OneMinusH2IsAtMostRho() =>
        // FKL ref. §7: for uniform input and M = B, 1 − H2(p) ≤ (1−2p)².
        Gen.Double[0, 1].Sample(p => 1 - InfoMeasures.H2(p) <= (1 - 2 * p) * (1 - 2 * p) + 1e-12);

    [Fact]
    public void BadInputThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InfoMeasures.CAlpha(0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => InfoMeasures.CAlpha(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => InfoMeasures.H2(1.5));
        Assert.Throws<ArgumentException>(() => InfoMeasures.Entropy([0.5, 0.4]));
    }
}

public class LogSpaceTests
{
    [Fact]
    public void Log1pIsAccurateForTinyArguments()
    {
        static void Rel(double expected, double got) => Assert.True(Math.Abs(got - expected) <= 2e-16 * Math.Abs(expected), $"{got} vs {expected}");
        Rel(1e-20, Memscope.Core.Numerics.LogSpace.Log1p(1e-20));
        Rel(-2e-12 - 2e-24, Memscope.Core.Numerics.LogSpace.Log1p(-2e-12));
        double x = 3.7e-9;
        Rel(x - x * x / 2 + x * x * x / 3, Memscope.Core.Numerics.LogSpace.Log1p(x));
        Assert.Equal(Math.Log(2.5), Memscope.Core.Numerics.LogSpace.Log1p(1.5), 15);
        Rel(Math.Log(1e-10) - 5e-11, Memscope.Core.Numerics.LogSpace.Log1mExp(-1e-10)); // log(x − x²/2 + …)
    }
}
