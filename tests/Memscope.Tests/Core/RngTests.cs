using Memscope.Core.Random;

namespace Memscope.Tests.Core;

public class RngTests
{
    [Fact]
    public void SameKeyGivesSameStream_DifferentPurposeOrIndexDiffers()
    {
        var a = new Rng(7, "trial", 3);
        var b = new Rng(7, "trial", 3);
        var c = new Rng(7, "trial", 4);
        var d = new Rng(7, "other", 3);
        var xa = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(xa, Enumerable.Range(0, 100).Select(_ => b.NextUInt64()).ToArray());
        Assert.NotEqual(xa, Enumerable.Range(0, 100).Select(_ => c.NextUInt64()).ToArray());
        Assert.NotEqual(xa, Enumerable.Range(0, 100).Select(_ => d.NextUInt64()).ToArray());
    }

    [Theory]
    [InlineData(1_000_001)]
    [InlineData(1_000_000)]
    public void NormalsHaveStandardMoments(int count)
    {
        var x = new double[count];
        new Rng(1, "moments", 0).FillNormal(x);
        double mean = x.Average();
        double var = x.Select(v => (v - mean) * (v - mean)).Sum() / (count - 1);
        double kurt = x.Select(v => Math.Pow(v - mean, 4)).Sum() / count / (var * var);
        double tail = x.Count(v => v > 1.959963984540054) / (double)count;
        // 5-sigma bands: sd(mean) = 1/√N, sd(var) ≈ √(2/N), sd(kurt) ≈ √(24/N), sd(tail) = √(p(1−p)/N)
        Assert.InRange(mean, -5 / Math.Sqrt(count), 5 / Math.Sqrt(count));
        Assert.InRange(var, 1 - 5 * Math.Sqrt(2.0 / count), 1 + 5 * Math.Sqrt(2.0 / count));
        Assert.InRange(kurt, 3 - 5 * Math.Sqrt(24.0 / count), 3 + 5 * Math.Sqrt(24.0 / count));
        Assert.InRange(tail, 0.025 - 5 * Math.Sqrt(0.025 * 0.975 / count), 0.025 + 5 * Math.Sqrt(0.025 * 0.975 / count));
        Assert.All(x, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void NormalPairsAreUncorrelated()
    {
        // Box–Muller pairs land in the two halves of each block; they must be independent.
        var x = new double[1 << 20];
        new Rng(2, "pairs", 0).FillNormal(x);
        double c = 0;
        for (int i = 0; i + 1 < x.Length; i++) c += x[i] * x[i + 1];
        c /= x.Length - 1;
        Assert.InRange(c, -5 / Math.Sqrt(x.Length), 5 / Math.Sqrt(x.Length));
        double c512 = 0;
        for (int i = 0; i + 512 < x.Length; i++) c512 += x[i] * x[i + 512];
        c512 /= x.Length - 512;
        Assert.InRange(c512, -5 / Math.Sqrt(x.Length), 5 / Math.Sqrt(x.Length));
    }

    [Fact]
    public void SignsHaveTheRequestedBias()
    {
        var s = new sbyte[1_000_000];
        new Rng(3, "signs", 0).FillSigns(s, 0.65);
        double p = s.Count(v => v == 1) / (double)s.Length;
        double sd = Math.Sqrt(0.65 * 0.35 / s.Length);
        Assert.InRange(p, 0.65 - 5 * sd, 0.65 + 5 * sd);
        new Rng(3, "signs", 1).FillUniformSigns(s);
        p = s.Count(v => v == 1) / (double)s.Length;
        Assert.InRange(p, 0.5 - 5 * Math.Sqrt(0.25 / s.Length), 0.5 + 5 * Math.Sqrt(0.25 / s.Length));
        Assert.All(s, v => Assert.True(v == 1 || v == -1));
    }

    [Fact]
    public void NextIntIsUniform()
    {
        var rng = new Rng(4, "int", 0);
        var counts = new int[7];
        for (int i = 0; i < 700_000; i++) counts[rng.NextInt(7)]++;
        // chi-square with 6 dof; 99.99% quantile ≈ 27.9
        double chi = counts.Sum(c => Math.Pow(c - 100_000, 2) / 100_000.0);
        Assert.True(chi < 27.9, $"chi-square {chi}");
    }
}

public class RngEdgeTests
{
    [Fact]
    public void SignsAndBernoulliHonourTheEndpoints()
    {
        var s = new sbyte[10_000];
        var b = new byte[10_000];
        var rng = new Rng(5, "edges", 0);
        rng.FillSigns(s, 1); Assert.All(s, v => Assert.Equal(1, v));
        rng.FillSigns(s, 0); Assert.All(s, v => Assert.Equal(-1, v));
        rng.FillBernoulli(b, 1); Assert.All(b, v => Assert.Equal(1, v));
        rng.FillBernoulli(b, 0); Assert.All(b, v => Assert.Equal(0, v));
        rng.FillBernoulli(b, 0.2);
        double p = b.Average(v => (double)v);
        Assert.InRange(p, 0.2 - 5 * Math.Sqrt(0.16 / b.Length), 0.2 + 5 * Math.Sqrt(0.16 / b.Length));
    }
}
