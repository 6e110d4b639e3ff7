using Memscope.Core;
using Memscope.Core.Random;
using Memscope.Facts.Data;

namespace Memscope.Facts.Pruning;

/// <summary>
/// The pruning rules applied to a user's fact file with counts, giving a pruned sampling plan. C1, C2 and C2u keep the
/// total number of exposures (equal compute) and redistribute it over the kept facts: equally (C1, C2u) or in proportion
/// to the original counts (C2), by largest remainder. C3 caps each count (the total shrinks; a training loop that
/// resamples keeps compute equal). C4 needs training losses, so it runs inside <c>facts prune</c>, not here.
/// </summary>
public static class SamplingPlan
{
    public static IReadOnlyList<UserFact> Apply(UserFacts facts, string rule, int? keep, long? cap, ulong seed)
    {
        UsageException.Require(facts.Count > 0, "the fact file has no facts");
        long total = facts.TotalCount;
        switch (rule)
        {
            case "C1" or "C2" or "C2u":
                UsageException.Require(keep is > 0, $"--rule {rule} needs --keep N (facts to keep)");
                UsageException.Require(keep <= facts.Count, $"--keep {keep} is larger than the {facts.Count} facts in the file");
                int[] kept;
                if (rule == "C1")
                    kept = Enumerable.Range(0, facts.Count).OrderByDescending(i => facts[i].Count).ThenBy(i => i).Take(keep!.Value).ToArray();
                else
                {
                    var perm = Enumerable.Range(0, facts.Count).ToArray();
                    var rng = new Rng(seed, "facts/plan/random-keep", 0);
                    for (int i = 0; i < keep; i++) { int j = i + rng.NextInt(perm.Length - i); (perm[i], perm[j]) = (perm[j], perm[i]); }
                    kept = perm.Take(keep!.Value).OrderBy(i => i).ToArray();
                }
                var weights = rule == "C2" ? kept.Select(i => (double)facts[i].Count).ToArray() : kept.Select(_ => 1.0).ToArray();
                UsageException.Require(weights.Sum() > 0, $"the {keep} facts {rule} kept all have count 0, so their original frequencies are undefined; use C2u or a larger --keep");
                var counts = LargestRemainder(weights, total);
                if (counts.Sum() != total) throw new InvalidOperationException($"planned counts sum to {counts.Sum()}, not {total}");
                return kept.Select((i, k) => facts[i] with { Count = counts[k] }).ToList();
            case "C3":
                UsageException.Require(cap is > 0, "--rule C3 needs --cap N (the most exposures per fact)");
                return facts.Facts.Select(f => f with { Count = Math.Min(f.Count, cap!.Value) }).ToList();
            case "C4":
                throw new UsageException("rule C4 selects by training loss, which a fact file does not have; it runs inside `memscope facts prune`");
            default:
                throw new UsageException($"--rule must be C1, C2, C2u or C3, got '{rule}'");
        }
    }

    /// <summary>Integers proportional to <paramref name="weights"/> that sum to exactly <paramref name="total"/>.</summary>
    public static long[] LargestRemainder(double[] weights, long total)
    {
        double sum = weights.Sum();
        var exact = weights.Select(w => w / sum * total).ToArray();
        var result = exact.Select(x => (long)Math.Floor(x)).ToArray();
        long left = total - result.Sum();
        foreach (int i in Enumerable.Range(0, weights.Length).OrderByDescending(i => exact[i] - result[i]).ThenBy(i => i).Take((int)left)) result[i]++;
        return result;
    }
}
