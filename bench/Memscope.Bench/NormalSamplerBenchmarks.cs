using BenchmarkDotNet.Attributes;
using Memscope.Core.Random;

namespace Memscope.Bench;

/// <summary>
/// Memscope's <see cref="Rng.FillNormal(Span{double})"/> (baseline: Box–Muller with TensorPrimitives.SinCos) against
/// two bench-only prototypes on the same generator: <see cref="SplitBoxMullerNormal"/> (Sin and Cos instead of SinCos)
/// and <see cref="ZigguratNormal"/>. d = 10⁴ values per call; Ratio = time / baseline time.
/// </summary>
public class NormalSamplerBenchmarks
{
    private const int D = Workloads.D;
    private readonly Rng _rng = new(Workloads.Seed, "bench", 0);
    private readonly double[] _doubles = new double[D];
    private readonly SplitBoxMullerNormal _split = new();

    [Benchmark(Baseline = true), ValuesPerCall(D)]
    public void BoxMuller() => _rng.FillNormal(_doubles);

    [Benchmark, ValuesPerCall(D)]
    public void BoxMullerSinCosSplit() => _split.Fill(_rng, _doubles);

    [Benchmark, ValuesPerCall(D)]
    public void Ziggurat() => ZigguratNormal.Fill(_rng, _doubles);
}
