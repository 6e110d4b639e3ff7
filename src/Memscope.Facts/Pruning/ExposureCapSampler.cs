using Memscope.Core.Random;
using Memscope.Facts.Data;
using Memscope.Facts.Training;

namespace Memscope.Facts.Pruning;

/// <summary>
/// C3, flatten only: draws from the data distribution but skips a fact once it has been seen <c>cap</c> times
/// (needs per-fact counts, no loss). When every fact is capped the cap stops binding (draws are kept).
/// </summary>
public sealed class ExposureCapSampler(double[] probabilities, int cap, Rng rng) : ISequenceSampler
{
    private readonly AliasSampler _alias = new(probabilities);
    private readonly int[] _seen = new int[probabilities.Length];
    public string Arm => "C3";

    public void Fill(int step, Span<int> batch, Func<int[], float[]> lossOf)
    {
        for (int b = 0; b < batch.Length; b++)
        {
            int i = _alias.Sample(rng);
            for (int attempt = 0; attempt < 1000 && _seen[i] >= cap; attempt++) i = _alias.Sample(rng);
            _seen[i]++;
            batch[b] = i;
        }
    }
}
