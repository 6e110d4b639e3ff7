using Memscope.Core;
using Memscope.Core.Random;

namespace Memscope.Influence.Plans;

/// <summary>
/// Which training examples each model sees. Every mask derives from (seed, mode, fraction, models, n) alone, so a
/// model's subset never depends on the shard layout or on how models are grouped.
/// <list type="bullet">
/// <item>FZ mode (FZ §2): model m trains on exactly ⌊f·n⌋ examples, the first ⌊f·n⌋ of a permutation drawn from the
/// stream (seed, "subset/fz", m).</item>
/// <item>LiRA mode (LiRA §4 "balanced"): every example is IN for exactly half of the models; example i's IN models
/// are the first T/2 of a permutation of the models drawn from (seed, "subset/lira", i). T must be even.</item>
/// </list>
/// </summary>
public sealed class SubsetPlan
{
    public string Mode { get; }
    public double Fraction { get; }
    public int Models { get; }
    public int TrainCount { get; }
    public ulong Seed { get; }
    private readonly bool[,]? _liraMasks;

    public SubsetPlan(string mode, double fraction, int models, int trainCount, ulong seed)
    {
        UsageException.Require(mode is "fz" or "lira", $"--mode must be fz or lira, got '{mode}'");
        UsageException.Require(models >= 1, $"--models must be ≥ 1, got {models}");
        UsageException.Require(trainCount >= 2, $"the training set has {trainCount} examples; need at least 2");
        if (mode == "fz")
        {
            UsageException.Require(fraction > 0 && fraction < 1, $"--subset-fraction must be in (0, 1), got {fraction}");
            UsageException.Require((int)Math.Floor(fraction * trainCount) >= 1,
                $"--subset-fraction {fraction} of {trainCount} examples is an empty subset; raise it");
            UsageException.Require((int)Math.Floor(fraction * trainCount) < trainCount,
                $"--subset-fraction {fraction} of {trainCount} examples leaves no example out; lower it");
        }
        else
        {
            UsageException.Require(models % 2 == 0, $"--mode lira needs an even number of models (each example is IN for exactly half), got {models}");
            fraction = 0.5;
        }
        Mode = mode; Fraction = fraction; Models = models; TrainCount = trainCount; Seed = seed;
        if (mode == "lira") _liraMasks = BuildLira();
    }

    /// <summary>⌊f·n⌋ in FZ mode; in LiRA mode the subset size varies by model (about n/2).</summary>
    public int SubsetSize => (int)Math.Floor(Fraction * TrainCount);

    /// <summary>The mask row of model m: mask[i] = example i is IN.</summary>
    public bool[] Mask(int model)
    {
        UsageException.Require(model >= 0 && model < Models, $"model index {model} is outside 0..{Models - 1}");
        var mask = new bool[TrainCount];
        if (_liraMasks is not null)
        {
            for (int i = 0; i < TrainCount; i++) mask[i] = _liraMasks[model, i];
            return mask;
        }
        var perm = Enumerable.Range(0, TrainCount).ToArray();
        var rng = new Rng(Seed, "subset/fz", (ulong)model);
        int m = SubsetSize;
        for (int i = 0; i < m; i++) // partial Fisher–Yates: the first m slots are a uniform m-subset
        {
            int j = i + rng.NextInt(TrainCount - i);
            (perm[i], perm[j]) = (perm[j], perm[i]);
            mask[perm[i]] = true;
        }
        return mask;
    }

    private bool[,] BuildLira()
    {
        var masks = new bool[Models, TrainCount];
        var perm = new int[Models];
        for (int i = 0; i < TrainCount; i++)
        {
            for (int m = 0; m < Models; m++) perm[m] = m;
            var rng = new Rng(Seed, "subset/lira", (ulong)i);
            for (int a = 0; a < Models / 2; a++)
            {
                int b = a + rng.NextInt(Models - a);
                (perm[a], perm[b]) = (perm[b], perm[a]);
                masks[perm[a], i] = true;
            }
        }
        return masks;
    }
}
