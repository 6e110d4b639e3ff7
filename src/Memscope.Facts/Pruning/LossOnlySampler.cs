using Memscope.Core.Random;
using Memscope.Facts.Data;
using Memscope.Facts.Training;

namespace Memscope.Facts.Pruning;

/// <summary>Settings of the loss-only arm C4.</summary>
public sealed record LossOnlySettings
{
    /// <summary>Fraction of the steps trained as C0 before selection starts.</summary>
    public double WarmupFraction { get; init; } = 0.1;
    /// <summary>Candidate pool per batch, as a multiple of the batch size.</summary>
    public int PoolFactor { get; init; } = 4;
    /// <summary>Mean value-token loss (nats) below which a fact counts as learned.</summary>
    public double LearnedLoss { get; init; } = 0.05;
    /// <summary>Probability of keeping a learned fact anyway (replay against forgetting).</summary>
    public double Replay { get; init; } = 0.05;
    /// <summary>Keep candidates at or below this quantile of the pool's losses: drop the hardest (not yet started) facts.</summary>
    public double KeepQuantile { get; init; } = 0.7;
}

/// <summary>
/// C4, loss-only selection (a reconstruction of Cram Less's rule; ref. §1.5, §4.6): after a warm-up of standard
/// training, each batch is drawn from a pool of candidates from the data stream, scored by their current training loss
/// only. Learned facts (loss &lt; LearnedLoss) are dropped except for a small replay rate, which flattens the frequency
/// distribution; the hardest candidates (above the KeepQuantile of the pool) are dropped, which limits the number of
/// facts in play. No frequencies or labels are used. One pool of PoolFactor × batch candidates is scored per step; a
/// short batch is filled by resampling the kept candidates. The forward passes that score the pool are extra compute; the
/// number of training sequences is the same as every other arm's.
/// </summary>
public sealed class LossOnlySampler(double[] probabilities, int totalSteps, LossOnlySettings settings, Rng rng) : ISequenceSampler
{
    private readonly AliasSampler _alias = new(probabilities);
    public string Arm => "C4";
    public long ScoredSequences { get; private set; }

    public void Fill(int step, Span<int> batch, Func<int[], float[]> lossOf)
    {
        if (step < settings.WarmupFraction * totalSteps) { _alias.Sample(rng, batch); return; }
        var candidates = new int[batch.Length * settings.PoolFactor];
        _alias.Sample(rng, candidates);
        var loss = lossOf(candidates);
        ScoredSequences += candidates.Length;
        // the loss quantile is taken among the not-yet-learned candidates, so the band does not collapse onto the
        // learned head when the pool is dominated by it
        var open = loss.Where(l => l >= settings.LearnedLoss).OrderBy(l => l).ToArray();
        double high = open.Length == 0 ? double.PositiveInfinity
            : open[Math.Clamp((int)Math.Floor(settings.KeepQuantile * (open.Length - 1)), 0, open.Length - 1)];
        var kept = new List<int>(candidates.Length);
        for (int c = 0; c < candidates.Length; c++)
        {
            bool learned = loss[c] < settings.LearnedLoss;
            if (learned ? rng.NextDouble() < settings.Replay : loss[c] <= high) kept.Add(candidates[c]);
        }
        if (kept.Count == 0) kept.AddRange(candidates);
        // one pool per step: take the kept candidates in order, and when they are fewer than the batch, resample them
        // (the batch follows the data stream restricted to the kept band) — never under-fill: equal sequences per step
        int filled = 0;
        for (; filled < batch.Length && filled < kept.Count; filled++) batch[filled] = kept[filled];
        for (; filled < batch.Length; filled++) batch[filled] = kept[rng.NextInt(kept.Count)];
    }
}
