using Memscope.Core;
using Memscope.Core.Random;

namespace Memscope.Facts.Data;

/// <summary>
/// Zipf(α) frequencies over a random permutation π of n facts (reference §4.1): the fact at rank r
/// (r = 0 most frequent) gets p_{π(r)} ∝ (r+1)^(−α). α = 0 is uniform. The permutation is a Fisher–Yates
/// shuffle on stream (seed, "zipf/permutation", 0), so which facts are frequent is unrelated to their order.
/// </summary>
public sealed class ZipfFrequencies
{
    public const string PermutationPurpose = "zipf/permutation";

    private readonly int[] _factAtRank;
    private readonly int[] _rankOf;
    private readonly double[] _p;

    public double Alpha { get; }
    public ulong Seed { get; }

    /// <summary>Number of facts n.</summary>
    public int Count => _p.Length;

    /// <summary>Probability of each fact, indexed by fact; sums to 1.</summary>
    public ReadOnlySpan<double> Probabilities => _p;

    public ZipfFrequencies(int count, double alpha, ulong seed)
    {
        UsageException.Require(double.IsFinite(alpha) && alpha >= 0,
            $"Zipf exponent α = {alpha} is invalid; α must be ≥ 0 and finite (0 = uniform, 1 = classic Zipf)");
        UsageException.Require(count >= 1, $"Zipf over {count} facts; give at least 1 fact");
        Alpha = alpha;
        Seed = seed;

        _factAtRank = new int[count];
        for (int i = 0; i < count; i++) _factAtRank[i] = i;
        var rng = new Rng(seed, PermutationPurpose, 0);
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (_factAtRank[i], _factAtRank[j]) = (_factAtRank[j], _factAtRank[i]);
        }
        _rankOf = new int[count];
        for (int r = 0; r < count; r++) _rankOf[_factAtRank[r]] = r;

        // Weights by rank, summed smallest first for accuracy.
        var w = new double[count];
        for (int r = 0; r < count; r++) w[r] = alpha == 0 ? 1.0 : Math.Pow(r + 1, -alpha);
        double z = 0;
        for (int r = count - 1; r >= 0; r--) z += w[r];
        _p = new double[count];
        for (int r = 0; r < count; r++) _p[_factAtRank[r]] = w[r] / z;
    }

    /// <summary>Frequency rank of fact <paramref name="i"/> (0 = most frequent).</summary>
    public int Rank(int i) => _rankOf[i];

    /// <summary>The fact at rank <paramref name="r"/>: π(r).</summary>
    public int FactAtRank(int r) => _factAtRank[r];

    /// <summary>Probability of fact <paramref name="i"/>.</summary>
    public double this[int i] => _p[i];

    /// <summary>The facts of <paramref name="facts"/> with these probabilities as their frequencies.</summary>
    public FactSet ApplyTo(FactSet facts)
    {
        if (facts.Count != Count) throw new ArgumentException($"Zipf over {Count} facts applied to a set of {facts.Count}", nameof(facts));
        return facts.WithFrequencies(_p);
    }

    /// <summary>A copy of the probabilities, indexed by fact.</summary>
    public double[] ToArray() => (double[])_p.Clone();
}
