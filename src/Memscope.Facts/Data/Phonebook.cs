using Memscope.Core;
using Memscope.Core.Random;

namespace Memscope.Facts.Data;

/// <summary>
/// A synthetic phonebook (reference §4.1): <c>universe</c> distinct two-token keys drawn uniformly without
/// replacement from the first-name × last-name grid, each with L i.i.d. uniform value digits.
/// Keys come from one partial Fisher–Yates shuffle of the grid on stream (seed, "phonebook/keys", 0), and
/// fact i's digits from stream (seed, "phonebook/values", i); so fact i (key and value) is the same for every
/// universe size, and the first m facts of any phonebook are a uniformly random m-subset of the grid.
/// </summary>
public sealed class Phonebook
{
    public const string KeysPurpose = "phonebook/keys";
    public const string ValuesPurpose = "phonebook/values";

    public ulong Seed { get; }
    public Vocabulary Vocabulary { get; }

    /// <summary>All facts of the universe, uniform frequencies.</summary>
    public FactSet Facts { get; }

    /// <summary>Number of facts in the universe.</summary>
    public int Universe => Facts.Count;

    private Phonebook(ulong seed, Vocabulary vocabulary, FactSet facts)
    {
        Seed = seed;
        Vocabulary = vocabulary;
        Facts = facts;
    }

    /// <summary>Generates a phonebook of <paramref name="universe"/> facts.</summary>
    public static Phonebook Generate(int universe, ulong seed, int valueLength = 4, int alphabet = 10, int firstNames = 128, int lastNames = 128)
    {
        var vocab = new Vocabulary(firstNames, lastNames, alphabet, valueLength);
        int grid = vocab.KeyGridSize;
        UsageException.Require(universe >= 1, $"universe = {universe}; a phonebook needs at least 1 fact");
        UsageException.Require(universe <= grid,
            $"universe = {universe} is larger than the {firstNames}×{lastNames} name grid; the maximum is {grid} distinct keys; lower --universe or use more first/last names");

        // Partial Fisher–Yates over [0, grid), sparse: only displaced slots are stored.
        var keys = new Rng(seed, KeysPurpose, 0);
        var displaced = new Dictionary<int, int>(universe);
        var facts = new Fact[universe];
        var digits = new byte[valueLength];
        for (int i = 0; i < universe; i++)
        {
            int j = i + keys.NextInt(grid - i);
            int atJ = displaced.TryGetValue(j, out int vj) ? vj : j;
            int atI = displaced.TryGetValue(i, out int vi) ? vi : i;
            displaced[j] = atI;
            displaced.Remove(i);    // slot i is final from here on
            var (first, last) = vocab.KeyAt(atJ);
            FillValue(seed, i, alphabet, digits);
            facts[i] = new Fact(first, last, digits);
        }
        return new Phonebook(seed, vocab, new FactSet(vocab, facts));
    }

    /// <summary>The first <paramref name="m"/> facts with uniform frequencies (for capacity sweeps over M).</summary>
    public FactSet Subset(int m)
    {
        UsageException.Require(m >= 1, $"M = {m}; train on at least 1 fact");
        UsageException.Require(m <= Universe, $"M = {m} is larger than the universe of {Universe} facts; raise --universe or lower M");
        return m == Universe ? Facts : new FactSet(Vocabulary, Facts.Facts.Take(m).ToArray());
    }

    /// <summary>Fact i's value digits: L uniform draws in [0, alphabet) from stream (seed, "phonebook/values", i).</summary>
    public static void FillValue(ulong seed, int i, int alphabet, Span<byte> digits)
    {
        var rng = new Rng(seed, ValuesPurpose, (ulong)i);
        for (int k = 0; k < digits.Length; k++) digits[k] = (byte)rng.NextInt(alphabet);
    }
}
