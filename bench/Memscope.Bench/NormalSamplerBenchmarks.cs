using BenchmarkDotNet.Attributes;
using Memscope.Core.Random;

namespace Memscope.Bench;

/// <summary>
/// Memscope's Box–Muller <see cref="Rng.FillNormal(Span{double})"/> (baseline) against the bench-only
/// <see cref="ZigguratNormal"/> prototype on the same generator, d = 10⁴ values per call. Ratio = time / Box–Muller time.
/// </summary>
public class NormalSamplerBenchmarks
{
    private const int D = Workloads.D;
    private readonly Rng _rng = new(Workloads.Seed, "bench", 0);
    private readonly double[] _doubles = new double[D];

    [Benchmark(Baseline = true), ValuesPerCall(D)]
    public void BoxMuller() => _rng.FillNormal(_doubles);

    [Benchmark, ValuesPerCall(D)]
    public void Ziggurat() => ZigguratNormal.Fill(_rng, _doubles);
}
