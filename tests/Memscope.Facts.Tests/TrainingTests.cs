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
