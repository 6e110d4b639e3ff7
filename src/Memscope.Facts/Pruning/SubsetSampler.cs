using Memscope.Core.Random;
using Memscope.Facts.Data;
using Memscope.Facts.Training;

namespace Memscope.Facts.Pruning;

/// <summary>
/// Draws only from a kept subset of facts, with weights: C1 (oracle: the <c>keep</c> most frequent facts, uniform —
/// limit + flatten with frequency knowledge), C2 (<c>keep</c> random facts at their original relative frequency) and
/// C2u (the same random facts, uniform).
/// </summary>
public sealed class SubsetSampler : ISequenceSampler
{
    private readonly int[] _kept;
    private readonly AliasSampler _alias;
    private readonly Rng _rng;
    private readonly int[] _scratch = new int[1];

    public string Arm { get; }
    public IReadOnlyList<int> Kept => _kept;

    private SubsetSampler(string arm, int[] kept, double[] weights, Rng rng)
    {
        Arm = arm; _kept = kept; _alias = new AliasSampler(weights); _rng = rng;
    }

    public static SubsetSampler OracleTop(double[] p, int keep, Rng rng)
    {
        var kept = Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).ThenBy(i => i).Take(keep).ToArray();
        return new SubsetSampler("C1", kept, Enumerable.Repeat(1.0, kept.Length).ToArray(), rng);
    }

    public static SubsetSampler Random(double[] p, int keep, bool uniform, ulong seed, Rng rng)
    {
        var perm = Enumerable.Range(0, p.Length).ToArray();
        var pick = new Rng(seed, "facts/prune/random-keep", 0);
        for (int i = 0; i < keep; i++) { int j = i + pick.NextInt(perm.Length - i); (perm[i], perm[j]) = (perm[j], perm[i]); }
        var kept = perm.Take(keep).OrderBy(i => i).ToArray();
        var w = uniform ? Enumerable.Repeat(1.0, keep).ToArray() : kept.Select(i => p[i]).ToArray();
        return new SubsetSampler(uniform ? "C2u" : "C2", kept, w, rng);
    }

    public void Fill(int step, Span<int> batch, Func<int[], float[]> lossOf)
    {
        for (int b = 0; b < batch.Length; b++) batch[b] = _kept[_alias.Sample(_rng)];
    }
}
