using BenchmarkDotNet.Attributes;
using Memscope.Core.Random;

namespace Memscope.Bench;

/// <summary>
/// Memscope's <see cref="Rng.FillSigns"/> (baseline) against the bench-only branch-free <see cref="BranchlessSigns"/>
/// (bit-identical output), p = 0.65, d = 10⁴ signs per call; Ratio = time / baseline time.
/// </summary>
public class SignSamplerBenchmarks
{
    private const int D = Workloads.D;
    private readonly Rng _rng = new(Workloads.Seed, "bench", 0);
    private readonly sbyte[] _signs = new sbyte[D];

    [Benchmark(Baseline = true), ValuesPerCall(D)]
    public void FillSigns() => _rng.FillSigns(_signs, Workloads.BernoulliP);

    [Benchmark, ValuesPerCall(D)]
    public void Branchless() => BranchlessSigns.Fill(_rng, _signs, Workloads.BernoulliP);
}
