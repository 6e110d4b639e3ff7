using Memscope.Core.Random;
using Memscope.Facts.Data;
using Memscope.Facts.Experiments;
using Memscope.Facts.Pruning;
using Memscope.Facts.Training;

namespace Memscope.Facts.Tests;

public class TrainingTests
{
    private static (FactRunResult Result, FactTokens Tokens) TrainUniform(int facts, int steps, ulong seed)
    {
        var book = Phonebook.Generate(facts, seed);
        var tokens = FactsExperiments.Tokens(book.Facts);
        var p = FactsPreset.Quick;
        var probs = Enumerable.Repeat(1.0 / facts, facts).ToArray();
        var settings = p.Train with { Steps = steps, Seed = seed, EvalEvery = steps };
        var config = p.Model(book.Vocabulary.VocabSize, book.Vocabulary.SequenceLength);
        var all = Enumerable.Range(0, facts).ToArray();
        var r = FactTrainer.Train(config, tokens, new StandardSampler(probs, new Rng(seed, "test", 0)), settings, all, null);
        return (r, tokens);
    }

    [Fact]
    public void QuickModelLearnsTwoHundredFacts()
    {
        Memscope.Torch.TorchThreads.UseOnePerModel();
        var (r, tokens) = TrainUniform(200, 1000, 3);
        Assert.True(r.Final.K >= 190, $"recalled {r.Final.K} of 200 facts exactly ({r.Seconds:F1}s, {r.TokensPerSecond:F0} tokens/s)");
        Assert.True(r.Final.LossBits > 0.9 * 200 * tokens.HBits, $"loss bits {r.Final.LossBits}");
    }
}

public class ExperimentTests
{
    private static readonly FactsPreset Tiny = FactsPreset.Quick with
    {
        Universe = 600, Width = 16, Heads = 2, CapacityM = [100, 300], SkewAlphas = [0, 1], FixedDatasetSizes = [2000], PruneAlphas = [1.0], Seeds = 2,
        Train = FactsPreset.Quick.Train with { Steps = 60, BatchSize = 64, WarmupSteps = 10, EvalEvery = 20 },
    };

    [Fact]
    public void EveryPruningArmTrainsOnExactlyAsManySequencesAsC0()
    {
        var runs = FactsExperiments.Prune(Tiny, seed: 4, keep: 150, threads: 2);
        Assert.Equal(new[] { "C0", "C1", "C2", "C2u", "C3", "C4" }, runs.Select(r => r.Arm).Distinct().OrderBy(a => a, StringComparer.Ordinal));
        long c0 = runs.First(r => r.Arm == "C0").Sequences;
        Assert.Equal(60L * 64, c0);
        Assert.All(runs, r => Assert.Equal(c0, r.Sequences));
        // the subset arms really train on at most `keep` distinct facts, C0 on more
        Assert.All(runs.Where(r => r.Arm is "C1" or "C2" or "C2u"), r => Assert.True(r.DistinctFactsTrained <= 150, $"{r.Arm}: {r.DistinctFactsTrained}"));
        Assert.True(runs.First(r => r.Arm == "C0").DistinctFactsTrained > 150);
    }

    [Fact]
    public void TheSameSeedGivesIdenticalResultsAndThreadsDoNotMatter()
    {
        var a = FactsExperiments.Capacity(Tiny, seed: 9, threads: 1);
        var b = FactsExperiments.Capacity(Tiny, seed: 9, threads: 2);
        Assert.Equal(a.Select(Key), b.Select(Key));
        var c = FactsExperiments.Capacity(Tiny, seed: 10, threads: 2);
        Assert.NotEqual(a.Select(Key), c.Select(Key));
        // the loss-only arm's batches depend on the model's losses: it too must repeat exactly
        var p1 = FactsExperiments.Prune(Tiny, seed: 9, keep: 150, threads: 1);
        var p2 = FactsExperiments.Prune(Tiny, seed: 9, keep: 150, threads: 2);
        Assert.Equal(p1.Select(r => r.Arm + Key(r)), p2.Select(r => r.Arm + Key(r)));
        Assert.True(p1.First(r => r.Arm == "C4").ScoredSequences > 0);
        static string Key(FactRunRecord r) => $"{r.M}:{r.K}:{r.LossBits:R}:{string.Join(",", r.Trajectory.Select(p => p.TrainLoss.ToString("R")))}";
    }

    [Fact]
    public void BadExperimentInputIsRefused()
    {
        Assert.Throws<Memscope.Core.UsageException>(() => FactsExperiments.Prune(Tiny, 1, keep: 10_000, threads: 1));
        Assert.Throws<Memscope.Core.UsageException>(() => FactsPreset.ByName("huge"));
        var huge = Tiny with { Width = 8192, Heads = 8, Layers = 48 };
        Assert.Throws<Memscope.Core.UsageException>(() => FactTrainer.CheckMemory(huge.Model(300, 9), 4096));
    }

    [Fact]
    public void UserPlansKeepTheTotalAndTheRightFacts()
    {
        var facts = new UserFacts([new("a", "1", 50), new("b", "2", 30), new("c", "3", 15), new("d", "4", 5)], hasCounts: true);
        var c1 = SamplingPlan.Apply(facts, "C1", 2, null, 1);
        Assert.Equal(["a", "b"], c1.Select(f => f.Key));
        Assert.Equal([50L, 50L], c1.Select(f => f.Count));
        var c2 = SamplingPlan.Apply(facts, "C2", 3, null, 1);
        Assert.Equal(100, c2.Sum(f => f.Count));
        var c3 = SamplingPlan.Apply(facts, "C3", null, 20, 1);
        Assert.Equal([20L, 20L, 15L, 5L], c3.Select(f => f.Count));
        Assert.Throws<Memscope.Core.UsageException>(() => SamplingPlan.Apply(facts, "C4", 2, null, 1));
        Assert.Throws<Memscope.Core.UsageException>(() => SamplingPlan.Apply(facts, "C1", 9, null, 1));
    }
}

public class FactsInputTests
{
    [Fact]
    public void MLargerThanTheUniverseIsRefusedWithOneClearLine()
    {
        var p = FactsPreset.Quick with { Universe = 300, CapacityM = [100, 500] };
        var e = Assert.Throws<Memscope.Core.UsageException>(() => FactsExperiments.Capacity(p, 1, 1));
        Assert.Contains("M = 500 is larger than the universe of 300", e.Message);
        Assert.Throws<Memscope.Core.UsageException>(() => new ZipfFrequencies(10, -0.5, 1));
    }
}
