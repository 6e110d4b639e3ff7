namespace Memscope.Facts.Training;

/// <summary>
/// Chooses which facts make up each training batch: the data distribution, or a pruning arm. A sampler may ask for
/// the current per-fact training loss (the only signal the loss-only arm C4 uses) through <paramref name="lossOf"/>.
/// Every arm fills exactly <c>batch.Length</c> sequences per step, so arms train on the same number of sequences.
/// </summary>
public interface ISequenceSampler
{
    string Arm { get; }
    void Fill(int step, Span<int> batch, Func<int[], float[]> lossOf);

    /// <summary>Sequences scored with forward passes to choose batches (extra compute beyond training; C4 only).</summary>
    long ScoredSequences => 0;
}
