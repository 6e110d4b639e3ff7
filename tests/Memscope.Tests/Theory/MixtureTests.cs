using Memscope.Theory.Mixture;
using Memscope.Theory.Problems;

namespace Memscope.Tests.Theory;

public class MixtureTests
{
    [Theory]
    [InlineData("uniform")]
    [InlineData("powerlaw")]
    public void CountsAccountForEveryClusterAndEverySample(string prior)
    {
        var m = new MixtureOfClusters(GaussianClustering.FromC(10_000, 3), 200, prior == "uniform" ? FrequencyPrior.Uniform : FrequencyPrior.PowerLaw(2));
        var c = m.Counts(500, seed: 3, draws: 16);
        Assert.Equal(200, c.Expected.Sum(), 6);                                // Σ_ℓ E|I^{#ℓ}| = k
        Assert.Equal(500, c.Expected.Select((e, l) => e * l).Sum(), 5);        // Σ_ℓ ℓ·E|I^{#ℓ}| = n
    }

    [Fact]
    public void UniformLemma14PosteriorIsOneOverK()
    {
        var m = new MixtureOfClusters(GaussianClustering.FromC(10_000, 3), 50, FrequencyPrior.Uniform);
        Assert.All(m.Counts(100).PosteriorFrequency, t => Assert.Equal(1.0 / 50, t, 15));
        // A power-law prior makes clusters seen more often look more frequent (Lemma 14).
        var pl = new MixtureOfClusters(GaussianClustering.FromC(10_000, 3), 50, FrequencyPrior.PowerLaw(3)).Counts(100, draws: 8);
        Assert.True(pl.PosteriorFrequency[10] > pl.PosteriorFrequency[1]);
    }

    [Fact]
    public void AtKLogKSingletonsVanishButTheorem18StaysOfOrderNd()
    {
        int k = 1000;
        var g = GaussianClustering.FromC(10_000, 3);
        var m = new MixtureOfClusters(g, k, FrequencyPrior.Uniform);
        int n = (int)Math.Ceiling(k * Math.Log(k));
        var row = m.Bound(n, advantage: 0.9);
        Assert.True(row.ExpectedSingletons < 10);
        Assert.True(row.SingletonOnlyBits < 0.05 * row.Theorem18Bits);
        // Ω̃(kd/log k): each of the ≈ k clusters, seen ≈ ln k times, contributes ≈ LB_{ln k}
        double perCluster = m.PerClusterBound((int)Math.Round(Math.Log(k)), 0.05);
        Assert.InRange(row.Theorem18Bits, 0.5 * k * perCluster, 2 * k * perCluster);
        // and at n = k/10 the two bounds nearly agree (mostly singletons)
        var small = m.Bound(k / 10, 0.9);
        Assert.InRange(small.Theorem18Bits / small.SingletonOnlyBits, 1, 1.1);
    }
}

public class MixtureMonteCarloTests
{
    [Fact]
    public void PowerLawBoundIsTheMeanOfPerDrawBoundsWithItsStandardError()
    {
        var m = new MixtureOfClusters(GaussianClustering.FromC(10_000, 3), 100, FrequencyPrior.PowerLaw(2));
        var row = m.Bound(300, 0.8, seed: 2, draws: 12);
        var counts = m.Counts(300, seed: 2, draws: 12);
        var perDraw = counts.PerDraw!.Select(c => Enumerable.Range(1, 300).Sum(l => c[l] * (c[l] > 0 ? m.PerClusterBound(l, 0.1) : 0))).ToArray();
        Assert.Equal(perDraw.Average(), row.Theorem18Bits, 6);
        double sd = Math.Sqrt(perDraw.Select(x => (x - perDraw.Average()) * (x - perDraw.Average())).Sum() / (perDraw.Length - 1));
        Assert.Equal(sd / Math.Sqrt(perDraw.Length), row.Theorem18StdError, 6);
        Assert.True(row.Theorem18StdError > 0);
    }
}
