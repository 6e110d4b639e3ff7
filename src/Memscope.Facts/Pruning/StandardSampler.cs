using Memscope.Core.Random;
using Memscope.Facts.Data;
using Memscope.Facts.Training;

namespace Memscope.Facts.Pruning;

/// <summary>C0: i.i.d. draws from the data distribution (e.g. Zipf(α) over the universe). Also the sampler of
/// a fixed data set (its empirical distribution) and of the capacity runs (uniform over M facts).</summary>
public sealed class StandardSampler(double[] probabilities, Rng rng, string arm = "C0") : ISequenceSampler
{
    private readonly AliasSampler _alias = new(probabilities);
    public string Arm => arm;
    public void Fill(int step, Span<int> batch, Func<int[], float[]> lossOf) => _alias.Sample(rng, batch);
}
