using Memscope.Core;

namespace Memscope.Facts.Data;

/// <summary>
/// The facts of a user CSV in file order, with distinct keys. <see cref="HasCounts"/> says whether the file
/// gave counts; without them every count is 1.
/// </summary>
public sealed class UserFacts
{
    private readonly UserFact[] _facts;
    private readonly Dictionary<string, int> _byKey;

    /// <summary>The file the facts came from, or null when built in memory.</summary>
    public string? Source { get; }

    public bool HasCounts { get; }

    public IReadOnlyList<UserFact> Facts => _facts;

    public int Count => _facts.Length;

    public UserFact this[int i] => _facts[i];

    /// <summary>Sum of the counts.</summary>
    public long TotalCount { get; }

    public UserFacts(IReadOnlyList<UserFact> facts, bool hasCounts, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(facts);
        _facts = facts.ToArray();
        _byKey = new Dictionary<string, int>(_facts.Length, StringComparer.Ordinal);
        long total = 0;
        for (int i = 0; i < _facts.Length; i++)
        {
            var f = _facts[i];
            if (f.Count < 0) throw new ArgumentException($"fact '{f.Key}' has count {f.Count}; counts must be ≥ 0", nameof(facts));
            if (!_byKey.TryAdd(f.Key, i)) throw new ArgumentException($"key '{f.Key}' appears twice (facts {_byKey[f.Key]} and {i})", nameof(facts));
            if (f.Count > long.MaxValue - total) throw new ArgumentException($"counts add up to more than {long.MaxValue}", nameof(facts));
            total += f.Count;
        }
        HasCounts = hasCounts;
        Source = source;
        TotalCount = total;
    }

    /// <summary>Index of the fact with this key (ordinal comparison), or −1.</summary>
    public int IndexOf(string key) => _byKey.TryGetValue(key, out int i) ? i : -1;

    /// <summary>Empirical frequencies count_i / Σ count; throws a <see cref="UsageException"/> when all counts are 0.</summary>
    public double[] Frequencies()
    {
        UsageException.Require(TotalCount > 0,
            $"{Source ?? "facts"}: every count is 0, so there are no frequencies; give at least one fact a positive count");
        var p = new double[_facts.Length];
        for (int i = 0; i < p.Length; i++) p[i] = (double)_facts[i].Count / TotalCount;
        return p;
    }
}
