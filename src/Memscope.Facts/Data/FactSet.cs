namespace Memscope.Facts.Data;

/// <summary>
/// M facts over one <see cref="Vocabulary"/>, with their token sequences as one flat array
/// [M × <see cref="Vocabulary.SequenceLength"/>], the value entropy <see cref="HBits"/> = L·log2(alphabet) of a
/// uniform value, and sampling <see cref="Frequencies"/> that sum to 1. Keys are distinct.
/// Frequencies are the ones given; otherwise proportional to the facts' counts when every fact has one and
/// they sum to more than 0; otherwise uniform.
/// </summary>
public sealed class FactSet
{
    private readonly Fact[] _facts;
    private readonly int[] _tokens;
    private readonly double[] _frequencies;
    private readonly Dictionary<int, int> _byKey;

    public Vocabulary Vocabulary { get; }

    /// <summary>Number of facts M.</summary>
    public int Count => _facts.Length;

    public Fact this[int i] => _facts[i];

    public IReadOnlyList<Fact> Facts => _facts;

    /// <summary>Token sequences, fact i at [i·SequenceLength, (i+1)·SequenceLength).</summary>
    public ReadOnlySpan<int> Tokens => _tokens;

    /// <summary>Sampling probability of each fact; sums to 1.</summary>
    public ReadOnlySpan<double> Frequencies => _frequencies;

    /// <summary>Entropy of one uniform value in bits: L·log2(alphabet), e.g. 4·log2 10 ≈ 13.2877.</summary>
    public double HBits => Vocabulary.ValueBits;

    /// <summary>Information in all values: M·H bits.</summary>
    public double TotalBits => Count * HBits;

    public FactSet(Vocabulary vocabulary, IReadOnlyList<Fact> facts, ReadOnlySpan<double> frequencies = default)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Count == 0) throw new ArgumentException("a fact set needs at least one fact", nameof(facts));
        Vocabulary = vocabulary;
        _facts = facts.ToArray();
        int len = vocabulary.SequenceLength;
        _tokens = new int[_facts.Length * len];
        _byKey = new Dictionary<int, int>(_facts.Length);
        for (int i = 0; i < _facts.Length; i++)
        {
            var f = _facts[i] ?? throw new ArgumentException($"fact {i} is null", nameof(facts));
            if (f.First >= vocabulary.FirstNameSymbols || f.Last >= vocabulary.LastNameSymbols)
                throw new ArgumentException($"fact {i} has key ({f.First},{f.Last}) outside the {vocabulary.FirstNameSymbols}×{vocabulary.LastNameSymbols} name grid", nameof(facts));
            if (f.Value.Length != vocabulary.ValueLength)
                throw new ArgumentException($"fact {i} has {f.Value.Length} digits, the vocabulary expects {vocabulary.ValueLength}", nameof(facts));
            foreach (byte d in f.Value)
                if (d >= vocabulary.ValueAlphabet)
                    throw new ArgumentException($"fact {i} has digit {d}, outside the alphabet [0, {vocabulary.ValueAlphabet})", nameof(facts));
            int key = vocabulary.KeyIndex(f.First, f.Last);
            if (!_byKey.TryAdd(key, i))
                throw new ArgumentException($"facts {_byKey[key]} and {i} share the key ({f.First},{f.Last}); keys must be distinct", nameof(facts));
            vocabulary.Encode(f.First, f.Last, f.Value, _tokens.AsSpan(i * len, len));
        }
        _frequencies = ResolveFrequencies(_facts, frequencies);
    }

    /// <summary>The token sequence of fact <paramref name="i"/>.</summary>
    public ReadOnlySpan<int> Sequence(int i)
    {
        if ((uint)i >= (uint)_facts.Length) throw new ArgumentOutOfRangeException(nameof(i), $"fact {i} is outside [0, {_facts.Length})");
        int len = Vocabulary.SequenceLength;
        return _tokens.AsSpan(i * len, len);
    }

    /// <summary>Index of the fact with key (first, last), or −1.</summary>
    public int IndexOf(int first, int last)
    {
        if ((uint)first >= (uint)Vocabulary.FirstNameSymbols || (uint)last >= (uint)Vocabulary.LastNameSymbols) return -1;
        return _byKey.TryGetValue(Vocabulary.KeyIndex(first, last), out int i) ? i : -1;
    }

    /// <summary>The same facts with other sampling frequencies (normalized to sum to 1).</summary>
    public FactSet WithFrequencies(ReadOnlySpan<double> frequencies)
    {
        if (frequencies.IsEmpty) throw new ArgumentException("no frequencies given", nameof(frequencies));
        return new FactSet(Vocabulary, _facts, frequencies);
    }

    /// <summary>The first <paramref name="m"/> facts, their frequencies restricted and renormalized.</summary>
    public FactSet Prefix(int m)
    {
        if (m < 1 || m > Count) throw new ArgumentOutOfRangeException(nameof(m), $"prefix length {m} is outside [1, {Count}]");
        return new FactSet(Vocabulary, _facts[..m], _frequencies.AsSpan(0, m));
    }

    private static double[] ResolveFrequencies(Fact[] facts, ReadOnlySpan<double> given)
    {
        int m = facts.Length;
        if (!given.IsEmpty)
        {
            if (given.Length != m) throw new ArgumentException($"{given.Length} frequencies for {m} facts", nameof(given));
            return Normalize(given, "frequency");
        }
        if (facts.All(f => f.Count.HasValue) && facts.Any(f => f.Count > 0))
            return Normalize(facts.Select(f => (double)f.Count!.Value).ToArray(), "count");
        var u = new double[m];
        Array.Fill(u, 1.0 / m);
        return u;
    }

    private static double[] Normalize(ReadOnlySpan<double> w, string what)
    {
        double sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            if (!(w[i] >= 0) || double.IsPositiveInfinity(w[i]))
                throw new ArgumentException($"{what} {i} is {w[i]}; it must be finite and ≥ 0");
            sum += w[i];
        }
        if (!(sum > 0) || double.IsInfinity(sum)) throw new ArgumentException($"{what}s sum to {sum}; they must sum to a finite value > 0");
        var p = new double[w.Length];
        for (int i = 0; i < w.Length; i++) p[i] = w[i] / sum;
        return p;
    }
}
