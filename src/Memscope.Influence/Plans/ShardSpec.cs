using System.Globalization;
using Memscope.Core;

namespace Memscope.Influence.Plans;

/// <summary>Shard i of N: the models m with m mod N = i. "0/1" is the whole run.</summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public static ShardSpec All => new(0, 1);

    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        UsageException.Require(parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n),
            $"--shard '{text}' is not of the form i/N (e.g. 0/4)");
        int idx = int.Parse(parts[0], CultureInfo.InvariantCulture), count = int.Parse(parts[1], CultureInfo.InvariantCulture);
        UsageException.Require(count >= 1, $"--shard {text}: N must be ≥ 1");
        UsageException.Require(idx >= 0 && idx < count, $"--shard {text}: i must be in 0..{count - 1}");
        return new ShardSpec(idx, count);
    }

    public bool Owns(int model) => model % Count == Index;

    public IEnumerable<int> ModelsOf(int models) => Enumerable.Range(0, models).Where(Owns);

    public override string ToString() => $"{Index}/{Count}";
}
