using BenchmarkDotNet.Attributes;
using Memscope.Core.Random;

namespace Memscope.Bench;

/// <summary>
/// Why <see cref="Rng.FillNormal(Span{double})"/> uses Box–Muller: it against a 256-layer ziggurat (NumPy's method) on the
/// same generator, d = 10⁴ values per call; Ratio = time / baseline time. (Box–Muller with TensorPrimitives.Sin and Cos
/// measured 3.1–3.5 ns/value, the ziggurat 5.4–5.8, on 2026-12-04.)
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
