using BenchmarkDotNet.Attributes;
using Memscope.Core.Random;

namespace Memscope.Bench;

/// <summary>
/// The sampling kernels of <see cref="Rng"/> on one vector of d = 10⁴ values per call, single thread — the same
/// kernels and sizes as <c>memscope bench</c>. The ns/value column is Mean / 10⁴.
/// </summary>
public class SamplerBenchmarks
{
    private const int D = Workloads.D;
    private readonly Rng _rng = new(Workloads.Seed, "bench", 0);
    private readonly double[] _doubles = new double[D];
    private readonly sbyte[] _signs = new sbyte[D];

    /// <summary>Gaussian vector: N(0, 1) by vectorized Box–Muller.</summary>
    [Benchmark, ValuesPerCall(D)]
    public void Normal() => _rng.FillNormal(_doubles);

    /// <summary>Uniform vector on [0, 1).</summary>
    [Benchmark, ValuesPerCall(D)]
    public void Uniform() => _rng.FillUniform(_doubles);

    /// <summary>Bernoulli ±1 vector with Pr[+1] = 0.65.</summary>
    [Benchmark, ValuesPerCall(D)]
    public void BernoulliSigns() => _rng.FillSigns(_signs, Workloads.BernoulliP);

    /// <summary>Uniform ±1 vector (one bit per sign).</summary>
    [Benchmark, ValuesPerCall(D)]
    public void UniformSigns() => _rng.FillUniformSigns(_signs);
}
