using Memscope.Core.Random;

namespace Memscope.Bench;

/// <summary>
/// Prototype (bench only): <see cref="Rng.FillSigns"/> without a data-dependent branch. The sign is taken from the sign
/// bit of (u − threshold), u the 53-bit uniform, so the output is bit-identical to Rng.FillSigns for the same stream,
/// but a p far from 0 and 1 (0.65 here) no longer costs a branch misprediction on about a third of the values.
/// </summary>
public static class BranchlessSigns
{
    /// <summary>dest[i] = +1 with probability p, −1 otherwise (same threshold rule as Rng.FillSigns).</summary>
    public static void Fill(Rng rng, Span<sbyte> dest, double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), $"probability must be in [0, 1], got {p}");
        long threshold = (long)Math.Round(p * (1UL << 53));
        for (int i = 0; i < dest.Length; i++)
        {
            long diff = (long)(rng.NextUInt64() >> 11) - threshold; // both < 2^53 + 1: no overflow
            dest[i] = (sbyte)((int)(diff >> 63) * -2 - 1);          // diff < 0 → +1, else −1
        }
    }
}
