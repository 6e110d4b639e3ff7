using Memscope.Core.Random;

namespace Memscope.Facts.Data;

/// <summary>
/// Samples indices from a discrete distribution in O(1) per draw by the alias method (Walker 1977, in the
/// numerically stable form of Vose 1991). Construction is O(n). Each draw uses two numbers from the given
/// <see cref="Rng"/> (a column and a uniform), so samples are a deterministic function of the stream.
/// </summary>
public sealed class AliasSampler
{
    private readonly double[] _accept;   // probability of keeping the column rather than taking its alias
    private readonly int[] _alias;
    private readonly double[] _p;

    /// <summary>Number of outcomes.</summary>
    public int Count => _p.Length;

    /// <summary>The normalized probabilities.</summary>
    public ReadOnlySpan<double> Probabilities => _p;

    /// <summary>Builds the tables from weights that are finite, ≥ 0 and sum to more than 0 (normalized here).</summary>
    public AliasSampler(ReadOnlySpan<double> weights)
    {
        int n = weights.Length;
        if (n == 0) throw new ArgumentException("no outcomes to sample from", nameof(weights));
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double w = weights[i];
            if (!double.IsFinite(w) || w < 0) throw new ArgumentException($"weight {i} is {w}; weights must be finite and ≥ 0", nameof(weights));
            sum += w;
        }
        if (!(sum > 0) || !double.IsFinite(sum)) throw new ArgumentException($"weights sum to {sum}; they must sum to a finite value > 0", nameof(weights));

        _p = new double[n];
        _accept = new double[n];
        _alias = new int[n];
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < n; i++)
        {
            _p[i] = weights[i] / sum;
            scaled[i] = _p[i] * n;
            _alias[i] = i;
            (scaled[i] < 1 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            _accept[s] = scaled[s];
            _alias[s] = l;
            scaled[l] = (scaled[l] + scaled[s]) - 1;
            (scaled[l] < 1 ? small : large).Push(l);
        }
        // Leftovers are 1 up to rounding.
        while (large.Count > 0) _accept[large.Pop()] = 1;
        while (small.Count > 0) _accept[small.Pop()] = 1;
    }

    /// <summary>One index drawn with probability p_i.</summary>
    public int Sample(Rng rng)
    {
        int column = rng.NextInt(_accept.Length);
        return rng.NextDouble() < _accept[column] ? column : _alias[column];
    }

    /// <summary>Fills <paramref name="dest"/> with i.i.d. draws.</summary>
    public void Sample(Rng rng, Span<int> dest)
    {
        for (int i = 0; i < dest.Length; i++) dest[i] = Sample(rng);
    }
}
